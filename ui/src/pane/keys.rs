//! egui keys to Windows virtual-key codes, the codes CEF's `windows_key_code` expects on
//! every platform.

use egui::Key;

/// The Windows virtual-key code of an egui key, or `None` for keys without one.
pub fn windows_key_code(key: Key) -> Option<u16> {
    use Key::*;
    let code = match key {
        Backspace => 0x08,
        Tab => 0x09,
        Enter => 0x0D,
        Escape => 0x1B,
        Space => 0x20,
        PageUp => 0x21,
        PageDown => 0x22,
        End => 0x23,
        Home => 0x24,
        ArrowLeft => 0x25,
        ArrowUp => 0x26,
        ArrowRight => 0x27,
        ArrowDown => 0x28,
        Insert => 0x2D,
        Delete => 0x2E,
        Num0 => 0x30,
        Num1 | Exclamationmark => 0x31,
        Num2 => 0x32,
        Num3 => 0x33,
        Num4 => 0x34,
        Num5 => 0x35,
        Num6 => 0x36,
        Num7 => 0x37,
        Num8 => 0x38,
        Num9 => 0x39,
        A => 0x41,
        B => 0x42,
        C => 0x43,
        D => 0x44,
        E => 0x45,
        F => 0x46,
        G => 0x47,
        H => 0x48,
        I => 0x49,
        J => 0x4A,
        K => 0x4B,
        L => 0x4C,
        M => 0x4D,
        N => 0x4E,
        O => 0x4F,
        P => 0x50,
        Q => 0x51,
        R => 0x52,
        S => 0x53,
        T => 0x54,
        U => 0x55,
        V => 0x56,
        W => 0x57,
        X => 0x58,
        Y => 0x59,
        Z => 0x5A,
        F1 => 0x70,
        F2 => 0x71,
        F3 => 0x72,
        F4 => 0x73,
        F5 => 0x74,
        F6 => 0x75,
        F7 => 0x76,
        F8 => 0x77,
        F9 => 0x78,
        F10 => 0x79,
        F11 => 0x7A,
        F12 => 0x7B,
        F13 => 0x7C,
        F14 => 0x7D,
        F15 => 0x7E,
        F16 => 0x7F,
        F17 => 0x80,
        F18 => 0x81,
        F19 => 0x82,
        F20 => 0x83,
        F21 => 0x84,
        F22 => 0x85,
        F23 => 0x86,
        F24 => 0x87,
        BrowserBack => 0xA6,
        BrowserForward => 0xA7,
        BrowserRefresh => 0xA8,
        Semicolon | Colon => 0xBA,
        Equals | Plus => 0xBB,
        Comma => 0xBC,
        Minus => 0xBD,
        Period => 0xBE,
        Slash | Questionmark => 0xBF,
        Backtick => 0xC0,
        OpenBracket | OpenCurlyBracket => 0xDB,
        Backslash | Pipe => 0xDC,
        CloseBracket | CloseCurlyBracket => 0xDD,
        Quote => 0xDE,
        _ => return None,
    };
    Some(code)
}

/// The character a key-down event carries for keys that produce control characters
/// (Enter, Backspace, Tab, Escape); 0 for the rest (their text arrives as text events).
pub fn control_character(key: Key) -> u16 {
    match key {
        Key::Enter => 13,
        Key::Backspace => 8,
        Key::Tab => 9,
        Key::Escape => 27,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_windows() {
        assert_eq!(windows_key_code(Key::A), Some(0x41));
        assert_eq!(windows_key_code(Key::Z), Some(0x5A));
        assert_eq!(windows_key_code(Key::Num7), Some(0x37));
        assert_eq!(windows_key_code(Key::F12), Some(0x7B));
        assert_eq!(windows_key_code(Key::ArrowLeft), Some(0x25));
        assert_eq!(windows_key_code(Key::Enter), Some(0x0D));
        assert_eq!(windows_key_code(Key::Minus), Some(0xBD));
        assert_eq!(windows_key_code(Key::Copy), None);
    }
}
