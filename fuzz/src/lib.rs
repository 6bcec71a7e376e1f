//! `nexus-fuzz`: fuzz targets for the code that reads bytes Nexus did not write — IPC
//! frames and envelopes, the encrypted channel, CEF process messages from renderers, other
//! devices' sync logs, bookmark files from other browsers.
//!
//! Each target is a plain function here, `fn(&[u8])`, that panics when a property breaks
//! (not only on a crash: each says which rules it checks). Two things call them:
//! - the libFuzzer entry points in `fuzz_targets/` (`cargo xtask fuzz run TARGET`, which
//!   builds them with the `libfuzzer` feature and SanitizerCoverage flags, as cargo-fuzz
//!   would, and runs them);
//! - `tests/replay.rs`, a plain `cargo test` on stable that feeds every committed corpus
//!   file (and every saved crash) to the same functions, so CI keeps what the fuzzer found
//!   without a fuzzer.
//!
//! It is not part of the shipped browser and is not a default workspace member.

pub mod cef_hub;
pub mod input;
pub mod ipc;
pub mod profile;
pub mod seeds;

/// A fuzz target: bytes in, a panic if a rule broke.
pub type Target = fn(&[u8]);

/// Every target, by the name of its corpus folder and libFuzzer binary.
pub const TARGETS: &[(&str, Target)] = &[
    ("frame_decoder", ipc::frame_decoder),
    ("envelope", ipc::envelope),
    ("handshake", ipc::handshake),
    ("sealed_channel", ipc::sealed_channel),
    ("cef_hub", cef_hub::cef_hub),
    ("sync_log", profile::sync_log),
    ("bookmarks_html", profile::bookmarks_html),
];
