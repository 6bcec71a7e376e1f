//! Small widgets shared by several panels: cards, chips, bars, primary buttons, notices.
//!
//! Each is drawn from the [`Palette`] so panels look alike, and each
//! interactive one carries an AccessKit label.

use crate::icons::{self, Icon};
use crate::theme::Palette;
use egui::{
    Align2, Color32, CornerRadius, FontId, Frame, Margin, Rect, Response, RichText, Sense, Stroke,
    StrokeKind, Ui, Vec2, WidgetInfo, vec2,
};

/// A rounded card on the panel surface, with space below it.
pub fn card<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    let p = Palette::of(ui);
    let inner = Frame::new()
        .fill(p.card)
        .stroke(Stroke::new(1.0, p.separator))
        .corner_radius(CornerRadius::same(10))
        .inner_margin(Margin::same(12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui)
        })
        .inner;
    ui.add_space(4.0);
    inner
}

/// A small, weak, upper-case heading inside a card or panel.
pub fn section_heading(ui: &mut Ui, text: &str) {
    let p = Palette::of(ui);
    ui.label(RichText::new(text).size(11.5).strong().color(p.weak_text));
}

/// A filled accent button for the main action of a panel.
pub fn primary_button(ui: &mut Ui, text: &str) -> Response {
    let p = Palette::of(ui);
    let button = egui::Button::new(RichText::new(text).color(p.on_accent).strong())
        .fill(p.accent)
        .corner_radius(CornerRadius::same(8))
        .min_size(vec2(0.0, 30.0));
    ui.add(button)
}

/// A rounded chip with a count badge (entities). Clicking it is the caller's business.
pub fn chip(ui: &mut Ui, text: &str, count: u32, label: &str) -> Response {
    let p = Palette::of(ui);
    let font = FontId::proportional(12.5);
    let text_galley = ui
        .painter()
        .layout_no_wrap(text.to_owned(), font.clone(), p.text);
    let count_text = count.to_string();
    let count_galley =
        ui.painter()
            .layout_no_wrap(count_text, FontId::proportional(11.0), p.weak_text);
    let width = (text_galley.size().x + count_galley.size().x + 26.0).min(ui.available_width());
    let (rect, response) = ui.allocate_exact_size(vec2(width, 24.0), Sense::click());
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, label));
    if ui.is_rect_visible(rect) {
        let fill = if response.hovered() {
            p.hover
        } else {
            p.accent_soft
        };
        ui.painter().rect_filled(rect, CornerRadius::same(12), fill);
        focus_ring(ui, &response, rect);
        let clip = ui
            .painter()
            .with_clip_rect(rect.shrink(2.0).intersect(ui.clip_rect()));
        let text_pos = rect.left_center() + vec2(10.0, -text_galley.size().y / 2.0);
        clip.galley(text_pos, text_galley, p.text);
        let count_pos =
            rect.right_center() - vec2(8.0 + count_galley.size().x, count_galley.size().y / 2.0);
        ui.painter().galley(count_pos, count_galley, p.weak_text);
    }
    response
}

