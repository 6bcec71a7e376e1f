//! The profile store: bookmarks, history, settings, site permissions, downloads and the
//! last session, in one SQLite database per profile folder, plus end-to-end encrypted sync
//! between the user's devices through a shared folder.
//!
//! It knows nothing of CEF or egui: the shell opens a [`Store`], calls it as the user
//! browses, drains [`Store::drain_changes`] to broadcast `data_sync` messages, and runs
//! [`sync::sync_now`] on a timer. Every module does one job; `store.rs` says why the
//! database is set up the way it is.

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
