//! The browser pane: the page's texture drawn into its rect, and egui input turned into
//! neutral [`PaneInput`] events for the shell to forward to CEF.
//!
//! Browser shortcuts are taken out of the input first by [`crate::shortcuts`], so every
//! key that reaches the pane belongs to the page. Pitfalls handled here (see
//! cef-notes.md): the page gets focus on the raw press event (a press and release can
//! land in one egui frame); Enter also sends char 13; Tab, arrows and Escape do not move
//! egui's focus away while the page has it; the page's cursor is shown while hovering.

mod input;
mod keys;

pub use input::{
    ButtonsHeld, FrameInfo, InputTranslator, KeyAction, KeyModifiers, MouseButton, PaneInput,
};
pub use keys::{control_character, windows_key_code};

use crate::intent::Intent;
use crate::model::PaneView;
use egui::{
    Color32, Event, EventFilter, Id, PointerButton, Pos2, Rect, Sense, Ui, Vec2, WidgetInfo,
};

/// What the pane reports each frame.
#[derive(Clone, Debug, PartialEq)]
pub struct PaneOutput {
    /// The pane's rect in window points (for overlays and CEF's screen position).
    pub rect: Rect,
    /// The view size CEF should render, in points (DIP); `get_view_rect` returns this.
    pub size: Vec2,
    /// The scale factor; `get_screen_info.device_scale_factor` returns this.
    pub pixels_per_point: f32,
    /// Whether the page has keyboard focus.
    pub focused: bool,
    /// The input for the page, in order.
    pub events: Vec<PaneInput>,
    /// Browser actions from page input: mouse back/forward buttons, Ctrl+wheel zoom.
    pub intents: Vec<Intent>,
}

/// The browser pane widget's state (one per window: it shows the active tab).
#[derive(Debug, Default)]
pub struct BrowserPane {
    translator: InputTranslator,
    had_focus: bool,
    focus_request: bool,
}

impl BrowserPane {
    /// The stable id of the pane (its focus is the page's focus).
    pub fn id() -> Id {
        Id::unique("nexus-browser-pane")
    }

    /// Give the page keyboard focus on the next frame (after a navigation from the
    /// omnibox, or when the find bar closes).
    pub fn focus(&mut self) {
        self.focus_request = true;
    }

    /// The tab shown changed: forget held buttons and click counts of the old one.
    pub fn reset(&mut self) {
        self.translator = InputTranslator::default();
    }

    /// Draw the page filling the rest of `ui` and translate this frame's input.
    pub fn show(&mut self, ui: &mut Ui, view: &PaneView) -> PaneOutput {
        let rect = ui.available_rect_before_wrap();
        let id = BrowserPane::id();
        let response = ui.interact(rect, id, Sense::click_and_drag());
        ui.allocate_rect(rect, Sense::hover());
        response.widget_info(|| WidgetInfo::labeled(egui::Role::Document, true, "Web page"));
        let ppp = ui.ctx().pixels_per_point();
        paint(ui, rect, view, ppp);

        // Focus on the raw press: a fast click can press and release within one frame.
        let layer = ui.layer_id();
        let ctx = ui.ctx().clone();
        let covered = move |pos: Pos2| ctx.layer_id_at(pos).is_some_and(|l| l != layer);
        // (Read the input first: `covered` locks the context, so never call it inside `input`.)
        let (events, modifiers, time, scroll, pointer) = ui.input(|i| {
            (
                i.events.clone(),
                i.modifiers,
                i.time,
                i.smooth_scroll_delta,
                i.pointer.hover_pos(),
            )
        });
        let pressed_inside = events.iter().any(|e| {
            matches!(e, Event::PointerButton { pos, pressed: true, .. } if rect.contains(*pos) && !covered(*pos))
        });
        if pressed_inside || std::mem::take(&mut self.focus_request) {
            response.request_focus();
        }
        let focused = response.has_focus() || ui.memory(|m| m.has_focus(id));
        if focused {
            let filter = EventFilter {
                tab: true,
                horizontal_arrows: true,
                vertical_arrows: true,
                escape: true,
            };
            ui.memory_mut(|m| m.set_focus_lock_filter(id, filter));
            // Tell the platform a text input has focus, so the IME turns on for the page.
            let caret = view
                .ime_caret
                .map_or(Rect::from_min_size(rect.min, Vec2::new(1.0, 20.0)), |c| {
                    c.translate(rect.min.to_vec2())
                });
            ui.ctx().output_mut(|o| {
                o.ime = Some(egui::output::IMEOutput {
                    purpose: Default::default(),
                    rect,
                    cursor_rect: caret,
                    should_interrupt_composition: false,
                });
            });
        }
        if response.hovered() {
            ui.ctx().set_cursor_icon(view.cursor.to_egui());
        }

        let mut out = PaneOutput {
            rect,
            size: rect.size(),
            pixels_per_point: ppp,
            focused,
            events: Vec::new(),
            intents: Vec::new(),
        };
        if focused != self.had_focus {
            out.events.push(if focused {
                PaneInput::FocusGained
            } else {
                PaneInput::FocusLost
            });
            self.had_focus = focused;
        }
        let frame = FrameInfo {
            rect,
            focused,
            time,
            modifiers,
        };
        for event in &events {
            out.events
                .extend(self.translator.translate(event, &frame, &covered));
            browser_intents(event, rect, &covered, &mut out.intents);
        }
        // Smooth scrolling: egui spreads each wheel notch over a few frames.
        if let Some(pos) = pointer.filter(|p| rect.contains(*p) && !covered(*p))
            && scroll != Vec2::ZERO
        {
            out.events.push(PaneInput::Wheel {
                pos: Pos2::ZERO + (pos - rect.min),
                delta: scroll,
                modifiers: KeyModifiers::from(modifiers),
            });
        }
        out
    }
}

/// Draw the page texture 1:1 (a resize in progress never stretches the old frame), the
/// popup widget over it, and white where no pixels have arrived yet.
fn paint(ui: &Ui, rect: Rect, view: &PaneView, ppp: f32) {
    let painter = ui.painter().with_clip_rect(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
    if let Some((texture, size_px)) = view.texture {
        let size = size_px / ppp.max(0.01);
        painter.image(
            texture,
            Rect::from_min_size(rect.min, size),
            uv,
            Color32::WHITE,
        );
    }
    if let Some(popup) = view.popup {
        let r = popup.rect.translate(rect.min.to_vec2());
        painter.image(popup.texture, r, uv, Color32::WHITE);
    }
}

/// Page input that means a browser action: the mouse's back/forward buttons and
/// Ctrl+wheel zoom.
fn browser_intents(
    event: &Event,
    rect: Rect,
    covered: &dyn Fn(Pos2) -> bool,
    out: &mut Vec<Intent>,
) {
    match event {
        Event::PointerButton {
            pos,
            button,
            pressed: true,
            ..
        } if rect.contains(*pos) && !covered(*pos) => match button {
            PointerButton::Extra1 => out.push(Intent::Back),
            PointerButton::Extra2 => out.push(Intent::Forward),
            _ => {}
        },
        Event::MouseWheel {
            delta, modifiers, ..
        } if modifiers.command && delta.y != 0.0 => {
            out.push(if delta.y > 0.0 {
                Intent::ZoomIn
            } else {
                Intent::ZoomOut
            });
        }
        _ => {}
    }
}
