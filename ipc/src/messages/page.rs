//! Page content for the AI, and the page API's permissions.

use super::message;
use serde::{Deserialize, Serialize};

/// Ask the renderer of a frame for the page's readable content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageContentRequest {
    /// Cap on the main text in bytes; longer text is cut at a sentence boundary.
    pub max_text_bytes: u32,
}

/// The page's readable content.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageContent {
    /// The document URL.
    pub url: String,
    /// The document title.
    pub title: String,
    /// `<html lang>` or detected language, if any.
    pub language: Option<String>,
    /// `<meta name="description">`, if any.
    pub description: Option<String>,
    /// Headings (h1-h3) in document order.
    pub headings: Vec<String>,
    /// The readable main text (navigation, ads and boilerplate stripped), paragraphs
    /// separated by blank lines.
    pub text: String,
    /// Words in the full main text before any cap.
    pub word_count: u32,
    /// Whether `text` was cut to the cap.
    pub truncated: bool,
    /// The document's MIME type (e.g. "text/html", "application/pdf").
    pub content_type: String,
}

/// What a frame may use of the `window.nexus` API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiPermission {
    /// The origin this applies to (as the shell knows it).
    pub origin: String,
    /// Whether `window.nexus` calls are allowed there.
    pub allowed: bool,
}

/// A page subscribed to an event through `nexus.on(name, callback)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiSubscribe {
    /// The event name.
    pub name: String,
}

/// A built-in page (`nexus://newtab`) asks for profile data. Only `nexus://` pages may;
/// the shell checks the frame's origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileQuery {
    /// Which list: "bookmarks" or "top_sites".
    pub list: String,
    /// At most this many items.
    pub limit: u32,
}

/// The answer to a [`ProfileQuery`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileResult {
    /// The items as a JSON array of `{title, url}` objects.
    pub items_json: String,
}

message! {
    ProfileQuery => PROFILE_QUERY,
    ProfileResult => PROFILE_RESULT,
    PageContentRequest => PAGE_CONTENT_REQUEST,
    PageContent => PAGE_CONTENT,
    ApiPermission => API_PERMISSION,
    ApiSubscribe => API_SUBSCRIBE,
}
