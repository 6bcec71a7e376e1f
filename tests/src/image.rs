//! Reading PNGs and checking pixels.

use std::path::Path;

/// An RGBA image.
pub struct Image {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// RGBA bytes, row by row.
    pub rgba: Vec<u8>,
}

impl Image {
    /// Load a PNG (RGB or RGBA, 8 bit).
    pub fn load(path: &Path) -> Image {
        let file =
            std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
        let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("png header");
        let mut buf = vec![0; reader.output_buffer_size().expect("png size")];
        let info = reader.next_frame(&mut buf).expect("png frame");
        buf.truncate(info.buffer_size());
        let rgba = match info.color_type {
            png::ColorType::Rgba => buf,
            png::ColorType::Rgb => buf
                .chunks_exact(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
            other => panic!("unsupported PNG color type {other:?}"),
        };
        Image {
            width: info.width,
            height: info.height,
            rgba,
        }
    }

    /// The RGB of pixel (x, y).
    pub fn rgb(&self, x: u32, y: u32) -> [u8; 3] {
        let i = ((y * self.width + x) * 4) as usize;
        [self.rgba[i], self.rgba[i + 1], self.rgba[i + 2]]
    }

    /// Whether pixel (x, y) is within `tolerance` of `rgb` on every channel.
    pub fn is_near(&self, x: u32, y: u32, rgb: [u8; 3], tolerance: u8) -> bool {
        self.rgb(x, y)
            .iter()
            .zip(rgb)
            .all(|(a, b)| a.abs_diff(b) <= tolerance)
    }

    /// Share (0..1) of pixels in the rectangle that are near `rgb`.
    pub fn share_near(&self, x: u32, y: u32, w: u32, h: u32, rgb: [u8; 3], tolerance: u8) -> f32 {
        let mut hits = 0;
        for yy in y..(y + h).min(self.height) {
            for xx in x..(x + w).min(self.width) {
                hits += self.is_near(xx, yy, rgb, tolerance) as u32;
            }
        }
        hits as f32 / (w * h) as f32
    }

    /// Number of distinct colors in the rectangle (text has many, a flat box one).
    pub fn distinct_colors(&self, x: u32, y: u32, w: u32, h: u32) -> usize {
        let mut seen = std::collections::HashSet::new();
        for yy in y..(y + h).min(self.height) {
            for xx in x..(x + w).min(self.width) {
                seen.insert(self.rgb(xx, yy));
            }
        }
        seen.len()
    }
}
