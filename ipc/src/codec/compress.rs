//! zstd compression of envelope bodies above a size threshold.
//!
//! The threshold default comes from `benches/ipc.rs` group `compression` (see
//! BENCHMARKS.md): on a local socket moving gigabytes per second, zstd at level 1 costs
//! more time than the bytes it saves at every size we measured, so the default is
//! [`DEFAULT_COMPRESS_THRESHOLD`] = off for the socket, and callers that pay for bytes
//! (a slow pipe, a disk log) set a threshold. A body is kept compressed only when that
//! saves at least one eighth, so incompressible data is never inflated.
//!
//! Decompression never trusts the sender: the zstd frame must declare its content size,
//! that size must be within the cap, and exactly that much is allocated.

use crate::envelope::{Envelope, Flags};
use crate::error::DecodeError;

/// Default threshold: compression off (see the module docs for the measurement).
pub const DEFAULT_COMPRESS_THRESHOLD: usize = usize::MAX;
/// zstd level used: the fastest standard level.
pub const LEVEL: i32 = 1;

/// Compression settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compression {
    /// Bodies of at least this many bytes are compressed (`usize::MAX` = never).
    pub threshold: usize,
    /// zstd level.
    pub level: i32,
}

impl Default for Compression {
    fn default() -> Self {
        Compression {
            threshold: DEFAULT_COMPRESS_THRESHOLD,
            level: LEVEL,
        }
    }
}

impl Compression {
    /// Compress every body of at least `threshold` bytes.
    pub fn above(threshold: usize) -> Compression {
        Compression {
            threshold,
            ..Compression::default()
        }
    }
}

/// Reusable zstd contexts (creating one per message costs more than compressing 1 KB).
pub struct Zstd {
    cfg: Compression,
    compressor: Option<zstd::bulk::Compressor<'static>>,
    decompressor: Option<zstd::bulk::Decompressor<'static>>,
}

impl Zstd {
    /// Contexts for `cfg`; created lazily on first use.
    pub fn new(cfg: Compression) -> Zstd {
        Zstd {
            cfg,
            compressor: None,
            decompressor: None,
        }
    }

    /// The settings.
    pub fn config(&self) -> Compression {
        self.cfg
    }

    /// Compress `env`'s body in place if it is large enough and compresses well.
    /// Returns whether it did.
    pub fn maybe_compress(&mut self, env: &mut Envelope) -> bool {
        if env.body.len() < self.cfg.threshold
            || env.flags.contains(Flags::COMPRESSED)
            || env.flags.contains(Flags::SHM)
        {
            return false;
        }
        let level = self.cfg.level;
        let c = match &mut self.compressor {
            Some(c) => c,
            slot => match zstd::bulk::Compressor::new(level) {
                Ok(c) => slot.insert(c),
                Err(_) => return false,
            },
        };
        match c.compress(&env.body) {
            Ok(z) if z.len() <= env.body.len() - env.body.len() / 8 => {
                env.body = z;
                env.flags.insert(Flags::COMPRESSED);
                true
            }
            _ => false,
        }
    }

    /// Inflate a compressed body in place, refusing anything that would exceed `cap`.
    pub fn decompress(&mut self, env: &mut Envelope, cap: usize) -> Result<(), DecodeError> {
        if !env.flags.contains(Flags::COMPRESSED) {
            return Ok(());
        }
        let size = match zstd::zstd_safe::get_frame_content_size(&env.body) {
            Ok(Some(n)) => n,
            Ok(None) => {
                return Err(DecodeError::Decompress(
                    "frame does not declare its size".into(),
                ));
            }
            Err(_) => return Err(DecodeError::Decompress("not a zstd frame".into())),
        };
        if size > cap as u64 {
            return Err(DecodeError::TooLarge { len: size, cap });
        }
        let d = match &mut self.decompressor {
            Some(d) => d,
            slot => slot.insert(
                zstd::bulk::Decompressor::new()
                    .map_err(|e| DecodeError::Decompress(e.to_string()))?,
            ),
        };
        let mut out = Vec::with_capacity(size as usize);
        let n = d
            .decompress_to_buffer(&env.body[..], &mut out)
            .map_err(|e| DecodeError::Decompress(e.to_string()))?;
        if n as u64 != size {
            return Err(DecodeError::Decompress(
                "size differs from the declared size".into(),
            ));
        }
        env.body = out;
        env.flags.remove(Flags::COMPRESSED);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    fn text(n: usize) -> Vec<u8> {
        b"The quick brown fox jumps over the lazy dog. "
            .iter()
            .copied()
            .cycle()
            .take(n)
            .collect()
    }

    #[test]
    fn compresses_above_threshold_and_round_trips() {
        let mut z = Zstd::new(Compression::above(1024));
        let mut small = Envelope::raw(Kind::PAGE_CONTENT, 1, text(1000));
        assert!(!z.maybe_compress(&mut small));
        let mut big = Envelope::raw(Kind::PAGE_CONTENT, 1, text(100_000));
        assert!(z.maybe_compress(&mut big));
        assert!(big.body.len() < 10_000);
        z.decompress(&mut big, 1 << 20).unwrap();
        assert_eq!(big.body, text(100_000));
        assert!(!big.flags.contains(Flags::COMPRESSED));
    }

    #[test]
    fn incompressible_bodies_stay_plain() {
        let mut z = Zstd::new(Compression::above(16));
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let mut e = Envelope::raw(Kind::PAGE_CONTENT, 1, noise.clone());
        assert!(!z.maybe_compress(&mut e));
        assert_eq!(e.body, noise);
    }

    #[test]
    fn bomb_over_cap_and_garbage_are_refused() {
        let mut z = Zstd::new(Compression::above(16));
        let mut bomb = Envelope::raw(Kind::PAGE_CONTENT, 1, vec![0; 2 << 20]);
        assert!(z.maybe_compress(&mut bomb));
        assert!(bomb.body.len() < 1000);
        assert!(matches!(
            z.decompress(&mut bomb.clone(), 1 << 20),
            Err(DecodeError::TooLarge { .. })
        ));
        let mut junk = Envelope::raw(Kind::PAGE_CONTENT, 1, vec![1, 2, 3, 4, 5, 6, 7, 8])
            .with_flags(Flags::COMPRESSED);
        assert!(matches!(
            z.decompress(&mut junk, 1 << 20),
            Err(DecodeError::Decompress(_))
        ));
    }
}
