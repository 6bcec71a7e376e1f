//! The General, Appearance and Privacy sections.

use super::{Field, SettingsPanel, group, set, validate};
use crate::intent::{Intent, SettingsIntent};
use crate::model::{
    SearchEngine, SettingChange, SettingsView, Startup, ThemePreference, TimeRange,
};
use crate::theme::Palette;
use egui::{ComboBox, RichText, Ui};

/// Search engines offered without typing a template.
const ENGINES: [(&str, &str); 5] = [
    ("DuckDuckGo", "https://duckduckgo.com/?q={query}"),
    ("Google", "https://www.google.com/search?q={query}"),
    ("Bing", "https://www.bing.com/search?q={query}"),
    ("Startpage", "https://www.startpage.com/do/search?q={query}"),
    ("Brave Search", "https://search.brave.com/search?q={query}"),
];

/// Zoom levels offered as the default.
const ZOOMS: [u32; 13] = [50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300];

pub(super) fn general(
    panel: &mut SettingsPanel,
    ui: &mut Ui,
    view: &SettingsView<'_>,
    out: &mut Vec<Intent>,
) {
    let s = view.settings;
    if let Some(url) = panel.text_setting(
        ui,
        Field::HomePage,
        "Home page",
        &s.home_page,
        "https://example.com",
        validate::web_address,
    ) {
        set(out, SettingChange::HomePage(url));
    }

    group(
        ui,
        "Search engine",
        "Used when you type words instead of an address.",
    );
    let preset = ENGINES
        .iter()
        .find(|(_, t)| *t == s.search_engine.url_template);
    let mut choice = preset.map_or("Custom", |(name, _)| *name).to_owned();
    ComboBox::from_id_salt("nexus-search-engine")
        .selected_text(&choice)
        .width(220.0)
        .show_ui(ui, |ui| {
            for (name, _) in ENGINES {
                ui.selectable_value(&mut choice, name.to_owned(), name);
            }
            ui.selectable_value(&mut choice, "Custom".to_owned(), "Custom…");
        })
        .response
        .accessible_name("Choose search engine");
    let custom = choice == "Custom";
    if let Some((name, template)) = ENGINES.iter().find(|(n, _)| *n == choice)
        && preset.is_none_or(|(p, _)| p != name)
    {
        set(
            out,
            SettingChange::SearchEngine(SearchEngine {
                name: (*name).into(),
                url_template: (*template).into(),
            }),
        );
    }
    if custom || preset.is_none() {
        let current = &s.search_engine;
        if let Some(name) = panel.text_setting(
            ui,
            Field::EngineName,
            "Name",
            &current.name,
            "My search",
            validate::engine_name,
        ) {
            set(
                out,
                SettingChange::SearchEngine(SearchEngine {
                    name,
                    url_template: current.url_template.clone(),
                }),
            );
        }
        let hint = "https://search.example/?q={query}";
        if let Some(template) = panel.text_setting(
            ui,
            Field::EngineTemplate,
            "Search address",
            &current.url_template,
            hint,
            validate::search_template,
        ) {
            set(
                out,
                SettingChange::SearchEngine(SearchEngine {
                    name: current.name.clone(),
                    url_template: template,
                }),
            );
        }
    }

    group(ui, "On startup", "");
    let pages_now = match &s.startup {
        Startup::Pages(pages) => Some(pages.clone()),
        _ => None,
    };
    let mut kind = match s.startup {
        Startup::NewTab => 0,
        Startup::RestoreSession => 1,
        Startup::Pages(_) => 2,
    };
    let before = kind;
    ui.radio_value(&mut kind, 0, "Open the new-tab page");
    ui.radio_value(&mut kind, 1, "Continue where you left off");
    ui.radio_value(&mut kind, 2, "Open specific pages");
    if kind != before {
        let startup = match kind {
            0 => Startup::NewTab,
            1 => Startup::RestoreSession,
            _ => Startup::Pages(
                pages_now
                    .clone()
                    .unwrap_or_else(|| vec![s.home_page.clone()]),
            ),
        };
        set(out, SettingChange::Startup(startup));
    }
    if let Some(pages) = pages_now {
        let current = pages.join("\n");
        let hint = "One address per line";
        if let Some(pages) = panel.text_setting(
            ui,
            Field::StartupPages,
            "Pages",
            &current,
            hint,
            validate::startup_pages,
        ) {
            set(out, SettingChange::Startup(Startup::Pages(pages)));
        }
    }
}

