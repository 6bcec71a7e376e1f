//! The AI sidebar (issue 6): what the page is about, who and what it mentions, its tone,
//! a summary, and questions with cited passages — for the active tab.
//!
//! The shell keeps one [`PageAi`] per tab and hands the active tab's to the sidebar, so
//! the panel follows tab switches with each tab's own results and conversation. Every
//! worker state a user can act on has its own notice (starting, unavailable, model files
//! missing), and the privacy line always says where the work runs and what leaves the
//! device.

mod analysis;
mod chat;

use crate::icons::{self, Icon, IconButton};
use crate::intent::{AiIntent, Intent};
use crate::model::{AnalysisStatus, PageAi, Privacy, TabId};
use crate::state::{SIDEBAR_MAX_WIDTH, SIDEBAR_MIN_WIDTH, UiState};
use crate::theme::Palette;
use crate::widgets::{Tone, fraction_bar, notice, primary_button};
use egui::{Align, Frame, Layout, Margin, RichText, Sense, Ui, Vec2};
use nexus_ipc::messages::ai::AiStatus;
use std::collections::HashMap;

/// What the sidebar shows for the active tab.
#[derive(Clone, Copy, Debug)]
pub struct SidebarView<'a> {
    /// The active tab.
    pub tab: TabId,
    /// Its page title.
    pub page_title: &'a str,
    /// Its site (host), if it has one (for "never analyze this site").
    pub site: Option<&'a str>,
    /// The AI worker's state.
    pub worker: &'a AiStatus,
    /// The tab's analysis and conversation.
    pub page: &'a PageAi,
    /// Where the work runs.
    pub privacy: &'a Privacy,
    /// The auto-analyze setting.
    pub auto_analyze: bool,
    /// Whether the site is on the never-analyze list.
    pub never_analyze_site: bool,
}

/// The sidebar's own state: the question being typed in each tab.
#[derive(Debug, Default)]
pub struct AiSidebar {
    drafts: HashMap<TabId, String>,
}

impl AiSidebar {
    /// The question being typed in a tab.
    pub fn draft(&self, tab: TabId) -> &str {
        self.drafts.get(&tab).map_or("", String::as_str)
    }

    /// Forget a closed tab's draft question.
    pub fn forget(&mut self, tab: TabId) {
        self.drafts.remove(&tab);
    }

    /// Show the sidebar as a resizable right-hand panel of `ui`, if `state` says it is
    /// open. Reports width changes as [`Intent::SetSidebarWidth`].
    pub fn show_panel(
        &mut self,
        ui: &mut Ui,
        state: &UiState,
        view: &SidebarView<'_>,
    ) -> Vec<Intent> {
        let mut out = Vec::new();
        if !state.sidebar_open {
            return out;
        }
        let p = Palette::of(ui);
        let panel = egui::Panel::right("nexus-ai-sidebar")
            .resizable(true)
            .default_size(state.sidebar_width)
            .size_range(SIDEBAR_MIN_WIDTH..=SIDEBAR_MAX_WIDTH)
            .frame(Frame::new().fill(p.surface).inner_margin(Margin::same(12)))
            .show(ui, |ui| out.extend(self.show_contents(ui, view)));
        let width = panel.response.rect.width();
        if (width - state.sidebar_width).abs() >= 1.0 && width >= SIDEBAR_MIN_WIDTH - 1.0 {
            out.push(Intent::SetSidebarWidth(width.round()));
        }
        out
    }

    /// Draw the sidebar's contents into `ui` (any rect); returns what the user asked for.
    pub fn show_contents(&mut self, ui: &mut Ui, view: &SidebarView<'_>) -> Vec<Intent> {
        let mut out = Vec::new();
        header(ui, &mut out);
        privacy_line(ui, view.privacy);
        ui.add_space(4.0);
        let draft = self.drafts.entry(view.tab).or_default();
        egui::Panel::bottom(("nexus-ai-ask", view.tab))
            .frame(Frame::new().inner_margin(Margin {
                left: 0,
                right: 0,
                top: 8,
                bottom: 0,
            }))
            .show(ui, |ui| chat::ask_box(ui, view, draft, &mut out));
        egui::ScrollArea::vertical()
            .id_salt(("nexus-ai-scroll", view.tab))
            .auto_shrink([false, false])
            .stick_to_bottom(view.page.is_answering())
            .show(ui, |ui| {
                worker_notice(ui, view.worker, &mut out);
                analyze_card(ui, view, &mut out);
                analysis::results(ui, view.page, &mut out);
                chat::conversation(ui, view.tab, view.page, &mut out);
            });
        out
    }
}

fn header(ui: &mut Ui, out: &mut Vec<Intent>) {
    let p = Palette::of(ui);
    ui.horizontal(|ui| {
        let (r, _) = ui.allocate_exact_size(Vec2::splat(20.0), Sense::hover());
        icons::paint(ui.painter(), r, Icon::Sparkle, p.accent);
        ui.label(RichText::new("Nexus AI").size(16.0).strong().color(p.text));
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let close = IconButton::new(Icon::Close, "Close AI sidebar")
                .shortcut("Ctrl+Shift+A")
                .size(26.0);
            if ui.add(close).clicked() {
                out.push(Intent::ToggleAiSidebar);
            }
        });
    });
}

/// Where the work runs and what leaves the device, always visible.
fn privacy_line(ui: &mut Ui, privacy: &Privacy) {
    let p = Palette::of(ui);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let (r, _) = ui.allocate_exact_size(Vec2::splat(13.0), Sense::hover());
        let (icon, color) = if privacy.remote {
            (Icon::Info, p.warning)
        } else {
            (Icon::Lock, p.success)
        };
        icons::paint(ui.painter(), r, icon, color);
        ui.label(
            RichText::new(&privacy.runs_at)
                .size(12.0)
                .strong()
                .color(p.text),
        );
        ui.label(
            RichText::new(format!("· {}", privacy.sends))
                .size(12.0)
                .color(p.weak_text),
        );
    });
}

