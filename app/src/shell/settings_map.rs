//! The profile's stored settings <-> the settings page's view-model.
//!
//! The profile keeps flat `section.name` keys with JSON values (synced and validated
//! there); the settings page edits a typed [`nexus_ui::model::Settings`] and returns
//! [`SettingChange`]s. Both directions live here, in one place.

use crate::profile::Settings as Stored;
use nexus_ipc::messages::ai::{Generator, RemoteEndpoint};
use nexus_ui::model::{SearchEngine, SettingChange, Settings as Shown, Startup, ThemePreference};
use serde_json::{Value, json};

/// Built-in search engines: (stored name, shown name, URL template).
pub const SEARCH_ENGINES: &[(&str, &str, &str)] = &[
    (
        "duckduckgo",
        "DuckDuckGo",
        "https://duckduckgo.com/?q={query}",
    ),
    (
        "google",
        "Google",
        "https://www.google.com/search?q={query}",
    ),
    ("bing", "Bing", "https://www.bing.com/search?q={query}"),
    (
        "startpage",
        "Startpage",
        "https://www.startpage.com/do/search?q={query}",
    ),
    (
        "ecosia",
        "Ecosia",
        "https://www.ecosia.org/search?q={query}",
    ),
];

/// The settings page's view of stored settings (plus the never-analyze list and whether
/// a sync passphrase is known this session).
pub fn shown(stored: &Stored, never_analyze: &[String], passphrase_set: bool) -> Shown {
    let g = &stored.general;
    let search_engine = match SEARCH_ENGINES
        .iter()
        .find(|(id, _, _)| *id == g.search_engine)
    {
        Some((_, name, template)) => SearchEngine {
            name: (*name).into(),
            url_template: (*template).into(),
        },
        None => SearchEngine {
            name: "Custom".into(),
            url_template: g.custom_search_url.clone(),
        },
    };
    let startup = match g.startup.as_str() {
        "restore_session" => Startup::RestoreSession,
        "pages" => Startup::Pages(g.startup_pages.clone()),
        _ => Startup::NewTab,
    };
    let theme = match stored.appearance.theme.as_str() {
        "light" => ThemePreference::Light,
        "dark" => ThemePreference::Dark,
        _ => ThemePreference::System,
    };
    let ai = &stored.ai;
    let generator = if ai.provider == "openai_compatible" && !ai.base_url.is_empty() {
        Generator::Remote(RemoteEndpoint {
            base_url: ai.base_url.clone(),
            model: ai.model.clone(),
            api_key: (!ai.api_key.is_empty()).then(|| ai.api_key.clone()),
        })
    } else if ai.provider == "local" && ai.model == "smollm2" {
        Generator::LocalSmolLm2
    } else {
        Generator::Extractive
    };
    Shown {
        home_page: g.home_page.clone(),
        search_engine,
        startup,
        theme,
        default_zoom_percent: (stored.appearance.default_zoom * 100.0).round() as u32,
        downloads_folder: stored.downloads.folder.clone(),
        generator,
        auto_analyze: ai.auto_analyze,
        never_analyze: never_analyze.to_vec(),
        sync_folder: (!stored.sync.folder.is_empty()).then(|| stored.sync.folder.clone()),
        sync_passphrase_set: passphrase_set,
    }
}

