//! Hand-written render-handler entries for windowless (off-screen) browsers.
//!
//! The generated trampolines copy the `cef_rect_t*` / `cef_screen_info_t*` / `int*`
//! out-parameters into temporaries, so what we write never reaches CEF (CEF then sees a 0x0
//! view and aborts), and `on_paint` passes on only the first dirty rectangle. These
//! entries replace them and forward to the handler object's [`OsrSurface`].

use cef::rc::RcImpl;
use cef_dll_sys::{
    _cef_browser_t, _cef_rect_t, _cef_render_handler_t, _cef_screen_info_t,
    cef_paint_element_type_t,
};
use std::os::raw::{c_int, c_void};

/// Which surface a paint is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaintElement {
    /// The page.
    View,
    /// A popup widget drawn over the page (e.g. an open `<select>`).
    Popup,
}

/// A rectangle in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PixelRect {
    /// Left.
    pub x: i32,
    /// Top.
    pub y: i32,
    /// Width.
    pub width: i32,
    /// Height.
    pub height: i32,
}

/// What the render-handler entries need from the object that owns a browser's view.
pub trait OsrSurface: Send + Sync {
    /// The view's size in DIP (egui points); never 0x0.
    fn view_size(&self) -> (i32, i32);
    /// Device pixels per DIP.
    fn scale_factor(&self) -> f32;
    /// The view's top-left corner on the screen, in DIP.
    fn screen_origin(&self) -> (i32, i32);
    /// A new frame: BGRA, premultiplied alpha, `width * height` pixels, rows tightly packed;
    /// `dirty` lists the rectangles that changed since the last paint.
    fn paint(
        &self,
        element: PaintElement,
        dirty: &[PixelRect],
        pixels: &[u8],
        width: usize,
        height: usize,
    );
}

/// Implemented by the render-handler class so the entries can find its surface.
pub trait HasSurface {
    /// The surface this handler paints into.
    fn surface(&self) -> &dyn OsrSurface;
}

/// Replace the broken generated entries of `handler` with ours.
pub fn install<I: HasSurface>(handler: &cef::RenderHandler) {
    use cef::ImplRenderHandler;
    let raw = handler.get_raw();
    // SAFETY: `raw` is the live C object of `handler`; we only overwrite function pointers
    // before CEF ever sees the object.
    unsafe {
        (*raw).get_view_rect = Some(get_view_rect::<I>);
        (*raw).get_screen_info = Some(get_screen_info::<I>);
        (*raw).get_screen_point = Some(get_screen_point::<I>);
        (*raw).on_paint = Some(on_paint::<I>);
    }
}

fn surface<'a, I: HasSurface + 'a>(self_: *mut _cef_render_handler_t) -> &'a dyn OsrSurface {
    // SAFETY: CEF calls these entries only on handlers created by `RenderHandler::new` for
    // the class `I`, so `self_` is the first field of an `RcImpl<_, I>` that CEF keeps alive
    // for the call.
    let this: &RcImpl<_cef_render_handler_t, I> = RcImpl::get(self_);
    this.interface.surface()
}

extern "C" fn get_view_rect<I: HasSurface>(
    self_: *mut _cef_render_handler_t,
    browser: *mut _cef_browser_t,
    rect: *mut _cef_rect_t,
) {
    super::release_browser(browser);
    let (width, height) = surface::<I>(self_).view_size();
    // SAFETY: CEF passes a valid, writable rect (or NULL).
    if let Some(r) = unsafe { rect.as_mut() } {
        *r = _cef_rect_t {
            x: 0,
            y: 0,
            width: width.max(1),
            height: height.max(1),
        };
    }
}

extern "C" fn get_screen_info<I: HasSurface>(
    self_: *mut _cef_render_handler_t,
    browser: *mut _cef_browser_t,
    info: *mut _cef_screen_info_t,
) -> c_int {
    super::release_browser(browser);
    let s = surface::<I>(self_);
    // SAFETY: CEF passes a valid, writable screen info (or NULL).
    let Some(info) = (unsafe { info.as_mut() }) else {
        return 0;
    };
    let (width, height) = s.view_size();
    let rect = _cef_rect_t {
        x: 0,
        y: 0,
        width: width.max(1),
        height: height.max(1),
    };
    info.device_scale_factor = s.scale_factor();
    info.depth = 24;
    info.depth_per_component = 8;
    info.is_monochrome = 0;
    info.rect = rect;
    info.available_rect = rect;
    1
}

extern "C" fn get_screen_point<I: HasSurface>(
    self_: *mut _cef_render_handler_t,
    browser: *mut _cef_browser_t,
    view_x: c_int,
    view_y: c_int,
    screen_x: *mut c_int,
    screen_y: *mut c_int,
) -> c_int {
    super::release_browser(browser);
    let (ox, oy) = surface::<I>(self_).screen_origin();
    // SAFETY: CEF passes valid, writable ints (or NULL).
    unsafe {
        match (screen_x.as_mut(), screen_y.as_mut()) {
            (Some(x), Some(y)) => {
                *x = ox + view_x;
                *y = oy + view_y;
                1
            }
            _ => 0,
        }
    }
}

#[allow(clippy::too_many_arguments)]
extern "C" fn on_paint<I: HasSurface>(
    self_: *mut _cef_render_handler_t,
    browser: *mut _cef_browser_t,
    element: cef_paint_element_type_t,
    dirty_count: usize,
    dirty: *const _cef_rect_t,
    buffer: *const c_void,
    width: c_int,
    height: c_int,
) {
    super::release_browser(browser);
    if buffer.is_null() || width <= 0 || height <= 0 {
        return;
    }
    let element = match element {
        cef_paint_element_type_t::PET_POPUP => PaintElement::Popup,
        _ => PaintElement::View,
    };
    let (w, h) = (width as usize, height as usize);
    // SAFETY: CEF documents `buffer` as `width * height * 4` bytes of BGRA pixels, valid for
    // the duration of the call.
    let pixels = unsafe { std::slice::from_raw_parts(buffer.cast::<u8>(), w * h * 4) };
    let dirty: Vec<PixelRect> = if dirty.is_null() {
        Vec::new()
    } else {
        // SAFETY: CEF passes `dirty_count` rectangles at `dirty`.
        unsafe { std::slice::from_raw_parts(dirty, dirty_count) }
            .iter()
            .map(|r| PixelRect {
                x: r.x,
                y: r.y,
                width: r.width,
                height: r.height,
            })
            .collect()
    };
    surface::<I>(self_).paint(element, &dirty, pixels, w, h);
}
