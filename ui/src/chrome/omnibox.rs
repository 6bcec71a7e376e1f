//! The omnibox: the address bar that takes a URL or a search.
//!
//! At rest it shows the page's URL (host emphasised) behind a site-info indicator (lock,
//! "Not secure", Nexus page, file). Focusing it (click or Ctrl+L) selects everything;
//! typing opens a dropdown of suggestions the shell computes from history and bookmarks
//! ([`Intent::OmniboxQueryChanged`] in, `Suggestion`s out); arrows pick a row, Enter opens
//! it (Alt+Enter in a new tab), Escape restores the URL.

use super::address::{looks_like_search, resolve_input, url_job};
use super::site_info::site_info;
use crate::icons::{self, Icon};
use crate::intent::{Disposition, Intent};
use crate::model::{SearchEngine, Security, Suggestion, SuggestionKind};
use crate::theme::Palette;
use crate::widgets::paint_truncated;
use egui::text::{CCursor, CCursorRange, LayoutJob};
use egui::{
    Align, Align2, Area, CornerRadius, FontId, Frame, Id, Key, Layout, Margin, Modifiers, Order,
    Rect, Sense, Stroke, StrokeKind, TextEdit, Ui, UiBuilder, Vec2, WidgetInfo, pos2, vec2,
};

/// Suggestions shown at most.
const MAX_ROWS: usize = 8;
const ROW_HEIGHT: f32 = 34.0;

/// What the omnibox shows.
#[derive(Clone, Copy, Debug)]
pub struct OmniboxView<'a> {
    /// The page's committed URL.
    pub url: &'a str,
    /// The site-info state.
    pub security: Security,
    /// Suggestions for the text being typed.
    pub suggestions: &'a [Suggestion],
    /// The search engine, for queries.
    pub search: &'a SearchEngine,
}

/// The omnibox's editing state.
#[derive(Debug, Default)]
pub struct Omnibox {
    text: String,
    editing: bool,
    typed: bool,
    selected: Option<usize>,
    focus_request: bool,
    dropdown_rect: Option<Rect>,
}

/// A row of the dropdown: what it opens and how it looks.
struct Row {
    icon: Icon,
    title: String,
    detail: String,
    url: String,
}

impl Omnibox {
    /// The stable id of the omnibox text field.
    pub fn id() -> Id {
        Id::unique("nexus-omnibox")
    }

    /// Focus the omnibox and select its text on the next frame (Ctrl+L).
    pub fn focus(&mut self) {
        self.focus_request = true;
    }

    /// Whether the user is editing the omnibox.
    pub fn is_editing(&self) -> bool {
        self.editing
    }

