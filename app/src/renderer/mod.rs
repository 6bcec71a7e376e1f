//! The renderer side: what runs inside CEF's subprocesses (`nexus-renderer`): the page's
//! `window.nexus` API, page content for the AI, `ui_update`s applied as data, and
//! `navigation_complete` reports, all as nexus-ipc envelopes in CEF process messages.

pub mod api;
pub mod dom;
pub mod handler;
pub mod readable;
pub mod state;
pub mod ui_update;
pub mod v8json;

use crate::cef::class::cef_class;
use cef::*;
use cef_dll_sys as sys;

/// Run as a CEF subprocess; returns the exit code CEF reports.
pub fn main() -> std::process::ExitCode {
    let args = cef::args::Args::new();
    let is_subprocess = std::env::args().any(|a| a.starts_with("--type="));
    if !is_subprocess {
        eprintln!("nexus-renderer is started by Nexus for its web pages; run `nexus` instead.");
        return std::process::ExitCode::from(2);
    }
    let _cef = match crate::cef::framework::load(true) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("nexus-renderer: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut app = App::new(RendererApp::make(()));
    let code = execute_process(
        Some(args.as_main_args()),
        Some(&mut app),
        std::ptr::null_mut(),
    );
    std::process::ExitCode::from(code.clamp(0, 255) as u8)
}

cef_class!(RendererApp, sys::_cef_app_t, WrapApp, ImplApp, (), {
    fn on_register_custom_schemes(&self, registrar: Option<&mut SchemeRegistrar>) {
        crate::cef::scheme::register(registrar);
    }
    fn get_render_process_handler(&self) -> Option<RenderProcessHandler> {
        Some(handler::make())
    }
});