/// Notices for worker states a user can act on.
fn worker_notice(ui: &mut Ui, worker: &AiStatus, out: &mut Vec<Intent>) {
    match worker {
        AiStatus::Ready => {}
        AiStatus::Loading { what, progress } => {
            notice(
                ui,
                Tone::Info,
                "Nexus AI is starting",
                &format!("Loading {what}…"),
                |ui| {
                    ui.horizontal(|ui| {
                        let p = Palette::of(ui);
                        let width = (ui.available_width() - 48.0).max(40.0);
                        fraction_bar(ui, *progress, p.accent, width, 6.0);
                        ui.label(
                            RichText::new(format!("{:.0}%", progress.clamp(0.0, 1.0) * 100.0))
                                .size(12.0),
                        );
                    });
                },
            );
        }
        AiStatus::ModelMissing { path, fix } => {
            let body = format!("Nexus AI needs the model file {path}. Fetch it with:");
            notice(ui, Tone::Warning, "Model files are missing", &body, |ui| {
                let p = Palette::of(ui);
                Frame::new()
                    .fill(p.field)
                    .corner_radius(6)
                    .inner_margin(Margin::symmetric(8, 6))
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.add(
                            egui::Label::new(RichText::new(fix).monospace().color(p.text))
                                .selectable(true),
                        );
                    });
                ui.horizontal(|ui| {
                    if ui.button("Copy command").clicked() {
                        out.push(Intent::CopyToClipboard(fix.clone()));
                    }
                    if ui.button("Retry").clicked() {
                        out.push(Intent::Ai(AiIntent::RetryWorker));
                    }
                });
            });
        }
        AiStatus::Failed { reason } => {
            notice(ui, Tone::Error, "Nexus AI is unavailable", reason, |ui| {
                if ui.button("Retry").clicked() {
                    out.push(Intent::Ai(AiIntent::RetryWorker));
                }
            });
        }
    }
}

/// The "Analyze page" card: the button, progress while parts stream in, the page states
/// (not analysable, failed) and the auto-analyze toggles.
fn analyze_card(ui: &mut Ui, view: &SidebarView<'_>, out: &mut Vec<Intent>) {
    let p = Palette::of(ui);
    let ready = matches!(view.worker, AiStatus::Ready);
    let page = view.page;
    crate::widgets::card(ui, |ui| {
        let title = if view.page_title.trim().is_empty() {
            "This page"
        } else {
            view.page_title
        };
        ui.add(egui::Label::new(RichText::new(title).strong().color(p.text)).truncate());
        match &page.status {
            AnalysisStatus::Running { parts } => {
                ui.horizontal(|ui| {
                    icons::spinner(ui, 16.0, p.accent);
                    ui.label(
                        RichText::new(format!("Analysing… {parts} of 4 parts")).color(p.weak_text),
                    );
                    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                        if ui.button("Cancel").clicked() {
                            out.push(Intent::Ai(AiIntent::CancelAnalysis(view.tab)));
                        }
                    });
                });
                fraction_bar(
                    ui,
                    f32::from(*parts) / 4.0,
                    p.accent,
                    ui.available_width(),
                    5.0,
                );
            }
            AnalysisStatus::NotAnalysable(reason) => {
                notice(
                    ui,
                    Tone::Info,
                    "This page can't be analysed",
                    reason,
                    |_| {},
                );
            }
            status => {
                if let AnalysisStatus::Failed(reason) = status {
                    notice(ui, Tone::Error, "The analysis failed", reason, |_| {});
                }
                let label = match status {
                    AnalysisStatus::Complete => "Analyze again",
                    AnalysisStatus::Failed(_) => "Try again",
                    _ => "Analyze page",
                };
                let button = ui
                    .add_enabled_ui(ready, |ui| primary_button(ui, label))
                    .inner;
                if button.clicked() {
                    out.push(Intent::Ai(AiIntent::Analyze(view.tab)));
                }
                if !ready {
                    ui.label(
                        RichText::new("Available once Nexus AI is ready.")
                            .size(12.0)
                            .color(p.weak_text),
                    );
                }
            }
        }
        let info = &page.analysis.info;
        if page.status == AnalysisStatus::Complete && info.analysed_words < info.total_words {
            let body = format!(
                "Long page: the analysis covers the first {} of its {} words.",
                thousands(info.analysed_words),
                thousands(info.total_words)
            );
            notice(ui, Tone::Info, "Partly analysed", &body, |_| {});
        }
        ui.add_space(2.0);
        ui.scope(|ui| {
            ui.spacing_mut().item_spacing.y = 0.0;
            ui.spacing_mut().interact_size.y = 20.0;
            let mut auto = view.auto_analyze;
            let text = RichText::new("Analyze pages automatically").size(12.5);
            if ui.checkbox(&mut auto, text).changed() {
                out.push(Intent::Ai(AiIntent::SetAutoAnalyze(auto)));
            }
            if let Some(site) = view.site {
                let mut never = view.never_analyze_site;
                let text = RichText::new(format!("Never analyze {site}")).size(12.5);
                if ui.checkbox(&mut never, text).changed() {
                    out.push(Intent::Ai(AiIntent::SetNeverAnalyze {
                        site: site.to_owned(),
                        never,
                    }));
                }
            }
        });
    });
}

/// 12431 -> "12,431".
pub(crate) fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(5), "5");
        assert_eq!(super::thousands(5000), "5,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
