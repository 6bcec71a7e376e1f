//! View-models: plain data the shell fills in and the panels draw.
//!
//! Nothing here holds a live handle (no CEF objects, no channels): texture ids are egui's
//! plain `TextureId`s, everything else is owned data. Each file groups the data of one
//! area: the window and its tabs, the AI sidebar, settings, bookmarks and history.

mod ai;
pub(crate) mod library;
mod page;
mod settings;

pub(crate) use ai::host_of;
pub use ai::{AnalysisStatus, PageAi, Privacy, Turn, TurnState, unanalysable_reason};
pub use library::{
    BookmarkId, BookmarkNode, BookmarksView, HistoryEntry, HistoryId, HistoryView, day_label,
};
pub use page::{
    ContextMenuView, DialogId, DialogKind, DialogView, DownloadId, DownloadState, DownloadView,
    FindResult, PageCursor, PageView, PaneView, PopupView, Security, Suggestion, SuggestionKind,
    TabId, TabView,
};
pub use settings::{
    ConnectionTest, DataKinds, PermissionKind, SearchEngine, SettingChange, Settings, SettingsView,
    SitePermission, Startup, SyncError, SyncStatus, ThemePreference, TimeRange,
};
