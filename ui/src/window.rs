//! One browser window's whole UI, laid out the standard way: tab strip, toolbar,
//! bookmarks bar, AI sidebar, the page (or an internal page) and the overlays (find bar,
//! status line, context menu, dialogs). The shell calls [`WindowUi::show`] once per frame
//! per window and applies the returned intents; it passes every intent back through
//! [`WindowUi::apply`] (and [`crate::UiState::apply`]) for the UI-local ones.

use crate::chrome::{
    BOOKMARKS_BAR_HEIGHT, Dialogs, FindBar, TAB_STRIP_HEIGHT, TOOLBAR_HEIGHT, TabStrip, Toolbar,
    ToolbarView, bookmarks_bar, context_menu, crash_pane, status_line,
};
use crate::intent::Intent;
use crate::library::{BookmarksManager, HistoryPanel};
use crate::model::{
    BookmarkNode, BookmarksView, ContextMenuView, DialogView, DownloadView, HistoryView, PageView,
    PaneView, SearchEngine, SettingsView, Suggestion, TabId, TabView,
};
use crate::pane::{BrowserPane, PaneOutput};
use crate::settings::SettingsPanel;
use crate::shortcuts::{ShortcutContext, take_shortcuts};
use crate::sidebar::{AiSidebar, SidebarView};
use crate::state::UiState;
use crate::theme::Palette;
use egui::{CentralPanel, Frame, Margin, Panel, Ui};

