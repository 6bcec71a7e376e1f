//! Neutral page input: what the browser pane turns egui's events into.
//!
//! [`PaneInput`] says what happened in the page's own terms (pane-relative positions in
//! points, Windows virtual-key codes, UTF-16 units) and nothing about CEF: the shell maps
//! each variant onto one `BrowserHost` call. [`InputTranslator`] is the pure state machine
//! that does the translation (click counting, held buttons, enter/leave), testable
//! without a window.

use super::keys::{control_character, windows_key_code};
use egui::{Event, Key, PointerButton, Pos2, Rect, Vec2};

/// Modifier keys held during an event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyModifiers {
    /// Shift.
    pub shift: bool,
    /// Control.
    pub ctrl: bool,
    /// Alt / Option.
    pub alt: bool,
    /// The Command key on macOS.
    pub meta: bool,
}

impl From<egui::Modifiers> for KeyModifiers {
    fn from(m: egui::Modifiers) -> Self {
        KeyModifiers {
            shift: m.shift,
            ctrl: m.ctrl,
            alt: m.alt,
            meta: m.mac_cmd,
        }
    }
}

/// Mouse buttons held during an event (CEF wants them in move events while dragging).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ButtonsHeld {
    /// Left button.
    pub left: bool,
    /// Middle button.
    pub middle: bool,
    /// Right button.
    pub right: bool,
}

impl ButtonsHeld {
    fn set(&mut self, button: MouseButton, down: bool) {
        match button {
            MouseButton::Left => self.left = down,
            MouseButton::Middle => self.middle = down,
            MouseButton::Right => self.right = down,
        }
    }

    fn get(self, button: MouseButton) -> bool {
        match button {
            MouseButton::Left => self.left,
            MouseButton::Middle => self.middle,
            MouseButton::Right => self.right,
        }
    }

    /// Whether any button is held.
    pub fn any(self) -> bool {
        self.left || self.middle || self.right
    }
}

/// A mouse button the page receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MouseButton {
    /// Left (primary).
    Left,
    /// Middle (wheel).
    Middle,
    /// Right (secondary).
    Right,
}

/// Key down or up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAction {
    /// Pressed (CEF: `KEYEVENT_RAWKEYDOWN`).
    Down,
    /// Released (CEF: `KEYEVENT_KEYUP`).
    Up,
}

/// One input event for the page. Positions are in points relative to the pane's top-left
/// corner (CEF's view coordinates, DIP).
#[derive(Clone, Debug, PartialEq)]
pub enum PaneInput {
    /// The mouse moved over the page (or anywhere, while a button is held after a press
    /// inside it).
    MouseMove {
        /// Where.
        pos: Pos2,
        /// Modifier keys.
        modifiers: KeyModifiers,
        /// Buttons held.
        buttons: ButtonsHeld,
    },
    /// The mouse left the page (CEF: `send_mouse_move_event(.., mouse_leave = true)`).
    MouseLeave {
        /// The last position, outside the pane.
        pos: Pos2,
    },
    /// A button was pressed or released.
    MouseButton {
        /// Where.
        pos: Pos2,
        /// Which button.
        button: MouseButton,
        /// Pressed (true) or released.
        pressed: bool,
        /// 1 for a click, 2 for a double click, 3 for a triple click.
        click_count: u32,
        /// Modifier keys.
        modifiers: KeyModifiers,
        /// Buttons held after this event.
        buttons: ButtonsHeld,
    },
    /// Scroll by `delta` points (positive y: the content moves down, i.e. wheel up; the same
    /// sign convention as CEF's `send_mouse_wheel_event`). Already smoothed over frames.
    Wheel {
        /// Where the mouse is.
        pos: Pos2,
        /// How far, in points.
        delta: Vec2,
        /// Modifier keys.
        modifiers: KeyModifiers,
    },
    /// A key went down or up.
    Key {
        /// Down or up.
        action: KeyAction,
        /// Windows virtual-key code.
        windows_key_code: u16,
        /// The control character it carries (13 Enter, 8 Backspace, 9 Tab, 27 Escape) or 0.
        character: u16,
        /// Modifier keys.
        modifiers: KeyModifiers,
        /// An auto-repeat.
        repeat: bool,
    },
    /// A character was typed: one UTF-16 unit (CEF: `KEYEVENT_CHAR`). Enter sends 13 here
    /// too, because egui has no text event for it and forms need it.
    Char {
        /// The UTF-16 code unit.
        unit: u16,
        /// Modifier keys.
        modifiers: KeyModifiers,
    },
    /// IME composition text changed (CEF: `ime_set_composition`); empty ends it.
    ImePreedit(String),
    /// IME committed text (CEF: `ime_commit_text`).
    ImeCommit(String),
    /// The page got keyboard focus (CEF: `set_focus(true)`).
    FocusGained,
    /// The page lost keyboard focus (CEF: `set_focus(false)`).
    FocusLost,
    /// Copy the page's selection (CEF: `frame.copy()`).
    Copy,
    /// Cut the page's selection (CEF: `frame.cut()`).
    Cut,
    /// Paste (CEF: `frame.paste()`; CEF reads the clipboard itself, the text is
    /// informational: do not type it).
    Paste(String),
}

