//! The tab strip: one rounded tab per page with favicon or spinner, title and close
//! button; click to activate, middle-click or × to close, drag to reorder, "+" for a new
//! tab. Tabs shrink as more open and the strip scrolls (mouse wheel) once they reach their
//! minimum width, so it scales to many tabs.

use crate::icons::{self, Icon, IconButton};
use crate::intent::Intent;
use crate::model::{TabId, TabView};
use crate::theme::Palette;
use crate::widgets::paint_truncated;
use egui::{
    Align2, CornerRadius, FontId, Id, PointerButton, Pos2, Rect, Sense, Stroke, StrokeKind, Ui,
    Vec2, WidgetInfo, pos2, vec2,
};

/// Height of the strip in points.
pub const TAB_STRIP_HEIGHT: f32 = 38.0;
const TAB_HEIGHT: f32 = 32.0;
const MAX_TAB_WIDTH: f32 = 232.0;
const MIN_TAB_WIDTH: f32 = 56.0;
const NEW_TAB_SPACE: f32 = 44.0;

/// A tab being dragged.
#[derive(Clone, Copy, Debug)]
struct Drag {
    tab: TabId,
    /// Pointer x minus the tab's left edge when the drag began.
    grab: f32,
    /// The pointer's x now.
    pointer_x: f32,
}

/// The tab strip's own state: scrolling and a drag in progress.
#[derive(Debug, Default)]
pub struct TabStrip {
    scroll: f32,
    drag: Option<Drag>,
    dropped: bool,
    last_active: Option<TabId>,
}

