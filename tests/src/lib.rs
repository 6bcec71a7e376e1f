//! Helpers for tests that drive the real Nexus binaries: where they are, a local HTTP
//! server for test pages, a virtual X display, and PNG pixel checks.
//!
//! The binaries are built and laid out next to the CEF runtime by `cargo xtask test`
//! (which sets `NEXUS_BIN_DIR`); run the tests through it.

pub mod http;
pub mod image;
pub mod procinfo;
pub mod shell;
pub mod xvfb;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The folder with the built `nexus`, `nexus-renderer` and `nexus-ai-worker`.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("NEXUS_BIN_DIR") {
        return dir.into();
    }
    // target/<profile>/deps/<test exe> -> target/<profile>
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target layout")
        .to_path_buf()
}

/// The path of a Nexus binary; panics with the fix when it was not built or laid out.
pub fn bin(name: &str) -> PathBuf {
    let path = bin_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists() && bin_dir().join("icudtl.dat").exists(),
        "{} or the CEF runtime next to it is missing: run the tests with `cargo xtask test`",
        path.display()
    );
    path
}

/// The repository's folder of test pages.
pub fn test_pages() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/test-pages")
}

/// A `file://` URL for a test page.
pub fn test_page_url(name: &str) -> String {
    let path = test_pages()
        .join(name)
        .canonicalize()
        .expect("test page exists");
    format!("file://{}", path.display())
}

/// A fresh empty folder under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Create one named after `label`.
    pub fn new(label: &str) -> TempDir {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("nexus-test-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run `cmd` to completion, killing it after `timeout`. Its output is read while it runs
/// (regression: it was read only after the exit, so a child writing more than a pipe holds,
/// 64 KiB, blocked forever and was reported as a hang).
pub fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> Output {
    use std::io::Read;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    // Read on threads; the bytes come back through a channel, so a grandchild still
    // holding the pipe open (a CEF subprocess outliving a killed browser) cannot block the
    // test: after 10 s what was read so far is taken.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 64 * 1024];
            if let Some(mut pipe) = pipe {
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let _ = tx.send(Some(buf[..n].to_vec()));
                }
            }
            let _ = tx.send(None);
        });
        rx
    };
    let collect = |rx: std::sync::mpsc::Receiver<Option<Vec<u8>>>| {
        let mut bytes = Vec::new();
        let until = Instant::now() + Duration::from_secs(10);
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        bytes
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + timeout;
    let (status, timed_out) = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break (status, false);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break (child.wait().expect("wait"), true);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = Output {
        status,
        stdout: collect(stdout),
        stderr: collect(stderr),
    };
    if timed_out {
        panic!(
            "{cmd:?} did not finish within {timeout:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// `nexus` with a private profile in `profile`.
pub fn nexus(profile: &Path) -> Command {
    let mut cmd = Command::new(bin("nexus"));
    cmd.arg("--profile").arg(profile);
    cmd
}
