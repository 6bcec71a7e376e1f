//! View-model caches of profile data (settings, bookmarks, history, suggestions) that the
//! panels borrow each frame. The profile refreshes them when its data changes; panels
//! never query the database while drawing.

use nexus_ui::model::{
    BookmarkNode, ConnectionTest, HistoryEntry, SearchEngine, Settings, SitePermission,
    Suggestion, SyncStatus,
};

/// What the panels show of the profile.
#[derive(Default)]
pub struct Library {
    /// Settings as the settings page edits them.
    pub settings: Settings,
    /// Site permissions.
    pub permissions: Vec<SitePermission>,
    /// The AI endpoint connection test.
    pub connection_test: ConnectionTest,
    /// Sync status.
    pub sync: SyncStatus,
    /// Bookmark roots ("Bookmarks bar", "Other bookmarks").
    pub bookmark_roots: Vec<BookmarkNode>,
    /// History, newest first (the history page's current search).
    pub history: Vec<HistoryEntry>,
    /// Omnibox suggestions for the current query.
    pub suggestions: Vec<Suggestion>,
}

impl Library {
    /// The search engine.
    pub fn search_engine(&self) -> SearchEngine {
        self.settings.search_engine.clone()
    }

    /// The bookmarks bar's items.
    pub fn bookmarks_bar(&self) -> Vec<BookmarkNode> {
        self.bookmark_roots.first().map(|root| root.children.clone()).unwrap_or_default()
    }
}

impl Library {
    /// Whether `url` is bookmarked.
    pub fn is_bookmarked(&self, url: &str) -> bool {
        fn find(nodes: &[BookmarkNode], url: &str) -> bool {
            nodes.iter().any(|n| n.url.as_deref() == Some(url) || find(&n.children, url))
        }
        !url.is_empty() && find(&self.bookmark_roots, url)
    }
}
