//! Carrying out what the hub decided.

use super::state::{Placement, Shell};
use crate::hub::HubAction;
use nexus_ipc::messages::control::ErrorCode;
use nexus_ui::Disposition;
use nexus_ui::model::{DialogKind, PermissionKind};

impl Shell {
    /// Run the hub's actions.
    pub fn run_hub_actions(&mut self, actions: Vec<HubAction>) {
        for action in actions {
            self.run_hub_action(action);
        }
    }

    fn run_hub_action(&mut self, action: HubAction) {
        match action {
            HubAction::Reply {
                tab,
                frame_id,
                envelope,
            } => {
                if let Some(handle) = self.tabs.get(&tab).and_then(|t| t.handle.as_ref()) {
                    handle.send_to_frame(Some(&frame_id), &envelope);
                }
            }
            HubAction::AskPermission { tab, origin } => {
                let id = self.next_dialog_id();
                if let Some(t) = self.tabs.get_mut(&tab) {
                    t.push_dialog(
                        id,
                        origin,
                        DialogKind::Permission {
                            permission: PermissionKind::AiFeatures,
                        },
                        None,
                    );
                }
            }
            HubAction::KillRenderer { tab, reason } => {
                if let Some(t) = self.tabs.get_mut(&tab) {
                    tracing::warn!(tab = tab.0, "{reason}");
                    t.kill_reason = Some(reason);
                    if let Some(handle) = &t.handle {
                        // Chromium's debug URL that terminates the tab's renderer process.
                        handle.load("chrome://kill");
                    }
                }
            }
            HubAction::Navigate {
                tab,
                url,
                new_window,
            } => {
                let Some(window) = self.window_of(tab) else {
                    return;
                };
                if new_window {
                    self.open_window(&[url]);
                } else if self.window(window).and_then(|w| w.active) == Some(tab) {
                    self.navigate(window, &url, Disposition::CurrentTab);
                } else if let Some(handle) = self.tabs.get(&tab).and_then(|t| t.handle.as_ref()) {
                    handle.load(&url);
                }
            }
            HubAction::Analyze { call, request } => self.analyze_for_page(call, request),
            HubAction::ProfileQuery { query, list, limit } => {
                self.profile_query(query, list, limit)
            }
            HubAction::PageContent {
                tab,
                request,
                content,
            } => self.page_content_arrived(tab, request, content),
            HubAction::Navigated { .. } => {}
        }
    }

    /// Answer a built-in page's profile query on the profile thread.
    fn profile_query(&mut self, query: crate::hub::PendingQuery, list: String, limit: u32) {
        let Some(profile) = &self.profile else {
            let reply = self.hub.error(
                &query,
                ErrorCode::Unavailable,
                "the profile is not available",
            );
            self.run_hub_actions(vec![reply]);
            return;
        };
        profile.run(move |store| {
            use super::profile_link::ProfileUpdate;
            let items: Vec<serde_json::Value> = match list.as_str() {
                "bookmarks" => store
                    .bookmark_children(crate::profile::TOOLBAR_GUID)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|b| Some(serde_json::json!({ "title": b.title, "url": b.url? })))
                    .take(limit as usize)
                    .collect(),
                _ => store
                    .top_pages(limit as usize)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| serde_json::json!({ "title": p.title, "url": p.url }))
                    .collect(),
            };
            vec![ProfileUpdate::Query {
                request: query,
                items_json: serde_json::Value::from(items).to_string(),
            }]
        });
    }

    /// Open `url` from a page or the shell in a new foreground tab of `window`.
    pub fn open_in_new_tab(&mut self, window: super::window::WindowId, url: &str) {
        self.open_tab(window, url, Placement::Foreground);
    }
}
