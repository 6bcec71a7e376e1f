//! [`IconButton`]: an icon in a round, accessible, keyboard-reachable button; and a
//! small allocated spinner.

use super::{Icon, paint, paint_spinner};
use egui::{
    Color32, CornerRadius, Rect, Response, Sense, Stroke, StrokeKind, Ui, Vec2, Widget, WidgetInfo,
};

/// Allocate a `size`-point square in `ui` and draw a spinner in it.
pub fn spinner(ui: &mut Ui, size: f32, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(size), Sense::hover());
    paint_spinner(ui, rect, color);
}

/// A square button showing an icon, with an accessible label and a tooltip.
///
/// Keyboard reachable like any egui button (Tab to focus, Enter or Space to press).
#[must_use = "add it with ui.add(..)"]
pub struct IconButton<'a> {
    icon: Icon,
    label: &'a str,
    shortcut: Option<&'a str>,
    size: f32,
    selected: bool,
    color: Option<Color32>,
}

impl<'a> IconButton<'a> {
    /// A 30-point button with `icon`, named `label` for screen readers and tooltips.
    pub fn new(icon: Icon, label: &'a str) -> Self {
        IconButton {
            icon,
            label,
            shortcut: None,
            size: 30.0,
            selected: false,
            color: None,
        }
    }

    /// Mention the keyboard shortcut in the tooltip.
    pub fn shortcut(mut self, shortcut: &'a str) -> Self {
        self.shortcut = Some(shortcut);
        self
    }

    /// The button's side length in points.
    pub fn size(mut self, size: f32) -> Self {
        self.size = size;
        self
    }

    /// Show it pressed (a toggle that is on).
    pub fn selected(mut self, selected: bool) -> Self {
        self.selected = selected;
        self
    }

    /// Draw the icon in this colour instead of the text colour.
    pub fn color(mut self, color: Color32) -> Self {
        self.color = Some(color);
        self
    }
}

impl Widget for IconButton<'_> {
    fn ui(self, ui: &mut Ui) -> Response {
        let p = crate::theme::Palette::of(ui);
        let (rect, response) = ui.allocate_exact_size(Vec2::splat(self.size), Sense::click());
        let enabled = ui.is_enabled();
        response.widget_info(|| {
            let mut info = WidgetInfo::labeled(egui::Role::Button, enabled, self.label);
            if self.selected {
                info.selected = Some(true);
            }
            info
        });
        if ui.is_rect_visible(rect) {
            let radius = CornerRadius::same((self.size * 0.5) as u8);
            let bg = if response.is_pointer_button_down_on() {
                Some(p.separator)
            } else if self.selected {
                Some(p.accent_soft)
            } else if response.hovered() {
                Some(p.hover)
            } else {
                None
            };
            if let Some(bg) = bg {
                ui.painter().rect_filled(rect, radius, bg);
            }
            if response.has_focus() {
                let ring = Stroke::new(2.0, p.accent);
                ui.painter()
                    .rect_stroke(rect.shrink(1.0), radius, ring, StrokeKind::Inside);
            }
            let mut color = self
                .color
                .unwrap_or(if self.selected { p.accent } else { p.text });
            if !enabled {
                color = color.gamma_multiply(0.38);
            }
            let icon_rect = Rect::from_center_size(rect.center(), Vec2::splat(self.size * 0.6));
            paint(ui.painter(), icon_rect, self.icon, color);
        }
        let tip = match self.shortcut {
            Some(s) => format!("{} ({s})", self.label),
            None => self.label.to_owned(),
        };
        response.on_hover_text(tip)
    }
}
