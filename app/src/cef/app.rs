//! The CEF application object of the browser process: command-line switches, the
//! `nexus://` scheme, and the browser-process callbacks (context ready, pump requests).

use super::class::cef_class;
use super::compat::strings::cef_string;
use cef::*;
use cef_dll_sys as sys;
use std::sync::Arc;

/// What the browser-process callbacks report to the runtime.
pub struct AppHooks {
    /// Called once CEF's context is ready (browsers may be created).
    pub on_ready: Box<dyn Fn() + Send + Sync>,
    /// CEF wants `do_message_loop_work` after this many ms (external pump mode only).
    pub on_pump_request: Box<dyn Fn(i64) + Send + Sync>,
    /// Chromium switches to add to every process's command line.
    pub switches: Vec<(String, Option<String>)>,
}

/// Build the browser process's app object.
pub fn make_app(hooks: Arc<AppHooks>) -> App {
    App::new(ShellApp::make(hooks))
}

cef_class!(
    ShellApp,
    sys::_cef_app_t,
    WrapApp,
    ImplApp,
    Arc<AppHooks>,
    {
        fn on_before_command_line_processing(
            &self,
            process_type: Option<&CefStringUtf16>,
            command_line: Option<&mut impl ImplCommandLine>,
        ) {
            // Only the browser process (empty type) gets our switches; CEF copies the relevant
            // ones to its subprocesses.
            if process_type
                .map(super::compat::strings::to_string)
                .is_some_and(|t| !t.is_empty())
            {
                return;
            }
            let Some(cmd) = command_line else { return };
            for (name, value) in &self.d.switches {
                match value {
                    Some(v) => {
                        cmd.append_switch_with_value(Some(&cef_string(name)), Some(&cef_string(v)))
                    }
                    None => cmd.append_switch(Some(&cef_string(name))),
                }
            }
        }
        fn on_register_custom_schemes(&self, registrar: Option<&mut SchemeRegistrar>) {
            super::scheme::register(registrar);
        }
        fn get_browser_process_handler(&self) -> Option<BrowserProcessHandler> {
            Some(BrowserProcessHandler::new(ShellProcess::make(
                self.d.clone(),
            )))
        }
    }
);

cef_class!(
    ShellProcess,
    sys::_cef_browser_process_handler_t,
    WrapBrowserProcessHandler,
    ImplBrowserProcessHandler,
    Arc<AppHooks>,
    {
        fn on_context_initialized(&self) {
            super::scheme::serve();
            (self.d.on_ready)();
        }
        fn on_schedule_message_pump_work(&self, delay_ms: i64) {
            (self.d.on_pump_request)(delay_ms);
        }
    }
);
