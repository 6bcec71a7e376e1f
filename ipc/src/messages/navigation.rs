//! Navigation messages.

use super::message;
use serde::{Deserialize, Serialize};

/// Open `url` in a tab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NavigationRequest {
    /// Where to go. The shell validates the scheme; `javascript:` and similar are refused.
    pub url: String,
    /// The tab to navigate (0 = the tab the request came from).
    pub tab_id: u64,
    /// Open in a new window instead.
    pub new_window: bool,
    /// Open in a private (incognito) window.
    pub incognito: bool,
}

/// A navigation finished.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NavigationComplete {
    /// The final URL after redirects.
    pub url: String,
    /// The tab (filled in by the shell from the frame the message arrived on).
    pub tab_id: u64,
    /// HTTP status, 0 when not HTTP.
    pub http_status: u16,
    /// The document title.
    pub title: String,
}

message! {
    NavigationRequest => NAVIGATION_REQUEST,
    NavigationComplete => NAVIGATION_COMPLETE,
}
