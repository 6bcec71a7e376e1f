//! The find bar (Ctrl+F): a small floating box at the page's top-right with the query,
//! "3 of 12", previous/next and close. Typing searches as you type; Enter finds the next
//! match, Shift+Enter the previous; Escape closes it.

use crate::icons::{Icon, IconButton};
use crate::intent::Intent;
use crate::model::FindResult;
use crate::theme::Palette;
use egui::{
    Area, CornerRadius, Frame, Id, Key, Margin, Modifiers, Order, Rect, RichText, TextEdit, Ui,
    pos2,
};

/// The find bar's state.
#[derive(Debug, Default)]
pub struct FindBar {
    open: bool,
    query: String,
    focus: bool,
    pending_search: bool,
}

impl FindBar {
    /// The stable id of the query field.
    pub fn field_id() -> Id {
        Id::unique("nexus-find-field")
    }

    /// Open (or refocus) the bar, selecting the current query.
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
        if !self.query.is_empty() {
            self.pending_search = true;
        }
    }

    /// Open the bar with `text` and search for it on the next frame.
    pub fn open_with(&mut self, text: &str) {
        self.open = true;
        self.focus = true;
        self.query = text.to_owned();
        self.pending_search = true;
    }

    /// Close the bar.
    pub fn close(&mut self) {
        self.open = false;
    }

    /// Whether the bar is open.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The current query.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Draw the bar over the top-right corner of `pane`; returns what the user asked for.
    /// An empty query in [`Intent::Find`] means: clear the highlights.
    pub fn show(&mut self, ui: &Ui, pane: Rect, result: FindResult) -> Vec<Intent> {
        let mut out = Vec::new();
        if !self.open {
            return out;
        }
        let p = Palette::of(ui);
        if std::mem::take(&mut self.pending_search) {
            out.push(self.find(true, false));
        }
        let id = FindBar::field_id();
        let focused = ui.memory(|m| m.has_focus(id));
        if focused {
            let (prev, next, escape) = ui.ctx().input_mut(|i| {
                (
                    i.consume_key(Modifiers::SHIFT, Key::Enter),
                    i.consume_key(Modifiers::NONE, Key::Enter),
                    i.consume_key(Modifiers::NONE, Key::Escape),
                )
            });
            if prev {
                out.push(self.find(false, true));
            } else if next {
                out.push(self.find(true, true));
            }
            if escape {
                self.open = false;
                out.push(Intent::CloseFind);
                return out;
            }
        }
        let width = 380.0;
        Area::new(Id::unique("nexus-find-bar"))
            .order(Order::Foreground)
            .fixed_pos(pos2(pane.right() - width - 16.0, pane.top() + 8.0))
            .show(ui.ctx(), |ui| {
                Frame::popup(ui.style())
                    .fill(p.toolbar)
                    .corner_radius(CornerRadius::same(10))
                    .inner_margin(Margin::symmetric(10, 6))
                    .show(ui, |ui| {
                        ui.set_width(width - 20.0);
                        ui.horizontal(|ui| self.contents(ui, result, &mut out));
                    });
            });
        out
    }

    fn contents(&mut self, ui: &mut Ui, result: FindResult, out: &mut Vec<Intent>) {
        let p = Palette::of(ui);
        let id = FindBar::field_id();
        let no_match = !self.query.is_empty() && result.final_update && result.total == 0;
        let output = TextEdit::singleline(&mut self.query)
            .id(id)
            .hint_text("Find in page")
            .desired_width(180.0)
            .text_color_opt(no_match.then_some(p.danger))
            .show(ui);
        let response = output
            .response
            .response
            .clone()
            .accessible_name("Find in page");
        if std::mem::take(&mut self.focus) {
            response.request_focus();
            let mut state = output.state.clone();
            let end = self.query.chars().count();
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::two(
                    egui::text::CCursor::new(0),
                    egui::text::CCursor::new(end),
                )));
            state.store(ui.ctx(), id);
        }
        if response.changed() {
            out.push(self.find(true, false));
        }
        let count = if self.query.is_empty() {
            String::new()
        } else if result.total == 0 {
            if result.final_update {
                "No results".into()
            } else {
                String::new()
            }
        } else {
            format!("{} of {}", result.active, result.total)
        };
        let color = if no_match { p.danger } else { p.weak_text };
        ui.add_sized(
            [72.0, 20.0],
            egui::Label::new(RichText::new(count).size(12.5).color(color)),
        );
        ui.separator();
        let has_query = !self.query.is_empty();
        if ui
            .add_enabled(
                has_query,
                IconButton::new(Icon::ChevronUp, "Previous match")
                    .shortcut("Shift+Enter")
                    .size(26.0),
            )
            .clicked()
        {
            out.push(self.find(false, true));
        }
        if ui
            .add_enabled(
                has_query,
                IconButton::new(Icon::ChevronDown, "Next match")
                    .shortcut("Enter")
                    .size(26.0),
            )
            .clicked()
        {
            out.push(self.find(true, true));
        }
        if ui
            .add(
                IconButton::new(Icon::Close, "Close find bar")
                    .shortcut("Esc")
                    .size(26.0),
            )
            .clicked()
        {
            self.open = false;
            out.push(Intent::CloseFind);
        }
    }

    fn find(&self, forward: bool, find_next: bool) -> Intent {
        Intent::Find {
            query: self.query.clone(),
            forward,
            find_next,
        }
    }
}
