//! Hand-written V8 handler `execute` (the page's `window.nexus` functions).
//!
//! The generated trampoline wraps the CEF-owned `exception` out-string as owned and frees
//! it (the renderer crashes right after the JavaScript call returns), and cannot set
//! `retval`. This entry replaces it.

use cef::rc::{ConvertReturnValue, RcImpl};
use cef_dll_sys::{_cef_string_utf16_t, _cef_v8handler_t, _cef_v8value_t};
use std::os::raw::c_int;

/// What a native function called from JavaScript returns.
pub type CallResult = Result<Option<cef::V8value>, String>;

/// Implemented by the V8-handler class.
pub trait NativeFunctions {
    /// JavaScript called the native function `name` with `args`. `Ok(Some(v))` returns `v`,
    /// `Ok(None)` returns `undefined`, `Err(message)` throws `message` as an exception.
    fn call(&self, name: &str, this: Option<cef::V8value>, args: Vec<cef::V8value>) -> CallResult;
}

/// Replace the broken generated `execute` of `handler` with ours.
pub fn install<I: NativeFunctions>(handler: &cef::V8handler) {
    use cef::ImplV8handler;
    let raw = handler.get_raw();
    // SAFETY: `raw` is the live C object of `handler`, not yet shared with CEF.
    unsafe { (*raw).execute = Some(execute::<I>) };
}

extern "C" fn execute<I: NativeFunctions>(
    self_: *mut _cef_v8handler_t,
    name: *const _cef_string_utf16_t,
    object: *mut _cef_v8value_t,
    arguments_count: usize,
    arguments: *const *mut _cef_v8value_t,
    retval: *mut *mut _cef_v8value_t,
    exception: *mut _cef_string_utf16_t,
) -> c_int {
    // The references passed in (`object`, each argument) are ours to release.
    let this: Option<cef::V8value> = (!object.is_null()).then(|| object.as_wrapper());
    let args: Vec<cef::V8value> = if arguments.is_null() {
        Vec::new()
    } else {
        // SAFETY: CEF passes `arguments_count` value pointers at `arguments`.
        unsafe { std::slice::from_raw_parts(arguments, arguments_count) }
            .iter()
            .filter(|p| !p.is_null())
            .map(|p| (*p).as_wrapper())
            .collect()
    };
    // SAFETY: CEF passes NULL or a string valid for the call.
    let name = unsafe { super::strings::from_ptr(name) };
    // SAFETY: CEF calls this only on handlers of class `I` (see `install`).
    let handler: &RcImpl<_cef_v8handler_t, I> = RcImpl::get(self_);
    match handler.interface.call(&name, this, args) {
        Ok(value) => {
            if let (Some(value), false) = (value, retval.is_null()) {
                // SAFETY: `retval` is a valid out-pointer; CEF takes over our reference.
                unsafe { *retval = value.into() };
            }
        }
        // SAFETY: CEF passes NULL or its own writable exception string.
        Err(message) => unsafe { super::strings::write_out(exception, &message) },
    }
    1
}
