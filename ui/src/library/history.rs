//! The history page: search, visits grouped by day, delete entries (one, or the selected
//! ones), clear a time range. Only the rows on screen are laid out, so a profile with
//! 100,000 visits scrolls as smoothly as one with ten.

use crate::icons::{self, Icon, IconButton};
use crate::intent::{Disposition, HistoryIntent, Intent};
use crate::model::library::{local_day, local_time};
use crate::model::{HistoryEntry, HistoryId, HistoryView, TimeRange, day_label};
use crate::theme::Palette;
use crate::widgets::paint_truncated;
use egui::{
    Align2, ComboBox, FontId, PointerButton, Rect, RichText, Sense, TextEdit, Ui, Vec2, WidgetInfo,
    pos2, vec2,
};
use std::collections::BTreeSet;

const ROW_HEIGHT: f32 = 34.0;

/// One line of the list: a day heading or a visit.
enum Line<'a> {
    Day(String),
    Visit(&'a HistoryEntry),
}

/// The history page's state: search text, selection, the range to clear.
#[derive(Debug, Default)]
pub struct HistoryPanel {
    search: String,
    selected: BTreeSet<HistoryId>,
    clear_range: TimeRange,
}

impl HistoryPanel {
    /// Draw the page into `ui`; returns what the user asked for.
    pub fn show(&mut self, ui: &mut Ui, view: &HistoryView<'_>) -> Vec<Intent> {
        let mut out = Vec::new();
        let p = Palette::of(ui);
        ui.horizontal(|ui| {
            ui.label(RichText::new("History").size(22.0).strong().color(p.text));
            ui.add_space(16.0);
            let search = TextEdit::singleline(&mut self.search)
                .hint_text("Search history")
                .desired_width(280.0);
            if ui.add(search).accessible_name("Search history").changed() {
                out.push(Intent::History(HistoryIntent::Search(self.search.clone())));
            }
        });
        ui.horizontal(|ui| {
            ComboBox::from_id_salt("nexus-history-range")
                .selected_text(self.clear_range.label())
                .show_ui(ui, |ui| {
                    for range in TimeRange::ALL {
                        ui.selectable_value(&mut self.clear_range, range, range.label());
                    }
                })
                .response
                .accessible_name("Time range to clear");
            if ui.button("Clear history").clicked() {
                out.push(Intent::History(HistoryIntent::Clear(self.clear_range)));
            }
            if !self.selected.is_empty() {
                let text = format!("Delete selected ({})", self.selected.len());
                if ui.button(text).clicked() {
                    let ids = std::mem::take(&mut self.selected).into_iter().collect();
                    out.push(Intent::History(HistoryIntent::Delete(ids)));
                }
            }
        });
        ui.separator();

        let lines = self.lines(view);
        if lines.is_empty() {
            let text = if self.search.is_empty() {
                "Pages you visit appear here."
            } else {
                "No visits match your search."
            };
            ui.label(RichText::new(text).color(p.weak_text));
            return out;
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, ROW_HEIGHT, lines.len(), |ui, range| {
                ui.spacing_mut().item_spacing.y = 0.0;
                for line in &lines[range] {
                    match line {
                        Line::Day(label) => {
                            let (rect, _) = ui.allocate_exact_size(
                                vec2(ui.available_width(), ROW_HEIGHT),
                                Sense::hover(),
                            );
                            let text = RichText::new(label).size(14.0).strong().color(p.text);
                            let at = Rect::from_min_max(rect.min + vec2(6.0, 10.0), rect.max);
                            let layout = egui::Layout::left_to_right(egui::Align::Center);
                            ui.scope_builder(
                                egui::UiBuilder::new().max_rect(at).layout(layout),
                                |ui| {
                                    ui.label(text);
                                },
                            );
                        }
                        Line::Visit(entry) => self.row(ui, entry, view.utc_offset_secs, &mut out),
                    }
                }
            });
        out
    }