/// What fills the area under the toolbar.
#[derive(Clone, Copy, Debug)]
pub enum Content<'a> {
    /// A web page (CEF's texture).
    Page(PaneView),
    /// The page's renderer crashed: the reason.
    Crashed(&'a str),
    /// nexus://settings.
    Settings(SettingsView<'a>),
    /// nexus://bookmarks.
    Bookmarks(BookmarksView<'a>),
    /// nexus://history.
    History(HistoryView<'a>),
}

/// Everything one window shows this frame.
#[derive(Clone, Copy, Debug)]
pub struct WindowView<'a> {
    /// The tabs, in strip order.
    pub tabs: &'a [TabView],
    /// The active tab.
    pub active: Option<TabId>,
    /// The active tab's page state.
    pub page: &'a PageView,
    /// What fills the area under the toolbar.
    pub content: Content<'a>,
    /// Omnibox suggestions for the text being typed.
    pub suggestions: &'a [Suggestion],
    /// The search engine.
    pub search: &'a SearchEngine,
    /// The "Bookmarks bar" folder's items.
    pub bookmarks_bar: &'a [BookmarkNode],
    /// Downloads.
    pub downloads: &'a [DownloadView],
    /// A dialog to show over the window.
    pub dialog: Option<&'a DialogView>,
    /// The page's open context menu.
    pub context_menu: Option<&'a ContextMenuView>,
    /// The AI sidebar's data for the active tab (shown when `UiState::sidebar_open`).
    pub sidebar: Option<SidebarView<'a>>,
}

/// What one window's UI produced this frame.
#[derive(Debug)]
pub struct WindowOutput {
    /// What the user asked for, in order (shortcuts first).
    pub intents: Vec<Intent>,
    /// The pane's size, scale and input, when a web page is shown.
    pub pane: Option<PaneOutput>,
}

/// One window's UI state (not persisted: drafts, drags, focus, open bars).
#[derive(Debug, Default)]
pub struct WindowUi {
    /// The tab strip.
    pub tab_strip: TabStrip,
    /// The toolbar and omnibox.
    pub toolbar: Toolbar,
    /// The find bar.
    pub find_bar: FindBar,
    /// The browser pane.
    pub pane: BrowserPane,
    /// The AI sidebar.
    pub sidebar: AiSidebar,
    /// The settings page.
    pub settings: SettingsPanel,
    /// The bookmarks manager.
    pub bookmarks: BookmarksManager,
    /// The history page.
    pub history: HistoryPanel,
    /// Dialog state.
    pub dialogs: Dialogs,
    shown_tab: Option<TabId>,
}

impl WindowUi {
    /// Draw the window into `ui` (eframe's root `Ui`); returns the intents and the pane's
    /// report. Takes the browser shortcuts out of the input first.
    pub fn show(&mut self, ui: &mut Ui, view: &WindowView<'_>, state: &UiState) -> WindowOutput {
        let context = ShortcutContext {
            find_open: self.find_bar.is_open(),
            loading: view.page.loading,
            text_field_focused: false,
            overlay_open: view.dialog.is_some() || view.context_menu.is_some(),
        };
        let mut intents = take_shortcuts(ui.ctx(), context);
        if view.active != self.shown_tab {
            self.shown_tab = view.active;
            self.pane.reset();
        }
        let p = Palette::of(ui);
        Panel::top("nexus-tab-strip")
            .exact_size(TAB_STRIP_HEIGHT)
            .frame(Frame::NONE)
            .show_separator_line(false)
            .show(ui, |ui| {
                intents.extend(self.tab_strip.show(ui, view.tabs, view.active))
            });
        Panel::top("nexus-toolbar")
            .exact_size(TOOLBAR_HEIGHT)
            .frame(Frame::NONE)
            .show_separator_line(false)
            .show(ui, |ui| {
                let toolbar = ToolbarView {
                    page: view.page,
                    suggestions: view.suggestions,
                    search: view.search,
                    downloads: view.downloads,
                    sidebar_open: state.sidebar_open,
                    bookmarks_bar_visible: state.bookmarks_bar_visible,
                };
                intents.extend(self.toolbar.show(ui, &toolbar));
            });
        if state.bookmarks_bar_visible {
            Panel::top("nexus-bookmarks-bar")
                .exact_size(BOOKMARKS_BAR_HEIGHT)
                .frame(Frame::NONE)
                .show_separator_line(false)
                .show(ui, |ui| {
                    intents.extend(bookmarks_bar(ui, view.bookmarks_bar))
                });
        }
        if let Some(sidebar) = &view.sidebar {
            intents.extend(self.sidebar.show_panel(ui, state, sidebar));
        }

        let mut pane = None;
        let internal = Frame::new()
            .fill(p.toolbar)
            .inner_margin(Margin::symmetric(28, 18));
        match view.content {
            Content::Page(pane_view) => {
                CentralPanel::no_frame().show(ui, |ui| {
                    let output = self.pane.show(ui, &pane_view);
                    intents.extend(output.intents.iter().cloned());
                    pane = Some(output);
                });
            }
            Content::Crashed(reason) => {
                CentralPanel::no_frame().show(ui, |ui| intents.extend(crash_pane(ui, reason)));
            }
            Content::Settings(settings) => {
                CentralPanel::no_frame()
                    .show(ui, |ui| intents.extend(self.settings.show(ui, &settings)));
            }
            Content::Bookmarks(bookmarks) => {
                CentralPanel::default()
                    .frame(internal)
                    .show(ui, |ui| intents.extend(self.bookmarks.show(ui, &bookmarks)));
            }
            Content::History(history) => {
                CentralPanel::default()
                    .frame(internal)
                    .show(ui, |ui| intents.extend(self.history.show(ui, &history)));
            }
        }

        if let Some(output) = &pane {
            intents.extend(self.find_bar.show(ui, output.rect, view.page.find));
            status_line(ui, output.rect, view.page.hovered_link.as_deref());
            if let Some(menu) = view.context_menu {
                intents.extend(context_menu(ui, output.rect, menu, view.search));
            }
        }
        if let Some(dialog) = view.dialog {
            if ui.memory(|m| m.has_focus(BrowserPane::id())) {
                ui.memory_mut(|m| m.surrender_focus(BrowserPane::id()));
            }
            intents.extend(self.dialogs.show(ui.ctx(), dialog));
        }
        WindowOutput { intents, pane }
    }

    /// Apply the UI-local part of an intent (the shell passes every intent here).
    pub fn apply(&mut self, intent: &Intent) {
        match intent {
            Intent::FocusOmnibox => self.toolbar.omnibox.focus(),
            Intent::OpenFind => self.find_bar.open(),
            Intent::FindInPage(text) => self.find_bar.open_with(text),
            Intent::CloseFind => {
                self.find_bar.close();
                self.pane.focus();
            }
            Intent::OpenDownloads => self.toolbar.open_downloads(),
            Intent::Navigate { .. }
            | Intent::JumpToText { .. }
            | Intent::DialogReply { .. }
            | Intent::PermissionReply { .. }
            | Intent::DismissContextMenu => self.pane.focus(),
            Intent::CloseTab(tab) => self.sidebar.forget(*tab),
            _ => {}
        }
    }
}