/// Longest gap between presses of a double click, in seconds.
const MULTI_CLICK_SECONDS: f64 = 0.5;
/// Farthest two presses of a double click may be apart, in points.
const MULTI_CLICK_DISTANCE: f32 = 5.0;

#[derive(Clone, Copy, Debug)]
struct LastPress {
    time: f64,
    pos: Pos2,
    button: MouseButton,
    count: u32,
}

/// What the translator needs to know about the frame.
#[derive(Clone, Copy, Debug)]
pub struct FrameInfo {
    /// The pane in window coordinates.
    pub rect: Rect,
    /// Whether the pane has keyboard focus.
    pub focused: bool,
    /// egui's clock, in seconds.
    pub time: f64,
    /// Modifiers currently held.
    pub modifiers: egui::Modifiers,
}

/// Translates egui events into [`PaneInput`]: tracks held buttons, multi-clicks and
/// whether the mouse is inside.
#[derive(Debug, Default)]
pub struct InputTranslator {
    buttons: ButtonsHeld,
    inside: bool,
    last_press: Option<LastPress>,
}

impl InputTranslator {
    /// Translate one event. `covered(pos)` says whether something else (a popup, a menu)
    /// lies over the page at a window position, so the page must not get that mouse event.
    pub fn translate(
        &mut self,
        event: &Event,
        frame: &FrameInfo,
        covered: &dyn Fn(Pos2) -> bool,
    ) -> Vec<PaneInput> {
        let rel = |p: Pos2| Pos2::ZERO + (p - frame.rect.min);
        let modifiers = KeyModifiers::from(frame.modifiers);
        let mut out = Vec::new();
        match event {
            Event::PointerMoved(p) => {
                let over = frame.rect.contains(*p) && !covered(*p);
                if over || self.buttons.any() {
                    out.push(PaneInput::MouseMove {
                        pos: rel(*p),
                        modifiers,
                        buttons: self.buttons,
                    });
                    self.inside = true;
                } else if self.inside {
                    out.push(PaneInput::MouseLeave { pos: rel(*p) });
                    self.inside = false;
                }
            }
            Event::PointerGone if self.inside && !self.buttons.any() => {
                out.push(PaneInput::MouseLeave {
                    pos: Pos2::new(-1.0, -1.0),
                });
                self.inside = false;
            }
            Event::PointerButton {
                pos,
                button,
                pressed,
                modifiers: m,
            } => {
                let Some(button) = mouse_button(*button) else {
                    return out;
                };
                if *pressed && (!frame.rect.contains(*pos) || covered(*pos)) {
                    return out;
                }
                if !*pressed && !self.buttons.get(button) {
                    return out; // released a button that was pressed elsewhere
                }
                let count = if *pressed {
                    self.count_press(*pos, button, frame.time)
                } else {
                    self.last_count(button)
                };
                self.buttons.set(button, *pressed);
                out.push(PaneInput::MouseButton {
                    pos: rel(*pos),
                    button,
                    pressed: *pressed,
                    click_count: count,
                    modifiers: KeyModifiers::from(*m),
                    buttons: self.buttons,
                });
            }
            Event::Key {
                key,
                pressed,
                repeat,
                modifiers: m,
                ..
            } if frame.focused => {
                // Clipboard shortcuts arrive as Copy/Cut/Paste events too; send those only,
                // or the page would paste twice.
                if is_clipboard_shortcut(*key, *m) {
                    return out;
                }
                let Some(code) = windows_key_code(*key) else {
                    return out;
                };
                let action = if *pressed {
                    KeyAction::Down
                } else {
                    KeyAction::Up
                };
                let character = control_character(*key);
                let mods = KeyModifiers::from(*m);
                out.push(PaneInput::Key {
                    action,
                    windows_key_code: code,
                    character,
                    modifiers: mods,
                    repeat: *repeat,
                });
                if *pressed && *key == Key::Enter {
                    out.push(PaneInput::Char {
                        unit: 13,
                        modifiers: mods,
                    });
                }
            }
            Event::Text(text) if frame.focused => {
                out.extend(
                    text.encode_utf16()
                        .map(|unit| PaneInput::Char { unit, modifiers }),
                );
            }
            Event::Ime(egui::ImeEvent::Preedit { text, .. }) if frame.focused => {
                out.push(PaneInput::ImePreedit(text.clone()));
            }
            Event::Ime(egui::ImeEvent::Commit(text)) if frame.focused => {
                out.push(PaneInput::ImeCommit(text.clone()));
            }
            Event::Copy if frame.focused => out.push(PaneInput::Copy),
            Event::Cut if frame.focused => out.push(PaneInput::Cut),
            Event::Paste(text) if frame.focused => out.push(PaneInput::Paste(text.clone())),
            Event::WindowFocused(false) => {
                self.buttons = ButtonsHeld::default();
            }
            _ => {}
        }
        out
    }