    /// Filtered visits with a heading before each new day.
    fn lines<'a>(&self, view: &HistoryView<'a>) -> Vec<Line<'a>> {
        let needle = self.search.trim().to_lowercase();
        let today = local_day(view.now, view.utc_offset_secs);
        let mut lines = Vec::new();
        let mut last_day = None;
        for entry in view.entries {
            if !needle.is_empty()
                && !entry.title.to_lowercase().contains(&needle)
                && !entry.url.to_lowercase().contains(&needle)
            {
                continue;
            }
            let day = local_day(entry.visited_at, view.utc_offset_secs);
            if last_day != Some(day) {
                lines.push(Line::Day(day_label(day, today)));
                last_day = Some(day);
            }
            lines.push(Line::Visit(entry));
        }
        lines
    }

    fn row(&mut self, ui: &mut Ui, entry: &HistoryEntry, offset: i32, out: &mut Vec<Intent>) {
        let p = Palette::of(ui);
        let (rect, _) =
            ui.allocate_exact_size(vec2(ui.available_width(), ROW_HEIGHT), Sense::hover());
        let rect = rect.shrink2(vec2(6.0, 0.0));
        let title = if entry.title.trim().is_empty() {
            entry.url.as_str()
        } else {
            entry.title.as_str()
        };

        let mut selected = self.selected.contains(&entry.id);
        let check_rect =
            Rect::from_min_size(rect.left_center() - vec2(0.0, 10.0), Vec2::splat(20.0));
        let check = ui.put(check_rect, egui::Checkbox::without_text(&mut selected));
        let check = check.accessible_name(format!("Select {title}"));
        if check.changed() {
            if selected {
                self.selected.insert(entry.id);
            } else {
                self.selected.remove(&entry.id);
            }
        }
        let time = local_time(entry.visited_at, offset);
        let time_rect =
            Rect::from_min_size(rect.left_center() + vec2(30.0, -9.0), vec2(44.0, 18.0));
        ui.put(
            time_rect,
            egui::Label::new(RichText::new(time).size(12.5).color(p.weak_text)),
        );

        let link_rect = Rect::from_min_max(
            pos2(rect.left() + 76.0, rect.top() + 2.0),
            pos2(rect.right() - 40.0, rect.bottom() - 2.0),
        );
        let link = ui.interact(
            link_rect,
            egui::Id::unique(("nexus-history-row", entry.id)),
            Sense::click(),
        );
        link.widget_info(|| WidgetInfo::labeled(egui::Role::Link, true, title));
        if link.hovered() || link.has_focus() {
            ui.painter().rect_filled(link_rect, 6, p.hover);
        }
        let icon_rect =
            Rect::from_center_size(link_rect.left_center() + vec2(12.0, 0.0), Vec2::splat(16.0));
        icons::paint(ui.painter(), icon_rect, Icon::Globe, p.weak_text);
        let max = link_rect.width() - 32.0;
        let t = paint_truncated(
            ui,
            link_rect.left_center() + vec2(28.0, 0.0),
            Align2::LEFT_CENTER,
            title,
            FontId::proportional(13.5),
            p.text,
            max * 0.6,
        );
        let host = crate::model::host_of(&entry.url);
        paint_truncated(
            ui,
            pos2(t.right() + 10.0, link_rect.center().y),
            Align2::LEFT_CENTER,
            host,
            FontId::proportional(12.5),
            p.weak_text,
            (link_rect.right() - t.right() - 16.0).max(0.0),
        );
        if link.clicked_by(PointerButton::Middle)
            || (link.clicked() && ui.input(|i| i.modifiers.command))
        {
            out.push(Intent::History(HistoryIntent::Open {
                url: entry.url.clone(),
                disposition: Disposition::NewBackgroundTab,
            }));
        } else if link.clicked() {
            out.push(Intent::History(HistoryIntent::Open {
                url: entry.url.clone(),
                disposition: Disposition::CurrentTab,
            }));
        }
        link.on_hover_text(&entry.url);
        let delete_rect =
            Rect::from_center_size(rect.right_center() - vec2(18.0, 0.0), Vec2::splat(26.0));
        let label = format!("Delete {title} from history");
        if ui
            .put(delete_rect, IconButton::new(Icon::Trash, &label).size(26.0))
            .clicked()
        {
            out.push(Intent::History(HistoryIntent::Delete(vec![entry.id])));
        }
    }
}
