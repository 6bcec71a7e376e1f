//! A private virtual X display for windowed tests.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Xvfb; killed on drop.
pub struct Xvfb {
    child: Child,
    /// The display, e.g. ":93".
    pub display: String,
}

impl Xvfb {
    /// Start Xvfb on a free display number with a `width`x`height` screen.
    pub fn start(width: u32, height: u32) -> Xvfb {
        for n in 90 + (std::process::id() % 400)..1000 {
            let lock = format!("/tmp/.X{n}-lock");
            if std::path::Path::new(&lock).exists() {
                continue;
            }
            let display = format!(":{n}");
            let child = Command::new("Xvfb")
                .arg(&display)
                .args([
                    "-screen",
                    "0",
                    &format!("{width}x{height}x24"),
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb is installed (cargo xtask test installs it)");
            let mut xvfb = Xvfb { child, display };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                    return xvfb;
                }
                if xvfb.child.try_wait().ok().flatten().is_some() {
                    break; // lost a race for this display number; try the next
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = xvfb.child.kill();
        }
        panic!("could not start Xvfb on any display");
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
