//! Codec: envelope <-> bytes, with the frame cap, compression and (on sockets) AEAD.
//!
//! Two entry points, because Nexus moves envelopes two ways:
//! - [`EnvelopeCodec`]: one envelope <-> one byte string, no framing. This is what the
//!   shell's CEF glue calls: a CEF process message already delimits the bytes, and CEF's
//!   own channel is the transport, so there is no handshake or encryption here.
//! - [`FrameWriter`] / [`FrameReader`]: length-prefixed, optionally sealed frames for a
//!   byte stream (the local socket), used by [`crate::conn::Connection`].

pub mod aead;
pub mod compress;
pub mod frame;

pub use compress::{Compression, Zstd};
pub use frame::{DEFAULT_MAX_FRAME, FrameDecoder};

use crate::envelope::Envelope;
use crate::error::{CloseCause, DecodeError, SendError};
use aead::{Opener, Sealer, TAG_LEN};
use frame::LEN_PREFIX;

/// Settings shared by both codecs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodecConfig {
    /// Cap on one encoded envelope (and one frame), checked before allocating.
    pub max_frame: usize,
    /// When to compress bodies.
    pub compression: Compression,
}

impl Default for CodecConfig {
    fn default() -> Self {
        CodecConfig {
            max_frame: DEFAULT_MAX_FRAME,
            compression: Compression::default(),
        }
    }
}

/// Unframed codec for transports that delimit messages themselves (CEF process messages).
pub struct EnvelopeCodec {
    cfg: CodecConfig,
    zstd: Zstd,
}

impl EnvelopeCodec {
    /// A codec with `cfg`.
    pub fn new(cfg: CodecConfig) -> EnvelopeCodec {
        EnvelopeCodec {
            cfg,
            zstd: Zstd::new(cfg.compression),
        }
    }

    /// The settings.
    pub fn config(&self) -> CodecConfig {
        self.cfg
    }

    /// Encode (compressing the body if the settings say so). Refuses over-cap envelopes.
    pub fn encode(&mut self, mut env: Envelope) -> Result<Vec<u8>, SendError> {
        self.zstd.maybe_compress(&mut env);
        let len = env.encoded_len();
        if len > self.cfg.max_frame {
            return Err(SendError::TooLarge {
                len,
                cap: self.cfg.max_frame,
            });
        }
        Ok(env.encode())
    }

    /// Decode bytes from an untrusted sender: size cap first, then header, then a bounded
    /// inflate of a compressed body. The body itself is left encoded; the policy (or
    /// [`Envelope::body`]) decodes it.
    pub fn decode(&mut self, bytes: &[u8]) -> Result<Envelope, DecodeError> {
        if bytes.len() > self.cfg.max_frame {
            return Err(DecodeError::TooLarge {
                len: bytes.len() as u64,
                cap: self.cfg.max_frame,
            });
        }
        let mut env = Envelope::decode(bytes)?;
        self.zstd.decompress(&mut env, self.cfg.max_frame)?;
        Ok(env)
    }
}

/// Writes envelopes as length-prefixed frames, sealed once keys are installed.
pub struct FrameWriter {
    max_frame: usize,
    sealer: Option<Sealer>,
}

impl FrameWriter {
    /// A plaintext writer (handshake, or a connection configured without encryption).
    pub fn new(max_frame: usize) -> FrameWriter {
        FrameWriter {
            max_frame,
            sealer: None,
        }
    }

    /// Seal every frame from now on.
    pub fn install(&mut self, sealer: Sealer) {
        self.sealer = Some(sealer);
    }

    /// Whether frames are sealed.
    pub fn is_sealed(&self) -> bool {
        self.sealer.is_some()
    }

    /// Append `env` as one frame to `out`. On error `out` is left as it was.
    pub fn write(&mut self, env: &Envelope, out: &mut Vec<u8>) -> Result<usize, SendError> {
        let tag = if self.sealer.is_some() { TAG_LEN } else { 0 };
        let len = env.encoded_len() + tag;
        if len > self.max_frame {
            return Err(SendError::TooLarge {
                len,
                cap: self.max_frame,
            });
        }
        let start = out.len();
        let prefix = frame::prefix(len);
        out.reserve(LEN_PREFIX + len);
        out.extend_from_slice(&prefix);
        env.encode_into(out);
        if let Some(s) = &mut self.sealer {
            match s.seal_detached(&prefix, &mut out[start + LEN_PREFIX..]) {
                Ok(t) => out.extend_from_slice(&t),
                Err(e) => {
                    out.truncate(start);
                    return Err(e.into());
                }
            }
        }
        Ok(LEN_PREFIX + len)
    }
}

