//! Off-screen paints -> texture updates.
//!
//! CEF paints a tab into a BGRA buffer on its UI thread and names the dirty rectangles.
//! [`FrameBuffer`] converts only those rectangles into RGBA texture deltas (a blinking caret
//! uploads a few hundred pixels, not a frame), queued for the owner to apply to its texture
//! on its own thread. If the owner falls behind by more than a frame's worth of pixels the
//! queue collapses into one full update. A capture mode keeps the latest full frame instead
//! (for `--screenshot`).

use super::compat::render::{OsrSurface, PaintElement, PixelRect};
use egui::{Color32, ColorImage};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering};
use std::time::Instant;

/// A texture update: replace the region at `pos` (pixels) with `image`.
pub struct TextureDelta {
    /// Top-left corner in the texture.
    pub pos: [usize; 2],
    /// The new pixels.
    pub image: ColorImage,
    /// Whether this replaces the whole texture (its size may have changed).
    pub full: bool,
}

/// The latest complete frame, RGBA (premultiplied).
#[derive(Clone)]
pub struct CapturedFrame {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

/// What wakes the owner after a paint or an event.
pub type Waker = std::sync::Arc<dyn Fn() + Send + Sync>;

/// One browser's view: its geometry (read by CEF) and its pending paints (read by the owner).
pub struct FrameBuffer {
    width: AtomicI32,
    height: AtomicI32,
    scale_bits: AtomicU32,
    origin_x: AtomicI32,
    origin_y: AtomicI32,
    paints: AtomicU64,
    capture: bool,
    state: Mutex<State>,
    waker: Waker,
}

#[derive(Default)]
struct State {
    view: Surface,
    popup: Surface,
    first_content: Option<Instant>,
}

#[derive(Default)]
struct Surface {
    size: [usize; 2],
    deltas: Vec<TextureDelta>,
    pending_px: usize,
    captured: Option<CapturedFrame>,
}

impl FrameBuffer {
    /// A view of `width` x `height` DIP at `scale` pixels per DIP, queueing texture deltas.
    pub fn new(width: i32, height: i32, scale: f32, waker: Waker) -> FrameBuffer {
        Self::build(width, height, scale, waker, false)
    }

    /// Like `new`, but keeping the latest full frame for capture instead of deltas.
    pub fn for_capture(width: i32, height: i32, scale: f32, waker: Waker) -> FrameBuffer {
        Self::build(width, height, scale, waker, true)
    }

    fn build(width: i32, height: i32, scale: f32, waker: Waker, capture: bool) -> FrameBuffer {
        FrameBuffer {
            width: AtomicI32::new(width.max(1)),
            height: AtomicI32::new(height.max(1)),
            scale_bits: AtomicU32::new(scale.to_bits()),
            origin_x: AtomicI32::new(0),
            origin_y: AtomicI32::new(0),
            paints: AtomicU64::new(0),
            capture,
            state: Mutex::new(State::default()),
            waker,
        }
    }

    /// Set the view size (DIP) and scale; returns (size changed, scale changed).
    pub fn set_geometry(&self, width: i32, height: i32, scale: f32) -> (bool, bool) {
        let (width, height) = (width.max(1), height.max(1));
        let old_width = self.width.swap(width, Ordering::Relaxed);
        let old_height = self.height.swap(height, Ordering::Relaxed);
        let resized = (old_width, old_height) != (width, height);
        let rescaled = self.scale_bits.swap(scale.to_bits(), Ordering::Relaxed) != scale.to_bits();
        (resized, rescaled)
    }

    /// Set where the view's top-left corner is on the screen (DIP).
    pub fn set_screen_origin(&self, x: i32, y: i32) {
        self.origin_x.store(x, Ordering::Relaxed);
        self.origin_y.store(y, Ordering::Relaxed);
    }

    /// Take the queued view updates, oldest first.
    pub fn take_view_deltas(&self) -> Vec<TextureDelta> {
        let mut s = self.state.lock().expect("frame buffer lock");
        s.view.pending_px = 0;
        std::mem::take(&mut s.view.deltas)
    }

