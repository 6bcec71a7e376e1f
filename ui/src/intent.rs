//! Intents: what the user asked for, returned by every panel instead of mutating state.
//!
//! Panels never reach into the shell. They draw view-model data and return [`Intent`]s;
//! the shell applies them in one place (its intent loop). A few intents are UI-local
//! (focus the omnibox, open the find bar, toggle the sidebar): the shell passes every
//! intent to [`crate::UiState::apply`] and [`crate::WindowUi::apply`] as well, which
//! handle those and ignore the rest.
//!
//! Intents that belong to one panel are grouped in a nested enum ([`AiIntent`],
//! [`SettingsIntent`], [`BookmarkIntent`], [`HistoryIntent`], [`DownloadIntent`]) so the
//! shell can route a whole group to the component that owns it.

use crate::model::{
    BookmarkId, DialogId, DownloadId, HistoryId, PermissionKind, SettingChange, TabId, TimeRange,
};
use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::RemoteEndpoint;

/// Where a URL should open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// Replace the active tab's page.
    CurrentTab,
    /// A new tab that becomes active.
    NewForegroundTab,
    /// A new tab behind the active one (middle click, Ctrl+click).
    NewBackgroundTab,
    /// A new window.
    NewWindow,
}

/// Something the user asked for. The shell applies it; panels never mutate shell state.
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    // --- windows and the app ---
    /// Open a new browser window (Ctrl+N).
    NewWindow,
    /// Quit Nexus (menu "Quit").
    Quit,

    // --- tabs ---
    /// Open a new tab with the new-tab page (Ctrl+T, "+").
    NewTab,
    /// Close this tab (close button, middle click).
    CloseTab(TabId),
    /// Close the active tab (Ctrl+W).
    CloseActiveTab,
    /// Make this tab the active one.
    ActivateTab(TabId),
    /// Activate the tab right of the active one, wrapping (Ctrl+Tab).
    ActivateNextTab,
    /// Activate the tab left of the active one, wrapping (Ctrl+Shift+Tab).
    ActivatePreviousTab,
    /// Activate the tab at this 0-based index, if there is one (Ctrl+1..8).
    ActivateTabAt(usize),
    /// Activate the last tab (Ctrl+9).
    ActivateLastTab,
    /// Move a tab to this 0-based index in the strip (drag to reorder).
    MoveTab {
        /// The dragged tab.
        tab: TabId,
        /// Its new index.
        to: usize,
    },
    /// Reopen the most recently closed tab (Ctrl+Shift+T).
    ReopenClosedTab,

    // --- navigation of the active tab ---
    /// History back (button, Alt+Left).
    Back,
    /// History forward (button, Alt+Right).
    Forward,
    /// Reload; `bypass_cache` for Ctrl+Shift+R / Shift+F5.
    Reload {
        /// Ignore cached resources.
        bypass_cache: bool,
    },
    /// Stop loading (stop button, Escape while loading).
    Stop,
    /// Go to the home page.
    Home,
    /// Open a URL (already resolved: the omnibox turns queries into search URLs).
    Navigate {
        /// The URL to load.
        url: String,
        /// Where.
        disposition: Disposition,
    },
    /// The omnibox text changed while editing: refresh the suggestions view-model.
    OmniboxQueryChanged(String),
    /// Focus the omnibox and select its text (Ctrl+L). UI-local.
    FocusOmnibox,

    // --- the page ---
    /// Zoom in one step (Ctrl+Plus, Ctrl+wheel up).
    ZoomIn,
    /// Zoom out one step (Ctrl+Minus, Ctrl+wheel down).
    ZoomOut,
    /// Back to the default zoom (Ctrl+0).
    ZoomReset,
    /// Open the find bar and focus it (Ctrl+F). UI-local.
    OpenFind,
    /// Open the find bar with this text and search for it (entity chip in the sidebar).
    /// UI-local: the find bar then emits [`Intent::Find`] on the next frame.
    FindInPage(String),
    /// Search the page (CEF find): a new query or the next/previous match.
    Find {
        /// The text to find.
        query: String,
        /// Search forward (next) or backward (previous).
        forward: bool,
        /// Whether this continues the current search (next/previous) or starts a new one.
        find_next: bool,
    },
    /// Close the find bar and clear the highlights (Escape, close button).
    CloseFind,
    /// Scroll the page to this passage of its readable text and highlight it (summary
    /// bullet, cited passage). `span` indexes the text that was analysed.
    JumpToText {
        /// Byte range in the analysed text.
        span: Span,
        /// The passage itself, for finding it in the page.
        text: String,
    },
    /// Page edit command: copy the selection.
    Copy,
    /// Page edit command: cut the selection.
    Cut,
    /// Page edit command: paste the clipboard.
    Paste,
    /// Page edit command: select all.
    SelectAll,
    /// Put this text on the clipboard (copy link address, copy conversation).
    CopyToClipboard(String),
    /// Download this URL, asking where to save it (save link / image as).
    SaveAs {
        /// The link or image URL.
        url: String,
    },
    /// The in-egui context menu closed without a choice (click outside, Escape).
    DismissContextMenu,

    // --- panels and pages ---
    /// Bookmark the active page, or remove its bookmark (star, Ctrl+D).
    ToggleBookmark,
    /// Show or hide the bookmarks bar. UI-local.
    ToggleBookmarksBar,
    /// Show or hide the AI sidebar (button, Ctrl+Shift+A). UI-local.
    ToggleAiSidebar,
    /// The user resized the AI sidebar to this width in points. UI-local.
    SetSidebarWidth(f32),
    /// Open the bookmarks manager (Ctrl+Shift+O).
    OpenBookmarksManager,
    /// Open the history page (Ctrl+H).
    OpenHistory,
    /// Open the downloads list (Ctrl+J).
    OpenDownloads,
    /// Open the settings page.
    OpenSettings,

    // --- dialogs ---
    /// The user answered a JavaScript dialog or a beforeunload prompt.
    DialogReply {
        /// Which dialog.
        id: DialogId,
        /// OK / Leave (true) or Cancel / Stay (false).
        accept: bool,
        /// The text of a prompt() dialog.
        text: Option<String>,
    },
    /// The user answered a permission prompt.
    PermissionReply {
        /// Which prompt.
        id: DialogId,
        /// The origin that asked.
        origin: String,
        /// What it asked for.
        permission: PermissionKind,
        /// Allow (true) or Block (false).
        allow: bool,
    },

    // --- grouped by panel ---
    /// From the AI sidebar.
    Ai(AiIntent),
    /// From the settings page.
    Settings(SettingsIntent),
    /// From the bookmarks bar or manager.
    Bookmark(BookmarkIntent),
    /// From the history page.
    History(HistoryIntent),
    /// From the downloads list.
    Download(DownloadIntent),
}

