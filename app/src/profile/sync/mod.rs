//! End-to-end encrypted sync between a user's devices through a folder they choose.
//!
//! The folder (Syncthing, Dropbox, a NAS share...) holds a header file with the key
//! derivation's salt and a passphrase check ([`crypto`]), and one append-only change log
//! per device under `devices/` ([`log`]). A device only ever appends to its own log, so
//! two devices never write the same file and a file-sync service never has to merge.
//! [`sync_now`] reads what the other devices appended since last time, merges it
//! ([`apply`]: per-record last-writer-wins), then appends this device's pending changes
//! ([`records`]). It is a plain library call; the shell runs it on a timer and shows
//! [`sync_status`] in the panel.
//!
//! Failure handling: a wrong passphrase is recognised from the header before anything is
//! read or written; a record failing authentication (tampered, or from another key) is
//! named and skipped; a partly copied tail waits for the next sync; applying the merge and
//! advancing the read positions is one transaction, so a crash never skips or loses
//! records; this device's records are appended and synced to disk before their change
//! counters are cleared, so a crash at worst uploads them twice (harmless).
//!
//! Not done: compaction of old logs (a log grows with every change; a snapshot + new log
//! would bound it) and passphrase change (it needs re-encrypting every log).

pub mod apply;
mod apply_history;
pub mod crypto;
pub mod log;
mod logfile;
pub mod records;
mod run;

pub use run::{SyncConfig, SyncError, SyncIssue, SyncReport, SyncStatus, sync_now, sync_status};
