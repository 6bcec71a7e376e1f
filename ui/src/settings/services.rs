//! The Nexus AI, Downloads and Sync sections.

use super::{Field, SettingsPanel, group, set, validate};
use crate::icons;
use crate::intent::{Intent, SettingsIntent};
use crate::model::{ConnectionTest, Privacy, SettingChange, SettingsView};
use crate::theme::Palette;
use crate::widgets::{Tone, field_error, notice, primary_button};
use egui::{RichText, TextEdit, Ui};
use nexus_ipc::messages::ai::Generator;

pub(super) fn ai(
    panel: &mut SettingsPanel,
    ui: &mut Ui,
    view: &SettingsView<'_>,
    out: &mut Vec<Intent>,
) {
    let p = Palette::of(ui);
    let s = view.settings;
    group(
        ui,
        "Answers",
        "Page analysis always runs on this device. Choose who writes answers to your questions.",
    );
    let mut kind = match s.generator {
        _ if panel.remote_chosen => 2,
        Generator::Extractive => 0,
        Generator::LocalSmolLm2 => 1,
        Generator::Remote(_) => 2,
    };
    let before = kind;
    ui.radio_value(
        &mut kind,
        0,
        "Best passages from the page (no model, fastest)",
    );
    ui.radio_value(&mut kind, 1, "Local model: SmolLM2-135M, on this device");
    ui.radio_value(
        &mut kind,
        2,
        "An OpenAI-compatible endpoint (Ollama, llama.cpp, LM Studio, OpenAI…)",
    );
    panel.remote_chosen = kind == 2 && !matches!(s.generator, Generator::Remote(_));
    if kind != before && kind < 2 {
        let generator = if kind == 0 {
            Generator::Extractive
        } else {
            Generator::LocalSmolLm2
        };
        set(out, SettingChange::Generator(generator));
    }
    if kind == 2 {
        endpoint_form(panel, ui, view, out);
    }
    let privacy = Privacy::from_generator(&s.generator);
    ui.label(
        RichText::new(format!("{} · {}", privacy.runs_at, privacy.sends))
            .size(12.5)
            .color(p.weak_text),
    );

    group(ui, "Automatic analysis", "");
    let mut auto = s.auto_analyze;
    if ui
        .checkbox(&mut auto, "Analyze every page when it loads")
        .changed()
    {
        set(out, SettingChange::AutoAnalyze(auto));
    }
    ui.label(RichText::new("Never analyze these sites:").color(p.text));
    if s.never_analyze.is_empty() {
        ui.label(RichText::new("None.").color(p.weak_text));
    }
    for site in &s.never_analyze {
        ui.horizontal(|ui| {
            ui.label(site);
            let label = format!("Remove {site}");
            if ui.small_button("Remove").accessible_name(label).clicked() {
                set(
                    out,
                    SettingChange::NeverAnalyze {
                        site: site.clone(),
                        never: false,
                    },
                );
            }
        });
    }
    if let Some(site) = panel.text_setting(
        ui,
        Field::NeverSite,
        "Add a site",
        "",
        "example.com",
        validate::site,
    ) {
        if !s.never_analyze.contains(&site) {
            set(out, SettingChange::NeverAnalyze { site, never: true });
        }
        panel.draft_mut(Field::NeverSite).clear();
    }
}

fn endpoint_form(
    panel: &mut SettingsPanel,
    ui: &mut Ui,
    view: &SettingsView<'_>,
    out: &mut Vec<Intent>,
) {
    let p = Palette::of(ui);
    let current = match &view.settings.generator {
        Generator::Remote(e) => Some(e.clone()),
        _ => None,
    };
    let fields = panel.endpoint.get_or_insert_with(|| match &current {
        Some(e) => [
            e.base_url.clone(),
            e.model.clone(),
            e.api_key.clone().unwrap_or_default(),
        ],
        None => [
            "http://localhost:11434/v1".into(),
            String::new(),
            String::new(),
        ],
    });
    egui::Grid::new("nexus-endpoint")
        .num_columns(2)
        .spacing([10.0, 8.0])
        .show(ui, |ui| {
            let name = ui.label("Base URL");
            ui.add(TextEdit::singleline(&mut fields[0]).desired_width(340.0))
                .labelled_by(name.id);
            ui.end_row();
            let name = ui.label("Model");
            let model = TextEdit::singleline(&mut fields[1])
                .hint_text("llama3")
                .desired_width(340.0);
            ui.add(model).labelled_by(name.id);
            ui.end_row();
            let name = ui.label("API key");
            ui.horizontal(|ui| {
                let key = TextEdit::singleline(&mut fields[2])
                    .password(!panel.show_key)
                    .hint_text("Only if the endpoint needs one")
                    .desired_width(270.0);
                ui.add(key).labelled_by(name.id);
                let toggle = if panel.show_key { "Hide" } else { "Show" };
                if ui.small_button(toggle).clicked() {
                    panel.show_key = !panel.show_key;
                }
            });
            ui.end_row();
        });
    let fields = panel.endpoint.clone().unwrap_or_default();
    let parsed = validate::endpoint(&fields[0], &fields[1], &fields[2]);
    let mut error = None;
    ui.horizontal(|ui| {
        let differs = current.as_ref() != parsed.as_ref().ok();
        if primary_button(ui, "Use this endpoint").clicked() {
            match &parsed {
                Ok(e) if differs => {
                    set(out, SettingChange::Generator(Generator::Remote(e.clone())))
                }
                Ok(_) => {}
                Err(e) => error = Some(e.clone()),
            }
        }
        if ui.button("Test connection").clicked() {
            match &parsed {
                Ok(e) => out.push(Intent::Settings(SettingsIntent::TestConnection(e.clone()))),
                Err(e) => error = Some(e.clone()),
            }
        }
        match view.connection_test {
            ConnectionTest::Idle => {}
            ConnectionTest::Testing => {
                icons::spinner(ui, 16.0, p.accent);
                ui.label(RichText::new("Testing…").color(p.weak_text));
            }
            ConnectionTest::Ok(what) => {
                let (r, _) = ui.allocate_exact_size(egui::Vec2::splat(16.0), egui::Sense::hover());
                icons::paint(ui.painter(), r, icons::Icon::Check, p.success);
                ui.label(RichText::new(what).color(p.success));
            }
            ConnectionTest::Failed(why) => {
                ui.label(RichText::new(format!("Failed: {why}")).color(p.danger));
            }
        }
    });
    if error.is_some() {
        let keeping = match &current {
            Some(e) => format!(" Still using {} at {}.", e.model, e.base_url),
            None => " Nothing was changed.".into(),
        };
        panel.set_error(Field::Endpoint, error.map(|e| format!("{e}{keeping}")));
    } else if parsed.is_ok() && panel.error(Field::Endpoint).is_some() {
        panel.set_error(Field::Endpoint, None);
    }
    if let Some(e) = panel.error(Field::Endpoint) {
        field_error(ui, e);
    }
}

