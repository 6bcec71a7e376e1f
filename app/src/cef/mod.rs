//! The CEF glue of the browser process: the only code (with `renderer`) that touches CEF.
//!
//! CEF callbacks arrive on CEF's UI thread (or, with the external message pump, inside
//! the shell's frame). Callbacks never act on shell state: they turn into
//! [`events::BrowserEvent`]s on a channel and paints into a [`paint::FrameBuffer`]; the
//! owner (the windowed shell or a headless run) consumes both on its own thread and
//! controls browsers through [`browser::BrowserHandle`].

pub mod app;
pub mod browser;
pub(crate) mod class;
pub mod client;
pub mod compat;
pub mod downloads;
pub mod events;
pub mod framework;
pub mod input;
pub mod link;
pub mod net_error;
pub mod paint;
pub mod process_message;
pub mod runtime;
pub mod sandbox;
pub mod scheme;
