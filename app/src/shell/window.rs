//! One browser window: its tabs in strip order, which is active, its UI state, and the
//! tabs it closed (for Ctrl+Shift+T). Pure bookkeeping, tested without CEF or a window.

use nexus_ui::WindowUi;
use nexus_ui::model::TabId;

/// Identifies a window.
pub type WindowId = u64;

/// A closed tab that can be reopened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedTab {
    /// Its last URL.
    pub url: String,
    /// Where it was in the strip.
    pub index: usize,
}

/// How many closed tabs a window remembers.
pub const CLOSED_TABS_KEPT: usize = 25;

/// One window.
pub struct Window {
    /// Its id.
    pub id: WindowId,
    /// The egui viewport it is drawn in.
    pub viewport: egui::ViewportId,
    /// Tabs in strip order.
    pub tabs: Vec<TabId>,
    /// The tab in front.
    pub active: Option<TabId>,
    /// Its UI state.
    pub ui: WindowUi,
    /// Recently closed tabs, most recent last.
    pub closed: Vec<ClosedTab>,
    /// The page area's size (points) and scale at the last frame, for new tabs.
    pub pane: (i32, i32, f32),
}

impl Window {
    /// An empty window.
    pub fn new(id: WindowId, viewport: egui::ViewportId) -> Window {
        Window {
            id,
            viewport,
            tabs: Vec::new(),
            active: None,
            ui: WindowUi::default(),
            closed: Vec::new(),
            pane: (1280, 720, 1.0),
        }
    }

    /// Insert a tab: after the active one, or at `index`.
    pub fn insert(&mut self, tab: TabId, index: Option<usize>) {
        let at = index
            .unwrap_or_else(|| self.active_index().map_or(self.tabs.len(), |i| i + 1))
            .min(self.tabs.len());
        self.tabs.insert(at, tab);
    }

    /// The active tab's index.
    pub fn active_index(&self) -> Option<usize> {
        self.active
            .and_then(|a| self.tabs.iter().position(|t| *t == a))
    }

    /// Remove a tab; if it was active, activate its right neighbour (else the left one).
    /// Returns its index.
    pub fn remove(&mut self, tab: TabId) -> Option<usize> {
        let index = self.tabs.iter().position(|t| *t == tab)?;
        self.tabs.remove(index);
        if self.active == Some(tab) {
            self.active = self.tabs.get(index).or_else(|| self.tabs.last()).copied();
        }
        Some(index)
    }

    /// Remember a closed tab.
    pub fn remember_closed(&mut self, url: String, index: usize) {
        if url.is_empty() {
            return;
        }
        self.closed.push(ClosedTab { url, index });
        if self.closed.len() > CLOSED_TABS_KEPT {
            self.closed.remove(0);
        }
    }

    /// The tab `offset` places from the active one, wrapping.
    pub fn neighbour(&self, offset: isize) -> Option<TabId> {
        let n = self.tabs.len() as isize;
        let i = self.active_index()? as isize;
        self.tabs.get((i + offset).rem_euclid(n) as usize).copied()
    }

    /// Move a tab to `to`.
    pub fn move_tab(&mut self, tab: TabId, to: usize) {
        if let Some(from) = self.tabs.iter().position(|t| *t == tab) {
            let tab = self.tabs.remove(from);
            self.tabs.insert(to.min(self.tabs.len()), tab);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(tabs: &[u64], active: u64) -> Window {
        let mut w = Window::new(1, egui::ViewportId::ROOT);
        w.tabs = tabs.iter().map(|t| TabId(*t)).collect();
        w.active = Some(TabId(active));
        w
    }

    #[test]
    fn new_tabs_open_right_of_the_active_one() {
        let mut w = window(&[1, 2, 3], 2);
        w.insert(TabId(9), None);
        assert_eq!(w.tabs, [TabId(1), TabId(2), TabId(9), TabId(3)]);
    }

    #[test]
    fn closing_the_active_tab_activates_its_right_neighbour_then_left() {
        let mut w = window(&[1, 2, 3], 2);
        assert_eq!(w.remove(TabId(2)), Some(1));
        assert_eq!(w.active, Some(TabId(3)));
        w.remove(TabId(3));
        assert_eq!(w.active, Some(TabId(1)));
        w.remove(TabId(1));
        assert_eq!(w.active, None);
    }

    #[test]
    fn neighbours_wrap_and_moves_clamp() {
        let mut w = window(&[1, 2, 3], 3);
        assert_eq!(w.neighbour(1), Some(TabId(1)));
        assert_eq!(w.neighbour(-1), Some(TabId(2)));
        w.move_tab(TabId(1), 99);
        assert_eq!(w.tabs, [TabId(2), TabId(3), TabId(1)]);
    }

    #[test]
    fn closed_tabs_are_bounded() {
        let mut w = window(&[1], 1);
        for i in 0..40 {
            w.remember_closed(format!("https://e.example/{i}"), 0);
        }
        assert_eq!(w.closed.len(), CLOSED_TABS_KEPT);
        assert_eq!(w.closed.last().unwrap().url, "https://e.example/39");
    }
}