    /// Take the queued popup updates, oldest first.
    pub fn take_popup_deltas(&self) -> Vec<TextureDelta> {
        let mut s = self.state.lock().expect("frame buffer lock");
        s.popup.pending_px = 0;
        std::mem::take(&mut s.popup.deltas)
    }

    /// The latest full view frame (capture mode only).
    pub fn captured(&self) -> Option<CapturedFrame> {
        self.state
            .lock()
            .expect("frame buffer lock")
            .view
            .captured
            .clone()
    }

    /// Number of view paints so far.
    pub fn paint_count(&self) -> u64 {
        self.paints.load(Ordering::Relaxed)
    }

    /// When the first paint with visible content (not one flat color) arrived.
    pub fn first_content(&self) -> Option<Instant> {
        self.state.lock().expect("frame buffer lock").first_content
    }
}

impl OsrSurface for FrameBuffer {
    fn view_size(&self) -> (i32, i32) {
        (
            self.width.load(Ordering::Relaxed),
            self.height.load(Ordering::Relaxed),
        )
    }

    fn scale_factor(&self) -> f32 {
        f32::from_bits(self.scale_bits.load(Ordering::Relaxed))
    }

    fn screen_origin(&self) -> (i32, i32) {
        (
            self.origin_x.load(Ordering::Relaxed),
            self.origin_y.load(Ordering::Relaxed),
        )
    }

