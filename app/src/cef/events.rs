//! What the CEF side tells its owner (the shell, or a headless run), as plain data.
//!
//! Callbacks never act on shell state: they send a [`BrowserEvent`] tagged with the tab it
//! belongs to and wake the owner. Events that need an answer (dialogs, context menus,
//! downloads) carry a reply object that the owner calls once it has decided.

use super::compat::life_span::OpenDisposition;
use super::compat::render::PixelRect;
use super::net_error::LoadError;
use cef::{
    ImplBeforeDownloadCallback, ImplDownloadItemCallback, ImplJsdialogCallback,
    ImplRunContextMenuCallback,
};

/// Identifies a tab (one CEF browser) in this process.
pub type TabId = u64;

/// Something happened in a tab's browser.
#[derive(Debug)]
pub enum BrowserEvent {
    /// CEF created the browser: the handle controls it from now on.
    Created(super::browser::BrowserHandle),
    /// The main frame's URL changed.
    AddressChanged(String),
    /// The document title changed.
    TitleChanged(String),
    /// The page's favicon URLs changed.
    FaviconUrls(Vec<String>),
    /// A favicon finished downloading (PNG bytes).
    Favicon(Vec<u8>),
    /// Loading started or stopped; history navigation availability.
    LoadingState {
        /// Whether the page is loading.
        loading: bool,
        /// Whether "back" is possible.
        can_go_back: bool,
        /// Whether "forward" is possible.
        can_go_forward: bool,
    },
    /// Load progress, 0..1.
    LoadProgress(f32),
    /// The main frame finished loading.
    LoadFinished {
        /// The URL that loaded.
        url: String,
        /// HTTP status (0 for non-HTTP).
        http_status: i32,
    },
    /// The main frame failed to load.
    LoadFailed {
        /// The URL that failed.
        url: String,
        /// Why.
        error: LoadError,
    },
    /// Text for the status line (the hovered link's URL), "" to hide it.
    StatusText(String),
    /// Tooltip text, "" to hide it.
    Tooltip(String),
    /// The page wants this pointer cursor.
    Cursor(Cursor),
    /// A console message from the page.
    Console {
        /// The message.
        message: String,
        /// The script URL.
        source: String,
        /// The line.
        line: i32,
    },
    /// The page asked to open a URL elsewhere (`target=_blank`, `window.open`).
    OpenUrl {
        /// Where.
        url: String,
        /// How.
        disposition: OpenDisposition,
        /// Whether a user gesture caused it.
        user_gesture: bool,
    },
    /// `alert`, `confirm` or `prompt`.
    JsDialog(JsDialog),
    /// The page asks whether to leave (beforeunload).
    BeforeUnload(BeforeUnload),
    /// The user right-clicked in the page.
    ContextMenu(ContextMenu),
    /// Find-in-page progress.
    FindResult {
        /// Matches found so far.
        matches: i32,
        /// The highlighted match, from 1.
        active: i32,
        /// Whether the search is complete.
        done: bool,
    },
    /// A download started or progressed.
    Download(DownloadUpdate),
    /// The renderer process of this tab died.
    RendererGone {
        /// Why, in words.
        reason: String,
    },
    /// A certificate error stopped a load.
    CertificateError {
        /// The URL.
        url: String,
        /// The error.
        error: LoadError,
    },
    /// A popup widget (e.g. an open `<select>`) appeared or disappeared.
    PopupVisible(bool),
    /// The popup widget's rectangle in view pixels.
    PopupRect(PixelRect),
    /// The page entered or left fullscreen.
    Fullscreen(bool),
    /// A renderer sent a message (a nexus-ipc envelope in a CEF process message).
    RendererMessage(RendererMessage),
    /// The browser is gone (after a close).
    Closed,
}

/// A message from one of the tab's renderer processes, attributed by the browser process:
/// the frame it arrived on and the URL the browser process knows that frame has, never
/// anything the message claims.
#[derive(Debug, Clone)]
pub struct RendererMessage {
    /// CEF's id of the frame.
    pub frame_id: String,
    /// The frame's committed URL as the browser process knows it.
    pub frame_url: String,
    /// Whether it is the main frame.
    pub main_frame: bool,
    /// The process message's name.
    pub name: String,
    /// The encoded envelope, if the message carried a binary argument.
    pub payload: Option<Vec<u8>>,
}

