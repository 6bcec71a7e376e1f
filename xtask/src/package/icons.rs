//! The app icon, rendered at package time from `assets/icons/nexus.svg`: PNGs at the
//! hicolor sizes (Linux), an `.icns` (macOS) and an `.ico` (Windows).
//!
//! Rendering uses the `resvg` crate rather than a system tool (rsvg-convert, ImageMagick)
//! so the same code makes the icons on all three CI machines. Both container formats
//! hold PNG images, which every supported OS version reads (macOS 10.7+, Windows Vista+),
//! so they are written here directly.

use crate::{cmd, paths};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Sizes installed under `share/icons/hicolor/<n>x<n>/apps/`.
pub const HICOLOR_SIZES: &[u32] = &[16, 24, 32, 48, 64, 128, 256, 512];
/// Sizes inside the `.ico`.
const ICO_SIZES: &[u32] = &[16, 24, 32, 48, 64, 128, 256];
/// `.icns` entries: (type, pixel size).
const ICNS_ENTRIES: &[(&[u8; 4], u32)] = &[
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic13", 256),
    (b"ic08", 256),
    (b"ic14", 512),
    (b"ic09", 512),
    (b"ic10", 1024),
];

/// Rendered icons.
pub struct IconSet {
    /// The source SVG (installed as the scalable icon).
    pub svg: PathBuf,
    /// `nexus-<n>.png` for every hicolor size.
    pub pngs: Vec<(u32, PathBuf)>,
    /// `nexus.ico`.
    pub ico: PathBuf,
    /// `nexus.icns`.
    pub icns: PathBuf,
}

/// Render every icon into `dir`.
pub fn render(dir: &Path) -> Result<IconSet> {
    let svg = paths::workspace_root().join("assets/icons/nexus.svg");
    cmd::step(&format!("rendering the app icon from {}", svg.display()));
    std::fs::create_dir_all(dir)?;
    let data = std::fs::read(&svg).with_context(|| format!("cannot read {}", svg.display()))?;
    let tree = resvg::usvg::Tree::from_data(&data, &resvg::usvg::Options::default())
        .with_context(|| format!("{} is not a valid SVG", svg.display()))?;
    let png = |size: u32| -> Result<Vec<u8>> {
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size).context("icon size is zero")?;
        let scale = size as f32 / tree.size().width();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().context("encoding an icon PNG")
    };
    let mut pngs = Vec::new();
    for &size in HICOLOR_SIZES {
        let path = dir.join(format!("nexus-{size}.png"));
        std::fs::write(&path, png(size)?)?;
        pngs.push((size, path));
    }
    let ico = dir.join("nexus.ico");
    let images: Vec<(u32, Vec<u8>)> = ICO_SIZES
        .iter()
        .map(|&s| Ok((s, png(s)?)))
        .collect::<Result<_>>()?;
    std::fs::write(&ico, ico_file(&images))?;
    let icns = dir.join("nexus.icns");
    let entries: Vec<(&[u8; 4], Vec<u8>)> = ICNS_ENTRIES
        .iter()
        .map(|&(t, s)| Ok((t, png(s)?)))
        .collect::<Result<_>>()?;
    std::fs::write(&icns, icns_file(&entries))?;
    Ok(IconSet {
        svg,
        pngs,
        ico,
        icns,
    })
}

/// An ICO file of PNG images: ICONDIR, one 16-byte ICONDIRENTRY per image, the images.
fn ico_file(images: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_le_bytes()); // reserved
    out.extend_from_slice(&1u16.to_le_bytes()); // type: icon
    out.extend_from_slice(&(images.len() as u16).to_le_bytes());
    let mut offset = 6 + 16 * images.len() as u32;
    for (size, png) in images {
        let side = if *size >= 256 { 0 } else { *size as u8 }; // 0 means 256
        out.extend_from_slice(&[side, side, 0, 0]); // width, height, palette, reserved
        out.extend_from_slice(&1u16.to_le_bytes()); // colour planes
        out.extend_from_slice(&32u16.to_le_bytes()); // bits per pixel
        out.extend_from_slice(&(png.len() as u32).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        offset += png.len() as u32;
    }
    for (_, png) in images {
        out.extend_from_slice(png);
    }
    out
}

/// An ICNS file: "icns", the total length, then (type, length incl. header, PNG) entries;
/// lengths are big-endian.
fn icns_file(entries: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let total: usize = 8 + entries.iter().map(|(_, png)| 8 + png.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"icns");
    out.extend_from_slice(&(total as u32).to_be_bytes());
    for (kind, png) in entries {
        out.extend_from_slice(*kind);
        out.extend_from_slice(&((8 + png.len()) as u32).to_be_bytes());
        out.extend_from_slice(png);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ico_directory_points_at_each_png() {
        let file = ico_file(&[(16, vec![1, 2, 3]), (256, vec![4, 5])]);
        assert_eq!(&file[..6], &[0, 0, 1, 0, 2, 0]);
        assert_eq!(file[6], 16);
        assert_eq!(file[22], 0, "256 is written as 0");
        let offset = u32::from_le_bytes(file[18..22].try_into().unwrap()) as usize;
        assert_eq!(&file[offset..offset + 3], &[1, 2, 3]);
        let offset = u32::from_le_bytes(file[34..38].try_into().unwrap()) as usize;
        assert_eq!(&file[offset..], &[4, 5]);
    }

    #[test]
    fn icns_lengths_cover_headers() {
        let file = icns_file(&[(b"ic07", vec![9; 10])]);
        assert_eq!(&file[..4], b"icns");
        assert_eq!(
            u32::from_be_bytes(file[4..8].try_into().unwrap()) as usize,
            file.len()
        );
        assert_eq!(&file[8..12], b"ic07");
        assert_eq!(u32::from_be_bytes(file[12..16].try_into().unwrap()), 18);
    }
}