/// The stored `(key, value)` writes for one change. Never-analyze sites are not settings
/// (they live with site permissions) and return nothing here.
pub fn writes(change: &SettingChange) -> Vec<(&'static str, Value)> {
    match change {
        SettingChange::HomePage(url) => vec![("general.home_page", json!(url))],
        SettingChange::SearchEngine(engine) => {
            match SEARCH_ENGINES
                .iter()
                .find(|(_, _, t)| *t == engine.url_template)
            {
                Some((id, _, _)) => vec![("general.search_engine", json!(id))],
                None => vec![
                    ("general.search_engine", json!("custom")),
                    (
                        "general.custom_search_url",
                        json!(engine.url_template.replace("{query}", "%s")),
                    ),
                ],
            }
        }
        SettingChange::Startup(startup) => match startup {
            Startup::NewTab => vec![("general.startup", json!("new_tab"))],
            Startup::RestoreSession => vec![("general.startup", json!("restore_session"))],
            Startup::Pages(pages) => {
                vec![
                    ("general.startup", json!("pages")),
                    ("general.startup_pages", json!(pages)),
                ]
            }
        },
        SettingChange::Theme(theme) => vec![(
            "appearance.theme",
            json!(match theme {
                ThemePreference::Light => "light",
                ThemePreference::Dark => "dark",
                ThemePreference::System => "system",
            }),
        )],
        SettingChange::DefaultZoom(percent) => {
            vec![("appearance.default_zoom", json!(*percent as f64 / 100.0))]
        }
        SettingChange::DownloadsFolder(folder) => vec![("downloads.folder", json!(folder))],
        SettingChange::Generator(generator) => match generator {
            Generator::Extractive => vec![("ai.provider", json!("local")), ("ai.model", json!(""))],
            Generator::LocalSmolLm2 => vec![
                ("ai.provider", json!("local")),
                ("ai.model", json!("smollm2")),
            ],
            Generator::Remote(e) => vec![
                ("ai.provider", json!("openai_compatible")),
                ("ai.base_url", json!(e.base_url)),
                ("ai.model", json!(e.model)),
                ("ai.api_key", json!(e.api_key.clone().unwrap_or_default())),
            ],
        },
        SettingChange::AutoAnalyze(on) => vec![("ai.auto_analyze", json!(on))],
        SettingChange::SyncFolder(folder) => match folder {
            Some(f) => vec![("sync.folder", json!(f)), ("sync.enabled", json!(true))],
            None => vec![("sync.enabled", json!(false))],
        },
        SettingChange::NeverAnalyze { .. } => Vec::new(),
    }
}

/// The search URL template in the `%s` form the omnibox and URL input use.
pub fn search_template(stored: &Stored) -> String {
    let g = &stored.general;
    match SEARCH_ENGINES
        .iter()
        .find(|(id, _, _)| *id == g.search_engine)
    {
        Some((_, _, t)) => t.replace("{query}", "%s"),
        None if !g.custom_search_url.is_empty() => g.custom_search_url.clone(),
        None => SEARCH_ENGINES[0].2.replace("{query}", "%s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Stored {
        crate::profile::settings::from_rows(Vec::new()).0
    }

    #[test]
    fn every_change_round_trips_through_storage() {
        let changes = [
            SettingChange::HomePage("https://start.example/".into()),
            SettingChange::SearchEngine(SearchEngine {
                name: "Google".into(),
                url_template: SEARCH_ENGINES[1].2.into(),
            }),
            SettingChange::Startup(Startup::Pages(vec!["https://a.example/".into()])),
            SettingChange::Theme(ThemePreference::Dark),
            SettingChange::DefaultZoom(125),
            SettingChange::Generator(Generator::Remote(RemoteEndpoint {
                base_url: "http://localhost:11434/v1".into(),
                model: "llama3".into(),
                api_key: Some("k".into()),
            })),
            SettingChange::AutoAnalyze(true),
        ];
        let mut rows: Vec<(String, String)> = Vec::new();
        for change in &changes {
            for (key, value) in writes(change) {
                rows.retain(|(k, _)| k != key);
                rows.push((key.to_string(), value.to_string()));
            }
        }
        let (stored, warnings) = crate::profile::settings::from_rows(rows);
        assert!(warnings.is_empty(), "{warnings:?}");
        let s = shown(&stored, &[], false);
        assert_eq!(s.home_page, "https://start.example/");
        assert_eq!(s.search_engine.name, "Google");
        assert_eq!(s.startup, Startup::Pages(vec!["https://a.example/".into()]));
        assert_eq!(s.theme, ThemePreference::Dark);
        assert_eq!(s.default_zoom_percent, 125);
        assert!(matches!(s.generator, Generator::Remote(ref e) if e.model == "llama3"));
        assert!(s.auto_analyze);
        assert_eq!(
            search_template(&stored),
            "https://www.google.com/search?q=%s"
        );
    }

    #[test]
    fn a_custom_engine_is_stored_as_a_template() {
        let engine = SearchEngine {
            name: "Mine".into(),
            url_template: "https://s.example/?q={query}".into(),
        };
        let w = writes(&SettingChange::SearchEngine(engine));
        assert_eq!(
            w[1],
            (
                "general.custom_search_url",
                json!("https://s.example/?q=%s")
            )
        );
        assert_eq!(
            shown(&stored(), &[], false).search_engine.name,
            "DuckDuckGo"
        );
    }
}
