//! Intents that act on the profile and the AI worker.

use super::state::Shell;
use super::window::WindowId;
use nexus_ui::Intent;

impl Shell {
    /// Apply an intent about bookmarks, history, settings or the AI sidebar.
    pub(super) fn apply_profile_intent(&mut self, _ctx: &egui::Context, _window: WindowId, intent: Intent) {
        match intent {
            // UI-local: WindowUi / UiState already applied them.
            Intent::FocusOmnibox
            | Intent::OpenFind
            | Intent::FindInPage(_)
            | Intent::ToggleBookmarksBar
            | Intent::ToggleAiSidebar
            | Intent::SetSidebarWidth(_)
            | Intent::OpenDownloads
            | Intent::JumpToText { .. } => {}
            other => tracing::debug!("not handled yet: {other:?}"),
        }
    }
}