/// What the AI sidebar asks for. Each applies to the tab named in it.
#[derive(Clone, Debug, PartialEq)]
pub enum AiIntent {
    /// Analyse the tab's page ("Analyze page").
    Analyze(TabId),
    /// Stop a running analysis.
    CancelAnalysis(TabId),
    /// Ask a question about the tab's page.
    Ask {
        /// The tab.
        tab: TabId,
        /// The question.
        question: String,
    },
    /// Stop the answer that is streaming.
    CancelAnswer(TabId),
    /// Forget the tab's conversation.
    ClearConversation(TabId),
    /// Restart the AI worker (after "unavailable").
    RetryWorker,
    /// Turn automatic analysis of every page on or off.
    SetAutoAnalyze(bool),
    /// Add a site to (true) or remove it from (false) the never-analyze list.
    SetNeverAnalyze {
        /// The site's host.
        site: String,
        /// Never analyse it.
        never: bool,
    },
}

/// What the settings page asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum SettingsIntent {
    /// Store a validated setting.
    Set(SettingChange),
    /// Delete browsing data of these kinds from this time range.
    ClearBrowsingData {
        /// Which kinds.
        kinds: crate::model::DataKinds,
        /// How far back.
        range: TimeRange,
    },
    /// Revoke a site's permission (it will be asked again).
    RevokePermission {
        /// The site.
        origin: String,
        /// The permission.
        permission: PermissionKind,
    },
    /// Try the endpoint with a tiny request and report back in the view-model.
    TestConnection(RemoteEndpoint),
    /// Set or change the sync passphrase.
    SetSyncPassphrase(String),
    /// Sync now.
    SyncNow,
}

/// What the bookmarks bar and manager ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum BookmarkIntent {
    /// Open a bookmark.
    Open {
        /// Its URL.
        url: String,
        /// Where.
        disposition: Disposition,
    },
    /// Change a bookmark's title and URL (folders: `url` is `None`).
    Update {
        /// The bookmark.
        id: BookmarkId,
        /// New title.
        title: String,
        /// New URL (bookmarks only).
        url: Option<String>,
    },
    /// Delete a bookmark or a folder with its contents.
    Delete(BookmarkId),
    /// Move a bookmark or folder into `parent` at `index`.
    Move {
        /// What moves.
        id: BookmarkId,
        /// The new parent folder.
        parent: BookmarkId,
        /// Index among the parent's children.
        index: usize,
    },
    /// Create a folder.
    NewFolder {
        /// Where.
        parent: BookmarkId,
        /// Its name.
        title: String,
    },
    /// Import bookmarks (the shell asks for a file or a browser profile).
    Import,
    /// Export bookmarks as Netscape HTML (the shell asks for a file).
    Export,
}

/// What the history page asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryIntent {
    /// Open an entry.
    Open {
        /// Its URL.
        url: String,
        /// Where.
        disposition: Disposition,
    },
    /// The search text changed: the shell may refresh the entries view-model.
    Search(String),
    /// Delete these entries.
    Delete(Vec<HistoryId>),
    /// Delete all history in this range.
    Clear(TimeRange),
}

/// What the downloads list asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum DownloadIntent {
    /// Open the downloaded file.
    Open(DownloadId),
    /// Show the file in its folder.
    ShowInFolder(DownloadId),
    /// Cancel a running download.
    Cancel(DownloadId),
    /// Try a failed or cancelled download again.
    Retry(DownloadId),
    /// Open the downloads folder.
    OpenFolder,
    /// Remove finished, failed and cancelled downloads from the list.
    ClearFinished,
}
