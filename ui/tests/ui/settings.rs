//! The settings & sync page: sections, forgiving validation, every control's intent.

use crate::support::{harness, preview};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nexus_ipc::messages::ai::{Generator, RemoteEndpoint};
use nexus_ui::model::{
    ConnectionTest, DataKinds, PermissionKind, SearchEngine, SettingChange, Settings, SettingsView,
    SitePermission, SyncError, SyncStatus, ThemePreference, TimeRange,
};
use nexus_ui::settings::{Section, SettingsPanel};
use nexus_ui::{Intent, SettingsIntent};

pub struct Page {
    pub panel: SettingsPanel,
    pub settings: Settings,
    pub permissions: Vec<SitePermission>,
    pub test: ConnectionTest,
    pub sync: SyncStatus,
    pub intents: Vec<Intent>,
}

fn page(section: Section) -> Page {
    let mut panel = SettingsPanel::default();
    panel.open(section);
    Page {
        panel,
        settings: Settings {
            home_page: "https://start.example".into(),
            downloads_folder: "/home/ada/Downloads".into(),
            never_analyze: vec!["bank.example".into()],
            ..Settings::default()
        },
        permissions: vec![SitePermission {
            origin: "https://notes.example".into(),
            permission: PermissionKind::AiFeatures,
            allowed: true,
        }],
        test: ConnectionTest::Idle,
        sync: SyncStatus::default(),
        intents: Vec::new(),
    }
}

fn draw(ui: &mut egui::Ui, p: &mut Page) {
    let view = SettingsView {
        settings: &p.settings,
        permissions: &p.permissions,
        connection_test: &p.test,
        sync: &p.sync,
    };
    let intents = p.panel.show(ui, &view);
    p.intents.extend(intents);
}

fn open(section: Section) -> Harness<'static, Page> {
    let mut h = harness((860.0, 640.0), ThemePreference::Light, page(section), draw);
    h.run();
    h
}

fn set(change: SettingChange) -> Intent {
    Intent::Settings(SettingsIntent::Set(change))
}

/// Replace a text field's contents and press Enter.
fn type_into(h: &mut Harness<'_, Page>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.get_by_label(label).type_text(text);
    h.run();
    h.key_press(Key::Enter);
    h.run();
}

#[test]
fn sections_are_listed_and_switch() {
    let mut h = open(Section::General);
    for section in [
        "General",
        "Appearance",
        "Privacy",
        "Nexus AI",
        "Downloads",
        "Sync",
    ] {
        h.get_all_by_label(section).next().expect("nav item");
    }
    h.get_by_label("Appearance").click();
    h.run();
    assert_eq!(h.state().panel.section(), Section::Appearance);
    h.get_by_label("Dark").click();
    h.run();
    assert_eq!(
        h.state().intents,
        vec![set(SettingChange::Theme(ThemePreference::Dark))]
    );
}

#[test]
fn a_bad_home_page_keeps_the_old_one_and_says_why() {
    let mut h = open(Section::General);
    type_into(&mut h, "Home page", "not a url");
    h.get_by_label("A web address cannot contain spaces. Still using https://start.example.");
    assert!(h.state().intents.is_empty());
    type_into(&mut h, "Home page", "example.com");
    assert_eq!(
        h.state().intents,
        vec![set(SettingChange::HomePage("https://example.com".into()))]
    );
    assert!(
        h.query_by_label_contains("Still using").is_none(),
        "the error went away"
    );
}

#[test]
fn search_engine_presets_and_startup_choices() {
    let mut h = open(Section::General);
    h.get_by_label("Choose search engine").click();
    h.run();
    h.get_by_label("Google").click();
    h.run();
    h.get_by_label("Continue where you left off").click();
    h.run();
    assert_eq!(
        h.state().intents,
        vec![
            set(SettingChange::SearchEngine(SearchEngine {
                name: "Google".into(),
                url_template: "https://www.google.com/search?q={query}".into()
            })),
            set(SettingChange::Startup(
                nexus_ui::model::Startup::RestoreSession
            )),
        ]
    );
}

