//! Browser keyboard shortcuts: egui key presses to [`Intent`]s.
//!
//! The shell calls [`take_shortcuts`] first each frame, before any panel or the page sees
//! the input: matched key presses are removed from egui's event list, so Ctrl+T opens a
//! tab instead of typing into the page, and every key left over belongs to the focused
//! widget or the page. [`shortcut`] is the pure table, testable without a window.
//! "Ctrl" means Cmd on macOS (egui's `command` modifier).

use crate::intent::Intent;
use egui::{Event, Key, Modifiers};

/// What the shortcut table needs to know about the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShortcutContext {
    /// The find bar is open (Escape closes it).
    pub find_open: bool,
    /// The page is loading (Escape stops it).
    pub loading: bool,
    /// An egui text field has focus (Escape belongs to it).
    pub text_field_focused: bool,
    /// A dialog, menu or popup is open (Escape closes it).
    pub overlay_open: bool,
}

/// The intent of a key press with exactly these modifiers, if it is a browser shortcut.
pub fn shortcut(key: Key, m: Modifiers, context: &ShortcutContext) -> Option<Intent> {
    let cmd = m.command && !m.alt;
    let plain_cmd = cmd && !m.shift;
    let cmd_shift = cmd && m.shift;
    let none = !m.command && !m.ctrl && !m.alt && !m.shift;
    let alt_only = m.alt && !m.command && !m.ctrl && !m.shift;
    let intent = match key {
        Key::T if cmd_shift => Intent::ReopenClosedTab,
        Key::T if plain_cmd => Intent::NewTab,
        Key::N if plain_cmd => Intent::NewWindow,
        Key::W | Key::F4 if plain_cmd => Intent::CloseActiveTab,
        Key::Tab if m.ctrl && m.shift && !m.alt => Intent::ActivatePreviousTab,
        Key::Tab if m.ctrl && !m.alt => Intent::ActivateNextTab,
        Key::PageDown if plain_cmd => Intent::ActivateNextTab,
        Key::PageUp if plain_cmd => Intent::ActivatePreviousTab,
        Key::Num9 if plain_cmd => Intent::ActivateLastTab,
        Key::Num1
        | Key::Num2
        | Key::Num3
        | Key::Num4
        | Key::Num5
        | Key::Num6
        | Key::Num7
        | Key::Num8
            if plain_cmd =>
        {
            Intent::ActivateTabAt(key as usize - Key::Num1 as usize)
        }
        Key::L if plain_cmd => Intent::FocusOmnibox,
        Key::D if alt_only => Intent::FocusOmnibox,
        Key::F6 if none => Intent::FocusOmnibox,
        Key::F if plain_cmd => Intent::OpenFind,
        Key::R if cmd_shift => Intent::Reload { bypass_cache: true },
        Key::R if plain_cmd => Intent::Reload {
            bypass_cache: false,
        },
        Key::F5 if none => Intent::Reload {
            bypass_cache: false,
        },
        Key::F5 if (m.shift || m.ctrl) && !m.alt => Intent::Reload { bypass_cache: true },
        Key::BrowserRefresh => Intent::Reload {
            bypass_cache: false,
        },
        Key::ArrowLeft if alt_only => Intent::Back,
        Key::ArrowRight if alt_only => Intent::Forward,
        Key::OpenBracket if plain_cmd && cfg!(target_os = "macos") => Intent::Back,
        Key::CloseBracket if plain_cmd && cfg!(target_os = "macos") => Intent::Forward,
        Key::BrowserBack => Intent::Back,
        Key::BrowserForward => Intent::Forward,
        Key::Plus | Key::Equals if cmd => Intent::ZoomIn,
        Key::Minus if cmd => Intent::ZoomOut,
        Key::Num0 if plain_cmd => Intent::ZoomReset,
        Key::D if plain_cmd => Intent::ToggleBookmark,
        Key::B if cmd_shift => Intent::ToggleBookmarksBar,
        Key::A if cmd_shift => Intent::ToggleAiSidebar,
        Key::H if plain_cmd => Intent::OpenHistory,
        Key::O if cmd_shift => Intent::OpenBookmarksManager,
        Key::J if plain_cmd => Intent::OpenDownloads,
        Key::Q if cmd_shift => Intent::Quit,
        Key::Escape if none && !context.text_field_focused && !context.overlay_open => {
            if context.find_open {
                Intent::CloseFind
            } else if context.loading {
                Intent::Stop
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(intent)
}

/// Take this frame's browser shortcuts out of egui's input and return their intents.
/// Call before drawing any panel. Whether a text field has focus is read from egui.
pub fn take_shortcuts(ctx: &egui::Context, mut context: ShortcutContext) -> Vec<Intent> {
    context.text_field_focused |= ctx.text_edit_focused();
    context.overlay_open |= egui::Popup::is_any_open(ctx);
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        input.events.retain(|event| match event {
            Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } => match shortcut(*key, *modifiers, &context) {
                Some(intent) => {
                    out.push(intent);
                    false
                }
                None => true,
            },
            _ => true,
        });
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ShortcutContext {
        ShortcutContext::default()
    }

    #[test]
    fn tab_shortcuts() {
        let c = ctx();
        assert_eq!(
            shortcut(Key::T, Modifiers::COMMAND, &c),
            Some(Intent::NewTab)
        );
        assert_eq!(
            shortcut(Key::T, Modifiers::COMMAND | Modifiers::SHIFT, &c),
            Some(Intent::ReopenClosedTab)
        );
        assert_eq!(
            shortcut(Key::W, Modifiers::COMMAND, &c),
            Some(Intent::CloseActiveTab)
        );
        assert_eq!(
            shortcut(Key::Tab, Modifiers::CTRL, &c),
            Some(Intent::ActivateNextTab)
        );
        assert_eq!(
            shortcut(Key::Tab, Modifiers::CTRL | Modifiers::SHIFT, &c),
            Some(Intent::ActivatePreviousTab)
        );
        assert_eq!(
            shortcut(Key::Num1, Modifiers::COMMAND, &c),
            Some(Intent::ActivateTabAt(0))
        );
        assert_eq!(
            shortcut(Key::Num8, Modifiers::COMMAND, &c),
            Some(Intent::ActivateTabAt(7))
        );
        assert_eq!(
            shortcut(Key::Num9, Modifiers::COMMAND, &c),
            Some(Intent::ActivateLastTab)
        );
        assert_eq!(
            shortcut(Key::N, Modifiers::COMMAND, &c),
            Some(Intent::NewWindow)
        );
    }

    #[test]
    fn page_shortcuts() {
        let c = ctx();
        assert_eq!(
            shortcut(Key::L, Modifiers::COMMAND, &c),
            Some(Intent::FocusOmnibox)
        );
        assert_eq!(
            shortcut(Key::F, Modifiers::COMMAND, &c),
            Some(Intent::OpenFind)
        );
        assert_eq!(
            shortcut(Key::R, Modifiers::COMMAND, &c),
            Some(Intent::Reload {
                bypass_cache: false
            })
        );
        assert_eq!(
            shortcut(Key::F5, Modifiers::NONE, &c),
            Some(Intent::Reload {
                bypass_cache: false
            })
        );
        assert_eq!(
            shortcut(Key::ArrowLeft, Modifiers::ALT, &c),
            Some(Intent::Back)
        );
        assert_eq!(
            shortcut(Key::ArrowRight, Modifiers::ALT, &c),
            Some(Intent::Forward)
        );
        assert_eq!(
            shortcut(Key::Plus, Modifiers::COMMAND, &c),
            Some(Intent::ZoomIn)
        );
        assert_eq!(
            shortcut(Key::Equals, Modifiers::COMMAND, &c),
            Some(Intent::ZoomIn)
        );
        assert_eq!(
            shortcut(Key::Minus, Modifiers::COMMAND, &c),
            Some(Intent::ZoomOut)
        );
        assert_eq!(
            shortcut(Key::Num0, Modifiers::COMMAND, &c),
            Some(Intent::ZoomReset)
        );
        assert_eq!(
            shortcut(Key::D, Modifiers::COMMAND, &c),
            Some(Intent::ToggleBookmark)
        );
        assert_eq!(
            shortcut(Key::A, Modifiers::COMMAND | Modifiers::SHIFT, &c),
            Some(Intent::ToggleAiSidebar)
        );
        assert_eq!(
            shortcut(Key::H, Modifiers::COMMAND, &c),
            Some(Intent::OpenHistory)
        );
        assert_eq!(
            shortcut(Key::O, Modifiers::COMMAND | Modifiers::SHIFT, &c),
            Some(Intent::OpenBookmarksManager)
        );
    }

    #[test]
    fn plain_keys_belong_to_the_page() {
        let c = ctx();
        assert_eq!(shortcut(Key::T, Modifiers::NONE, &c), None);
        assert_eq!(
            shortcut(Key::A, Modifiers::COMMAND, &c),
            None,
            "Ctrl+A selects all in the page"
        );
        assert_eq!(shortcut(Key::ArrowLeft, Modifiers::NONE, &c), None);
        assert_eq!(
            shortcut(Key::Escape, Modifiers::NONE, &c),
            None,
            "nothing to stop or close"
        );
    }

    #[test]
    fn escape_closes_find_then_stops_loading() {
        let mut c = ShortcutContext {
            find_open: true,
            loading: true,
            ..ShortcutContext::default()
        };
        assert_eq!(
            shortcut(Key::Escape, Modifiers::NONE, &c),
            Some(Intent::CloseFind)
        );
        c.find_open = false;
        assert_eq!(
            shortcut(Key::Escape, Modifiers::NONE, &c),
            Some(Intent::Stop)
        );
        c.text_field_focused = true;
        assert_eq!(
            shortcut(Key::Escape, Modifiers::NONE, &c),
            None,
            "the omnibox restores its text"
        );
        let dialog = ShortcutContext {
            loading: true,
            overlay_open: true,
            ..ShortcutContext::default()
        };
        assert_eq!(
            shortcut(Key::Escape, Modifiers::NONE, &dialog),
            None,
            "Escape cancels the dialog"
        );
    }

    #[test]
    fn taking_shortcuts_removes_them_from_the_input() {
        let ctx = egui::Context::default();
        let key = |key, modifiers| Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        };
        let input = egui::RawInput {
            events: vec![
                key(Key::T, Modifiers::COMMAND),
                key(Key::A, Modifiers::NONE),
                Event::Text("a".into()),
            ],
            ..Default::default()
        };
        let mut intents = Vec::new();
        let mut left = Vec::new();
        let mut output = ctx.run_ui(input, |ui| {
            intents = take_shortcuts(ui.ctx(), ShortcutContext::default());
            left = ui.input(|i| i.events.clone());
        });
        output.textures_delta.clear();
        assert_eq!(intents, vec![Intent::NewTab]);
        assert_eq!(
            left.len(),
            2,
            "the plain key and its text stay for the page: {left:?}"
        );
    }
}
