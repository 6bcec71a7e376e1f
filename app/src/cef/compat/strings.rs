//! CEF strings to Rust strings and back.
//!
//! CEF strings are UTF-16 here. The bindings' UTF-16 -> UTF-8 conversion crashes (it hands
//! CEF a NULL output), so we decode the UTF-16 buffer ourselves.

use cef::CefStringUtf16;
use cef_dll_sys::_cef_string_utf16_t;

/// Decode a CEF string.
pub fn to_string(s: &CefStringUtf16) -> String {
    let raw: *const _cef_string_utf16_t = s.into();
    // SAFETY: a `CefStringUtf16` hands out NULL or a pointer to the string it holds, valid
    // while `s` is borrowed.
    unsafe { from_ptr(raw) }
}

/// Decode an optional CEF string ("" when absent).
pub fn to_string_opt(s: Option<&CefStringUtf16>) -> String {
    s.map(to_string).unwrap_or_default()
}

/// Decode a raw CEF string without taking ownership of it.
///
/// # Safety
/// `raw` is NULL or points to a valid `cef_string_utf16_t` for the duration of the call.
pub unsafe fn from_ptr(raw: *const _cef_string_utf16_t) -> String {
    // SAFETY: the caller promises NULL or a valid string.
    let Some(s) = (unsafe { raw.as_ref() }) else {
        return String::new();
    };
    if s.str_.is_null() || s.length == 0 {
        return String::new();
    }
    // SAFETY: a valid `cef_string_utf16_t` points at `length` UTF-16 code units.
    let units = unsafe { std::slice::from_raw_parts(s.str_, s.length) };
    String::from_utf16_lossy(units)
}

/// Encode a Rust string for CEF.
pub fn cef_string(s: &str) -> CefStringUtf16 {
    CefStringUtf16::from(s)
}

/// Write `value` into a CEF-owned output string (e.g. a V8 exception or redirect URL),
/// replacing what is there; CEF keeps ownership of the buffer we allocate through it.
///
/// # Safety
/// `out` is NULL or points to a valid, writable `cef_string_utf16_t`.
pub unsafe fn write_out(out: *mut _cef_string_utf16_t, value: &str) {
    if out.is_null() {
        return;
    }
    let units: Vec<u16> = value.encode_utf16().collect();
    // SAFETY: `out` points at a CEF-owned string; `cef_string_utf16_set` with copy=1 frees
    // its old buffer and copies `units` into a buffer CEF owns and will free.
    unsafe {
        cef_dll_sys::cef_string_utf16_set(units.as_ptr(), units.len(), out, 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_unicode_without_the_crashing_conversion() {
        for text in ["", "plain", "ünïcödé ✓", "emoji 🦀 and CJK 漢字", "a\0b"] {
            assert_eq!(to_string(&cef_string(text)), text);
        }
    }

    #[test]
    fn absent_and_null_strings_decode_empty() {
        assert_eq!(to_string_opt(None), "");
        // SAFETY: NULL is allowed.
        assert_eq!(unsafe { from_ptr(std::ptr::null()) }, "");
    }

    #[test]
    fn write_out_replaces_the_contents() {
        let mut raw = _cef_string_utf16_t {
            str_: std::ptr::null_mut(),
            length: 0,
            dtor: None,
        };
        // SAFETY: `raw` is a valid, writable CEF string.
        unsafe {
            write_out(&mut raw, "first");
            write_out(&mut raw, "second ✓");
            assert_eq!(from_ptr(&raw), "second ✓");
        }
        // SAFETY: `raw` holds a buffer CEF allocated; clear frees it.
        unsafe { cef_dll_sys::cef_string_utf16_clear(&mut raw) };
    }
}
