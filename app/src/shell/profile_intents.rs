//! Intents that act on the profile: bookmarks, history, settings, site permissions, sync.

use super::profile_link::{ProfileUpdate, bookmarks, or_problem};
use super::state::Shell;
use super::window::WindowId;
use crate::profile::{HistoryQuery, Store};
use nexus_ui::model::{SettingChange, TimeRange};
use nexus_ui::{BookmarkIntent, HistoryIntent, Intent, SettingsIntent};

impl Shell {
    fn with_profile(&self, job: impl FnOnce(&mut Store) -> Vec<ProfileUpdate> + Send + 'static) {
        if let Some(profile) = &self.profile {
            profile.run(job);
        }
    }

    /// Apply an intent about bookmarks, history, settings, permissions or the AI sidebar.
    pub(super) fn apply_profile_intent(
        &mut self,
        ctx: &egui::Context,
        window: WindowId,
        intent: Intent,
    ) {
        match intent {
            // UI-local: WindowUi / UiState already applied them.
            Intent::FocusOmnibox
            | Intent::OpenFind
            | Intent::FindInPage(_)
            | Intent::ToggleBookmarksBar
            | Intent::ToggleAiSidebar
            | Intent::SetSidebarWidth(_)
            | Intent::OpenDownloads => {}
            Intent::JumpToText { text, .. } => self.jump_to_text(window, &text),
            Intent::ToggleBookmark => {
                let Some(tab) = self.active_tab(window) else {
                    return;
                };
                let (url, title) = (tab.display_url().to_string(), tab.title.clone());
                if !url.is_empty() {
                    self.with_profile(move |store| {
                        or_problem(store.toggle_bookmark(&url, &title), |_| Vec::new())
                    });
                }
            }
            Intent::PermissionReply {
                origin, allow, id, ..
            } => {
                self.answer_permission(id, &origin, allow);
            }
            Intent::Ai(ai) => self.apply_ai_intent(ai),
            Intent::Settings(s) => self.apply_settings_intent(ctx, s),
            Intent::Bookmark(b) => self.apply_bookmark_intent(window, b),
            Intent::History(h) => self.apply_history_intent(window, h),
            other => tracing::debug!("intent not handled here: {other:?}"),
        }
    }

    fn jump_to_text(&mut self, window: WindowId, text: &str) {
        // Find the passage's first words: CEF scrolls to and highlights the match.
        let needle: String = text
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(handle) = self.active_tab(window).and_then(|t| t.handle.clone()) {
            handle.find(&needle, true, false);
        }
    }

    fn answer_permission(&mut self, id: nexus_ui::model::DialogId, origin: &str, allow: bool) {
        for tab in self.tabs.values_mut() {
            tab.dialogs.retain(|d| d.view.id != id);
        }
        let actions = self.hub.decide(origin, allow);
        self.run_hub_actions(actions);
        let origin = origin.to_string();
        self.with_profile(move |store| {
            use crate::profile::permissions::ApiAccess;
            let access = if allow {
                ApiAccess::Allow
            } else {
                ApiAccess::Deny
            };
            or_problem(store.set_api_access(&origin, access), |_| {
                permissions(store)
            })
        });
    }

    /// Store one settings change.
    pub(super) fn write_setting(&mut self, change: SettingChange) {
        let writes = super::settings_map::writes(&change);
        self.with_profile(move |store| {
            for (key, value) in writes {
                if let Err(err) = store.set_setting(key, value) {
                    return vec![ProfileUpdate::Problem(err.to_string())];
                }
            }
            settings(store)
        });
    }

    pub(super) fn set_never_analyze(&mut self, site: String, never: bool) {
        self.with_profile(move |store| {
            let result = if never {
                store.add_never_analyze(&site)
            } else {
                store.remove_never_analyze(&site).map(|_| ())
            };
            or_problem(result, |_| permissions(store))
        });
    }

