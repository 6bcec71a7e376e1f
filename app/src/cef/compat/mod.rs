//! Everything that depends on *which* CEF we run against, in one place.
//!
//! Nexus builds against the `cef = "=132.3.2"` bindings and, on Linux x86-64, runs the
//! CEF 131.3.5 runtime (Chromium 131.0.6778.205) from the `cef-capi-py` wheel: the two
//! C APIs match except `cef_accelerated_paint_info_t`, which Nexus does not use. The
//! generated Rust wrappers of 132.3.2 have bugs that crash or silently misbehave; this
//! module holds the work-around for each, so that moving to a newer CEF means revisiting
//! this folder and nothing else:
//!
//! | bug in the generated code | effect | work-around |
//! |---|---|---|
//! | `From<&CefStringUtf16> for CefStringUtf8` passes a NULL output pointer | segfault | [`strings`] decodes UTF-16 itself |
//! | out-parameters (`cef_rect_t*`, `int*`, `int64*`, screen info) are copied into temporaries | CEF sees a 0x0 view and aborts; resource handlers never report sizes | [`render`], [`resource`] install hand-written vtable entries |
//! | `on_paint` exposes only the first dirty rectangle | partial repaints lost | [`render`] |
//! | string out-parameters (`cef_string_t*`) are wrapped as owned and freed | heap corruption (tooltips, V8 exceptions, redirects) | [`display`], [`v8`], [`resource`] |
//! | `on_before_popup` takes ownership of the `client` reference it does not own | reference count underflow | [`life_span`] |
//! | `cef_version_info` is not declared | cannot report the runtime version | [`version`] |
//!
//! Each work-around has an end-to-end test that fails if the bug comes back (a resize, a
//! `title` tooltip, a `target=_blank` link, a `nexus://` page, a `window.nexus` call).

#![allow(unsafe_code)]

pub mod display;
pub mod life_span;
pub mod render;
pub mod resource;
pub mod strings;
pub mod v8;
pub mod version;

/// The version of the Rust bindings Nexus is built against.
pub const BINDINGS_VERSION: &str = "132.3.2";

/// Release a reference CEF handed to a callback we implement by hand: in the CEF C API
/// the callee owns the references passed to it.
pub(crate) fn release_browser(browser: *mut cef_dll_sys::_cef_browser_t) {
    if !browser.is_null() {
        use cef::rc::ConvertReturnValue;
        let _owned: cef::Browser = browser.as_wrapper();
    }
}

/// Keep a CEF object that a generated callback lent us as `impl ImplX`, as the concrete
/// wrapper type (e.g. to answer a dialog later): `retain!(callback, ImplJsdialogCallback)`.
/// The clone adds the reference the returned wrapper owns.
macro_rules! retain {
    ($obj:expr, $imp:ident) => {{
        use cef::rc::ConvertReturnValue;
        let copy = $obj.clone();
        let raw = cef::$imp::get_raw(&copy);
        std::mem::forget(copy);
        raw.as_wrapper()
    }};
}
pub(crate) use retain;
