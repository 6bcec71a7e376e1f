//! Page input from the browser pane ([`PaneInput`], neutral) to CEF's input calls.

use super::browser::BrowserHandle;
use super::compat::strings::cef_string;
use cef::*;
use cef_dll_sys as sys;
use nexus_ui::pane::{ButtonsHeld, KeyAction, KeyModifiers, MouseButton, PaneInput};

/// Forward one input event to the browser.
pub fn send(handle: &BrowserHandle, input: &PaneInput) {
    let host = handle.host();
    match input {
        PaneInput::MouseMove {
            pos,
            modifiers,
            buttons,
        } => {
            let event = mouse(pos.x, pos.y, flags(*modifiers) | button_flags(*buttons));
            host.send_mouse_move_event(Some(&event), 0);
        }
        PaneInput::MouseLeave { pos } => {
            host.send_mouse_move_event(Some(&mouse(pos.x, pos.y, 0)), 1);
        }
        PaneInput::MouseButton {
            pos,
            button,
            pressed,
            click_count,
            modifiers,
            buttons,
        } => {
            let event = mouse(pos.x, pos.y, flags(*modifiers) | button_flags(*buttons));
            let kind = match button {
                MouseButton::Left => sys::cef_mouse_button_type_t::MBT_LEFT,
                MouseButton::Middle => sys::cef_mouse_button_type_t::MBT_MIDDLE,
                MouseButton::Right => sys::cef_mouse_button_type_t::MBT_RIGHT,
            };
            host.send_mouse_click_event(
                Some(&event),
                MouseButtonType::from(kind),
                (!pressed) as i32,
                (*click_count).clamp(1, 3) as i32,
            );
        }
        PaneInput::Wheel {
            pos,
            delta,
            modifiers,
        } => {
            host.send_mouse_wheel_event(
                Some(&mouse(pos.x, pos.y, flags(*modifiers))),
                delta.x.round() as i32,
                delta.y.round() as i32,
            );
        }
        PaneInput::Key {
            action,
            windows_key_code,
            character,
            modifiers,
            ..
        } => {
            let kind = match action {
                KeyAction::Down => sys::cef_key_event_type_t::KEYEVENT_RAWKEYDOWN,
                KeyAction::Up => sys::cef_key_event_type_t::KEYEVENT_KEYUP,
            };
            host.send_key_event(Some(&key(
                kind,
                *windows_key_code as i32,
                *character,
                *modifiers,
            )));
        }
        PaneInput::Char { unit, modifiers } => {
            let code = if *unit == 13 { 0x0D } else { 0 };
            host.send_key_event(Some(&key(
                sys::cef_key_event_type_t::KEYEVENT_CHAR,
                code,
                *unit,
                *modifiers,
            )));
        }
        PaneInput::ImePreedit(text) => {
            if text.is_empty() {
                host.ime_cancel_composition();
            } else {
                let len = text.encode_utf16().count() as u32;
                let selection = Range { from: len, to: len };
                host.ime_set_composition(Some(&cef_string(text)), 0, None, None, Some(&selection));
            }
        }
        PaneInput::ImeCommit(text) => {
            host.ime_commit_text(Some(&cef_string(text)), None, 0);
        }
        PaneInput::FocusGained => handle.set_focus(true),
        PaneInput::FocusLost => handle.set_focus(false),
        PaneInput::Copy => handle.edit(super::browser::EditCommand::Copy),
        PaneInput::Cut => handle.edit(super::browser::EditCommand::Cut),
        PaneInput::Paste(_) => handle.edit(super::browser::EditCommand::Paste),
    }
}

fn mouse(x: f32, y: f32, modifiers: u32) -> MouseEvent {
    MouseEvent {
        x: x.round() as i32,
        y: y.round() as i32,
        modifiers,
    }
}

fn key(
    kind: sys::cef_key_event_type_t,
    code: i32,
    character: u16,
    modifiers: KeyModifiers,
) -> KeyEvent {
    KeyEvent {
        type_: KeyEventType::from(kind),
        modifiers: flags(modifiers),
        windows_key_code: code,
        native_key_code: 0,
        is_system_key: 0,
        character,
        unmodified_character: character,
        focus_on_editable_field: 0,
    }
}

fn flags(m: KeyModifiers) -> u32 {
    use sys::cef_event_flags_t as F;
    let mut f = 0;
    if m.shift {
        f |= F::EVENTFLAG_SHIFT_DOWN as u32;
    }
    if m.ctrl {
        f |= F::EVENTFLAG_CONTROL_DOWN as u32;
    }
    if m.alt {
        f |= F::EVENTFLAG_ALT_DOWN as u32;
    }
    if m.meta {
        f |= F::EVENTFLAG_COMMAND_DOWN as u32;
    }
    f
}

fn button_flags(b: ButtonsHeld) -> u32 {
    use sys::cef_event_flags_t as F;
    let mut f = 0;
    if b.left {
        f |= F::EVENTFLAG_LEFT_MOUSE_BUTTON as u32;
    }
    if b.middle {
        f |= F::EVENTFLAG_MIDDLE_MOUSE_BUTTON as u32;
    }
    if b.right {
        f |= F::EVENTFLAG_RIGHT_MOUSE_BUTTON as u32;
    }
    f
}
