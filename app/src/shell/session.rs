//! Saving the windows and tabs as they change, and restoring them at start.

use super::state::{Placement, Shell};
use crate::profile::{SessionState, TabState, WindowState};
use std::hash::{Hash, Hasher};

impl Shell {
    /// The current windows and tabs.
    pub fn session_state(&self) -> SessionState {
        let windows = self
            .windows
            .iter()
            .map(|w| {
                let tabs: Vec<TabState> = w
                    .tabs
                    .iter()
                    .filter_map(|t| self.tabs.get(t))
                    .filter(|t| !t.display_url().is_empty())
                    .map(|t| TabState {
                        url: t.display_url().to_string(),
                        title: t.title.clone(),
                        pinned: false,
                        zoom: t.zoom_level,
                        history: vec![t.display_url().to_string()],
                        history_index: 0,
                    })
                    .collect();
                WindowState {
                    bounds: None,
                    maximized: false,
                    active_tab: w.active_index().unwrap_or(0),
                    tabs,
                }
            })
            .filter(|w| !w.tabs.is_empty())
            .collect();
        SessionState {
            windows,
            active_window: 0,
        }
    }

    /// Save the session when a window or tab changed (cheap to call every frame).
    pub fn save_session_if_changed(&mut self) {
        let Some(profile) = &self.profile else { return };
        let state = self.session_state();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for w in &state.windows {
            w.active_tab.hash(&mut hasher);
            for t in &w.tabs {
                t.url.hash(&mut hasher);
                t.title.hash(&mut hasher);
            }
        }
        let fingerprint = hasher.finish();
        if fingerprint == self.session_fingerprint || state.windows.is_empty() {
            return;
        }
        self.session_fingerprint = fingerprint;
        profile.run(move |store| {
            super::profile_link::or_problem(store.save_session(&state), |_| Vec::new())
        });
    }

    /// Open the windows and tabs of a saved session; returns whether any opened.
    pub fn restore_session(&mut self, session: &SessionState) -> bool {
        let mut opened = false;
        for saved in &session.windows {
            let urls: Vec<String> = saved.tabs.iter().map(|t| t.url.clone()).collect();
            if urls.is_empty() {
                continue;
            }
            let window = self.open_window(&urls[..1]);
            for url in &urls[1..] {
                self.open_tab(window, url, Placement::Background);
            }
            if let Some(w) = self.window_mut(window)
                && let Some(active) = w.tabs.get(saved.active_tab).copied()
            {
                w.active = Some(active);
            }
            opened = true;
        }
        opened
    }
}