impl TabStrip {
    /// Draw the strip across `ui`'s width; returns what the user asked for.
    pub fn show(&mut self, ui: &mut Ui, tabs: &[TabView], active: Option<TabId>) -> Vec<Intent> {
        let mut out = Vec::new();
        let p = Palette::of(ui);
        let full = ui.available_rect_before_wrap();
        let strip = Rect::from_min_size(full.min, vec2(full.width(), TAB_STRIP_HEIGHT));
        ui.allocate_rect(strip, Sense::hover());
        ui.painter().rect_filled(strip, 0.0, p.frame);

        let tabs_area = Rect::from_min_max(
            pos2(strip.left() + 8.0, strip.bottom() - TAB_HEIGHT),
            pos2(strip.right() - NEW_TAB_SPACE, strip.bottom()),
        );
        let n = tabs.len().max(1) as f32;
        let tab_w = (tabs_area.width() / n).clamp(MIN_TAB_WIDTH, MAX_TAB_WIDTH);
        let content_w = tab_w * tabs.len() as f32;
        self.scroll_into_view(tabs, active, tab_w, tabs_area, content_w);

        // Where the dragged tab would land, and the order the tabs are shown in meanwhile.
        let area_left = tabs_area.left();
        let target_of = |d: &Drag, scroll: f32| -> usize {
            let left = d.pointer_x - d.grab - area_left + scroll;
            ((left / tab_w).round().max(0.0) as usize).min(tabs.len().saturating_sub(1))
        };
        if let Some(d) = self.drag
            && !tabs.iter().any(|t| t.id == d.tab)
        {
            self.drag = None; // the dragged tab closed meanwhile
        }
        let mut order: Vec<usize> = (0..tabs.len()).collect();
        if let Some(d) = self.drag
            && let Some(from) = tabs.iter().position(|t| t.id == d.tab)
        {
            let moved = order.remove(from);
            order.insert(target_of(&d, self.scroll), moved);
        }

        let painter = ui
            .painter()
            .with_clip_rect(tabs_area.expand2(vec2(0.0, 2.0)));
        let mut dragged_rect = None;
        // Draw the dragged tab last, so it stays on top while it moves.
        let mut draw: Vec<(usize, usize)> = order.iter().copied().enumerate().collect();
        if let Some(d) = self.drag {
            draw.sort_by_key(|&(_, i)| tabs[i].id == d.tab);
        }
        for (slot, index) in draw {
            let tab = &tabs[index];
            let left = tabs_area.left() + slot as f32 * tab_w - self.scroll;
            let mut rect =
                Rect::from_min_size(pos2(left, tabs_area.top()), vec2(tab_w, TAB_HEIGHT));
            let dragging_this = self.drag.is_some_and(|d| d.tab == tab.id);
            if let Some(d) = self.drag.filter(|_| dragging_this) {
                rect = rect.translate(vec2(d.pointer_x - d.grab - rect.left(), 0.0));
                dragged_rect = Some(rect);
            }
            let is_active = active == Some(tab.id);
            let visible = rect.intersects(tabs_area);
            self.tab(ui, &painter, tab, rect, is_active, visible, &mut out);
            let next_is_active = order
                .get(slot + 1)
                .is_some_and(|&i| active == Some(tabs[i].id));
            if !is_active && !next_is_active && slot + 1 < order.len() {
                let x = rect.right();
                painter.vline(x, rect.y_range().shrink(9.0), Stroke::new(1.0, p.separator));
            }
        }
        if self.dropped {
            self.dropped = false;
            if let Some(d) = self.drag.take()
                && let Some(from) = tabs.iter().position(|t| t.id == d.tab)
            {
                let to = target_of(&d, self.scroll);
                if to != from {
                    out.push(Intent::MoveTab { tab: d.tab, to });
                }
            }
        }
        if let Some(rect) = dragged_rect {
            // Keep the dragged tab on top and visible while it moves.
            painter.rect_stroke(
                rect,
                tab_radius(),
                Stroke::new(1.0, p.separator),
                StrokeKind::Inside,
            );
        }

        // Wheel over the strip scrolls it when the tabs overflow.
        let overflow = (content_w - tabs_area.width()).max(0.0);
        if ui.rect_contains_pointer(strip) && overflow > 0.0 {
            let delta = ui.input(|i| i.smooth_scroll_delta);
            self.scroll = (self.scroll - delta.y - delta.x).clamp(0.0, overflow);
        }
        self.scroll = self.scroll.clamp(0.0, overflow);

        let plus_x = (tabs_area.left() + content_w - self.scroll).min(tabs_area.right()) + 6.0;
        let plus_rect =
            Rect::from_center_size(pos2(plus_x + 14.0, tabs_area.center().y), Vec2::splat(28.0));
        let plus = ui.put(
            plus_rect,
            IconButton::new(Icon::Plus, "New tab")
                .shortcut("Ctrl+T")
                .size(28.0),
        );
        if plus.clicked() {
            out.push(Intent::NewTab);
        }
        out
    }

    /// Keep the active tab visible after it changes (e.g. Ctrl+9 or a new tab).
    fn scroll_into_view(
        &mut self,
        tabs: &[TabView],
        active: Option<TabId>,
        tab_w: f32,
        area: Rect,
        content_w: f32,
    ) {
        if active == self.last_active {
            return;
        }
        self.last_active = active;
        let Some(index) = tabs.iter().position(|t| Some(t.id) == active) else {
            return;
        };
        let left = index as f32 * tab_w;
        if left < self.scroll {
            self.scroll = left;
        } else if left + tab_w > self.scroll + area.width() {
            self.scroll = left + tab_w - area.width();
        }
        self.scroll = self.scroll.clamp(0.0, (content_w - area.width()).max(0.0));
    }

