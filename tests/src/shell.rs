//! Driving the windowed shell: start `nexus` on a private Xvfb with the automation hook,
//! send real keyboard and mouse input with xdotool, read state and screenshots back.

use crate::xvfb::Xvfb;
use crate::{TempDir, bin};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running windowed Nexus.
pub struct Shell {
    child: Child,
    /// The display it runs on.
    pub xvfb: Xvfb,
    dir: TempDir,
    next: u64,
    window: Option<String>,
    env: Vec<(String, String)>,
    profile: PathBuf,
}

impl Shell {
    /// Start `nexus` with `args` (URLs) on a fresh 1600x1000 display.
    pub fn start(args: &[&str]) -> Shell {
        Shell::start_with_env(args, &[])
    }

    /// Like `start`, with extra environment variables for nexus.
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Shell {
        Shell::start_in(None, args, env)
    }

    /// Like `start_with_env`, with the profile in `profile` (e.g. on a small file system)
    /// instead of a fresh temporary folder.
    pub fn start_in(profile: Option<&Path>, args: &[&str], env: &[(&str, &str)]) -> Shell {
        let xvfb = Xvfb::start(1600, 1000);
        let dir = TempDir::new("shell");
        let profile = profile.map_or_else(|| dir.path().join("profile"), Path::to_path_buf);
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let child = Shell::spawn_child(args, &xvfb, &dir, &profile, &env);
        Shell {
            child,
            xvfb,
            dir,
            next: 1,
            window: None,
            env,
            profile,
        }
    }

    /// The process id of the running `nexus`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Quit, then start `nexus` again on the same display with the same profile.
    pub fn restart(&mut self, args: &[&str]) {
        let status = self.quit_in_place();
        assert!(status.success(), "the first run exits cleanly: {status}");
        self.child = Shell::spawn_child(args, &self.xvfb, &self.dir, &self.profile, &self.env);
        self.next = 1;
        self.window = None;
    }