pub(super) fn downloads(
    panel: &mut SettingsPanel,
    ui: &mut Ui,
    view: &SettingsView<'_>,
    out: &mut Vec<Intent>,
) {
    let current = &view.settings.downloads_folder;
    let hint = "/home/you/Downloads";
    if let Some(folder) = panel.text_setting(
        ui,
        Field::DownloadsFolder,
        "Save downloads to",
        current,
        hint,
        validate::folder,
    ) {
        set(out, SettingChange::DownloadsFolder(folder));
    }
}

pub(super) fn sync(
    panel: &mut SettingsPanel,
    ui: &mut Ui,
    view: &SettingsView<'_>,
    out: &mut Vec<Intent>,
) {
    let p = Palette::of(ui);
    let s = view.settings;
    let status = view.sync;
    ui.label(
        RichText::new(
            "Sync keeps bookmarks, history and settings the same on your devices through a folder \
             you choose (Syncthing, Dropbox, a network share). Everything in it is encrypted with your \
             passphrase.",
        )
        .color(p.weak_text),
    );
    group(ui, "Sync folder", "");
    let current = s.sync_folder.clone().unwrap_or_default();
    if let Some(folder) = panel.text_setting(
        ui,
        Field::SyncFolder,
        "Folder",
        &current,
        "/home/you/Sync/nexus",
        validate::folder,
    ) {
        set(out, SettingChange::SyncFolder(Some(folder)));
    }
    if s.sync_folder.is_some() && ui.button("Stop syncing").clicked() {
        set(out, SettingChange::SyncFolder(None));
    }

    group(
        ui,
        "Passphrase",
        "Use the same passphrase on every device. Nexus cannot recover it.",
    );
    if s.sync_passphrase_set && !panel.changing_passphrase {
        ui.horizontal(|ui| {
            ui.label(RichText::new("A passphrase is set.").color(p.text));
            if ui.button("Change passphrase").clicked() {
                panel.changing_passphrase = true;
            }
        });
    } else {
        passphrase_form(panel, ui, out);
    }

    group(ui, "Status", "");
    let last = status.last_sync.as_deref().unwrap_or("Never");
    ui.label(format!("Last sync: {last}"));
    let pending = match status.pending_changes {
        0 => "No changes waiting".to_owned(),
        1 => "1 change waiting to sync".to_owned(),
        n => format!("{n} changes waiting to sync"),
    };
    ui.label(pending);
    for error in &status.errors {
        notice(ui, Tone::Error, &error.title, &error.detail, |_| {});
    }
    let blocker = if s.sync_folder.is_none() {
        Some("Choose a sync folder first.")
    } else if !s.sync_passphrase_set {
        Some("Set a passphrase first.")
    } else {
        None
    };
    ui.horizontal(|ui| {
        let enabled = blocker.is_none() && !status.syncing;
        if ui
            .add_enabled(enabled, egui::Button::new("Sync now"))
            .clicked()
        {
            out.push(Intent::Settings(SettingsIntent::SyncNow));
        }
        if status.syncing {
            icons::spinner(ui, 16.0, p.accent);
            ui.label(RichText::new("Syncing…").color(p.weak_text));
        } else if let Some(why) = blocker {
            ui.label(RichText::new(why).color(p.weak_text));
        }
    });
}

fn passphrase_form(panel: &mut SettingsPanel, ui: &mut Ui, out: &mut Vec<Intent>) {
    let [first, second] = &mut panel.passphrase;
    ui.add(
        TextEdit::singleline(first)
            .password(true)
            .hint_text("Passphrase")
            .desired_width(300.0),
    )
    .accessible_name("New passphrase");
    ui.add(
        TextEdit::singleline(second)
            .password(true)
            .hint_text("Type it again")
            .desired_width(300.0),
    )
    .accessible_name("Confirm passphrase");
    if ui.button("Save passphrase").clicked() {
        match validate::passphrase(first, second) {
            Ok(passphrase) => {
                out.push(Intent::Settings(SettingsIntent::SetSyncPassphrase(
                    passphrase,
                )));
                panel.passphrase = Default::default();
                panel.changing_passphrase = false;
                panel.set_error(Field::Passphrase, None);
            }
            Err(e) => panel.set_error(Field::Passphrase, Some(e)),
        }
    }
    if let Some(e) = panel.error(Field::Passphrase) {
        field_error(ui, e);
    }
}