    /// Draw the omnibox into `rect`; returns what the user asked for.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        rect: Rect,
        view: &OmniboxView<'_>,
        trailing: impl FnOnce(&mut Ui),
    ) -> Vec<Intent> {
        let mut out = Vec::new();
        let p = Palette::of(ui);
        let id = Omnibox::id();
        if self.focus_request {
            self.focus_request = false;
            ui.memory_mut(|m| m.request_focus(id));
            self.begin_editing(ui, view.url);
        }
        let focused = ui.memory(|m| m.has_focus(id));
        if focused && !self.editing {
            self.begin_editing(ui, view.url);
        }
        if !focused && !self.keep_dropdown(ui) {
            self.editing = false;
            self.typed = false;
            self.selected = None;
        }
        if !self.editing {
            self.text = view.url.to_owned();
        }
        let rows = if self.editing && self.typed {
            self.rows(view)
        } else {
            Vec::new()
        };
        if focused {
            self.keys(ui, view, &rows, &mut out);
        }

        // The field's frame.
        let fill = if focused { p.toolbar } else { p.field };
        ui.painter().rect_filled(rect, CornerRadius::same(17), fill);
        if focused {
            ui.painter().rect_stroke(
                rect,
                CornerRadius::same(17),
                Stroke::new(2.0, p.accent),
                StrokeKind::Inside,
            );
        }
        let inner = rect.shrink2(vec2(6.0, 3.0));
        let mut child = ui.new_child(
            UiBuilder::new()
                .max_rect(inner)
                .layout(Layout::right_to_left(Align::Center)),
        );
        trailing(&mut child);
        child.with_layout(Layout::left_to_right(Align::Center), |ui| {
            site_info(ui, view.security, self.editing);
            let url_is_shown = !self.editing;
            let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, _wrap: f32| {
                let job = if url_is_shown {
                    url_job(buf.as_str(), &Palette::of(ui))
                } else {
                    LayoutJob::simple_singleline(
                        buf.as_str().to_owned(),
                        FontId::proportional(14.0),
                        p.text,
                    )
                };
                ui.fonts_mut(|f| f.layout_job(job))
            };
            let output = TextEdit::singleline(&mut self.text)
                .id(id)
                .frame(Frame::NONE)
                .hint_text(format!("Search {} or type a URL", view.search.name))
                .desired_width(ui.available_width())
                .align(Align2::LEFT_CENTER)
                .min_size(vec2(0.0, 26.0))
                .font(FontId::proportional(14.0))
                .layouter(&mut layouter)
                .show(ui);
            let response = output
                .response
                .response
                .clone()
                .accessible_name("Address and search bar");
            if response.changed() {
                self.typed = true;
                self.selected = None;
                out.push(Intent::OmniboxQueryChanged(self.text.clone()));
            }
        });

        let rows = if self.editing && self.typed {
            self.rows(view)
        } else {
            Vec::new()
        };
        self.dropdown_rect = None;
        if !rows.is_empty() {
            self.dropdown(ui, rect, &rows, &mut out);
        }
        out
    }

    fn begin_editing(&mut self, ui: &Ui, url: &str) {
        self.editing = true;
        self.typed = false;
        self.selected = None;
        self.text = url.to_owned();
        select_all(ui, Omnibox::id(), &self.text);
    }

    /// Keep the dropdown while the pointer is pressed on it, so a click on a row lands even
    /// though the press already took focus from the text field.
    fn keep_dropdown(&self, ui: &Ui) -> bool {
        let Some(rect) = self.dropdown_rect else {
            return false;
        };
        ui.input(|i| {
            let on_it = i.pointer.interact_pos().is_some_and(|p| rect.contains(p));
            on_it && (i.pointer.any_down() || i.pointer.any_released())
        })
    }

    /// Arrow keys, Enter and Escape while editing (taken before the text field sees them).
    fn keys(&mut self, ui: &mut Ui, view: &OmniboxView<'_>, rows: &[Row], out: &mut Vec<Intent>) {
        // Alt+Enter first: consume_key ignores extra Alt, so plain Enter would take it.
        let (alt_enter, enter, down, up, escape) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::ALT, Key::Enter),
                i.consume_key(Modifiers::NONE, Key::Enter),
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::Escape),
            )
        });
        if !rows.is_empty() {
            let last = rows.len() - 1;
            if down {
                self.selected = Some(self.selected.map_or(1.min(last), |s| (s + 1).min(last)));
            }
            if up {
                self.selected = self.selected.and_then(|s| s.checked_sub(1));
            }
        }
        if escape {
            if self.selected.is_some() {
                self.selected = None;
            } else if self.text != view.url {
                self.text = view.url.to_owned();
                self.typed = false;
                select_all(ui, Omnibox::id(), &self.text);
            } else {
                ui.memory_mut(|m| m.surrender_focus(Omnibox::id()));
            }
        }
        if enter || alt_enter {
            let url = match self.selected.and_then(|s| rows.get(s)) {
                Some(row) => Some(row.url.clone()),
                None => resolve_input(&self.text, view.search),
            };
            if let Some(url) = url {
                let disposition = if alt_enter {
                    Disposition::NewForegroundTab
                } else {
                    Disposition::CurrentTab
                };
                out.push(Intent::Navigate { url, disposition });
                ui.memory_mut(|m| m.surrender_focus(Omnibox::id()));
                self.editing = false;
                self.typed = false;
            }
        }
    }

    /// The dropdown rows: what was typed first, then the suggestions.
    fn rows(&self, view: &OmniboxView<'_>) -> Vec<Row> {
        let text = self.text.trim();
        let Some(url) = resolve_input(text, view.search) else {
            return Vec::new();
        };
        let typed = if looks_like_search(text) {
            Row {
                icon: Icon::Search,
                title: text.to_owned(),
                detail: format!("{} search", view.search.name),
                url,
            }
        } else {
            Row {
                icon: Icon::Globe,
                title: text.to_owned(),
                detail: "Open".into(),
                url,
            }
        };
        let mut rows = vec![typed];
        for s in view.suggestions.iter().take(MAX_ROWS) {
            let icon = match s.kind {
                SuggestionKind::History => Icon::Clock,
                SuggestionKind::Bookmark => Icon::Star,
                SuggestionKind::Search => Icon::Search,
            };
            rows.push(Row {
                icon,
                title: s.title.clone(),
                detail: s.url.clone(),
                url: s.url.clone(),
            });
        }
        rows
    }

    fn dropdown(&mut self, ui: &Ui, anchor: Rect, rows: &[Row], out: &mut Vec<Intent>) {
        let p = Palette::of(ui);
        let width = anchor.width();
        let area = Area::new(Id::unique("nexus-omnibox-dropdown"))
            .order(Order::Foreground)
            .fixed_pos(pos2(anchor.left(), anchor.bottom() + 4.0))
            .show(ui.ctx(), |ui| {
                Frame::popup(ui.style())
                    .fill(p.toolbar)
                    .corner_radius(CornerRadius::same(12))
                    .inner_margin(Margin::same(6))
                    .show(ui, |ui| {
                        ui.set_width(width - 12.0);
                        for (i, row) in rows.iter().enumerate() {
                            if self.row(ui, row, i == self.selected.unwrap_or(0)) {
                                out.push(Intent::Navigate {
                                    url: row.url.clone(),
                                    disposition: Disposition::CurrentTab,
                                });
                                ui.memory_mut(|m| m.surrender_focus(Omnibox::id()));
                                self.editing = false;
                                self.typed = false;
                            }
                        }
                    });
            });
        self.dropdown_rect = Some(area.response.rect);
    }

    /// One dropdown row; returns whether it was clicked.
    fn row(&self, ui: &mut Ui, row: &Row, selected: bool) -> bool {
        let p = Palette::of(ui);
        let (rect, response) =
            ui.allocate_exact_size(vec2(ui.available_width(), ROW_HEIGHT), Sense::click());
        let label = format!("{} — {}", row.title, row.detail);
        response.widget_info(|| {
            WidgetInfo::selected(egui::Role::ListBoxOption, true, selected, &label)
        });
        if selected || response.hovered() {
            let fill = if selected { p.accent_soft } else { p.hover };
            ui.painter().rect_filled(rect, CornerRadius::same(8), fill);
        }
        let icon_rect =
            Rect::from_center_size(rect.left_center() + vec2(18.0, 0.0), Vec2::splat(16.0));
        icons::paint(ui.painter(), icon_rect, row.icon, p.weak_text);
        let title = paint_truncated(
            ui,
            rect.left_center() + vec2(38.0, 0.0),
            Align2::LEFT_CENTER,
            &row.title,
            FontId::proportional(13.5),
            p.text,
            rect.width() * 0.55,
        );
        paint_truncated(
            ui,
            pos2(title.right() + 10.0, rect.center().y),
            Align2::LEFT_CENTER,
            &format!("— {}", row.detail),
            FontId::proportional(12.5),
            p.weak_text,
            (rect.right() - title.right() - 20.0).max(0.0),
        );
        response.clicked()
    }
}

/// Select all of the text field's text (Ctrl+L, focusing by click).
fn select_all(ui: &Ui, id: Id, text: &str) {
    let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
    let end = text.chars().count();
    state
        .cursor
        .set_char_range(Some(CCursorRange::two(CCursor::new(0), CCursor::new(end))));
    state.store(ui.ctx(), id);
}
