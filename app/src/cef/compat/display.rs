//! Hand-written display-handler entries.
//!
//! * `on_tooltip`: the generated one frees the CEF-owned `text` string, which corrupts the
//!   heap as soon as the pointer rests on an element with a `title`;
//! * `on_favicon_urlchange`: the generated one wraps the CEF-owned URL list as owned (and
//!   frees it), and reading a list through the bindings uses the crashing UTF-16 -> UTF-8
//!   conversion.

use cef::rc::RcImpl;
use cef_dll_sys::{
    _cef_browser_t, _cef_display_handler_t, _cef_string_list_t, _cef_string_utf16_t,
};
use std::os::raw::c_int;

/// Implemented by the display-handler class.
pub trait DisplaySink {
    /// The tooltip text to show now ("" hides it).
    fn tooltip(&self, text: String);
    /// The page's favicon URLs changed.
    fn favicon_urls(&self, urls: Vec<String>);
}

/// Replace the broken generated entries of `handler` with ours.
pub fn install<I: DisplaySink>(handler: &cef::DisplayHandler) {
    use cef::ImplDisplayHandler;
    let raw = handler.get_raw();
    // SAFETY: `raw` is the live C object of `handler`, not yet shared with CEF.
    unsafe {
        (*raw).on_tooltip = Some(on_tooltip::<I>);
        (*raw).on_favicon_urlchange = Some(on_favicon_urlchange::<I>);
    }
}

/// Read a CEF-owned string list without taking ownership of it.
///
/// # Safety
/// `list` is NULL or a valid CEF string list for the duration of the call.
pub unsafe fn read_string_list(list: *mut _cef_string_list_t) -> Vec<String> {
    if list.is_null() {
        return Vec::new();
    }
    // SAFETY: the caller promises a valid list.
    let count = unsafe { cef_dll_sys::cef_string_list_size(list) };
    (0..count)
        .filter_map(|i| {
            let mut value = _cef_string_utf16_t {
                str_: std::ptr::null_mut(),
                length: 0,
                dtor: None,
            };
            // SAFETY: `value` receives a copy of entry `i`, which we decode and clear.
            unsafe {
                if cef_dll_sys::cef_string_list_value(list, i, &mut value) == 0 {
                    return None;
                }
                let s = super::strings::from_ptr(&value);
                cef_dll_sys::cef_string_utf16_clear(&mut value);
                Some(s)
            }
        })
        .collect()
}

extern "C" fn on_favicon_urlchange<I: DisplaySink>(
    self_: *mut _cef_display_handler_t,
    browser: *mut _cef_browser_t,
    icon_urls: *mut _cef_string_list_t,
) {
    super::release_browser(browser);
    // SAFETY: CEF calls this only on handlers of class `I` (see `install`).
    let this: &RcImpl<_cef_display_handler_t, I> = RcImpl::get(self_);
    // SAFETY: CEF passes NULL or a list valid for the call.
    this.interface
        .favicon_urls(unsafe { read_string_list(icon_urls) });
}

extern "C" fn on_tooltip<I: DisplaySink>(
    self_: *mut _cef_display_handler_t,
    browser: *mut _cef_browser_t,
    text: *mut _cef_string_utf16_t,
) -> c_int {
    super::release_browser(browser);
    // SAFETY: CEF calls this only on handlers of class `I` (see `install`).
    let this: &RcImpl<_cef_display_handler_t, I> = RcImpl::get(self_);
    // SAFETY: CEF passes NULL or a string valid for the call.
    this.interface
        .tooltip(unsafe { super::strings::from_ptr(text) });
    // We show the tooltip ourselves (CEF has no window to show it in).
    1
}
