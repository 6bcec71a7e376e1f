//! Starting and stopping CEF in the browser process.
//!
//! Message loop: on Linux and Windows CEF runs its own UI thread
//! (`multi_threaded_message_loop`): paints and pixel conversion happen off the egui thread,
//! and idle costs nothing (measured: 94% vs 108-130% CPU for a 60 fps page, 1.2% vs 2-37%
//! idle, see docs/performance.md). macOS does not support that, so there CEF is pumped
//! (`external_message_pump`): CEF asks for work through `on_schedule_message_pump_work`
//! and the owner calls [`Runtime::pump`]. `NEXUS_CEF_LOOP=pump|threaded` overrides.

use super::app::{AppHooks, make_app};
use super::compat::strings::cef_string;
use cef::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The cache folder of the running CEF (for clearing it).
pub static CACHE_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
/// A file in the cache folder that asks for the HTTP cache to be emptied at start.
pub const CLEAR_CACHE_MARKER: &str = "clear-cache-on-start";

/// How CEF's message loop runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopMode {
    /// CEF runs its own UI thread.
    MultiThreaded,
    /// The owner calls [`Runtime::pump`] when asked and on a floor timer.
    ExternalPump,
}

impl LoopMode {
    /// The mode for this platform (or `NEXUS_CEF_LOOP`).
    pub fn for_platform() -> LoopMode {
        match std::env::var("NEXUS_CEF_LOOP").as_deref() {
            Ok("pump") => LoopMode::ExternalPump,
            Ok("threaded") => LoopMode::MultiThreaded,
            _ if cfg!(target_os = "macos") => LoopMode::ExternalPump,
            _ => LoopMode::MultiThreaded,
        }
    }
}

/// How to start CEF.
pub struct RuntimeConfig {
    /// CEF's cache, cookies and local storage (inside the profile).
    pub cache_dir: PathBuf,
    /// No display: render with the headless Ozone platform and software compositing.
    pub headless: bool,
    /// The message loop.
    pub loop_mode: LoopMode,
    /// Called (from any thread) when CEF wants `pump` within this many ms (pump mode).
    pub on_pump_request: Box<dyn Fn(i64) + Send + Sync>,
}

/// Why CEF did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The runtime files are not next to the executable.
    #[error(
        "the CEF runtime is missing next to {exe_dir}: {missing} not found. Run `cargo xtask \
         run` (it lays the runtime out), or reinstall Nexus"
    )]
    RuntimeMissing {
        /// Where we looked.
        exe_dir: String,
        /// The first missing file.
        missing: String,
    },
    /// The cache directory cannot be created.
    #[error("cannot create the browser cache folder {path}: {source}")]
    CacheDir {
        /// The folder.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// CEF's initialize failed (most often: another Nexus uses this profile).
    #[error(
        "the browser engine did not start. Another Nexus may already be running with the \
         profile at {profile}; close it or start this one with --profile DIR. Details may be in {log}"
    )]
    InitializeFailed {
        /// The cache folder in use.
        profile: String,
        /// CEF's log file.
        log: String,
    },
    /// The context did not become ready.
    #[error("the browser engine did not become ready within {0:?}")]
    NotReady(Duration),
}

/// A running CEF. Call [`Runtime::shutdown`] after every browser has closed.
pub struct Runtime {
    loop_mode: LoopMode,
    ready: mpsc::Receiver<()>,
    is_ready: bool,
    _app: App,
    _argv: Argv,
}

