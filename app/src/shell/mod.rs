//! The windowed browser: eframe/egui windows whose tabs are CEF windowless browsers.

mod ai;
pub(crate) mod ai_flow;
mod app;
pub use ai_flow::MAX_ANALYSED_BYTES;
pub mod automation;
mod downloads;
mod events;
mod hub_actions;
mod intents;
mod library;
mod measure;
mod pages;
mod profile_intents;
pub mod profile_link;
mod profile_updates;
mod session;
mod settings_map;
pub mod state;
pub mod tab;
pub mod window;

use crate::cef::runtime::{LoopMode, Runtime, RuntimeConfig};
use anyhow::{Context, Result};
use state::{Shell, ShellSettings};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// How to start the windowed browser.
pub struct ShellOptions {
    /// The profile folder.
    pub profile_dir: PathBuf,
    /// Pages to open.
    pub urls: Vec<String>,
    /// Initial window size in points.
    pub window_size: (i32, i32),
    /// When the process started (for the start-up measurement).
    pub started: std::time::Instant,
}

/// Run the browser until its last window closes.
pub fn run(options: ShellOptions) -> Result<()> {
    let ctx_slot: Arc<OnceLock<egui::Context>> = Arc::default();
    let wake_slot = ctx_slot.clone();
    let waker: crate::cef::paint::Waker = Arc::new(move || {
        if let Some(ctx) = wake_slot.get() {
            // A tiny delay runs exactly one frame (request_repaint() runs two).
            ctx.request_repaint_after(Duration::from_micros(1));
        }
    });
    let pump_slot = ctx_slot.clone();
    let loop_mode = LoopMode::for_platform();
    let mut runtime = Runtime::start(RuntimeConfig {
        cache_dir: options.profile_dir.join("cef"),
        headless: false,
        loop_mode,
        on_pump_request: Box::new(move |delay_ms| {
            if let Some(ctx) = pump_slot.get() {
                ctx.request_repaint_after(
                    Duration::from_millis(delay_ms.max(0) as u64).max(Duration::from_micros(1)),
                );
            }
        }),
    })?;
    runtime.wait_ready(Duration::from_secs(20))?;

    let mut shell = Shell::new(ShellSettings::default(), Default::default(), waker.clone());
    shell.worker_config.log_file = Some(options.profile_dir.join("ai-worker.log"));
    shell.started = options.started;
    let restore = open_profile(&mut shell, &options.profile_dir, waker);
    let restored =
        options.urls.is_empty() && restore.is_some_and(|session| shell.restore_session(&session));
    if !restored {
        let urls = if options.urls.is_empty() {
            startup_pages(&shell)
        } else {
            options.urls.clone()
        };
        shell.open_window(&urls);
    }
    if let Some(problem) = shell.startup_problem.take() {
        shell.tell_user(problem);
    }
    let (w, h) = options.window_size;
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Nexus")
            .with_app_id("nexus")
            .with_inner_size([w as f32, h as f32])
            .with_min_inner_size([480.0, 320.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let result = eframe::run_native(
        "Nexus",
        native,
        Box::new(move |cc| {
            let _ = ctx_slot.set(cc.egui_ctx.clone());
            let mut app = app::NexusApp::new(shell, loop_mode);
            app.automation = automation::Automation::from_env();
            Ok(Box::new(app))
        }),
    );
    runtime.shutdown();
    result
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("the browser window failed")
}

/// Open the profile on its own thread, load what the panels show, and return the last
/// session if the user wants it restored. A profile that cannot be opened is reported
/// and the browser runs without saving anything.
fn open_profile(
    shell: &mut Shell,
    dir: &std::path::Path,
    waker: crate::cef::paint::Waker,
) -> Option<crate::profile::SessionState> {
    let store = match crate::profile::Store::open(dir) {
        Ok(store) => store,
        Err(err) => {
            let message = format!(
                "Your profile could not be opened, so nothing will be saved this session: {err}"
            );
            eprintln!("nexus: {message}");
            shell.startup_problem = Some(message);
            return None;
        }
    };
    let mut store = store;
    let _ = store.interrupt_unfinished_downloads();
    let settings = store.settings().ok().map(|(s, _)| s);
    let session = store.last_session().ok().flatten().map(|s| s.state);
    if let Some(settings) = settings.clone() {
        shell.adopt_settings(settings);
    }
    shell.profile = Some(profile_link::ProfileLink::start(store, waker));
    shell.load_profile_views();
    let restore = settings.is_none_or(|s| s.general.startup == "restore_session");
    session.filter(|_| restore)
}

/// The pages to open when not restoring: the startup pages or the new tab page.
fn startup_pages(shell: &Shell) -> Vec<String> {
    match &shell.stored_settings {
        Some(s) if s.general.startup == "pages" && !s.general.startup_pages.is_empty() => {
            s.general.startup_pages.clone()
        }
        _ => Vec::new(),
    }
}

/// Close every browser and wait (briefly) until CEF confirms, pumping in pump mode.
fn close_browsers(shell: &mut Shell, loop_mode: LoopMode) {
    shell.close_all();
    let deadline = Instant::now() + Duration::from_secs(5);
    while shell.open_browsers() > 0 && Instant::now() < deadline {
        if loop_mode == LoopMode::ExternalPump {
            cef::do_message_loop_work();
        }
        for (tab, event) in shell.take_events() {
            if let crate::cef::events::BrowserEvent::Closed = event
                && let Some(t) = shell.tabs.get_mut(&nexus_ui::model::TabId(tab))
            {
                t.handle = None;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    shell.tabs.clear();
    if let Some(mut profile) = shell.profile.take() {
        profile.stop();
    }
    shell.ai_client = None;
}