    #[expect(clippy::too_many_arguments)]
    fn tab(
        &mut self,
        ui: &mut Ui,
        painter: &egui::Painter,
        tab: &TabView,
        rect: Rect,
        is_active: bool,
        visible: bool,
        out: &mut Vec<Intent>,
    ) {
        let p = Palette::of(ui);
        let id = Id::unique(("nexus-tab", tab.id));
        let response = ui.interact(
            rect.intersect(painter.clip_rect()),
            id,
            Sense::click_and_drag(),
        );
        response.widget_info(|| WidgetInfo::selected(egui::Role::Tab, true, is_active, &tab.title));

        // Activate on press (like every browser), or on Enter/Space when focused; a press on
        // the close button does not activate.
        let close_rect = Rect::from_center_size(
            pos2(rect.right() - 16.0, rect.center().y),
            Vec2::splat(20.0),
        );
        let pressed_here = response.hovered()
            && ui.input(|i| {
                i.pointer.button_pressed(PointerButton::Primary)
                    && i.pointer
                        .press_origin()
                        .is_some_and(|p| !close_rect.contains(p))
            });
        let keyboard_click = response.clicked() && !response.clicked_by(PointerButton::Primary);
        if !is_active && (pressed_here || keyboard_click) {
            out.push(Intent::ActivateTab(tab.id));
        }
        if response.clicked_by(PointerButton::Middle) {
            out.push(Intent::CloseTab(tab.id));
        }
        if response.drag_started_by(PointerButton::Primary)
            && let Some(pos) = response.interact_pointer_pos()
        {
            self.drag = Some(Drag {
                tab: tab.id,
                grab: pos.x - rect.left(),
                pointer_x: pos.x,
            });
        }
        if let Some(d) = self.drag.as_mut().filter(|d| d.tab == tab.id) {
            if let Some(pos) = ui.input(|i| i.pointer.latest_pos()) {
                d.pointer_x = pos.x;
            }
            if response.drag_stopped() {
                self.dropped = true;
            }
        }

        if !visible {
            return;
        }
        let hovered = response.hovered() || response.has_focus();
        let fill = if is_active {
            Some(p.toolbar)
        } else if hovered {
            Some(p.toolbar.lerp_to_gamma(p.frame, 0.45))
        } else {
            None
        };
        if let Some(fill) = fill {
            painter.rect_filled(rect, tab_radius(), fill);
        }
        if response.has_focus() {
            painter.rect_stroke(
                rect.shrink(1.0),
                tab_radius(),
                Stroke::new(2.0, p.accent),
                StrokeKind::Inside,
            );
        }

        let icon_rect = icons::snapped_square(pos2(rect.left() + 18.0, rect.center().y), 16.0);
        if tab.loading {
            icons::paint_spinner(ui, icon_rect, p.accent);
        } else if tab.crashed {
            icons::paint(painter, icon_rect, Icon::Crash, p.danger);
        } else if let Some(texture) = tab.favicon {
            let uv = Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0));
            painter.image(texture, icon_rect, uv, egui::Color32::WHITE);
        } else {
            icons::paint(painter, icon_rect, Icon::Globe, p.weak_text);
        }

        let show_close = is_active || hovered || rect.width() >= 110.0;
        let close_space = if show_close { 28.0 } else { 6.0 };
        let text_left = rect.left() + 32.0;
        let max_text = rect.right() - close_space - text_left;
        if max_text > 8.0 {
            let color = if is_active { p.text } else { p.weak_text };
            let title = if tab.title.trim().is_empty() {
                "Untitled"
            } else {
                tab.title.as_str()
            };
            paint_truncated(
                ui,
                pos2(text_left, rect.center().y),
                Align2::LEFT_CENTER,
                title,
                FontId::proportional(12.5),
                color,
                max_text,
            );
        }
        if show_close && painter.clip_rect().contains_rect(close_rect) {
            let label = format!("Close {}", tab.title);
            let close = ui.put(close_rect, IconButton::new(Icon::Close, &label).size(20.0));
            if close.clicked() {
                out.push(Intent::CloseTab(tab.id));
            }
        }
        let tip = format!("{}\n{}", tab.title, tab.url);
        response.on_hover_text(tip);
    }
}

fn tab_radius() -> CornerRadius {
    CornerRadius {
        nw: 9,
        ne: 9,
        sw: 0,
        se: 0,
    }
}
