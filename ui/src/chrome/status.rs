//! Overlays on the page: the hovered link's URL at the bottom-left (it moves right when
//! the mouse is over it, like Chrome's), and the "This page crashed" pane.

use crate::icons::{self, Icon};
use crate::intent::Intent;
use crate::theme::Palette;
use crate::widgets::primary_button;
use egui::{
    CornerRadius, FontId, Id, LayerId, Order, Rect, RichText, Sense, Stroke, StrokeKind, Ui, Vec2,
    vec2,
};

/// Draw the status line for `link` over the bottom of `pane`. Not interactive: the page
/// keeps receiving the mouse underneath.
pub fn status_line(ui: &Ui, pane: Rect, link: Option<&str>) {
    let Some(link) = link.filter(|l| !l.is_empty()) else {
        return;
    };
    let p = Palette::of(ui);
    let painter = ui.ctx().layer_painter(LayerId::new(
        Order::Foreground,
        Id::unique("nexus-status-line"),
    ));
    let max_width = (pane.width() * 0.6).max(120.0);
    let font = FontId::proportional(12.0);
    let galley = painter.layout_no_wrap(link.to_owned(), font.clone(), p.text);
    let width = galley.size().x.min(max_width) + 16.0;
    let height = 22.0;
    let mut rect = Rect::from_min_size(pane.left_bottom() - vec2(0.0, height), vec2(width, height));
    let pointer_on_it = ui
        .input(|i| i.pointer.hover_pos())
        .is_some_and(|pos| rect.expand(8.0).contains(pos));
    if pointer_on_it {
        rect = rect.translate(vec2(pane.width() - width, 0.0));
    }
    let radius = CornerRadius {
        nw: 0,
        ne: 6,
        sw: 0,
        se: 0,
    };
    let radius = if pointer_on_it {
        CornerRadius {
            nw: 6,
            ne: 0,
            sw: 0,
            se: 0,
        }
    } else {
        radius
    };
    painter.rect(
        rect,
        radius,
        p.toolbar,
        Stroke::new(1.0, p.separator),
        StrokeKind::Inside,
    );
    let text_painter = painter.with_clip_rect(rect);
    let mut job = egui::text::LayoutJob::simple_singleline(link.to_owned(), font, p.text);
    job.wrap = egui::text::TextWrapping::truncate_at_width(max_width);
    let galley = text_painter.layout_job(job);
    text_painter.galley(
        rect.left_center() + vec2(8.0, -galley.size().y / 2.0),
        galley,
        p.text,
    );
}

/// The pane shown instead of a crashed page: what happened and a Reload button.
pub fn crash_pane(ui: &mut Ui, reason: &str) -> Vec<Intent> {
    let mut out = Vec::new();
    let p = Palette::of(ui);
    let rect = ui.available_rect_before_wrap();
    ui.painter().rect_filled(rect, 0.0, p.surface);
    let content = Rect::from_center_size(
        rect.center() - vec2(0.0, 40.0),
        vec2(420.0_f32.min(rect.width()), 260.0),
    );
    ui.scope_builder(egui::UiBuilder::new().max_rect(content), |ui| {
        ui.vertical_centered(|ui| {
            let (r, _) = ui.allocate_exact_size(Vec2::splat(64.0), Sense::hover());
            icons::paint(ui.painter(), r, Icon::Crash, p.weak_text);
            ui.add_space(10.0);
            ui.label(
                RichText::new("This page crashed")
                    .size(22.0)
                    .strong()
                    .color(p.text),
            );
            ui.add_space(4.0);
            let reason = if reason.trim().is_empty() {
                "The page's process stopped unexpectedly."
            } else {
                reason
            };
            ui.label(RichText::new(reason).color(p.weak_text));
            ui.label(
                RichText::new("Other tabs are fine. Reloading usually brings the page back.")
                    .color(p.weak_text),
            );
            ui.add_space(14.0);
            if primary_button(ui, "Reload").clicked() {
                out.push(Intent::Reload {
                    bypass_cache: false,
                });
            }
        });
    });
    ui.allocate_rect(rect, Sense::hover());
    out
}