    fn count_press(&mut self, pos: Pos2, button: MouseButton, time: f64) -> u32 {
        let count = match self.last_press {
            Some(last)
                if last.button == button
                    && time - last.time <= MULTI_CLICK_SECONDS
                    && last.pos.distance(pos) <= MULTI_CLICK_DISTANCE =>
            {
                last.count % 3 + 1
            }
            _ => 1,
        };
        self.last_press = Some(LastPress {
            time,
            pos,
            button,
            count,
        });
        count
    }

    fn last_count(&self, button: MouseButton) -> u32 {
        self.last_press
            .filter(|l| l.button == button)
            .map_or(1, |l| l.count)
    }

    /// Whether a button pressed in the page is still held (the page owns the drag).
    pub fn dragging(&self) -> bool {
        self.buttons.any()
    }
}

fn mouse_button(button: PointerButton) -> Option<MouseButton> {
    match button {
        PointerButton::Primary => Some(MouseButton::Left),
        PointerButton::Middle => Some(MouseButton::Middle),
        PointerButton::Secondary => Some(MouseButton::Right),
        _ => None,
    }
}

fn is_clipboard_shortcut(key: Key, m: egui::Modifiers) -> bool {
    let command = m.command && !m.alt;
    (command && matches!(key, Key::C | Key::X | Key::V))
        || matches!(key, Key::Copy | Key::Cut | Key::Paste)
        || (key == Key::Insert && (m.ctrl || m.shift))
        || (key == Key::Delete && m.shift)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Modifiers, pos2, vec2};

    fn frame() -> FrameInfo {
        FrameInfo {
            rect: Rect::from_min_size(pos2(10.0, 100.0), vec2(400.0, 300.0)),
            focused: true,
            time: 1.0,
            modifiers: Modifiers::NONE,
        }
    }

    fn button(pos: Pos2, pressed: bool) -> Event {
        Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        }
    }

    #[test]
    fn a_drag_out_of_the_page_keeps_the_page_informed_then_leaves() {
        let mut t = InputTranslator::default();
        let f = frame();
        let open = |_: Pos2| false;
        t.translate(&Event::PointerMoved(pos2(50.0, 150.0)), &f, &open);
        t.translate(&button(pos2(50.0, 150.0), true), &f, &open);
        let out = t.translate(&Event::PointerMoved(pos2(5.0, 50.0)), &f, &open);
        assert!(matches!(
            out[0],
            PaneInput::MouseMove {
                buttons: ButtonsHeld { left: true, .. },
                ..
            }
        ));
        let out = t.translate(&button(pos2(5.0, 50.0), false), &f, &open);
        assert!(
            matches!(out[0], PaneInput::MouseButton { pressed: false, pos, .. } if pos == pos2(-5.0, -50.0))
        );
        let out = t.translate(&Event::PointerMoved(pos2(4.0, 50.0)), &f, &open);
        assert!(matches!(out[0], PaneInput::MouseLeave { .. }), "{out:?}");
    }

    #[test]
    fn presses_under_a_popup_or_outside_are_not_the_page_s() {
        let mut t = InputTranslator::default();
        let f = frame();
        let covered = |p: Pos2| p.x < 100.0;
        assert!(
            t.translate(&button(pos2(50.0, 150.0), true), &f, &covered)
                .is_empty()
        );
        assert!(
            t.translate(&button(pos2(500.0, 150.0), true), &f, &|_| false)
                .is_empty()
        );
        assert!(
            t.translate(&button(pos2(500.0, 150.0), false), &f, &|_| false)
                .is_empty(),
            "release of a foreign press"
        );
    }

    #[test]
    fn triple_clicks_wrap_and_clipboard_keys_are_not_doubled() {
        let mut t = InputTranslator::default();
        let mut f = frame();
        let open = |_: Pos2| false;
        let mut counts = Vec::new();
        for i in 0..4 {
            f.time = 1.0 + f64::from(i) * 0.2;
            for e in t.translate(&button(pos2(50.0, 150.0), true), &f, &open) {
                if let PaneInput::MouseButton { click_count, .. } = e {
                    counts.push(click_count);
                }
            }
            t.translate(&button(pos2(50.0, 150.0), false), &f, &open);
        }
        assert_eq!(counts, vec![1, 2, 3, 1]);
        let ctrl_v = Event::Key {
            key: Key::V,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::COMMAND,
        };
        assert!(t.translate(&ctrl_v, &f, &open).is_empty());
        assert_eq!(
            t.translate(&Event::Paste("x".into()), &f, &open),
            vec![PaneInput::Paste("x".into())]
        );
    }
}