    fn paint(&self, element: PaintElement, dirty: &[PixelRect], pixels: &[u8], w: usize, h: usize) {
        let mut state = self.state.lock().expect("frame buffer lock");
        if element == PaintElement::View {
            self.paints.fetch_add(1, Ordering::Relaxed);
            if state.first_content.is_none() && has_content(pixels) {
                state.first_content = Some(Instant::now());
            }
        }
        let surface = match element {
            PaintElement::View => &mut state.view,
            PaintElement::Popup => &mut state.popup,
        };
        if self.capture {
            surface.captured = Some(CapturedFrame {
                width: w,
                height: h,
                rgba: bgra_to_rgba(pixels),
            });
        } else {
            queue(surface, dirty, pixels, w, h);
        }
        drop(state);
        (self.waker)();
    }
}

fn queue(surface: &mut Surface, dirty: &[PixelRect], pixels: &[u8], w: usize, h: usize) {
    let resized = surface.size != [w, h];
    surface.size = [w, h];
    let rects: Vec<(usize, usize, usize, usize)> =
        dirty.iter().filter_map(|r| clip(r, w, h)).collect();
    let dirty_px: usize = rects.iter().map(|r| r.2 * r.3).sum();
    let full = resized || rects.is_empty() || surface.pending_px + dirty_px >= w * h;
    if full {
        surface.deltas.clear();
        surface.deltas.push(TextureDelta {
            pos: [0, 0],
            image: convert_rect(pixels, w, (0, 0, w, h)),
            full: true,
        });
        surface.pending_px = w * h;
    } else {
        for r in rects {
            surface.deltas.push(TextureDelta {
                pos: [r.0, r.1],
                image: convert_rect(pixels, w, r),
                full: false,
            });
        }
        surface.pending_px += dirty_px;
    }
}

fn clip(r: &PixelRect, w: usize, h: usize) -> Option<(usize, usize, usize, usize)> {
    let x0 = r.x.clamp(0, w as i32) as usize;
    let y0 = r.y.clamp(0, h as i32) as usize;
    let x1 = (r.x.saturating_add(r.width)).clamp(0, w as i32) as usize;
    let y1 = (r.y.saturating_add(r.height)).clamp(0, h as i32) as usize;
    (x1 > x0 && y1 > y0).then_some((x0, y0, x1 - x0, y1 - y0))
}

/// Convert the rectangle `(x, y, w, h)` of a BGRA buffer `stride` pixels wide.
fn convert_rect(
    bgra: &[u8],
    stride: usize,
    (x, y, w, h): (usize, usize, usize, usize),
) -> ColorImage {
    let mut out: Vec<Color32> = Vec::with_capacity(w * h);
    for row in y..y + h {
        let start = (row * stride + x) * 4;
        out.extend(
            bgra[start..start + w * 4]
                .chunks_exact(4)
                .map(|p| Color32::from_rgba_premultiplied(p[2], p[1], p[0], p[3])),
        );
    }
    ColorImage::new([w, h], out)
}

fn bgra_to_rgba(bgra: &[u8]) -> Vec<u8> {
    let mut out = bgra.to_vec();
    for p in out.chunks_exact_mut(4) {
        p.swap(0, 2);
    }
    out
}

/// Whether a frame shows something (CEF's first paint is one flat color).
fn has_content(bgra: &[u8]) -> bool {
    let Some(first) = bgra.get(0..4) else {
        return false;
    };
    bgra.chunks_exact(4).any(|p| p != first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn frame(w: usize, h: usize, bgra: [u8; 4]) -> Vec<u8> {
        bgra.iter().copied().cycle().take(w * h * 4).collect()
    }

    fn buffer() -> FrameBuffer {
        FrameBuffer::new(4, 4, 1.0, Arc::new(|| {}))
    }

    #[test]
    fn first_paint_is_a_full_upload_then_only_dirty_rects() {
        let fb = buffer();
        let pixels = frame(4, 4, [255, 0, 0, 255]); // blue in BGRA
        fb.paint(PaintElement::View, &[], &pixels, 4, 4);
        let d = fb.take_view_deltas();
        assert_eq!(d.len(), 1);
        assert!(d[0].full);
        assert_eq!(d[0].image.pixels[0], Color32::from_rgb(0, 0, 255));

        let dirty = [PixelRect {
            x: 1,
            y: 1,
            width: 2,
            height: 1,
        }];
        fb.paint(PaintElement::View, &dirty, &pixels, 4, 4);
        let d = fb.take_view_deltas();
        assert_eq!(d.len(), 1);
        assert!(!d[0].full);
        assert_eq!(d[0].pos, [1, 1]);
        assert_eq!(d[0].image.size, [2, 1]);
    }

    #[test]
    fn a_lagging_owner_gets_one_full_update_not_a_growing_queue() {
        let fb = buffer();
        let pixels = frame(4, 4, [0, 0, 0, 255]);
        fb.paint(PaintElement::View, &[], &pixels, 4, 4);
        let half = [PixelRect {
            x: 0,
            y: 0,
            width: 4,
            height: 2,
        }];
        for _ in 0..10 {
            fb.paint(PaintElement::View, &half, &pixels, 4, 4);
        }
        let d = fb.take_view_deltas();
        assert!(d.len() <= 2, "queue grew to {}", d.len());
        assert!(d[0].full);
    }

    #[test]
    fn dirty_rects_outside_the_frame_are_clipped() {
        let r = PixelRect {
            x: -5,
            y: 2,
            width: 20,
            height: 20,
        };
        assert_eq!(clip(&r, 4, 4), Some((0, 2, 4, 2)));
        assert_eq!(
            clip(
                &PixelRect {
                    x: 9,
                    y: 9,
                    width: 1,
                    height: 1
                },
                4,
                4
            ),
            None
        );
    }

    #[test]
    fn capture_mode_keeps_the_last_frame_as_rgba() {
        let fb = FrameBuffer::for_capture(2, 1, 1.0, Arc::new(|| {}));
        let pixels = vec![1, 2, 3, 255, 4, 5, 6, 255];
        fb.paint(PaintElement::View, &[], &pixels, 2, 1);
        let c = fb.captured().expect("captured");
        assert_eq!(c.rgba, vec![3, 2, 1, 255, 6, 5, 4, 255]);
        assert!(fb.first_content().is_some());
        assert!(fb.take_view_deltas().is_empty());
    }

    #[test]
    fn a_flat_frame_is_not_content() {
        assert!(!has_content(&frame(3, 3, [9, 9, 9, 255])));
    }
}
