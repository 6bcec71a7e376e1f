//! View-model caches of profile data (settings, bookmarks, history, suggestions) that the
//! panels borrow each frame. The profile refreshes them when its data changes; panels
//! never query the database while drawing.

use nexus_ui::model::{
    BookmarkNode, ConnectionTest, HistoryEntry, SearchEngine, Settings, SitePermission, Suggestion,
    SyncStatus,
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
        self.bookmark_roots
            .first()
            .map(|root| root.children.clone())
            .unwrap_or_default()
    }
}

impl Library {
    /// Whether `url` is bookmarked.
    pub fn is_bookmarked(&self, url: &str) -> bool {
        fn find(nodes: &[BookmarkNode], url: &str) -> bool {
            nodes
                .iter()
                .any(|n| n.url.as_deref() == Some(url) || find(&n.children, url))
        }
        !url.is_empty() && find(&self.bookmark_roots, url)
    }
}

/// Profile bookmark GUIDs <-> the UI's numeric ids (stable for the session).
#[derive(Default)]
pub struct BookmarkIds {
    by_guid: std::collections::HashMap<String, u64>,
    guids: Vec<String>,
}

impl BookmarkIds {
    /// The UI id of a GUID (assigned on first sight).
    pub fn id(&mut self, guid: &str) -> nexus_ui::model::BookmarkId {
        if let Some(id) = self.by_guid.get(guid) {
            return nexus_ui::model::BookmarkId(*id);
        }
        let id = self.guids.len() as u64 + 1;
        self.guids.push(guid.to_string());
        self.by_guid.insert(guid.to_string(), id);
        nexus_ui::model::BookmarkId(id)
    }

    /// The GUID of a UI id.
    pub fn guid(&self, id: nexus_ui::model::BookmarkId) -> Option<&str> {
        self.guids
            .get((id.0 as usize).checked_sub(1)?)
            .map(String::as_str)
    }
}

impl Library {
    /// Show the profile's bookmark tree (the root's children: bar, other).
    pub fn set_bookmarks(&mut self, root: &crate::profile::BookmarkNode, ids: &mut BookmarkIds) {
        fn convert(node: &crate::profile::BookmarkNode, ids: &mut BookmarkIds) -> BookmarkNode {
            BookmarkNode {
                id: ids.id(&node.item.guid),
                title: node.item.title.clone(),
                url: node.item.url.clone(),
                children: node.children.iter().map(|c| convert(c, ids)).collect(),
            }
        }
        // Bookmarks bar first, as the bookmarks bar and manager expect.
        let mut roots: Vec<BookmarkNode> = root.children.iter().map(|c| convert(c, ids)).collect();
        let bar = ids.id(crate::profile::TOOLBAR_GUID);
        roots.sort_by_key(|n| n.id != bar);
        self.bookmark_roots = roots;
    }

    /// Show omnibox suggestions.
    pub fn set_suggestions(&mut self, items: &[crate::profile::autocomplete::Suggestion]) {
        self.suggestions = items
            .iter()
            .map(|s| Suggestion {
                title: s.title.clone(),
                url: s.url.clone(),
                kind: if s.bookmarked {
                    nexus_ui::model::SuggestionKind::Bookmark
                } else {
                    nexus_ui::model::SuggestionKind::History
                },
            })
            .collect();
    }

    /// Show history entries.
    pub fn set_history(&mut self, entries: &[crate::profile::HistoryEntry]) {
        self.history = entries
            .iter()
            .enumerate()
            .map(|(i, e)| HistoryEntry {
                id: nexus_ui::model::HistoryId(i as u64),
                title: e.title.clone(),
                url: e.url.clone(),
                visited_at: e.visited_ms / 1000,
            })
            .collect();
    }

    /// Show site permissions.
    pub fn set_permissions(&mut self, permissions: &[crate::profile::permissions::SitePermission]) {
        self.permissions = permissions
            .iter()
            .map(|p| SitePermission {
                origin: p.origin.clone(),
                permission: nexus_ui::model::PermissionKind::AiFeatures,
                allowed: p.access == crate::profile::permissions::ApiAccess::Allow,
            })
            .collect();
    }

    /// Show sync status.
    pub fn set_sync(
        &mut self,
        status: &crate::profile::sync::SyncStatus,
        error: Option<String>,
        now_ms: i64,
    ) {
        let mut errors: Vec<nexus_ui::model::SyncError> = status
            .last_problems
            .iter()
            .map(|p| sync_error("Sync problem", p))
            .collect();
        if let Some(e) = error {
            errors.insert(0, sync_error("Sync failed", &e));
        }
        self.sync = SyncStatus {
            last_sync: status.last_sync_ms.map(|ms| ago(now_ms, ms)),
            pending_changes: status.pending_changes.clamp(0, u32::MAX as i64) as u32,
            errors,
            syncing: false,
        };
    }
}

fn sync_error(title: &str, detail: &str) -> nexus_ui::model::SyncError {
    nexus_ui::model::SyncError {
        title: title.to_string(),
        detail: detail.to_string(),
    }
}

/// "just now", "5 minutes ago", "3 hours ago", "2 days ago".
pub fn ago(now_ms: i64, then_ms: i64) -> String {
    let secs = (now_ms - then_ms).max(0) / 1000;
    match secs {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} minutes ago", secs / 60),
        3600..=86_399 => format!("{} hours ago", secs / 3600),
        _ => format!("{} days ago", secs / 86_400),
    }
}