/// Pointer cursors a page can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Cursor {
    /// The arrow.
    #[default]
    Default,
    /// A hand (links).
    Hand,
    /// A text caret.
    Text,
    /// Busy.
    Wait,
    /// Help.
    Help,
    /// Crosshair.
    Crosshair,
    /// Resize left-right.
    ResizeHorizontal,
    /// Resize up-down.
    ResizeVertical,
    /// Move.
    Move,
    /// Not allowed.
    NotAllowed,
    /// Grab.
    Grab,
    /// Grabbing.
    Grabbing,
    /// No cursor.
    None,
}

/// Kinds of JavaScript dialogs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsDialogKind {
    /// `alert()`.
    Alert,
    /// `confirm()`.
    Confirm,
    /// `prompt()`.
    Prompt,
}

/// A JavaScript dialog waiting for the user.
#[derive(Debug)]
pub struct JsDialog {
    /// Which dialog.
    pub kind: JsDialogKind,
    /// The page's origin (shown so users know who asks).
    pub origin: String,
    /// The message.
    pub message: String,
    /// The prompt's default text.
    pub default_text: String,
    /// How to answer.
    pub reply: DialogReply,
}

/// A beforeunload question waiting for the user.
#[derive(Debug)]
pub struct BeforeUnload {
    /// Whether the page is reloading (else navigating away or closing).
    pub is_reload: bool,
    /// How to answer.
    pub reply: DialogReply,
}

/// The answer channel of a dialog. Dropping it unanswered cancels the dialog.
pub struct DialogReply(pub(super) Option<cef::JsdialogCallback>);

impl DialogReply {
    /// Answer: `ok` for OK/Leave, with the prompt's text.
    pub fn answer(mut self, ok: bool, text: &str) {
        if let Some(cb) = self.0.take() {
            cb.cont(ok as i32, Some(&super::compat::strings::cef_string(text)));
        }
    }
}

impl Drop for DialogReply {
    fn drop(&mut self) {
        if let Some(cb) = self.0.take() {
            cb.cont(0, None);
        }
    }
}

impl std::fmt::Debug for DialogReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DialogReply")
    }
}

/// What was under the pointer when the user right-clicked.
#[derive(Debug)]
pub struct ContextMenu {
    /// Position in the view, in DIP.
    pub x: i32,
    /// Position in the view, in DIP.
    pub y: i32,
    /// The link's URL, if on a link.
    pub link_url: Option<String>,
    /// The image's URL, if on an image.
    pub image_url: Option<String>,
    /// Selected text, if any.
    pub selection: Option<String>,
    /// Whether the target is an editable field.
    pub editable: bool,
    /// Closes CEF's side of the menu; dropped when the shell's menu closes.
    pub dismiss: MenuDismiss,
}

/// Closes CEF's side of a context menu when dropped.
pub struct MenuDismiss(pub(super) Option<cef::RunContextMenuCallback>);

impl Drop for MenuDismiss {
    fn drop(&mut self) {
        if let Some(cb) = self.0.take() {
            cb.cancel();
        }
    }
}

impl std::fmt::Debug for MenuDismiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MenuDismiss")
    }
}

/// A download's state.
#[derive(Debug)]
pub struct DownloadUpdate {
    /// CEF's id for the download.
    pub id: u32,
    /// The URL.
    pub url: String,
    /// Where it is saved.
    pub path: String,
    /// Bytes received.
    pub received: i64,
    /// Total bytes, if known.
    pub total: Option<i64>,
    /// Bytes per second.
    pub speed: i64,
    /// Finished successfully.
    pub complete: bool,
    /// Cancelled or interrupted.
    pub failed: bool,
    /// Cancels the download when used.
    pub control: Option<DownloadControl>,
}

/// Cancels a running download.
pub struct DownloadControl(pub(super) cef::DownloadItemCallback);

impl DownloadControl {
    /// Cancel the download.
    pub fn cancel(&self) {
        self.0.cancel();
    }
}

impl std::fmt::Debug for DownloadControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DownloadControl")
    }
}

/// Where a new download should be saved; answered by the client right away.
pub(super) fn start_download(cb: &cef::BeforeDownloadCallback, path: &std::path::Path) {
    cb.cont(
        Some(&super::compat::strings::cef_string(&path.to_string_lossy())),
        0,
    );
}