    fn apply_settings_intent(&mut self, ctx: &egui::Context, intent: SettingsIntent) {
        match intent {
            SettingsIntent::Set(SettingChange::NeverAnalyze { site, never }) => {
                self.set_never_analyze(site, never)
            }
            SettingsIntent::Set(change) => self.write_setting(change),
            SettingsIntent::ClearBrowsingData { kinds, range } => {
                let from_ms = range_start_ms(range);
                if kinds.history {
                    self.with_profile(move |store| {
                        let result = match from_ms {
                            Some(from) => store.delete_history_between(from, i64::MAX),
                            None => store.clear_history(),
                        };
                        or_problem(result, |n| {
                            vec![ProfileUpdate::Notice(format!(
                                "Deleted {n} history entries."
                            ))]
                        })
                    });
                }
                if kinds.downloads {
                    self.downloads.clear_finished();
                    self.with_profile(|store| or_problem(store.clear_downloads(), |_| Vec::new()));
                }
                if kinds.cookies {
                    crate::cef::browser::delete_all_cookies();
                }
                if kinds.cache {
                    crate::cef::browser::clear_cache();
                }
                if kinds.ai_cache {
                    self.page_contents.clear();
                }
                let _ = ctx;
            }
            SettingsIntent::RevokePermission { origin, .. } => {
                self.hub.permissions.revoke(&origin);
                self.with_profile(move |store| {
                    or_problem(store.revoke_api_access(&origin), |_| permissions(store))
                });
            }
            SettingsIntent::TestConnection(endpoint) => self.test_connection(endpoint),
            SettingsIntent::SetSyncPassphrase(passphrase) => {
                self.sync_passphrase = Some(passphrase);
                self.library.settings.sync_passphrase_set = true;
                self.sync_now();
            }
            SettingsIntent::SyncNow => self.sync_now(),
        }
    }

    fn apply_bookmark_intent(&mut self, window: WindowId, intent: BookmarkIntent) {
        let guid = |ids: &super::library::BookmarkIds, id| ids.guid(id).map(str::to_string);
        match intent {
            BookmarkIntent::Open { url, disposition } => {
                if let Some(tab) = self.window(window).and_then(|w| w.active) {
                    self.transitions.insert(tab, crate::profile::Transition::Bookmark);
                }
                self.navigate(window, &url, disposition);
            }
            BookmarkIntent::Update { id, title, url } => {
                let Some(g) = guid(&self.bookmark_ids, id) else { return };
                self.with_profile(move |store| {
                    or_problem(store.update_bookmark(&g, Some(&title), url.as_deref()), |_| Vec::new())
                });
            }
            BookmarkIntent::Delete(id) => {
                let Some(g) = guid(&self.bookmark_ids, id) else { return };
                self.with_profile(move |store| or_problem(store.delete_bookmark(&g), |_| Vec::new()));
            }
            BookmarkIntent::Move { id, parent, index } => {
                let (Some(g), Some(p)) = (guid(&self.bookmark_ids, id), guid(&self.bookmark_ids, parent)) else { return };
                self.with_profile(move |store| or_problem(store.move_bookmark(&g, &p, Some(index)), |_| Vec::new()));
            }
            BookmarkIntent::NewFolder { parent, title } => {
                let Some(p) = guid(&self.bookmark_ids, parent) else { return };
                self.with_profile(move |store| or_problem(store.add_folder(&p, None, &title), |_| Vec::new()));
            }
            BookmarkIntent::Import => self.with_profile(|store| {
                let found = crate::profile::browsers::find_profiles(&crate::profile::browsers::BaseDirs::from_env());
                if found.is_empty() {
                    return vec![ProfileUpdate::Notice(
                        "No Chrome, Chromium or Firefox profile was found on this computer. To import a \
                         bookmarks file, run: nexus bookmarks import FILE"
                            .into(),
                    )];
                }
                let mut lines = Vec::new();
                for profile in &found {
                    match crate::profile::transfer::import_from_browser(store, profile) {
                        Ok(summary) => lines.push(summary.to_string()),
                        Err(err) => lines.push(format!("{} ({}): {err}", profile.browser, profile.profile)),
                    }
                }
                vec![ProfileUpdate::Notice(lines.join("\n"))]
            }),
            BookmarkIntent::Export => {
                let file = self.settings.downloads_dir.join(format!("nexus-bookmarks-{}.html", super::pages::unix_now()));
                self.with_profile(move |store| {
                    or_problem(crate::profile::transfer::export_html_file(store, &file), |summary| {
                        vec![ProfileUpdate::Notice(format!(
                            "Exported {} bookmarks in {} folders to {}",
                            summary.bookmarks,
                            summary.folders,
                            summary.path.display()
                        ))]
                    })
                });
            }
        }
    }

