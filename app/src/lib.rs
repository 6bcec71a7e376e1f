//! `nexus`: the browser process (the egui shell, the CEF glue, the hub between renderers,
//! UI and the AI worker, the profile) and the `nexus-renderer` helper that CEF starts for
//! its subprocesses.
//!
//! Only the `cef` and `renderer` modules touch CEF; only `shell` touches egui widgets.

pub mod ai_client;
pub mod analyze_cli;
pub mod cef;
pub mod cli;
pub mod headless;
pub mod html_escape;
pub mod hub;
pub mod pages;
pub mod paths;
pub mod platform;
pub mod profile;
pub mod renderer;
pub mod shell;
pub mod url_input;