    fn spawn_child(
        args: &[&str],
        xvfb: &Xvfb,
        dir: &TempDir,
        profile: &Path,
        env: &[(String, String)],
    ) -> Child {
        let _ = std::fs::remove_dir_all(dir.path().join("automation"));
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.path().join("nexus.log"))
            .expect("log file");
        Command::new(bin("nexus"))
            .arg("--profile")
            .arg(profile)
            .args(["--window-size", "1280x800"])
            .args(args)
            .env("DISPLAY", &xvfb.display)
            .env("NEXUS_AUTOMATION", dir.path().join("automation"))
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start nexus")
    }

    /// The serialized DOM of a tab.
    pub fn dom(&mut self, tab: u64) -> String {
        self.command(&format!("dom {tab}"))
    }

    /// Focus the window whose title contains `title` for the next keys.
    pub fn focus_window(&mut self, title: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = self.xdotool(&["search", "--name", title]);
            if let Some(id) = out.lines().next().filter(|l| !l.is_empty()) {
                self.xdotool(&["windowfocus", "--sync", id]);
                self.window = Some(id.to_string());
                return;
            }
            assert!(Instant::now() < deadline, "no window titled {title:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What nexus wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("nexus.log")).unwrap_or_default()
    }

    /// The profile folder this shell uses.
    pub fn profile(&self) -> PathBuf {
        self.profile.clone()
    }

    /// Send an automation command and wait for its answer.
    pub fn command(&mut self, command: &str) -> String {
        let auto = self.dir.path().join("automation");
        let n = self.next;
        self.next += 1;
        let deadline = Instant::now() + Duration::from_secs(30);
        while !auto.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        // Written aside, then renamed into place: the browser polls for `cmd-N` and must
        // never read a half-written (or still empty) command. Regression: the 100-tab soak
        // had the browser read "" and answer "unknown command".
        let partial = auto.join(format!("partial-{n}"));
        std::fs::write(&partial, command).expect("write command");
        std::fs::rename(&partial, auto.join(format!("cmd-{n}"))).expect("place command");
        let out = auto.join(format!("out-{n}"));
        loop {
            if let Ok(text) = std::fs::read_to_string(&out) {
                return text;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "nexus exited ({status}) before answering {command:?}; its log:\n{}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "no answer to {command:?} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The shell's state as JSON.
    pub fn state(&mut self) -> serde_json::Value {
        serde_json::from_str(&self.command("state")).expect("state is JSON")
    }

    /// The tabs of the first window.
    pub fn tabs(&mut self) -> Vec<serde_json::Value> {
        self.state()["windows"][0]["tabs"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The active tab of the first window.
    pub fn active_tab(&mut self) -> serde_json::Value {
        let state = self.state();
        let active = state["windows"][0]["active"].clone();
        state["windows"][0]["tabs"]
            .as_array()
            .and_then(|tabs| tabs.iter().find(|t| t["id"] == active).cloned())
            .unwrap_or_default()
    }

    /// Wait until `check` holds for the state (polling), or panic with the last state.
    pub fn wait_for(
        &mut self,
        what: &str,
        mut check: impl FnMut(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let state = self.state();
            if check(&state) {
                return state;
            }
            if Instant::now() >= deadline {
                let shot = std::env::temp_dir()
                    .join(format!("nexus-test-failure-{}.png", std::process::id()));
                let _ = self.command(&format!("screenshot {}", shot.display()));
                panic!(
                    "timed out waiting for {what}; last state: {state}\nscreenshot: {}\nnexus log:\n{}",
                    shot.display(),
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Write a screenshot of the root window.
    pub fn screenshot(&mut self, path: &Path) {
        let answer = self.command(&format!("screenshot {}", path.display()));
        assert_eq!(answer, "ok", "screenshot failed");
    }

    fn window_id(&mut self) -> String {
        if let Some(w) = &self.window {
            return w.clone();
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = self.xdotool(&["search", "--name", "Nexus"]);
            if let Some(id) = out.lines().next().filter(|l| !l.is_empty()) {
                self.window = Some(id.to_string());
                self.xdotool(&["windowfocus", "--sync", id]);
                return id.to_string();
            }
            assert!(Instant::now() < deadline, "the Nexus window did not appear");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.xvfb.display)
            .output()
            .expect("xdotool is installed (cargo xtask test installs it)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Press a key combination, e.g. "ctrl+t".
    pub fn key(&mut self, keys: &str) {
        let w = self.window_id();
        self.xdotool(&["windowfocus", "--sync", &w]);
        self.xdotool(&["key", "--window", &w, keys]);
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Type text.
    pub fn type_text(&mut self, text: &str) {
        let w = self.window_id();
        self.xdotool(&["windowfocus", "--sync", &w]);
        self.xdotool(&["type", "--delay", "15", "--window", &w, text]);
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Click at window coordinates.
    pub fn click(&mut self, x: i32, y: i32) {
        let w = self.window_id();
        self.xdotool(&["mousemove", "--window", &w, &x.to_string(), &y.to_string()]);
        std::thread::sleep(Duration::from_millis(50));
        self.xdotool(&["click", "1"]);
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Right-click at window coordinates.
    pub fn right_click(&mut self, x: i32, y: i32) {
        let w = self.window_id();
        self.xdotool(&["mousemove", "--window", &w, &x.to_string(), &y.to_string()]);
        std::thread::sleep(Duration::from_millis(50));
        self.xdotool(&["click", "3"]);
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Move the mouse to window coordinates.
    pub fn mouse_move(&mut self, x: i32, y: i32) {
        let w = self.window_id();
        self.xdotool(&["mousemove", "--window", &w, &x.to_string(), &y.to_string()]);
    }

    /// Resize the window (its inner size).
    pub fn resize_window(&mut self, width: u32, height: u32) {
        let w = self.window_id();
        self.xdotool(&[
            "windowsize",
            "--sync",
            &w,
            &width.to_string(),
            &height.to_string(),
        ]);
    }

    /// Quit through the automation hook and wait for a clean exit.
    pub fn quit(mut self) -> std::process::ExitStatus {
        self.quit_in_place()
    }

    fn quit_in_place(&mut self) -> std::process::ExitStatus {
        self.command("quit");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("nexus did not exit within 20 s of quit");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