/// Reads frames from a byte stream and opens them once keys are installed.
pub struct FrameReader {
    frames: FrameDecoder,
    opener: Option<Opener>,
}

impl FrameReader {
    /// A plaintext reader capped at `max_frame` bytes per frame.
    pub fn new(max_frame: usize) -> FrameReader {
        FrameReader {
            frames: FrameDecoder::new(max_frame),
            opener: None,
        }
    }

    /// Open every frame from now on.
    pub fn install(&mut self, opener: Opener) {
        self.opener = Some(opener);
    }

    /// Bytes held for the frame in progress.
    pub fn buffered(&self) -> usize {
        self.frames.buffered()
    }

    /// Consume input until one envelope is complete. Any error is fatal to the connection.
    pub fn read(&mut self, input: &mut &[u8]) -> Result<Option<(Envelope, usize)>, CloseCause> {
        let Some(mut payload) = self.frames.decode(input)? else {
            return Ok(None);
        };
        let wire = payload.len() + LEN_PREFIX;
        if let Some(o) = &mut self.opener {
            o.open(&self.frames.current_prefix(), &mut payload)?;
        }
        let (h, used) = crate::envelope::Header::decode(&payload)?;
        payload.drain(..used);
        let env = Envelope {
            version: h.version,
            flags: h.flags,
            kind: h.kind,
            id: h.id,
            correlation: h.correlation,
            body: payload,
        };
        Ok(Some((env, wire)))
    }
}

#[cfg(test)]
mod tests {
    use super::aead::Direction;
    use super::*;
    use crate::Kind;
    use crate::error::CryptoError;

    #[test]
    fn sealed_frames_round_trip_and_tampering_closes() {
        let key = [3u8; 32];
        let mut w = FrameWriter::new(1 << 20);
        w.install(Sealer::new(&key, Direction::ClientToServer));
        let mut r = FrameReader::new(1 << 20);
        r.install(Opener::new(&key, Direction::ClientToServer));
        let e = Envelope::raw(Kind::PING, 1, vec![1, 2, 3]);
        let mut wire = Vec::new();
        w.write(&e, &mut wire).unwrap();
        w.write(&e, &mut wire).unwrap();
        let mut input: &[u8] = &wire;
        assert_eq!(r.read(&mut input).unwrap().unwrap().0, e);
        let mut second = input.to_vec();
        second[6] ^= 0x40;
        let mut input: &[u8] = &second;
        assert_eq!(
            r.read(&mut input),
            Err(CloseCause::Crypto(CryptoError::Unauthentic))
        );
    }

    #[test]
    fn writer_refuses_over_cap_and_leaves_buffer_alone() {
        let mut w = FrameWriter::new(64);
        let mut out = vec![9];
        let e = Envelope::raw(Kind::PAGE_CONTENT, 1, vec![0; 100]);
        assert!(matches!(
            w.write(&e, &mut out),
            Err(SendError::TooLarge { .. })
        ));
        assert_eq!(out, vec![9]);
    }

    #[test]
    fn unframed_codec_caps_before_decoding() {
        let mut c = EnvelopeCodec::new(CodecConfig {
            max_frame: 32,
            compression: Compression::above(8),
        });
        let small = Envelope::raw(Kind::PING, 1, vec![]);
        let bytes = c.encode(small.clone()).unwrap();
        assert_eq!(c.decode(&bytes).unwrap(), small);
        assert!(matches!(
            c.decode(&[0; 33]),
            Err(DecodeError::TooLarge { .. })
        ));
        // A zero-filled body compresses below the cap but must not inflate past it.
        let mut z = Zstd::new(Compression::above(8));
        let mut big = Envelope::raw(Kind::PAGE_CONTENT, 1, vec![0; 4096]);
        assert!(z.maybe_compress(&mut big));
        assert!(matches!(
            c.decode(&big.encode()),
            Err(DecodeError::TooLarge { .. })
        ));
    }
}
