//! User intents -> shell state. The one place that acts on what the user asked for.

use super::state::{Placement, Shell};
use super::window::WindowId;
use crate::cef::browser::EditCommand;
use nexus_ui::{Disposition, DownloadIntent, Intent};

impl Shell {
    /// Apply an intent from `window`'s UI.
    pub fn apply(&mut self, ctx: &egui::Context, window: WindowId, intent: Intent) {
        if self.ui_state.apply(&intent) {
            self.ui_state_changed = true;
        }
        if let Some(w) = self.window_mut(window) {
            w.ui.apply(&intent);
        }
        let active = self.window(window).and_then(|w| w.active);
        let handle = active
            .and_then(|t| self.tabs.get(&t))
            .and_then(|t| t.handle.clone());
        match intent {
            Intent::NewWindow => {
                self.open_window(&[]);
            }
            Intent::Quit => self.quit = true,
            Intent::NewTab => {
                let url = self.settings.new_tab_page.clone();
                self.open_tab(window, &url, Placement::Foreground);
                if let Some(w) = self.window_mut(window) {
                    w.ui.apply(&Intent::FocusOmnibox);
                }
            }
            Intent::CloseTab(tab) => self.close_tab(tab),
            Intent::CloseActiveTab => {
                if let Some(tab) = active {
                    self.close_tab(tab);
                }
            }
            Intent::ActivateTab(tab) => self.activate(window, Some(tab)),
            Intent::ActivateNextTab => {
                let next = self.window(window).and_then(|w| w.neighbour(1));
                self.activate(window, next);
            }
            Intent::ActivatePreviousTab => {
                let prev = self.window(window).and_then(|w| w.neighbour(-1));
                self.activate(window, prev);
            }
            Intent::ActivateTabAt(i) => {
                let tab = self.window(window).and_then(|w| w.tabs.get(i).copied());
                self.activate(window, tab);
            }
            Intent::ActivateLastTab => {
                let tab = self.window(window).and_then(|w| w.tabs.last().copied());
                self.activate(window, tab);
            }
            Intent::MoveTab { tab, to } => {
                if let Some(w) = self.window_mut(window) {
                    w.move_tab(tab, to);
                }
            }
            Intent::ReopenClosedTab => {
                if let Some(closed) = self.window_mut(window).and_then(|w| w.closed.pop()) {
                    self.open_tab(window, &closed.url, Placement::At(closed.index));
                }
            }
            Intent::Back => handle.iter().for_each(|h| h.go_back()),
            Intent::Forward => handle.iter().for_each(|h| h.go_forward()),
            Intent::Reload { bypass_cache } => {
                if let Some(tab) = active {
                    self.transitions
                        .insert(tab, crate::profile::Transition::Reload);
                }
                self.reload(active, bypass_cache)
            }
            Intent::Stop => handle.iter().for_each(|h| h.stop()),
            Intent::Home => {
                let home = self.settings.home_page.clone();
                self.navigate(window, &home, Disposition::CurrentTab);
            }
            Intent::Navigate { url, disposition } => {
                if let (Disposition::CurrentTab, Some(tab)) = (disposition, active) {
                    self.transitions
                        .insert(tab, crate::profile::Transition::Typed);
                }
                self.navigate(window, &url, disposition);
            }
            Intent::OmniboxQueryChanged(text) => self.autocomplete(text),
            Intent::ZoomIn | Intent::ZoomOut | Intent::ZoomReset => self.zoom(active, &intent),
            Intent::Find {
                query,
                forward,
                find_next,
            } => {
                if let Some(h) = &handle {
                    if query.is_empty() {
                        h.stop_finding(true);
                    } else {
                        h.find(&query, forward, find_next);
                    }
                }
            }
            Intent::CloseFind => {
                if let Some(h) = &handle {
                    h.stop_finding(true);
                }
                if let Some(tab) = active.and_then(|t| self.tabs.get_mut(&t)) {
                    tab.find = Default::default();
                }
            }
            Intent::Copy => handle.iter().for_each(|h| h.edit(EditCommand::Copy)),
            Intent::Cut => handle.iter().for_each(|h| h.edit(EditCommand::Cut)),
            Intent::Paste => handle.iter().for_each(|h| h.edit(EditCommand::Paste)),
            Intent::SelectAll => handle.iter().for_each(|h| h.edit(EditCommand::SelectAll)),
            Intent::CopyToClipboard(text) => ctx.copy_text(text),
            Intent::SaveAs { url } => handle.iter().for_each(|h| h.download(&url)),
            Intent::DismissContextMenu => {
                if let Some(tab) = active.and_then(|t| self.tabs.get_mut(&t)) {
                    tab.context_menu = None;
                }
            }
            Intent::OpenBookmarksManager => self.open_internal(window, "nexus://bookmarks"),
            Intent::OpenHistory => self.open_internal(window, "nexus://history"),
            Intent::OpenSettings => self.open_internal(window, "nexus://settings"),
            Intent::DialogReply { id, accept, text } => self.answer_dialog(id, accept, text),
            Intent::Download(d) => self.apply_download(window, d),
            other => self.apply_profile_intent(ctx, window, other),
        }
        // Any choice closes the page's context menu.
        if let Some(tab) = active.and_then(|t| self.tabs.get_mut(&t)) {
            tab.context_menu = None;
        }
    }

    /// Ask the profile for suggestions for what is typed in the omnibox.
    fn autocomplete(&mut self, text: String) {
        self.omnibox_query = text.clone();
        if text.trim().is_empty() {
            self.library.suggestions.clear();
            return;
        }
        if let Some(profile) = &self.profile {
            profile.run(move |store| {
                super::profile_link::or_problem(store.autocomplete(&text, 8), |items| {
                    vec![super::profile_link::ProfileUpdate::Suggestions { query: text, items }]
                })
            });
        }
    }

