//! `nexus-ipc`: the protocol every Nexus process speaks.
//!
//! Work in progress: the message catalogue (`messages`) and kinds (`kind`) are the
//! contract between the shell, the CEF renderers and the AI worker.

mod kind;
pub mod messages;

pub use kind::{CATALOGUE, Kind, ProcessKind};
