//! Internal pages drawn by the shell (settings, bookmarks, history).

use super::library::Library;
use super::tab::InternalPage;
use nexus_ui::Content;
use nexus_ui::model::{BookmarksView, HistoryView, SettingsView};

/// What an internal page shows.
pub fn content(library: &Library, page: InternalPage) -> Content<'_> {
    match page {
        InternalPage::Settings => Content::Settings(SettingsView {
            settings: &library.settings,
            permissions: &library.permissions,
            connection_test: &library.connection_test,
            sync: &library.sync,
        }),
        InternalPage::Bookmarks => Content::Bookmarks(BookmarksView {
            roots: &library.bookmark_roots,
        }),
        InternalPage::History => Content::History(HistoryView {
            entries: &library.history,
            now: unix_now(),
            utc_offset_secs: 0,
        }),
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
