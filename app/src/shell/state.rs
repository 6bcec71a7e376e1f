//! The shell's state: every window and tab, and the one place that changes them.
//! Browser events (`events.rs`) and user intents (`intents.rs`) both end up here.

use super::tab::Tab;
use super::window::{Window, WindowId};
use crate::cef::browser;
use crate::cef::events::BrowserEvent;
use crate::cef::link::BrowserLink;
use crate::cef::paint::{FrameBuffer, Waker};
use nexus_ui::model::TabId;
use nexus_ui::state::UiState;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

/// Settings the shell reads (from the profile).
#[derive(Clone, Debug)]
pub struct ShellSettings {
    /// The home page.
    pub home_page: String,
    /// The new tab page.
    pub new_tab_page: String,
    /// The search URL template (`%s` = the query).
    pub search_template: String,
    /// Where downloads go.
    pub downloads_dir: PathBuf,
}

impl Default for ShellSettings {
    fn default() -> Self {
        ShellSettings {
            home_page: "nexus://newtab".into(),
            new_tab_page: "nexus://newtab".into(),
            search_template: "https://duckduckgo.com/?q=%s".into(),
            downloads_dir: crate::cef::downloads::default_dir(),
        }
    }
}

/// Where a new tab goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// After the active tab, and activated.
    Foreground,
    /// After the active tab, in the background.
    Background,
    /// At this index, activated (reopening a closed tab).
    At(usize),
}

/// Every window and tab.
pub struct Shell {
    /// Windows; the first is drawn in eframe's root viewport.
    pub windows: Vec<Window>,
    /// Tabs by id.
    pub tabs: HashMap<TabId, Tab>,
    /// Persisted UI state (sidebar, bookmarks bar, theme).
    pub ui_state: UiState,
    /// Settings.
    pub settings: ShellSettings,
    /// Set when the user asked to quit.
    pub quit: bool,
    /// Downloads of this session.
    pub downloads: super::downloads::Downloads,
    /// Set when `ui_state` changed and should be saved.
    pub ui_state_changed: bool,
    /// What is typed in the omnibox (for suggestions).
    pub omnibox_query: String,
    /// View-model caches of the profile.
    pub library: super::library::Library,
    /// The AI sidebar's data.
    pub ai: super::ai::AiState,
    /// The hub for renderer messages.
    pub hub: crate::hub::Hub,
    /// The profile thread (none if the profile could not be opened).
    pub profile: Option<super::profile_link::ProfileLink>,
    /// Bookmark GUIDs <-> UI ids.
    pub bookmark_ids: super::library::BookmarkIds,
    /// The stored settings, as last loaded.
    pub stored_settings: Option<crate::profile::Settings>,
    /// The sync passphrase, known for this session once the user gave it.
    pub sync_passphrase: Option<String>,
    /// How the next load of a tab was started (for history).
    pub transitions: HashMap<TabId, crate::profile::Transition>,
    /// The AI worker's client, started on first use.
    pub ai_client: Option<crate::ai_client::AiClient>,
    /// How to start the worker.
    pub worker_config: crate::ai_client::WorkerConfig,
    /// What each AI job is for.
    pub jobs: HashMap<crate::ai_client::JobId, super::ai_flow::JobPurpose>,
    pub(super) next_job: u64,
    /// Content requests sent to renderers: (tab, request id, why).
    pub content_requests: Vec<(TabId, u64, super::ai_flow::ContentPurpose)>,
    /// The last content each tab's page gave (cleared when it navigates).
    pub page_contents: HashMap<TabId, nexus_ipc::messages::page::PageContent>,
    /// Frame statistics (for measurements).
    pub frame_stats: super::measure::FrameStats,
    /// When the process started.
    pub started: std::time::Instant,
    /// A problem from start-up to show once a window exists.
    pub startup_problem: Option<String>,
    /// A fingerprint of the last saved session.
    pub(super) session_fingerprint: u64,
    next_tab: u64,
    next_window: u64,
    next_dialog: u64,
    events_tx: Sender<(u64, BrowserEvent)>,
    events_rx: Receiver<(u64, BrowserEvent)>,
    pub(super) waker: Waker,
}

impl Shell {
    /// An empty shell whose browsers wake the UI with `waker`.
    pub fn new(settings: ShellSettings, ui_state: UiState, waker: Waker) -> Shell {
        let (events_tx, events_rx) = std::sync::mpsc::channel();
        Shell {
            windows: Vec::new(),
            tabs: HashMap::new(),
            ui_state,
            settings,
            quit: false,
            downloads: Default::default(),
            ui_state_changed: false,
            omnibox_query: String::new(),
            library: Default::default(),
            ai: Default::default(),
            hub: crate::hub::Hub::new(crate::hub::Permissions::with_prompts()),
            profile: None,
            bookmark_ids: Default::default(),
            stored_settings: None,
            sync_passphrase: None,
            transitions: HashMap::new(),
            ai_client: None,
            worker_config: crate::ai_client::WorkerConfig::beside_executable(),
            jobs: HashMap::new(),
            next_job: 0,
            content_requests: Vec::new(),
            page_contents: HashMap::new(),
            session_fingerprint: 0,
            startup_problem: None,
            frame_stats: Default::default(),
            started: std::time::Instant::now(),
            next_tab: 1,
            next_window: 1,
            next_dialog: 1,
            events_tx,
            events_rx,
            waker,
        }
    }