    fn activate(&mut self, window: WindowId, tab: Option<nexus_ui::model::TabId>) {
        if let (Some(tab), Some(w)) = (tab, self.window_mut(window))
            && w.tabs.contains(&tab)
        {
            w.active = Some(tab);
        }
    }

    fn reload(&mut self, tab: Option<nexus_ui::model::TabId>, bypass_cache: bool) {
        let Some(tab) = tab.and_then(|t| self.tabs.get_mut(&t)) else {
            return;
        };
        let Some(handle) = &tab.handle else { return };
        if let Some(failed) = tab.failed_url.clone() {
            handle.load(&failed);
        } else if tab.crashed.take().is_some() {
            handle.load(&tab.url.clone());
        } else {
            handle.reload(bypass_cache);
        }
    }

    /// Open `url` where asked; internal pages are drawn by the shell.
    pub fn navigate(&mut self, window: WindowId, url: &str, disposition: Disposition) {
        match disposition {
            Disposition::NewForegroundTab => {
                self.open_tab(window, url, Placement::Foreground);
            }
            Disposition::NewBackgroundTab => {
                self.open_tab(window, url, Placement::Background);
            }
            Disposition::NewWindow => {
                self.open_window(&[url.to_string()]);
            }
            Disposition::CurrentTab => {
                let Some(active) = self.window(window).and_then(|w| w.active) else {
                    self.open_tab(window, url, Placement::Foreground);
                    return;
                };
                let internal = super::tab::InternalPage::from_url(url);
                let has_browser = self
                    .tabs
                    .get(&active)
                    .is_some_and(|t| t.handle.is_some() || t.internal.is_none());
                if internal.is_some() || !has_browser {
                    // Swap the tab for one of the right kind, in place.
                    let index = self.window(window).and_then(|w| w.active_index());
                    self.open_tab(window, url, Placement::At(index.map_or(0, |i| i + 1)));
                    self.close_tab(active);
                    return;
                }
                if let Some(tab) = self.tabs.get_mut(&active) {
                    tab.failed_url = None;
                    tab.crashed = None;
                    match &tab.handle {
                        Some(h) => h.load(url),
                        None => tab.pending_url = Some(url.to_string()),
                    }
                }
            }
        }
    }

    fn open_internal(&mut self, window: WindowId, url: &str) {
        let existing = self.window(window).and_then(|w| {
            w.tabs
                .iter()
                .find(|t| self.tabs.get(t).is_some_and(|tab| tab.url == url))
                .copied()
        });
        match existing {
            Some(tab) => self.activate(window, Some(tab)),
            None => {
                self.open_tab(window, url, Placement::Foreground);
            }
        }
    }

    fn zoom(&mut self, tab: Option<nexus_ui::model::TabId>, intent: &Intent) {
        let Some(tab) = tab.and_then(|t| self.tabs.get_mut(&t)) else {
            return;
        };
        let Some(handle) = &tab.handle else { return };
        // Chrome's steps: 25% .. 500%, as CEF levels (1.2^level).
        const STEPS: [f64; 15] = [
            0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 3.0, 5.0,
        ];
        let current = 1.2f64.powf(tab.zoom_level);
        let factor = match intent {
            Intent::ZoomIn => STEPS
                .iter()
                .copied()
                .find(|s| *s > current + 0.01)
                .unwrap_or(5.0),
            Intent::ZoomOut => STEPS
                .iter()
                .rev()
                .copied()
                .find(|s| *s < current - 0.01)
                .unwrap_or(0.25),
            _ => 1.0,
        };
        tab.zoom_level = factor.ln() / 1.2f64.ln();
        handle.set_zoom_level(tab.zoom_level);
    }

    fn answer_dialog(&mut self, id: nexus_ui::model::DialogId, accept: bool, text: Option<String>) {
        for tab in self.tabs.values_mut() {
            if let Some(pos) = tab.dialogs.iter().position(|d| d.view.id == id) {
                if let Some(mut dialog) = tab.dialogs.remove(pos) {
                    let is_unload = matches!(
                        dialog.view.kind,
                        nexus_ui::model::DialogKind::BeforeUnload { .. }
                    );
                    if let Some(reply) = dialog.reply.take() {
                        reply.answer(accept, text.as_deref().unwrap_or(""));
                    }
                    if is_unload && accept {
                        tab.closing = true;
                    }
                }
                return;
            }
        }
    }

    fn apply_download(&mut self, window: WindowId, intent: DownloadIntent) {
        match intent {
            DownloadIntent::Open(id) => {
                if let Some(d) = self.downloads.get(id) {
                    crate::platform::open_path(&d.path);
                }
            }
            DownloadIntent::ShowInFolder(id) => {
                if let Some(dir) = self
                    .downloads
                    .get(id)
                    .and_then(|d| d.path.parent().map(|p| p.to_path_buf()))
                {
                    crate::platform::open_path(&dir);
                }
            }
            DownloadIntent::Cancel(id) => self.downloads.cancel(id),
            DownloadIntent::Retry(id) => {
                let url = self.downloads.get(id).map(|d| d.view.url.clone());
                let handle = self.active_tab(window).and_then(|t| t.handle.clone());
                if let (Some(url), Some(handle)) = (url, handle) {
                    handle.download(&url);
                }
            }
            DownloadIntent::OpenFolder => crate::platform::open_path(&self.settings.downloads_dir),
            DownloadIntent::ClearFinished => self.downloads.clear_finished(),
        }
    }
}
