//! Modal dialogs over the window: JavaScript alert/confirm/prompt, "Leave site?" for
//! beforeunload, and permission prompts ("`<origin>` wants to use Nexus AI features").
//! Each names the origin that asks, so a page cannot pass itself off as the browser.
//! Enter accepts, Escape cancels (for a permission prompt: blocks).

use crate::intent::Intent;
use crate::model::{DialogId, DialogKind, DialogView};
use crate::theme::Palette;
use crate::widgets::primary_button;
use egui::{Align, Id, Key, Layout, Modal, Modifiers, RichText, TextEdit, Ui};
use std::collections::HashMap;

/// Dialog state: the text typed into prompt() dialogs.
#[derive(Debug, Default)]
pub struct Dialogs {
    prompt_text: HashMap<DialogId, String>,
}

impl Dialogs {
    /// Draw `dialog` as a modal; returns the user's answer when there is one.
    pub fn show(&mut self, ctx: &egui::Context, dialog: &DialogView) -> Vec<Intent> {
        let mut out = Vec::new();
        let (enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::Enter),
                i.consume_key(Modifiers::NONE, Key::Escape),
            )
        });
        let frame = egui::Frame::popup(&ctx.global_style())
            .inner_margin(egui::Margin::same(20))
            .corner_radius(egui::CornerRadius::same(14));
        let modal = Modal::new(Id::unique(("nexus-dialog", dialog.id)))
            .frame(frame)
            .show(ctx, |ui| {
                ui.set_width(400.0);
                self.contents(ui, dialog)
            });
        let answer = modal.inner.or(if enter {
            Some(true)
        } else if escape {
            Some(false)
        } else {
            None
        });
        if let Some(accept) = answer {
            out.push(self.reply(dialog, accept));
        }
        out
    }

    /// Draw the dialog's body and buttons; returns Some(accept) when a button is pressed.
    fn contents(&mut self, ui: &mut Ui, dialog: &DialogView) -> Option<bool> {
        let p = Palette::of(ui);
        let origin = if dialog.origin.is_empty() {
            "This page"
        } else {
            dialog.origin.as_str()
        };
        let (title, message, accept, cancel) = match &dialog.kind {
            DialogKind::Alert { message } => {
                (format!("{origin} says"), message.clone(), "OK", None)
            }
            DialogKind::Confirm { message } => (
                format!("{origin} says"),
                message.clone(),
                "OK",
                Some("Cancel"),
            ),
            DialogKind::Prompt { message, .. } => (
                format!("{origin} says"),
                message.clone(),
                "OK",
                Some("Cancel"),
            ),
            DialogKind::BeforeUnload { is_reload } => {
                let title = if *is_reload {
                    "Reload site?"
                } else {
                    "Leave site?"
                };
                let accept = if *is_reload { "Reload" } else { "Leave" };
                (
                    title.to_owned(),
                    "Changes you made may not be saved.".to_owned(),
                    accept,
                    Some("Cancel"),
                )
            }
            DialogKind::Permission { permission } => (
                format!("{origin} wants to use {}", permission.label()),
                "It will be able to analyse the pages it shows and ask questions about them, \
                 on this device."
                    .to_owned(),
                "Allow",
                Some("Block"),
            ),
        };
        ui.label(RichText::new(title).size(16.0).strong().color(p.text));
        ui.add_space(6.0);
        if !message.is_empty() {
            egui::ScrollArea::vertical()
                .max_height(280.0)
                .show(ui, |ui| {
                    ui.label(RichText::new(message).color(p.text));
                });
        }
        if let DialogKind::Prompt { default_text, .. } = &dialog.kind {
            let text = self
                .prompt_text
                .entry(dialog.id)
                .or_insert_with(|| default_text.clone());
            ui.add_space(6.0);
            let field = ui.add(TextEdit::singleline(text).desired_width(f32::INFINITY));
            let field = field.accessible_name("Prompt answer");
            if !ui.memory(|m| m.focused().is_some()) {
                field.request_focus();
            }
        }
        ui.add_space(12.0);
        let mut answer = None;
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if primary_button(ui, accept).clicked() {
                answer = Some(true);
            }
            if let Some(cancel) = cancel
                && ui
                    .add(egui::Button::new(cancel).min_size(egui::vec2(0.0, 30.0)))
                    .clicked()
            {
                answer = Some(false);
            }
        });
        answer
    }

    fn reply(&mut self, dialog: &DialogView, accept: bool) -> Intent {
        let text = self.prompt_text.remove(&dialog.id);
        match &dialog.kind {
            DialogKind::Permission { permission } => Intent::PermissionReply {
                id: dialog.id,
                origin: dialog.origin.clone(),
                permission: *permission,
                allow: accept,
            },
            DialogKind::Prompt { default_text, .. } => Intent::DialogReply {
                id: dialog.id,
                accept,
                text: accept.then(|| text.unwrap_or_else(|| default_text.clone())),
            },
            _ => Intent::DialogReply {
                id: dialog.id,
                accept,
                text: None,
            },
        }
    }
}