/// A horizontal bar showing `fraction` (0..1) of its width in `color`.
pub fn fraction_bar(ui: &mut Ui, fraction: f32, color: Color32, width: f32, height: f32) -> Rect {
    let p = Palette::of(ui);
    let (rect, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
    let radius = CornerRadius::same((height / 2.0) as u8);
    ui.painter().rect_filled(rect, radius, p.field);
    let fraction = if fraction.is_finite() {
        fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    if fraction > 0.0 {
        let mut filled = rect;
        filled.set_width((rect.width() * fraction).max(height));
        ui.painter().rect_filled(filled, radius, color);
    }
    rect
}

/// A thin progress line along the bottom of `rect`: determinate when `progress` is some,
/// a sliding segment otherwise (requests a repaint).
pub fn progress_line(ui: &Ui, rect: Rect, progress: Option<f32>, color: Color32) {
    let height = 2.5;
    let track = Rect::from_min_max(egui::pos2(rect.left(), rect.bottom() - height), rect.max);
    match progress {
        Some(fraction) => {
            let fraction = fraction.clamp(0.02, 1.0);
            let mut bar = track;
            bar.set_width(track.width() * fraction);
            ui.painter().rect_filled(bar, CornerRadius::ZERO, color);
        }
        None => {
            let t = (ui.input(|i| i.time) as f32 * 0.7).fract();
            let seg = track.width() * 0.3;
            let x0 = track.left() - seg + (track.width() + seg) * t;
            let bar = Rect::from_x_y_ranges(
                x0.max(track.left())..=(x0 + seg).min(track.right()),
                track.y_range(),
            );
            ui.painter().rect_filled(bar, CornerRadius::ZERO, color);
            ui.ctx().request_repaint();
        }
    }
}

/// A focus ring around `rect` when the response has keyboard focus.
pub fn focus_ring(ui: &Ui, response: &Response, rect: Rect) {
    if response.has_focus() {
        let p = Palette::of(ui);
        ui.painter().rect_stroke(
            rect,
            CornerRadius::same(7),
            Stroke::new(2.0, p.accent),
            StrokeKind::Inside,
        );
    }
}

/// The tone of a [`notice`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Neutral information.
    Info,
    /// Something to be aware of.
    Warning,
    /// Something failed.
    Error,
}

/// A tinted box with an icon, a title and a body; `add` draws actions under the body.
pub fn notice<R>(
    ui: &mut Ui,
    tone: Tone,
    title: &str,
    body: &str,
    add: impl FnOnce(&mut Ui) -> R,
) -> R {
    let p = Palette::of(ui);
    let (icon, color) = match tone {
        Tone::Info => (Icon::Info, p.accent),
        Tone::Warning => (Icon::Warning, p.warning),
        Tone::Error => (Icon::Warning, p.danger),
    };
    Frame::new()
        .fill(color.gamma_multiply(if p.dark { 0.16 } else { 0.09 }))
        .stroke(Stroke::new(1.0, color.gamma_multiply(0.45)))
        .corner_radius(CornerRadius::same(10))
        .inner_margin(Margin::same(12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(Vec2::splat(18.0), Sense::hover());
                icons::paint(ui.painter(), r, icon, color);
                ui.label(RichText::new(title).strong().color(p.text));
            });
            if !body.is_empty() {
                ui.label(RichText::new(body).color(p.text));
            }
            add(ui)
        })
        .inner
}

/// An inline validation message under a field.
pub fn field_error(ui: &mut Ui, message: &str) {
    let p = Palette::of(ui);
    ui.horizontal_wrapped(|ui| {
        let (r, _) = ui.allocate_exact_size(Vec2::splat(14.0), Sense::hover());
        icons::paint(ui.painter(), r, Icon::Warning, p.danger);
        ui.label(RichText::new(message).color(p.danger).size(12.0));
    });
}

/// Text in a small rounded pill (e.g. a zoom level, a "Nexus" badge).
pub fn pill(ui: &mut Ui, text: &str, fill: Color32, color: Color32, label: &str) -> Response {
    let galley = ui
        .painter()
        .layout_no_wrap(text.to_owned(), FontId::proportional(12.0), color);
    let size = vec2(galley.size().x + 16.0, 22.0);
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, label));
    let hover = Palette::of(ui).hover;
    ui.painter().rect_filled(
        rect,
        CornerRadius::same(11),
        if response.hovered() { hover } else { fill },
    );
    focus_ring(ui, &response, rect);
    ui.painter()
        .galley(rect.center() - galley.size() / 2.0, galley, color);
    response
}

/// Paint `text` truncated with an ellipsis to `max_width`, anchored at `pos` with `align`.
pub fn paint_truncated(
    ui: &Ui,
    pos: egui::Pos2,
    align: Align2,
    text: &str,
    font: FontId,
    color: Color32,
    max_width: f32,
) -> Rect {
    let mut job = egui::text::LayoutJob::simple_singleline(text.to_owned(), font, color);
    job.wrap = egui::text::TextWrapping::truncate_at_width(max_width.max(0.0));
    let galley = ui.painter().layout_job(job);
    let rect = align.anchor_size(pos, galley.size());
    ui.painter().galley(rect.min, galley, color);
    rect
}