pub(super) fn appearance(ui: &mut Ui, view: &SettingsView<'_>, out: &mut Vec<Intent>) {
    let s = view.settings;
    group(ui, "Theme", "");
    let mut theme = s.theme;
    ui.horizontal(|ui| {
        ui.radio_value(&mut theme, ThemePreference::System, "Follow the system");
        ui.radio_value(&mut theme, ThemePreference::Light, "Light");
        ui.radio_value(&mut theme, ThemePreference::Dark, "Dark");
    });
    if theme != s.theme {
        set(out, SettingChange::Theme(theme));
    }
    group(
        ui,
        "Default zoom",
        "Pages you have not zoomed open at this size.",
    );
    let mut zoom = s.default_zoom_percent;
    ComboBox::from_id_salt("nexus-default-zoom")
        .selected_text(format!("{zoom}%"))
        .show_ui(ui, |ui| {
            for z in ZOOMS {
                ui.selectable_value(&mut zoom, z, format!("{z}%"));
            }
        })
        .response
        .accessible_name("Default zoom");
    if zoom != s.default_zoom_percent {
        set(out, SettingChange::DefaultZoom(zoom));
    }
}

pub(super) fn privacy(
    panel: &mut SettingsPanel,
    ui: &mut Ui,
    view: &SettingsView<'_>,
    out: &mut Vec<Intent>,
) {
    let p = Palette::of(ui);
    group(
        ui,
        "Clear browsing data",
        "Deletes it from this device (and, with sync, from your other devices).",
    );
    let k = &mut panel.clear_kinds;
    ui.checkbox(&mut k.history, "Browsing history");
    ui.checkbox(&mut k.downloads, "Download list (the files stay)");
    ui.checkbox(
        &mut k.cookies,
        "Cookies and site data (signs you out of most sites)",
    );
    ui.checkbox(&mut k.cache, "Cached images and files");
    ui.checkbox(&mut k.ai_cache, "Saved AI analyses");
    ui.horizontal(|ui| {
        ui.label("From");
        ComboBox::from_id_salt("nexus-clear-range")
            .selected_text(panel.clear_range.label())
            .show_ui(ui, |ui| {
                for range in TimeRange::ALL {
                    ui.selectable_value(&mut panel.clear_range, range, range.label());
                }
            })
            .response
            .accessible_name("Time range to clear");
        let any = panel.clear_kinds.any();
        if ui
            .add_enabled(any, egui::Button::new("Clear data"))
            .clicked()
        {
            out.push(Intent::Settings(SettingsIntent::ClearBrowsingData {
                kinds: panel.clear_kinds,
                range: panel.clear_range,
            }));
        }
    });

    group(
        ui,
        "Site permissions",
        "Sites you allowed or blocked. Revoke to be asked again.",
    );
    if view.permissions.is_empty() {
        ui.label(RichText::new("No site has asked for a permission yet.").color(p.weak_text));
    }
    for perm in view.permissions {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&perm.origin).strong());
            ui.label(RichText::new(perm.permission.label()).color(p.weak_text));
            let (state, color) = if perm.allowed {
                ("Allowed", p.success)
            } else {
                ("Blocked", p.danger)
            };
            ui.label(RichText::new(state).color(color));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let revoke = ui.button("Revoke");
                let label = format!("Revoke {} for {}", perm.permission.label(), perm.origin);
                if revoke.accessible_name(label).clicked() {
                    out.push(Intent::Settings(SettingsIntent::RevokePermission {
                        origin: perm.origin.clone(),
                        permission: perm.permission,
                    }));
                }
            });
        });
    }
}
