//! Hand-written `on_before_popup`: the generated one takes ownership of the `client`
//! reference CEF passes in and releases it without writing one back, which unbalances the
//! reference count of our client. Nexus never lets CEF create popup browsers: a popup
//! (`target=_blank`, `window.open`) becomes a new tab the shell creates itself.

use cef::rc::RcImpl;
use cef_dll_sys::{
    _cef_browser_settings_t, _cef_browser_t, _cef_client_t, _cef_dictionary_value_t, _cef_frame_t,
    _cef_life_span_handler_t, _cef_popup_features_t, _cef_string_utf16_t, _cef_window_info_t,
    cef_window_open_disposition_t,
};
use std::os::raw::c_int;

/// Where the page asked a new page to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenDisposition {
    /// A new tab in front.
    ForegroundTab,
    /// A new tab behind the current one.
    BackgroundTab,
    /// A new window.
    NewWindow,
    /// A popup window (`window.open` with features).
    Popup,
    /// Anything else (e.g. current tab, save to disk).
    Other,
}

/// Implemented by the life-span-handler class to receive popup requests.
pub trait PopupSink {
    /// The page wants `url` opened; return `true` to let CEF go on (never used: Nexus opens
    /// the tab itself and returns `false`).
    fn open_popup(&self, url: String, disposition: OpenDisposition, user_gesture: bool) -> bool;
}

/// Replace the broken generated `on_before_popup` of `handler` with ours.
pub fn install<I: PopupSink>(handler: &cef::LifeSpanHandler) {
    use cef::ImplLifeSpanHandler;
    let raw = handler.get_raw();
    // SAFETY: `raw` is the live C object of `handler`, not yet shared with CEF.
    unsafe { (*raw).on_before_popup = Some(on_before_popup::<I>) };
}

#[allow(clippy::too_many_arguments)]
extern "C" fn on_before_popup<I: PopupSink>(
    self_: *mut _cef_life_span_handler_t,
    browser: *mut _cef_browser_t,
    frame: *mut _cef_frame_t,
    _popup_id: c_int,
    target_url: *const _cef_string_utf16_t,
    _target_frame_name: *const _cef_string_utf16_t,
    disposition: cef_window_open_disposition_t,
    user_gesture: c_int,
    _features: *const _cef_popup_features_t,
    _window_info: *mut _cef_window_info_t,
    _client: *mut *mut _cef_client_t,
    _settings: *mut _cef_browser_settings_t,
    _extra_info: *mut *mut _cef_dictionary_value_t,
    _no_javascript_access: *mut c_int,
) -> c_int {
    super::release_browser(browser);
    if !frame.is_null() {
        use cef::rc::ConvertReturnValue;
        let _owned: cef::Frame = frame.as_wrapper();
    }
    use cef_window_open_disposition_t as D;
    let disposition = match disposition {
        D::CEF_WOD_NEW_FOREGROUND_TAB => OpenDisposition::ForegroundTab,
        D::CEF_WOD_NEW_BACKGROUND_TAB => OpenDisposition::BackgroundTab,
        D::CEF_WOD_NEW_WINDOW => OpenDisposition::NewWindow,
        D::CEF_WOD_NEW_POPUP => OpenDisposition::Popup,
        _ => OpenDisposition::Other,
    };
    // SAFETY: CEF calls this only on handlers of class `I` (see `install`).
    let this: &RcImpl<_cef_life_span_handler_t, I> = RcImpl::get(self_);
    // SAFETY: CEF passes NULL or a string valid for the call.
    let url = unsafe { super::strings::from_ptr(target_url) };
    let allow = this
        .interface
        .open_popup(url, disposition, user_gesture != 0);
    // 1 cancels the popup; we leave `client`, `window_info` and `settings` untouched.
    if allow { 0 } else { 1 }
}
