//! The settings & sync page (issue 7): General, Appearance, Privacy, AI, Downloads and
//! Sync, with a section list on the left.
//!
//! Text settings are edited as drafts and committed on Enter or when the field loses
//! focus. A value that does not validate is not sent: the old value stays in force and the
//! field says why, in words, until the user fixes or abandons the draft.

mod general;
mod services;
pub mod validate;

use crate::intent::{Intent, SettingsIntent};
use crate::model::{DataKinds, SettingChange, SettingsView, TimeRange};
use crate::theme::Palette;
use crate::widgets::field_error;
use egui::{Frame, Margin, RichText, ScrollArea, TextEdit, Ui};
use std::collections::HashMap;

/// A section of the settings page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Section {
    /// Home page, search engine, startup.
    #[default]
    General,
    /// Theme and zoom.
    Appearance,
    /// Clearing data, site permissions.
    Privacy,
    /// Nexus AI.
    Ai,
    /// Downloads folder.
    Downloads,
    /// Sync between devices.
    Sync,
}

impl Section {
    /// Every section, in page order.
    pub const ALL: [Section; 6] = [
        Section::General,
        Section::Appearance,
        Section::Privacy,
        Section::Ai,
        Section::Downloads,
        Section::Sync,
    ];

    /// Its name.
    pub fn label(self) -> &'static str {
        match self {
            Section::General => "General",
            Section::Appearance => "Appearance",
            Section::Privacy => "Privacy",
            Section::Ai => "Nexus AI",
            Section::Downloads => "Downloads",
            Section::Sync => "Sync",
        }
    }
}

/// A text setting being edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    HomePage,
    EngineName,
    EngineTemplate,
    StartupPages,
    DownloadsFolder,
    SyncFolder,
    Endpoint,
    Passphrase,
    NeverSite,
}

/// The settings page's own state: the open section, drafts and their errors.
#[derive(Debug, Default)]
pub struct SettingsPanel {
    section: Section,
    drafts: HashMap<Field, String>,
    errors: HashMap<Field, String>,
    pub(crate) clear_kinds: DataKinds,
    pub(crate) clear_range: TimeRange,
    pub(crate) endpoint: Option<[String; 3]>,
    pub(crate) show_key: bool,
    pub(crate) passphrase: [String; 2],
    pub(crate) changing_passphrase: bool,
    pub(crate) remote_chosen: bool,
}

impl SettingsPanel {
    /// Open a section (e.g. "Nexus AI" from the sidebar's settings link).
    pub fn open(&mut self, section: Section) {
        self.section = section;
    }

    /// The open section.
    pub fn section(&self) -> Section {
        self.section
    }

    /// Draw the page into `ui`; returns what the user asked for.
    pub fn show(&mut self, ui: &mut Ui, view: &SettingsView<'_>) -> Vec<Intent> {
        let mut out = Vec::new();
        let p = Palette::of(ui);
        egui::Panel::left("nexus-settings-nav")
            .exact_size(190.0)
            .resizable(false)
            .frame(Frame::new().fill(p.surface).inner_margin(Margin::same(16)))
            .show(ui, |ui| {
                ui.label(RichText::new("Settings").size(20.0).strong().color(p.text));
                ui.add_space(10.0);
                for section in Section::ALL {
                    let selected = self.section == section;
                    let button = egui::Button::selectable(selected, section.label())
                        .min_size(egui::vec2(158.0, 30.0));
                    if ui.add(button).clicked() {
                        self.section = section;
                    }
                }
            });
        egui::CentralPanel::default()
            .frame(
                Frame::new()
                    .fill(p.toolbar)
                    .inner_margin(Margin::symmetric(28, 20)),
            )
            .show(ui, |ui| {
                ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        // A fresh child, so the width limit is not held open by the
                        // scroll area's full-width minimum.
                        let width = ui.available_width().min(640.0);
                        ui.allocate_ui(egui::vec2(width, 0.0), |ui| {
                            ui.set_max_width(width);
                            ui.label(
                                RichText::new(self.section.label())
                                    .size(22.0)
                                    .strong()
                                    .color(p.text),
                            );
                            ui.add_space(8.0);
                            match self.section {
                                Section::General => general::general(self, ui, view, &mut out),
                                Section::Appearance => general::appearance(ui, view, &mut out),
                                Section::Privacy => general::privacy(self, ui, view, &mut out),
                                Section::Ai => services::ai(self, ui, view, &mut out),
                                Section::Downloads => services::downloads(self, ui, view, &mut out),
                                Section::Sync => services::sync(self, ui, view, &mut out),
                            }
                        });
                    });
            });
        out
    }

    /// A committed-on-Enter text setting. Shows the draft (or `current`), validates on
    /// commit and returns the new value only when it is valid and differs.
    pub(crate) fn text_setting<T>(
        &mut self,
        ui: &mut Ui,
        field: Field,
        label: &str,
        current: &str,
        hint: &str,
        validate: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let p = Palette::of(ui);
        let name = ui.label(RichText::new(label).strong().color(p.text));
        let mut text = self
            .drafts
            .get(&field)
            .cloned()
            .unwrap_or_else(|| current.to_owned());
        let multiline = field == Field::StartupPages;
        let edit = if multiline {
            TextEdit::multiline(&mut text).desired_rows(3)
        } else {
            TextEdit::singleline(&mut text)
        };
        let response = ui
            .add(edit.hint_text(hint).desired_width(f32::INFINITY))
            .labelled_by(name.id);
        if response.changed() {
            self.drafts.insert(field, text.clone());
        }
        let enter =
            !multiline && response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let mut result = None;
        if (enter || response.lost_focus()) && self.drafts.contains_key(&field) {
            match validate(&text) {
                Ok(value) => {
                    self.drafts.remove(&field);
                    self.errors.remove(&field);
                    if text.trim() != current.trim() {
                        result = Some(value);
                    }
                }
                Err(reason) => {
                    let keeping = if current.is_empty() {
                        String::new()
                    } else {
                        format!(" Still using {current}.")
                    };
                    self.errors.insert(field, format!("{reason}{keeping}"));
                }
            }
        }
        if let Some(error) = self.errors.get(&field) {
            field_error(ui, error);
        }
        ui.add_space(8.0);
        result
    }

    /// Record a validation error for a field (for settings with several inputs).
    pub(crate) fn set_error(&mut self, field: Field, error: Option<String>) {
        match error {
            Some(e) => self.errors.insert(field, e),
            None => self.errors.remove(&field),
        };
    }

    /// The error shown for a field, if any.
    pub(crate) fn error(&self, field: Field) -> Option<&str> {
        self.errors.get(&field).map(String::as_str)
    }

    pub(crate) fn draft_mut(&mut self, field: Field) -> &mut String {
        self.drafts.entry(field).or_default()
    }
}

/// Push a validated setting change.
pub(crate) fn set(out: &mut Vec<Intent>, change: SettingChange) {
    out.push(Intent::Settings(SettingsIntent::Set(change)));
}

/// A group heading with a hairline above it.
pub(crate) fn group(ui: &mut Ui, title: &str, description: &str) {
    let p = Palette::of(ui);
    ui.add_space(6.0);
    ui.separator();
    ui.add_space(4.0);
    ui.label(RichText::new(title).size(15.0).strong().color(p.text));
    if !description.is_empty() {
        ui.label(RichText::new(description).size(12.5).color(p.weak_text));
    }
    ui.add_space(4.0);
}
