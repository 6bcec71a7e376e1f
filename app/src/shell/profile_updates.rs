//! Applying what the profile thread reported.

use super::profile_link::ProfileUpdate;
use super::state::Shell;
use nexus_ui::model::DialogKind;

impl Shell {
    /// Apply profile updates (each frame).
    pub(super) fn apply_profile_updates(&mut self) {
        let Some(profile) = &self.profile else { return };
        for update in profile.take_updates() {
            match update {
                ProfileUpdate::Settings(stored, warnings) => {
                    self.adopt_settings(*stored);
                    for warning in warnings {
                        tracing::warn!("{warning}");
                    }
                }
                ProfileUpdate::Suggestions { query, items } => {
                    if query == self.omnibox_query {
                        self.library.set_suggestions(&items);
                    }
                }
                ProfileUpdate::Bookmarks(root) => {
                    let Shell {
                        library,
                        bookmark_ids,
                        ..
                    } = self;
                    library.set_bookmarks(&root, bookmark_ids);
                }
                ProfileUpdate::History(entries) => self.library.set_history(&entries),
                ProfileUpdate::Permissions(permissions, never) => {
                    for p in &permissions {
                        let allowed = p.access == crate::profile::permissions::ApiAccess::Allow;
                        self.hub.permissions.set(&p.origin, allowed);
                    }
                    self.library.set_permissions(&permissions);
                    self.library.settings.never_analyze = never.clone();
                    self.ai.never_analyze = never;
                }
                ProfileUpdate::Sync(status, error) => {
                    self.library
                        .set_sync(&status, error, super::pages::unix_now() * 1000);
                }
                ProfileUpdate::Changes(changes) => {
                    for change in changes {
                        let actions = self.hub.data_sync(&change.to_data_sync());
                        self.run_hub_actions(actions);
                    }
                }
                ProfileUpdate::Problem(message) => self.tell_user(message),
                ProfileUpdate::Notice(message) => self.tell_user(message),
                ProfileUpdate::Query {
                    request,
                    items_json,
                } => {
                    let reply = self.hub.profile_result(&request, items_json);
                    self.run_hub_actions(vec![reply]);
                }
                ProfileUpdate::SiteZoom { tab, level } => {
                    if let Some(t) = self.tabs.get_mut(&tab) {
                        t.zoom_level = level;
                        if let Some(h) = &t.handle {
                            h.set_zoom_level(level);
                        }
                    }
                }
            }
        }
    }

    /// Show a message from Nexus itself in the active tab of the first window.
    pub(super) fn tell_user(&mut self, message: String) {
        tracing::warn!("{message}");
        let id = self.next_dialog_id();
        let Some(tab) = self.windows.first().and_then(|w| w.active) else {
            return;
        };
        if let Some(t) = self.tabs.get_mut(&tab) {
            t.push_dialog(id, "Nexus".into(), DialogKind::Alert { message }, None);
        }
    }

    /// Use newly loaded settings everywhere they matter.
    pub(super) fn adopt_settings(&mut self, stored: crate::profile::Settings) {
        let shown = super::settings_map::shown(
            &stored,
            &self.ai.never_analyze,
            self.sync_passphrase.is_some(),
        );
        self.settings.home_page = stored.general.home_page.clone();
        self.settings.search_template = super::settings_map::search_template(&stored);
        if !stored.downloads.folder.is_empty() {
            self.settings.downloads_dir = stored.downloads.folder.clone().into();
        }
        self.ai.auto_analyze = stored.ai.auto_analyze;
        self.ai.privacy = nexus_ui::model::Privacy::from_generator(&shown.generator);
        self.ui_state.theme = shown.theme;
        if let Some(ai) = &self.ai_client {
            ai.send(crate::ai_client::AiCommand::Configure(
                nexus_ipc::messages::ai::AiConfigure {
                    generator: shown.generator.clone(),
                },
            ));
        }
        self.library.settings = shown;
        self.stored_settings = Some(stored);
    }
}
