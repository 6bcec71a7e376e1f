//! The window's data: tabs, the active page, omnibox suggestions, downloads, dialogs and
//! the page's context menu.

use egui::{Pos2, Rect, TextureId, Vec2};
use serde::{Deserialize, Serialize};

/// A tab, as the shell identifies it. Stable for the tab's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TabId(pub u64);

/// One tab in the strip.
#[derive(Clone, Debug, PartialEq)]
pub struct TabView {
    /// Its id.
    pub id: TabId,
    /// The page title (the URL until the page sets one).
    pub title: String,
    /// The page URL (tooltip).
    pub url: String,
    /// The favicon, once the shell has uploaded it as a texture.
    pub favicon: Option<TextureId>,
    /// Whether the page is loading (spinner instead of the favicon).
    pub loading: bool,
    /// Whether its renderer crashed.
    pub crashed: bool,
}

impl TabView {
    /// A tab with a title and URL, not loading, no favicon.
    pub fn new(id: TabId, title: impl Into<String>, url: impl Into<String>) -> TabView {
        TabView {
            id,
            title: title.into(),
            url: url.into(),
            favicon: None,
            loading: false,
            crashed: false,
        }
    }
}

/// How far the user can trust the connection of the shown page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Security {
    /// HTTPS with a valid certificate.
    Secure,
    /// Plain HTTP (or HTTPS with errors the user accepted): "Not secure".
    NotSecure,
    /// One of Nexus's own pages (nexus://).
    Internal,
    /// A local file (file://).
    File,
    /// Nothing to say (about:blank, new tab before typing).
    Neutral,
}

impl Security {
    /// What a URL's scheme says, before any certificate is known.
    pub fn from_url(url: &str) -> Security {
        let lower = url.trim().to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("wss://") {
            Security::Secure
        } else if lower.starts_with("http://") || lower.starts_with("ws://") {
            Security::NotSecure
        } else if lower.starts_with("nexus://") || lower.starts_with("chrome://") {
            Security::Internal
        } else if lower.starts_with("file://") {
            Security::File
        } else {
            Security::Neutral
        }
    }
}

/// The find-in-page result for the active tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindResult {
    /// 1-based index of the highlighted match (0 when none).
    pub active: u32,
    /// Number of matches.
    pub total: u32,
    /// Whether the count is final (CEF reports counts incrementally).
    pub final_update: bool,
}

/// The mouse cursor the page asks for (neutral names for CEF's cursor types).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PageCursor {
    /// The arrow.
    #[default]
    Default,
    /// A link.
    Pointer,
    /// Text (I-beam).
    Text,
    /// Crosshair.
    Crosshair,
    /// Busy.
    Wait,
    /// Busy in the background.
    Progress,
    /// Help.
    Help,
    /// Move.
    Move,
    /// Not allowed.
    NotAllowed,
    /// Grab.
    Grab,
    /// Grabbing.
    Grabbing,
    /// Resize left-right.
    ResizeHorizontal,
    /// Resize up-down.
    ResizeVertical,
    /// Resize along the NE-SW diagonal.
    ResizeNeSw,
    /// Resize along the NW-SE diagonal.
    ResizeNwSe,
    /// Column resize.
    ResizeColumn,
    /// Row resize.
    ResizeRow,
    /// Zoom in.
    ZoomIn,
    /// Zoom out.
    ZoomOut,
    /// Hidden.
    None,
}

impl PageCursor {
    /// The egui cursor icon that shows it.
    pub fn to_egui(self) -> egui::CursorIcon {
        use egui::CursorIcon as C;
        match self {
            PageCursor::Default => C::Default,
            PageCursor::Pointer => C::PointingHand,
            PageCursor::Text => C::Text,
            PageCursor::Crosshair => C::Crosshair,
            PageCursor::Wait => C::Wait,
            PageCursor::Progress => C::Progress,
            PageCursor::Help => C::Help,
            PageCursor::Move => C::Move,
            PageCursor::NotAllowed => C::NotAllowed,
            PageCursor::Grab => C::Grab,
            PageCursor::Grabbing => C::Grabbing,
            PageCursor::ResizeHorizontal => C::ResizeHorizontal,
            PageCursor::ResizeVertical => C::ResizeVertical,
            PageCursor::ResizeNeSw => C::ResizeNeSw,
            PageCursor::ResizeNwSe => C::ResizeNwSe,
            PageCursor::ResizeColumn => C::ResizeColumn,
            PageCursor::ResizeRow => C::ResizeRow,
            PageCursor::ZoomIn => C::ZoomIn,
            PageCursor::ZoomOut => C::ZoomOut,
            PageCursor::None => C::None,
        }
    }
}

