//! Hand-written resource-handler entries (serving `nexus://` pages).
//!
//! The generated trampolines copy the `int*` / `int64*` out-parameters of `open`,
//! `get_response_headers`, `read` and `skip` into temporaries (CEF never learns that the
//! request is handled, how long the body is, or how much was read) and free the CEF-owned
//! `redirect_url` string. These entries replace all of them.

use cef::rc::{ConvertReturnValue, RcImpl};
use cef_dll_sys::{
    _cef_callback_t, _cef_request_t, _cef_resource_handler_t, _cef_resource_read_callback_t,
    _cef_resource_skip_callback_t, _cef_response_t, _cef_string_utf16_t,
};
use std::os::raw::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A complete response, computed before CEF asks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: i32,
    /// MIME type (e.g. "text/html").
    pub mime_type: String,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// A response being served: the body and how much of it CEF has read.
#[derive(Debug)]
pub struct Served {
    response: Response,
    offset: AtomicUsize,
}

impl Served {
    /// Serve `response` from its start.
    pub fn new(response: Response) -> Served {
        Served {
            response,
            offset: AtomicUsize::new(0),
        }
    }
}

/// Implemented by the resource-handler class.
pub trait HasServed {
    /// The response this handler serves.
    fn served(&self) -> &Served;
}

/// Replace the broken generated entries of `handler` with ours.
pub fn install<I: HasServed>(handler: &cef::ResourceHandler) {
    use cef::ImplResourceHandler;
    let raw = handler.get_raw();
    // SAFETY: `raw` is the live C object of `handler`, not yet shared with CEF.
    unsafe {
        (*raw).open = Some(open);
        (*raw).get_response_headers = Some(get_response_headers::<I>);
        (*raw).read = Some(read::<I>);
        (*raw).skip = Some(skip::<I>);
    }
}

fn served<'a, I: HasServed + 'a>(self_: *mut _cef_resource_handler_t) -> &'a Served {
    // SAFETY: CEF calls these entries only on handlers of class `I` (see `install`).
    let this: &RcImpl<_cef_resource_handler_t, I> = RcImpl::get(self_);
    this.interface.served()
}

extern "C" fn open(
    _self: *mut _cef_resource_handler_t,
    request: *mut _cef_request_t,
    handle_request: *mut c_int,
    callback: *mut _cef_callback_t,
) -> c_int {
    if !request.is_null() {
        let _owned: cef::Request = request.as_wrapper();
    }
    if !callback.is_null() {
        let _owned: cef::Callback = callback.as_wrapper();
    }
    // SAFETY: CEF passes a valid, writable int (or NULL).
    if let Some(h) = unsafe { handle_request.as_mut() } {
        *h = 1; // handled right away: the response is already computed
    }
    1
}

extern "C" fn get_response_headers<I: HasServed>(
    self_: *mut _cef_resource_handler_t,
    response: *mut _cef_response_t,
    response_length: *mut i64,
    _redirect_url: *mut _cef_string_utf16_t,
) {
    use cef::ImplResponse;
    let served = served::<I>(self_);
    let r = &served.response;
    if !response.is_null() {
        let response: cef::Response = response.as_wrapper();
        response.set_status(r.status);
        response.set_mime_type(Some(&super::strings::cef_string(&r.mime_type)));
        if r.mime_type.starts_with("text/") || r.mime_type.ends_with("javascript") {
            response.set_charset(Some(&super::strings::cef_string("utf-8")));
        }
        for (name, value) in &r.headers {
            response.set_header_by_name(
                Some(&super::strings::cef_string(name)),
                Some(&super::strings::cef_string(value)),
                1,
            );
        }
    }
    // SAFETY: CEF passes a valid, writable int64 (or NULL).
    if let Some(len) = unsafe { response_length.as_mut() } {
        *len = r.body.len() as i64;
    }
}

extern "C" fn read<I: HasServed>(
    self_: *mut _cef_resource_handler_t,
    data_out: *mut c_void,
    bytes_to_read: c_int,
    bytes_read: *mut c_int,
    callback: *mut _cef_resource_read_callback_t,
) -> c_int {
    if !callback.is_null() {
        let _owned: cef::ResourceReadCallback = callback.as_wrapper();
    }
    let served = served::<I>(self_);
    let body = &served.response.body;
    let start = served.offset.load(Ordering::Acquire).min(body.len());
    let n = (bytes_to_read.max(0) as usize).min(body.len() - start);
    if n > 0 && !data_out.is_null() {
        // SAFETY: CEF gives us `bytes_to_read` writable bytes at `data_out`; `n` is no more.
        unsafe { std::ptr::copy_nonoverlapping(body[start..].as_ptr(), data_out.cast(), n) };
    }
    served.offset.store(start + n, Ordering::Release);
    // SAFETY: CEF passes a valid, writable int (or NULL).
    if let Some(out) = unsafe { bytes_read.as_mut() } {
        *out = n as c_int;
    }
    // 0 with bytes_read = 0 tells CEF the body is complete.
    (n > 0) as c_int
}

extern "C" fn skip<I: HasServed>(
    self_: *mut _cef_resource_handler_t,
    bytes_to_skip: i64,
    bytes_skipped: *mut i64,
    callback: *mut _cef_resource_skip_callback_t,
) -> c_int {
    if !callback.is_null() {
        let _owned: cef::ResourceSkipCallback = callback.as_wrapper();
    }
    let served = served::<I>(self_);
    let len = served.response.body.len();
    let start = served.offset.load(Ordering::Acquire).min(len);
    let n = (bytes_to_skip.max(0) as usize).min(len - start);
    served.offset.store(start + n, Ordering::Release);
    // SAFETY: CEF passes a valid, writable int64 (or NULL).
    if let Some(out) = unsafe { bytes_skipped.as_mut() } {
        *out = n as i64;
    }
    (n > 0) as c_int
}