impl Runtime {
    /// Start CEF. Returns once `initialize` succeeded; use [`Runtime::wait_ready`] before
    /// creating browsers.
    pub fn start(config: RuntimeConfig) -> Result<Runtime, StartError> {
        let exe_dir = exe_dir();
        check_runtime_files(&exe_dir)?;
        std::fs::create_dir_all(&config.cache_dir).map_err(|source| StartError::CacheDir {
            path: config.cache_dir.display().to_string(),
            source,
        })?;
        empty_cache_if_asked(&config.cache_dir);
        let _ = CACHE_DIR.set(config.cache_dir.clone());
        let (ready_tx, ready) = mpsc::channel();
        let ready_tx = std::sync::Mutex::new(ready_tx);
        let hooks = Arc::new(AppHooks {
            on_ready: Box::new(move || {
                let _ = ready_tx.lock().map(|tx| tx.send(()));
            }),
            on_pump_request: config.on_pump_request,
            switches: switches(config.headless),
        });
        let mut app = make_app(hooks);
        let log = config.cache_dir.join("cef.log");
        let settings = Settings {
            size: std::mem::size_of::<cef_dll_sys::cef_settings_t>(),
            no_sandbox: (!super::sandbox::usable(&exe_dir)) as i32,
            // On macOS CEF finds the helper apps, its resources and locales in the app
            // bundle itself (packaging/README.md); elsewhere they sit beside the program.
            browser_subprocess_path: beside_program(&exe_dir.join(renderer_name())),
            windowless_rendering_enabled: 1,
            multi_threaded_message_loop: (config.loop_mode == LoopMode::MultiThreaded) as i32,
            external_message_pump: (config.loop_mode == LoopMode::ExternalPump) as i32,
            root_cache_path: cef_string(&config.cache_dir.to_string_lossy()),
            cache_path: cef_string(&config.cache_dir.join("Default").to_string_lossy()),
            persist_session_cookies: 1,
            log_file: cef_string(&log.to_string_lossy()),
            log_severity: log_severity(),
            resources_dir_path: beside_program(&exe_dir),
            locales_dir_path: beside_program(&exe_dir.join("locales")),
            background_color: 0xFFFF_FFFF,
            ..Default::default()
        };
        let argv = Argv::program_only();
        let ok = initialize(
            Some(argv.main_args()),
            Some(&settings),
            Some(&mut app),
            std::ptr::null_mut(),
        );
        if ok != 1 {
            return Err(StartError::InitializeFailed {
                profile: config.cache_dir.display().to_string(),
                log: log.display().to_string(),
            });
        }
        Ok(Runtime {
            loop_mode: config.loop_mode,
            ready,
            is_ready: false,
            _app: app,
            _argv: argv,
        })
    }

    /// The message loop in use.
    pub fn loop_mode(&self) -> LoopMode {
        self.loop_mode
    }

    /// Wait until CEF's context is ready (pumping in pump mode).
    pub fn wait_ready(&mut self, timeout: Duration) -> Result<(), StartError> {
        let deadline = Instant::now() + timeout;
        while !self.is_ready {
            self.pump();
            let step = Duration::from_millis(if self.loop_mode == LoopMode::ExternalPump {
                5
            } else {
                100
            });
            match self.ready.recv_timeout(step) {
                Ok(()) => self.is_ready = true,
                Err(_) if Instant::now() >= deadline => return Err(StartError::NotReady(timeout)),
                Err(_) => {}
            }
        }
        Ok(())
    }

    /// Do pending CEF work (pump mode; nothing in multi-threaded mode).
    pub fn pump(&self) {
        if self.loop_mode == LoopMode::ExternalPump {
            do_message_loop_work();
        }
    }

