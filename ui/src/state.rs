//! Persisted UI state: one serde struct the shell saves with the profile.
//!
//! Only plain values live here (never textures, CEF handles or channels), and every field
//! has a default (`#[serde(default)]`), so an old or partly broken saved state still loads.

use crate::intent::Intent;
use crate::model::ThemePreference;
use serde::{Deserialize, Serialize};

/// The narrowest the AI sidebar gets, in points.
pub const SIDEBAR_MIN_WIDTH: f32 = 280.0;
/// The widest the AI sidebar gets, in points.
pub const SIDEBAR_MAX_WIDTH: f32 = 720.0;

/// UI state that outlives a session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    /// Light, dark or system.
    pub theme: ThemePreference,
    /// Whether the AI sidebar is open.
    pub sidebar_open: bool,
    /// The AI sidebar's width in points.
    pub sidebar_width: f32,
    /// Whether the bookmarks bar is shown.
    pub bookmarks_bar_visible: bool,
}

impl Default for UiState {
    fn default() -> Self {
        UiState {
            theme: ThemePreference::System,
            sidebar_open: false,
            sidebar_width: 360.0,
            bookmarks_bar_visible: true,
        }
    }
}

impl UiState {
    /// Apply the intents that change persisted UI state; returns whether it changed.
    /// The shell passes every intent here (the rest are ignored) and saves when true.
    pub fn apply(&mut self, intent: &Intent) -> bool {
        let before = self.clone();
        match intent {
            Intent::ToggleAiSidebar => self.sidebar_open = !self.sidebar_open,
            Intent::ToggleBookmarksBar => self.bookmarks_bar_visible = !self.bookmarks_bar_visible,
            Intent::SetSidebarWidth(w) if w.is_finite() => {
                self.sidebar_width = w.clamp(SIDEBAR_MIN_WIDTH, SIDEBAR_MAX_WIDTH);
            }
            Intent::Settings(crate::intent::SettingsIntent::Set(
                crate::model::SettingChange::Theme(theme),
            )) => self.theme = *theme,
            _ => {}
        }
        *self != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_unknown_fields_fall_back_to_defaults() {
        let state: UiState =
            serde_json::from_str(r#"{"sidebar_open": true, "from_the_future": 1}"#).unwrap();
        assert!(state.sidebar_open);
        assert_eq!(state.sidebar_width, UiState::default().sidebar_width);
        assert!(state.bookmarks_bar_visible);
    }

    #[test]
    fn apply_toggles_and_clamps() {
        let mut state = UiState::default();
        assert!(state.apply(&Intent::ToggleAiSidebar));
        assert!(state.sidebar_open);
        assert!(state.apply(&Intent::SetSidebarWidth(10_000.0)));
        assert_eq!(state.sidebar_width, SIDEBAR_MAX_WIDTH);
        assert!(!state.apply(&Intent::Back));
    }
}