    /// Open a window with these pages (the new tab page if none).
    pub fn open_window(&mut self, urls: &[String]) -> WindowId {
        let id = self.next_window;
        self.next_window += 1;
        let viewport = if self.windows.is_empty() {
            egui::ViewportId::ROOT
        } else {
            egui::ViewportId::from_hash_of(("nexus-window", id))
        };
        self.windows.push(Window::new(id, viewport));
        let new_tab = self.settings.new_tab_page.clone();
        let urls: Vec<String> = if urls.is_empty() {
            vec![new_tab]
        } else {
            urls.to_vec()
        };
        for (i, url) in urls.iter().enumerate() {
            let placement = if i == 0 {
                Placement::Foreground
            } else {
                Placement::Background
            };
            self.open_tab(id, url, placement);
        }
        id
    }

    /// Open `url` in a new tab of `window`.
    pub fn open_tab(&mut self, window: WindowId, url: &str, placement: Placement) -> Option<TabId> {
        let (w, h, scale) = self.window(window)?.pane;
        let id = TabId(self.next_tab);
        self.next_tab += 1;
        let frame = Arc::new(FrameBuffer::new(w, h, scale, self.waker.clone()));
        let mut tab = Tab::new(id, frame.clone(), url);
        if tab.internal.is_none() {
            let link = BrowserLink::new(
                id.0,
                frame,
                self.settings.downloads_dir.clone(),
                self.events_tx.clone(),
                self.waker.clone(),
            );
            if let Err(err) = browser::create(link, url, 60) {
                tab.crashed = Some(err);
            }
        }
        tab.hidden = placement == Placement::Background;
        self.tabs.insert(id, tab);
        let win = self.window_mut(window)?;
        match placement {
            Placement::At(i) => win.insert(id, Some(i)),
            _ => win.insert(id, None),
        }
        if placement != Placement::Background || win.active.is_none() {
            win.active = Some(id);
        }
        Some(id)
    }

    /// Ask the tab's browser to close (the page may ask to stay, through beforeunload);
    /// internal pages close at once.
    pub fn close_tab(&mut self, id: TabId) {
        let Some(tab) = self.tabs.get_mut(&id) else {
            return;
        };
        match &tab.handle {
            Some(handle) if !tab.closing => {
                tab.closing = true;
                handle.close(false);
            }
            Some(_) => {}
            None => self.forget_tab(id),
        }
    }

    /// The browser is gone: remove the tab, remember it, close an emptied window.
    pub fn forget_tab(&mut self, id: TabId) {
        self.hub.forget_tab(id, true);
        self.cancel_tab_jobs(id);
        self.ai.pages.remove(&id);
        self.page_contents.remove(&id);
        let Some(tab) = self.tabs.remove(&id) else {
            return;
        };
        let Some(w) = self.windows.iter().position(|w| w.tabs.contains(&id)) else {
            return;
        };
        let window = &mut self.windows[w];
        if let Some(index) = window.remove(id) {
            window.remember_closed(tab.display_url().to_string(), index);
        }
        window.ui.apply(&nexus_ui::Intent::CloseTab(id));
        if window.tabs.is_empty() {
            self.windows.remove(w);
            if self.windows.is_empty() {
                self.quit = true;
            } else if w == 0 {
                // The root viewport now shows the next window.
                self.windows[0].viewport = egui::ViewportId::ROOT;
            }
        }
    }

    /// A window by id.
    pub fn window(&self, id: WindowId) -> Option<&Window> {
        self.windows.iter().find(|w| w.id == id)
    }

    /// A window by id.
    pub fn window_mut(&mut self, id: WindowId) -> Option<&mut Window> {
        self.windows.iter_mut().find(|w| w.id == id)
    }

    /// The window a tab is in.
    pub fn window_of(&self, tab: TabId) -> Option<WindowId> {
        self.windows
            .iter()
            .find(|w| w.tabs.contains(&tab))
            .map(|w| w.id)
    }

    /// The active tab of a window.
    pub fn active_tab(&self, window: WindowId) -> Option<&Tab> {
        self.window(window)
            .and_then(|w| w.active)
            .and_then(|t| self.tabs.get(&t))
    }

    /// A fresh dialog id.
    pub fn next_dialog_id(&mut self) -> nexus_ui::model::DialogId {
        self.next_dialog += 1;
        nexus_ui::model::DialogId(self.next_dialog)
    }

    /// Browser events waiting to be handled.
    pub fn take_events(&self) -> Vec<(u64, BrowserEvent)> {
        self.events_rx.try_iter().collect()
    }

    /// Tell CEF which views are hidden (background tabs cost no painting).
    pub fn sync_visibility(&mut self) {
        let visible: Vec<TabId> = self.windows.iter().filter_map(|w| w.active).collect();
        for tab in self.tabs.values_mut() {
            let hidden = !visible.contains(&tab.id);
            if let Some(handle) = &tab.handle
                && hidden != tab.hidden
            {
                handle.set_hidden(hidden);
                tab.hidden = hidden;
            }
        }
    }

    /// Close every browser (at exit).
    pub fn close_all(&mut self) {
        for tab in self.tabs.values_mut() {
            if let Some(handle) = &tab.handle {
                handle.close(true);
                tab.closing = true;
            }
        }
    }

    /// Tabs whose browsers have not confirmed closing yet.
    pub fn open_browsers(&self) -> usize {
        self.tabs.values().filter(|t| t.handle.is_some()).count()
    }
}