    /// Shut CEF down (on the thread that started it, after every browser closed).
    pub fn shutdown(self) {
        if self.loop_mode == LoopMode::ExternalPump {
            for _ in 0..10 {
                do_message_loop_work();
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        shutdown();
    }
}

/// Chromium logs to stderr as well as to the log file, and on machines without a D-Bus
/// session it logs harmless errors on every start. Only fatal problems are logged unless
/// `NEXUS_CEF_LOG=verbose|info|warning|error` asks for more.
fn log_severity() -> LogSeverity {
    use cef_dll_sys::cef_log_severity_t as S;
    let level = match std::env::var("NEXUS_CEF_LOG").as_deref() {
        Ok("verbose") => S::LOGSEVERITY_VERBOSE,
        Ok("info") => S::LOGSEVERITY_INFO,
        Ok("warning") => S::LOGSEVERITY_WARNING,
        Ok("error") => S::LOGSEVERITY_ERROR,
        _ => S::LOGSEVERITY_FATAL,
    };
    LogSeverity::from(level)
}

/// Empty the HTTP caches if the user cleared them last session.
fn empty_cache_if_asked(cache_dir: &Path) {
    let marker = cache_dir.join(CLEAR_CACHE_MARKER);
    if marker.exists() {
        for sub in ["Default/Cache", "Default/Code Cache", "Default/GPUCache"] {
            let _ = std::fs::remove_dir_all(cache_dir.join(sub));
        }
        let _ = std::fs::remove_file(marker);
    }
}

fn switches(headless: bool) -> Vec<(String, Option<String>)> {
    let mut s: Vec<(String, Option<String>)> = vec![
        // Software compositing: on Xvfb each frame otherwise paints twice; on real hardware
        // off-screen frames are copied back to memory anyway.
        ("disable-gpu".into(), None),
        ("disable-gpu-compositing".into(), None),
        // Nexus makes no network connections the user did not ask for.
        ("disable-background-networking".into(), None),
        ("disable-component-update".into(), None),
    ];
    if headless || !has_display() {
        s.push(("ozone-platform".into(), Some("headless".into())));
    }
    s
}

fn has_display() -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// A path of the runtime beside the program, for CEF's settings; empty on macOS, where
/// CEF looks in the app bundle.
fn beside_program(path: &Path) -> CefStringUtf16 {
    if cfg!(target_os = "macos") {
        CefStringUtf16::default()
    } else {
        cef_string(&path.to_string_lossy())
    }
}

/// The folder the running executable is in (where the CEF runtime must be).
pub fn exe_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

fn renderer_name() -> String {
    format!("nexus-renderer{}", std::env::consts::EXE_SUFFIX)
}

fn check_runtime_files(exe_dir: &Path) -> Result<(), StartError> {
    let needed: &[&str] = if cfg!(target_os = "macos") {
        &[]
    } else {
        &[
            "icudtl.dat",
            "resources.pak",
            "v8_context_snapshot.bin",
            "locales",
        ]
    };
    // On macOS the renderer is a helper app inside the bundle, not beside the program.
    let renderer = (!cfg!(target_os = "macos")).then(renderer_name);
    for name in needed.iter().copied().chain(renderer.as_deref()) {
        if !exe_dir.join(name).exists() {
            return Err(StartError::RuntimeMissing {
                exe_dir: exe_dir.display().to_string(),
                missing: name.to_string(),
            });
        }
    }
    Ok(())
}

/// The argv CEF sees: only the program name. Nexus's own flags are not Chromium switches;
/// the switches Nexus wants are added in `on_before_command_line_processing`.
struct Argv {
    #[cfg(unix)]
    _strings: Vec<std::ffi::CString>,
    #[cfg(unix)]
    _pointers: Vec<*const std::os::raw::c_char>,
    main_args: MainArgs,
}

impl Argv {
    #[cfg(unix)]
    fn program_only() -> Argv {
        let program = std::env::args().next().unwrap_or_else(|| "nexus".into());
        let strings = vec![std::ffi::CString::new(program).unwrap_or_else(|_| c"nexus".into())];
        let pointers: Vec<*const std::os::raw::c_char> =
            strings.iter().map(|s| s.as_ptr()).collect();
        let main_args = MainArgs {
            argc: pointers.len() as i32,
            argv: pointers.as_ptr() as *mut *mut _,
        };
        Argv {
            _strings: strings,
            _pointers: pointers,
            main_args,
        }
    }

    #[cfg(windows)]
    fn program_only() -> Argv {
        Argv {
            main_args: cef::args::Args::new().as_main_args().clone(),
        }
    }

    fn main_args(&self) -> &MainArgs {
        &self.main_args
    }
}