#[test]
fn clearing_data_and_revoking_permissions() {
    let mut h = open(Section::Privacy);
    h.get_by_label("Browsing history").click();
    h.run();
    h.get_by_label("Cookies and site data (signs you out of most sites)")
        .click();
    h.run();
    h.get_by_label("Clear data").click();
    h.run();
    h.get_by_label("Revoke Nexus AI features for https://notes.example")
        .click();
    h.run();
    assert_eq!(
        h.state().intents,
        vec![
            Intent::Settings(SettingsIntent::ClearBrowsingData {
                kinds: DataKinds {
                    history: true,
                    cookies: true,
                    ..DataKinds::default()
                },
                range: TimeRange::LastHour,
            }),
            Intent::Settings(SettingsIntent::RevokePermission {
                origin: "https://notes.example".into(),
                permission: PermissionKind::AiFeatures,
            }),
        ]
    );
}

#[test]
fn endpoint_is_validated_tested_and_used() {
    let mut h = open(Section::Ai);
    h.get_by_label("An OpenAI-compatible endpoint (Ollama, llama.cpp, LM Studio, OpenAI…)")
        .click();
    h.run();
    h.get_by_label("Test connection").click();
    h.run();
    h.get_by_label_contains("Enter the model name the endpoint serves");
    assert!(
        h.state().intents.is_empty(),
        "no model yet: nothing is sent"
    );
    h.get_by_label("Model").click();
    h.run();
    h.get_by_label("Model").type_text("llama3");
    h.run();
    h.get_by_label("Test connection").click();
    h.run();
    h.state_mut().test = ConnectionTest::Ok("llama3 answered in 420 ms".into());
    h.run();
    h.get_by_label("llama3 answered in 420 ms");
    h.get_by_label("Use this endpoint").click();
    h.run();
    let endpoint = RemoteEndpoint {
        base_url: "http://localhost:11434/v1".into(),
        model: "llama3".into(),
        api_key: None,
    };
    assert_eq!(
        h.state().intents,
        vec![
            Intent::Settings(SettingsIntent::TestConnection(endpoint.clone())),
            set(SettingChange::Generator(Generator::Remote(endpoint))),
        ]
    );
    preview(&mut h, "settings_ai");
}

#[test]
fn never_analyze_sites_are_added_and_removed() {
    let mut h = open(Section::Ai);
    h.get_by_label("Remove bank.example").click();
    h.run();
    type_into(&mut h, "Add a site", "https://Mail.Example.org/inbox");
    assert_eq!(
        h.state().intents,
        vec![
            set(SettingChange::NeverAnalyze {
                site: "bank.example".into(),
                never: false
            }),
            set(SettingChange::NeverAnalyze {
                site: "mail.example.org".into(),
                never: true
            }),
        ]
    );
}

#[test]
fn downloads_folder_must_be_a_full_path() {
    let mut h = open(Section::Downloads);
    type_into(&mut h, "Save downloads to", "Downloads");
    h.get_by_label_contains("Use a full path");
    h.get_by_label_contains("Still using /home/ada/Downloads.");
    assert!(h.state().intents.is_empty());
}

#[test]
fn sync_needs_a_folder_and_passphrase_and_names_errors() {
    let mut h = open(Section::Sync);
    h.get_by_label("Choose a sync folder first.");
    h.get_by_label("Last sync: Never");
    h.get_by_label("New passphrase").click();
    h.run();
    h.get_by_label("New passphrase")
        .type_text("correct horse battery");
    h.get_by_label("Confirm passphrase").click();
    h.run();
    h.get_by_label("Confirm passphrase")
        .type_text("correct horse battery!");
    h.run();
    h.get_by_label("Save passphrase").click();
    h.run();
    h.get_by_label("The two passphrases differ.");
    assert!(h.state().intents.is_empty());

    let s = h.state_mut();
    s.settings.sync_folder = Some("/home/ada/Sync/nexus".into());
    s.settings.sync_passphrase_set = true;
    s.sync = SyncStatus {
        last_sync: Some("Today, 14:02".into()),
        pending_changes: 3,
        errors: vec![SyncError {
            title: "Tampered file".into(),
            detail: "laptop.log failed its integrity check and was skipped; nothing was lost."
                .into(),
        }],
        syncing: false,
    };
    h.run();
    h.get_by_label("Last sync: Today, 14:02");
    h.get_by_label("3 changes waiting to sync");
    h.get_by_label("Tampered file");
    h.get_by_label("Sync now").click();
    h.run();
    assert_eq!(
        h.state().intents,
        vec![Intent::Settings(SettingsIntent::SyncNow)]
    );
    preview(&mut h, "settings_sync");
}

#[test]
fn settings_light() {
    let mut h = harness(
        (760.0, 520.0),
        ThemePreference::Light,
        page(Section::General),
        draw,
    );
    h.run();
    h.snapshot("settings_light");
}
