//! Questions about the page: the conversation (question, streamed answer, cited passages
//! that jump to the page), copy and clear, and the ask box pinned to the panel's bottom.
//! Without a generative model the answer is the best passages, and the panel says so.

use super::SidebarView;
use super::analysis::bullet;
use crate::icons::{self, Icon, IconButton};
use crate::intent::{AiIntent, Intent};
use crate::model::{PageAi, TabId, Turn, TurnState};
use crate::theme::Palette;
use crate::widgets::section_heading;
use egui::{Align, CornerRadius, Frame, Key, Layout, Margin, Modifiers, RichText, TextEdit, Ui};
use nexus_ipc::messages::ai::AiStatus;

/// The conversation so far, with copy and clear.
pub(super) fn conversation(ui: &mut Ui, tab: TabId, page: &PageAi, out: &mut Vec<Intent>) {
    if page.conversation.is_empty() {
        return;
    }
    crate::widgets::card(ui, |ui| {
        ui.horizontal(|ui| {
            section_heading(ui, "QUESTIONS");
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if ui
                    .add(IconButton::new(Icon::Trash, "Clear conversation").size(24.0))
                    .clicked()
                {
                    out.push(Intent::Ai(AiIntent::ClearConversation(tab)));
                }
                if ui
                    .add(IconButton::new(Icon::Copy, "Copy conversation").size(24.0))
                    .clicked()
                {
                    out.push(Intent::CopyToClipboard(page.transcript()));
                }
            });
        });
        for turn in &page.conversation {
            question_bubble(ui, &turn.question);
            answer(ui, turn, out);
        }
    });
}

fn question_bubble(ui: &mut Ui, question: &str) {
    let p = Palette::of(ui);
    ui.with_layout(Layout::top_down(Align::Max), |ui| {
        Frame::new()
            .fill(p.accent_soft)
            .corner_radius(CornerRadius {
                nw: 12,
                ne: 12,
                sw: 12,
                se: 3,
            })
            .inner_margin(Margin::symmetric(10, 6))
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width() * 0.85);
                ui.label(RichText::new(question).color(p.text));
            });
    });
}

fn answer(ui: &mut Ui, turn: &Turn, out: &mut Vec<Intent>) {
    let p = Palette::of(ui);
    match &turn.state {
        TurnState::Waiting => {
            ui.horizontal(|ui| {
                icons::spinner(ui, 16.0, p.accent);
                ui.label(RichText::new("Reading the page…").color(p.weak_text));
            });
            return;
        }
        TurnState::Failed(reason) => {
            ui.label(RichText::new(format!("No answer: {reason}")).color(p.danger));
        }
        TurnState::Cancelled => {
            ui.label(RichText::new("Stopped.").italics().color(p.weak_text));
        }
        TurnState::Streaming | TurnState::Done => {}
    }
    let generated = !turn.answer.is_empty() || turn.generated_by.is_some();
    if !turn.answer.is_empty() {
        ui.add(egui::Label::new(RichText::new(&turn.answer).color(p.text)).selectable(true));
        if turn.state == TurnState::Streaming {
            ui.horizontal(|ui| {
                icons::spinner(ui, 14.0, p.accent);
                ui.label(RichText::new("Writing…").size(12.0).color(p.weak_text));
            });
        }
    }
    if turn.passages.is_empty() {
        return;
    }
    if !generated && turn.state == TurnState::Done {
        let note =
            "No generative model is set up, so this answer is the best passages from the page.";
        ui.label(RichText::new(note).size(12.0).italics().color(p.weak_text));
    }
    let heading = if generated {
        "From the page:"
    } else {
        "Best passages:"
    };
    ui.label(
        RichText::new(heading)
            .size(12.0)
            .strong()
            .color(p.weak_text),
    );
    for (i, passage) in turn.passages.iter().enumerate() {
        let text = format!("[{}] {}", i + 1, passage.text);
        bullet(
            ui,
            &text,
            || Intent::JumpToText {
                span: passage.span,
                text: passage.text.clone(),
            },
            out,
        );
    }
    if let Some(by) = &turn.generated_by {
        ui.label(
            RichText::new(format!("Written by {by}"))
                .size(11.5)
                .color(p.weak_text),
        );
    }
}

/// The ask box: Enter or the send button asks; while answering, a stop button.
pub(super) fn ask_box(
    ui: &mut Ui,
    view: &SidebarView<'_>,
    draft: &mut String,
    out: &mut Vec<Intent>,
) {
    let p = Palette::of(ui);
    let ready = matches!(view.worker, AiStatus::Ready);
    let answering = view.page.is_answering();
    let id = egui::Id::unique(("nexus-ai-ask-field", view.tab));
    let enter = ui.memory(|m| m.has_focus(id))
        && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
    let mut ask = false;
    Frame::new()
        .fill(p.card)
        .stroke(egui::Stroke::new(1.0, p.separator))
        .corner_radius(CornerRadius::same(12))
        .inner_margin(Margin::symmetric(8, 6))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                let button_space = 34.0;
                let field = TextEdit::multiline(draft)
                    .id(id)
                    .hint_text(if ready {
                        "Ask about this page…"
                    } else {
                        "Nexus AI is not ready"
                    })
                    .desired_rows(1)
                    .frame(Frame::NONE)
                    .desired_width(ui.available_width() - button_space)
                    .interactive(ready);
                ui.add(field).accessible_name("Ask about this page");
                if answering {
                    if ui
                        .add(IconButton::new(Icon::Stop, "Stop answer").size(28.0))
                        .clicked()
                    {
                        out.push(Intent::Ai(AiIntent::CancelAnswer(view.tab)));
                    }
                } else {
                    let can_ask = ready && !draft.trim().is_empty();
                    let send = IconButton::new(Icon::Send, "Ask")
                        .size(28.0)
                        .color(if can_ask { p.accent } else { p.weak_text });
                    ask = ui.add_enabled(can_ask, send).clicked();
                }
            });
        });
    if (ask || (enter && !answering)) && ready && !draft.trim().is_empty() {
        out.push(Intent::Ai(AiIntent::Ask {
            tab: view.tab,
            question: draft.trim().to_owned(),
        }));
        draft.clear();
    }
}