/// The active tab's page, for the toolbar, status line and find bar.
#[derive(Clone, Debug, PartialEq)]
pub struct PageView {
    /// The committed URL (shown in the omnibox when it is not being edited).
    pub url: String,
    /// The title.
    pub title: String,
    /// Connection state for the site-info indicator.
    pub security: Security,
    /// Whether the page is loading (reload button becomes stop).
    pub loading: bool,
    /// Load progress 0..1 while loading.
    pub progress: f32,
    /// History back is possible.
    pub can_go_back: bool,
    /// History forward is possible.
    pub can_go_forward: bool,
    /// The page is bookmarked (filled star).
    pub bookmarked: bool,
    /// Zoom in percent (100 = default; the indicator shows otherwise).
    pub zoom_percent: u32,
    /// The link under the mouse, for the status line.
    pub hovered_link: Option<String>,
    /// Find-in-page result.
    pub find: FindResult,
    /// The renderer crashed: the reason ("killed", "out of memory", ...).
    pub crashed: Option<String>,
}

impl PageView {
    /// A loaded page at `url` with nothing special going on.
    pub fn new(url: impl Into<String>, title: impl Into<String>) -> PageView {
        let url = url.into();
        PageView {
            security: Security::from_url(&url),
            url,
            title: title.into(),
            loading: false,
            progress: 1.0,
            can_go_back: false,
            can_go_forward: false,
            bookmarked: false,
            zoom_percent: 100,
            hovered_link: None,
            find: FindResult::default(),
            crashed: None,
        }
    }
}

/// A `<select>` dropdown or other popup widget CEF paints separately (PET_POPUP).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PopupView {
    /// Its texture.
    pub texture: TextureId,
    /// Where it goes, in points relative to the pane's top-left corner.
    pub rect: Rect,
}

/// What the browser pane draws.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PaneView {
    /// The page texture and its size in pixels (drawn 1:1 at the current scale, so a
    /// resize in progress never stretches the old frame).
    pub texture: Option<(TextureId, Vec2)>,
    /// An open popup widget.
    pub popup: Option<PopupView>,
    /// The cursor the page wants.
    pub cursor: PageCursor,
    /// The text caret of the focused field, in points relative to the pane (from CEF's
    /// IME composition bounds), so IME candidate windows appear next to it.
    pub ime_caret: Option<Rect>,
}

/// What an omnibox suggestion comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SuggestionKind {
    /// A page from history.
    History,
    /// A bookmark.
    Bookmark,
    /// A search with the configured engine.
    Search,
}

/// One omnibox suggestion (from the profile's frecency ranking).
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// Title (or the query, for searches).
    pub title: String,
    /// The URL it opens.
    pub url: String,
    /// Where it comes from.
    pub kind: SuggestionKind,
}

/// A download, for the downloads list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DownloadId(pub u64);

/// How a download is going.
#[derive(Clone, Debug, PartialEq)]
pub enum DownloadState {
    /// Receiving.
    InProgress {
        /// Bytes received.
        received: u64,
        /// Total bytes, if the server said.
        total: Option<u64>,
        /// Bytes per second, if known.
        speed: Option<u64>,
    },
    /// Saved.
    Complete,
    /// Failed, with the reason.
    Failed(String),
    /// Cancelled by the user.
    Cancelled,
}

/// One download.
#[derive(Clone, Debug, PartialEq)]
pub struct DownloadView {
    /// Its id.
    pub id: DownloadId,
    /// The file name.
    pub file_name: String,
    /// Where it came from.
    pub url: String,
    /// How it is going.
    pub state: DownloadState,
}

/// A dialog the page or the shell shows over the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DialogId(pub u64);

/// What the dialog asks.
#[derive(Clone, Debug, PartialEq)]
pub enum DialogKind {
    /// `alert()`: a message and OK.
    Alert {
        /// The message.
        message: String,
    },
    /// `confirm()`: OK / Cancel.
    Confirm {
        /// The message.
        message: String,
    },
    /// `prompt()`: a text field, OK / Cancel.
    Prompt {
        /// The message.
        message: String,
        /// The initial text.
        default_text: String,
    },
    /// beforeunload: "Leave site?".
    BeforeUnload {
        /// Whether the user is reloading (the wording changes).
        is_reload: bool,
    },
    /// A site asks for a permission.
    Permission {
        /// What it asks for.
        permission: super::PermissionKind,
    },
}

/// A dialog and the origin it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct DialogView {
    /// Its id (echoed in the reply).
    pub id: DialogId,
    /// The origin that opened it, shown so users know who is asking.
    pub origin: String,
    /// What it asks.
    pub kind: DialogKind,
}

/// The page's context menu, from what CEF reports at the click.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContextMenuView {
    /// Where it was opened, in points relative to the pane's top-left corner.
    pub position: Pos2,
    /// The link under the click.
    pub link_url: Option<String>,
    /// The image under the click.
    pub image_url: Option<String>,
    /// The selected text.
    pub selection: Option<String>,
    /// Whether the click was in an editable field.
    pub editable: bool,
    /// History back is possible.
    pub can_go_back: bool,
    /// History forward is possible.
    pub can_go_forward: bool,
}
