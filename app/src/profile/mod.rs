//! The profile store: bookmarks, history, settings, site permissions, downloads and the
//! last session, in one SQLite database per profile folder, plus end-to-end encrypted sync
//! between the user's devices through a shared folder.
//!
//! It knows nothing of CEF or egui: the shell opens a [`Store`], calls it as the user
//! browses, drains [`Store::drain_changes`] to broadcast `data_sync` messages, and runs
//! [`sync::sync_now`] on a timer. Every module does one job; `store.rs` says why the
//! database is set up the way it is, `PERFORMANCE.md` what it costs.
//!
//! How the shell uses it:
//!
//! ```text
//! let mut store = Store::open(profile_dir)?;          // show store.notices() if any
//! store.interrupt_unfinished_downloads()?;            // once, at browser start
//! let restore = store.last_session()?;                // before the first save_session
//! store.record_visit(url, Some(title), Transition::Link)?;
//! store.autocomplete(typed_text, 8)?;                 // as the user types
//! store.save_session(&session_state)?;                // on every window/tab change
//! for change in store.drain_changes() { hub.broadcast(change.to_data_sync()) }
//! let report = sync::sync_now(&mut store, &SyncConfig::new(folder, passphrase, name));
//! transfer::cli_import(profile_dir, file)? / cli_export(...)   // `nexus bookmarks ...`
//! store.close()?;                                     // at exit (Drop does it too)
//! ```

pub mod autocomplete;
pub mod backup;
pub mod bookmarks;
pub mod browsers;
pub mod changes;
pub mod downloads;
pub mod error;
pub mod frecency;
pub mod history;
pub mod netscape;
pub mod permissions;
pub mod schema;
pub mod session;
pub mod settings;
pub mod store;
pub mod sync;
mod tombstones;
pub mod transfer;
pub mod util;

pub use autocomplete::Suggestion;
pub use bookmarks::{Bookmark, BookmarkKind, BookmarkNode, OTHER_GUID, ROOT_GUID, TOOLBAR_GUID};
pub use changes::{Change, ChangeOrigin};
pub use error::{ProfileError, Result};
pub use frecency::Transition;
pub use history::{HistoryEntry, HistoryQuery, Page};
pub use session::{SavedSession, SessionState, TabState, WindowState};
pub use settings::{SettingWarning, Settings};
pub use store::{Durability, OpenOptions, Store};
pub use util::Clock;

/// The origins a profile allowed to use the page API (for headless runs with `--profile`);
/// none if the profile cannot be read.
pub fn allowed_api_origins(dir: &std::path::Path) -> Vec<String> {
    let options = OpenOptions {
        browser: false,
        ..OpenOptions::default()
    };
    let Ok(store) = Store::open_with(dir, options) else {
        return Vec::new();
    };
    store
        .site_permissions()
        .map(|list| {
            list.into_iter()
                .filter(|p| p.access == permissions::ApiAccess::Allow)
                .map(|p| p.origin)
                .collect()
        })
        .unwrap_or_default()
}