    fn apply_history_intent(&mut self, window: WindowId, intent: HistoryIntent) {
        match intent {
            HistoryIntent::Open { url, disposition } => self.navigate(window, &url, disposition),
            HistoryIntent::Search(text) => self.with_profile(move |store| {
                let query = HistoryQuery {
                    text: (!text.is_empty()).then_some(text),
                    limit: 500,
                    ..Default::default()
                };
                or_problem(store.history(&query), |entries| {
                    vec![ProfileUpdate::History(entries)]
                })
            }),
            HistoryIntent::Delete(ids) => {
                let urls: Vec<String> = ids
                    .iter()
                    .filter_map(|id| self.library.history.iter().find(|e| e.id == *id))
                    .map(|e| e.url.clone())
                    .collect();
                self.with_profile(move |store| {
                    for url in &urls {
                        if let Err(err) = store.delete_page(url) {
                            return vec![ProfileUpdate::Problem(err.to_string())];
                        }
                    }
                    history(store)
                });
            }
            HistoryIntent::Clear(range) => {
                let from = range_start_ms(range);
                self.with_profile(move |store| {
                    let result = match from {
                        Some(from) => store.delete_history_between(from, i64::MAX),
                        None => store.clear_history(),
                    };
                    or_problem(result, |_| history(store))
                });
            }
        }
    }

    fn sync_now(&mut self) {
        let Some(passphrase) = self.sync_passphrase.clone() else {
            self.tell_user(
                "Enter your sync passphrase in Settings › Sync to sync this profile.".into(),
            );
            return;
        };
        let Some(settings) = &self.stored_settings else {
            return;
        };
        if settings.sync.folder.is_empty() {
            self.tell_user("Choose a sync folder in Settings › Sync first.".into());
            return;
        }
        let folder = std::path::PathBuf::from(&settings.sync.folder);
        let device = if settings.sync.device_name.is_empty() {
            "This device".to_string()
        } else {
            settings.sync.device_name.clone()
        };
        self.library.sync.syncing = true;
        self.with_profile(move |store| {
            let config = crate::profile::sync::SyncConfig::new(folder, &passphrase, &device);
            let report = crate::profile::sync::sync_now(store, &config);
            let error = report.error.as_ref().map(|e| e.to_string());
            let mut out = or_problem(crate::profile::sync::sync_status(store), |status| {
                vec![ProfileUpdate::Sync(Box::new(status), error)]
            });
            out.extend(bookmarks(store));
            out
        });
    }

    /// Load everything the panels show (at start).
    pub fn load_profile_views(&self) {
        self.with_profile(|store| {
            let mut out = settings(store);
            out.extend(permissions(store));
            out.extend(bookmarks(store));
            out.extend(history(store));
            out.extend(or_problem(crate::profile::sync::sync_status(store), |s| {
                vec![ProfileUpdate::Sync(Box::new(s), None)]
            }));
            out
        });
    }
}

fn settings(store: &mut Store) -> Vec<ProfileUpdate> {
    or_problem(store.settings(), |(s, warnings)| {
        vec![ProfileUpdate::Settings(
            Box::new(s),
            warnings.into_iter().map(|w| w.message).collect(),
        )]
    })
}

fn permissions(store: &mut Store) -> Vec<ProfileUpdate> {
    match (store.site_permissions(), store.never_analyze_list()) {
        (Ok(p), Ok(n)) => vec![ProfileUpdate::Permissions(p, n)],
        (Err(e), _) | (_, Err(e)) => vec![ProfileUpdate::Problem(e.to_string())],
    }
}

fn history(store: &mut Store) -> Vec<ProfileUpdate> {
    or_problem(
        store.history(&HistoryQuery {
            limit: 500,
            ..Default::default()
        }),
        |e| vec![ProfileUpdate::History(e)],
    )
}

/// The start of a range, in ms since the epoch (`None`: all time).
fn range_start_ms(range: TimeRange) -> Option<i64> {
    let hours = match range {
        TimeRange::LastHour => 1,
        TimeRange::LastDay => 24,
        TimeRange::LastWeek => 24 * 7,
        TimeRange::LastFourWeeks => 24 * 28,
        TimeRange::AllTime => return None,
    };
    Some((super::pages::unix_now() - hours * 3600) * 1000)
}
