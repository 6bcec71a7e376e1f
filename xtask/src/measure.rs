//! `cargo xtask measure`: the measured runs behind docs/performance.md, reproducible.
//!
//! Runs the real binaries (built first, dev profile unless `--release`) and prints a
//! markdown report with the machine and date: start-up to the first painted page
//! (headless, and windowed on a private Xvfb), a 60 fps animation's CPU cost by thread and
//! process, the browser process's memory with one tab, the browser -> renderer -> browser
//! round trip against a raw CEF message, and the AI sidebar on a 2,000-word page.

use crate::{cmd, paths, run, runtime};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `cargo xtask measure [--release]`.
pub fn measure(args: &[String]) -> Result<()> {
    let provisioned = runtime::setup_with(true)?;
    let bin_dir = if args.iter().any(|a| a == "--release") {
        run::build_release_binaries(&provisioned.cef_dir)?
    } else {
        run::build_binaries(&provisioned.cef_dir)?
    };
    let nexus = bin_dir.join("nexus");
    let pages = paths::workspace_root().join("assets/test-pages");
    let mut report = vec![format!("# Measured {}\n\n{}\n", date(), machine())];

    cmd::step("start-up to the first painted page, headless (10 runs)");
    let mut firsts = Vec::new();
    for _ in 0..10 {
        let tmp = scratch("shot");
        let out = Command::new(&nexus)
            .arg("--screenshot")
            .arg(tmp.join("s.png"))
            .arg(pages.join("boxes.html"))
            .output()?;
        let err = String::from_utf8_lossy(&out.stderr);
        if let Some(ms) = err
            .split("first content after ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
        {
            firsts.push(ms);
        }
        let _ = std::fs::remove_dir_all(tmp);
    }
    report.push(format!(
        "- headless start to first content (ms): {}",
        stats(&firsts)
    ));

    cmd::step("windowed runs on a private Xvfb");
    let xvfb = Xvfb::start()?;
    let mut windowed = Vec::new();
    for _ in 0..5 {
        let mut run = Shell::start(
            &nexus,
            &xvfb.display,
            &[pages.join("boxes.html").to_string_lossy().as_ref()],
        )?;
        let state = run.wait_state(|s| s["first_page_frame_ms"].is_u64())?;
        windowed.push(state["first_page_frame_ms"].as_f64().unwrap_or_default());
        std::thread::sleep(Duration::from_secs(3));
        if windowed.len() == 1 {
            report.push(format!(
                "- browser process memory with one tab, idle: {}",
                memory_breakdown(run.child.id())
            ));
        }
        run.quit()?;
    }
    report.push(format!(
        "- windowed start to the first page frame on screen (ms): {}",
        stats(&windowed)
    ));

    cmd::step("60 fps animation, 1280x720 page, 10 s");
    let mut run = Shell::start(
        &nexus,
        &xvfb.display,
        &[pages.join("animation.html").to_string_lossy().as_ref()],
    )?;
    run.wait_state(|s| s["first_page_frame_ms"].is_u64())?;
    std::thread::sleep(Duration::from_secs(3));
    let m = run.command("measure 10")?;
    report.push(format!("- animation: `{m}`"));
    run.quit()?;

    cmd::step("AI sidebar on a 2,000-word page");
    let mut run = Shell::start(
        &nexus,
        &xvfb.display,
        &[pages.join("article.html").to_string_lossy().as_ref()],
    )?;
    run.wait_state(|s| {
        s["windows"][0]["tabs"][0]["loading"] == false && s["first_page_frame_ms"].is_u64()
    })?;
    run.command("intent toggle-sidebar")?;
    // Warm the worker (process start, model load) on a short page, then measure the first
    // analysis of the long one.
    run.command("intent analyze")?;
    run.wait_state(|s| s["ai"]["1"]["status"] == "Complete")?;
    let long = format!("file://{}", pages.join("article-2000-words.html").display());
    run.command(&format!("intent navigate {long}"))?;
    run.wait_state(|s| {
        s["windows"][0]["tabs"][0]["title"]
            .as_str()
            .is_some_and(|t| t.contains("fifteen years"))
            && s["windows"][0]["tabs"][0]["loading"] == false
    })?;
    std::thread::sleep(Duration::from_millis(500));
    run.command("intent analyze")?;
    let started = Instant::now();
    let measuring = run.send("measure 4")?;
    run.wait_state(|s| {
        // Any part on screen: `Running { parts: N }` with N > 0, or already complete.
        s["ai"]["1"]["status"].as_str().is_some_and(|st| {
            (st.starts_with("Running") && !st.contains("parts: 0")) || st == "Complete"
        })
    })?;
    let first = started.elapsed();
    run.wait_state(|s| s["ai"]["1"]["status"] == "Complete")?;
    let complete = started.elapsed();
    let frames = run.answer(measuring)?;
    report.push(format!(
        "- AI sidebar, 2,000-word page, worker warm: \"Analyze\" to the first part on screen {} ms, to the complete analysis {} ms; UI frames meanwhile: `{frames}`",
        first.as_millis(),
        complete.as_millis()
    ));
    run.quit()?;

    cmd::step("browser -> renderer -> browser round trips (10,000 each)");
    let out = Command::new(&nexus)
        .args(["--bench-ipc", "10000"])
        .arg(pages.join("boxes.html"))
        .output()?;
    report.push(format!(
        "- round trips:\n```\n{}```",
        String::from_utf8_lossy(&out.stdout)
    ));

    println!("\n{}", report.join("\n"));
    Ok(())
}

fn stats(v: &[f64]) -> String {
    if v.is_empty() {
        return "no data".into();
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    format!(
        "median {:.0}, min {:.0}, max {:.0} (n={})",
        s[s.len() / 2],
        s[0],
        s[s.len() - 1],
        s.len()
    )
}

/// A process's memory: RSS, PSS (shared pages split between the processes that map them),
/// anonymous memory, and how much of the RSS is Mesa's software GL rasteriser (llvmpipe:
/// libLLVM and the swrast driver), which a machine with a GPU driver does not load.
fn memory_breakdown(pid: u32) -> String {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| -> f64 {
        rollup
            .lines()
            .find_map(|l| l.strip_prefix(name)?.trim().strip_suffix("kB"))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or_default()
            / 1024.0
    };
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut software_gl_kb = 0.0;
    let mut in_software_gl = false;
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if first.contains('-') && !first.ends_with(':') {
            in_software_gl = line.contains("libLLVM") || line.contains("swrast_dri");
        } else if in_software_gl && let Some(kb) = line.strip_prefix("Rss:") {
            software_gl_kb += kb
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .unwrap_or_default();
        }
    }
    let rss = field("Rss:");
    let software_gl = software_gl_kb / 1024.0;
    format!(
        "{rss:.0} MB RSS (PSS {:.0} MB, anonymous {:.0} MB); of the RSS, {software_gl:.0} MB is the software GL rasteriser this machine has no GPU for, so {:.0} MB without it",
        field("Pss:"),
        field("Anonymous:"),
        rss - software_gl
    )
}

fn date() -> String {
    cmd::output(Command::new("date").arg("-u").arg("+%Y-%m-%d %H:%M UTC"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!(
        "Machine: {cores} cores, {cpu}; load average before the run: {}",
        load.split(' ').take(3).collect::<Vec<_>>().join(" ")
    )
}

fn scratch(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "nexus-measure-{label}-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Result<Xvfb> {
        let display = format!(":{}", 700 + std::process::id() % 200);
        let child = Command::new("Xvfb")
            .arg(&display)
            .args(["-screen", "0", "1600x1000x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting Xvfb")?;
        std::thread::sleep(Duration::from_millis(800));
        Ok(Xvfb { child, display })
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A windowed nexus driven through its automation hook.
struct Shell {
    child: Child,
    dir: PathBuf,
    next: u64,
}

impl Shell {
    fn start(nexus: &Path, display: &str, urls: &[&str]) -> Result<Shell> {
        let dir = scratch("shell");
        let child = Command::new(nexus)
            .arg("--profile")
            .arg(dir.join("profile"))
            .args(["--window-size", "1280x800"])
            .args(urls)
            .env("DISPLAY", display)
            .env("NEXUS_AUTOMATION", dir.join("automation"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(Shell {
            child,
            dir,
            next: 1,
        })
    }

    fn send(&mut self, command: &str) -> Result<u64> {
        let auto = self.dir.join("automation");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !auto.exists() {
            if Instant::now() > deadline {
                bail!("the shell did not start");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let n = self.next;
        self.next += 1;
        std::fs::write(auto.join(format!("cmd-{n}")), command)?;
        Ok(n)
    }

    fn answer(&mut self, n: u64) -> Result<String> {
        let out = self.dir.join("automation").join(format!("out-{n}"));
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(text) = std::fs::read_to_string(&out) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                bail!("no answer to command {n}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn command(&mut self, command: &str) -> Result<String> {
        let n = self.send(command)?;
        self.answer(n)
    }

    fn wait_state(
        &mut self,
        check: impl Fn(&serde_json::Value) -> bool,
    ) -> Result<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let state: serde_json::Value = serde_json::from_str(&self.command("state")?)?;
            if check(&state) {
                return Ok(state);
            }
            if Instant::now() > deadline {
                bail!("timed out; last state {state}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn quit(mut self) -> Result<()> {
        self.command("quit")?;
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(())
    }
}
