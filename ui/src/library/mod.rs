//! Nexus's library pages: the bookmarks manager and the history page (issue 7).

mod bookmarks;
mod history;

pub use bookmarks::BookmarksManager;
pub use history::HistoryPanel;
