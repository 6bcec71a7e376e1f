//! Length-prefixed framing: `u32 little-endian length | payload`.
//!
//! The decoder is a small state machine that reads the four-byte prefix into a fixed array,
//! checks the announced length against the cap, and only then allocates exactly that many
//! bytes. A hostile peer therefore cannot make us allocate more than the cap, however it
//! chooses its bytes, and never more than one frame's worth at a time.

use crate::error::DecodeError;

/// Bytes in the length prefix.
pub const LEN_PREFIX: usize = 4;
/// Default cap on one frame's payload (the seed's 10 MB).
pub const DEFAULT_MAX_FRAME: usize = 10 * 1024 * 1024;

/// Incremental frame decoder.
#[derive(Debug)]
pub struct FrameDecoder {
    cap: usize,
    prefix: [u8; LEN_PREFIX],
    prefix_len: usize,
    body: Option<Vec<u8>>,
    want: usize,
}

impl FrameDecoder {
    /// A decoder refusing frames longer than `cap` bytes.
    pub fn new(cap: usize) -> FrameDecoder {
        FrameDecoder {
            cap,
            prefix: [0; LEN_PREFIX],
            prefix_len: 0,
            body: None,
            want: 0,
        }
    }

    /// The cap in force.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Bytes held for the frame in progress (prefix plus body so far).
    pub fn buffered(&self) -> usize {
        self.prefix_len + self.body.as_ref().map_or(0, Vec::len)
    }

    /// Capacity allocated for the frame in progress (never above the cap).
    pub fn allocated(&self) -> usize {
        self.body.as_ref().map_or(0, Vec::capacity)
    }

    /// The prefix bytes of the frame in progress, once complete (AEAD binds them).
    pub fn current_prefix(&self) -> [u8; LEN_PREFIX] {
        self.prefix
    }

    /// Consume bytes from the front of `input` until one frame completes (returned) or the
    /// input runs out (`Ok(None)`). An over-cap prefix is an error before any allocation;
    /// the decoder must not be used after an error.
    pub fn decode(&mut self, input: &mut &[u8]) -> Result<Option<Vec<u8>>, DecodeError> {
        if self.body.is_none() {
            let take = (LEN_PREFIX - self.prefix_len).min(input.len());
            self.prefix[self.prefix_len..self.prefix_len + take].copy_from_slice(&input[..take]);
            self.prefix_len += take;
            *input = &input[take..];
            if self.prefix_len < LEN_PREFIX {
                return Ok(None);
            }
            let len = u32::from_le_bytes(self.prefix) as usize;
            if len > self.cap {
                return Err(DecodeError::TooLarge {
                    len: len as u64,
                    cap: self.cap,
                });
            }
            self.want = len;
            self.body = Some(Vec::with_capacity(len));
        }
        let body = self.body.as_mut().expect("body allocated above");
        let take = (self.want - body.len()).min(input.len());
        body.extend_from_slice(&input[..take]);
        *input = &input[take..];
        if body.len() < self.want {
            return Ok(None);
        }
        self.prefix_len = 0;
        Ok(self.body.take())
    }
}

/// Write the prefix for a payload of `len` bytes.
pub fn prefix(len: usize) -> [u8; LEN_PREFIX] {
    (len as u32).to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(payload: &[u8]) -> Vec<u8> {
        let mut v = prefix(payload.len()).to_vec();
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn decodes_across_arbitrary_splits() {
        let mut wire = frame(b"hello");
        wire.extend(frame(b""));
        wire.extend(frame(&[7u8; 300]));
        for chunk in 1..wire.len() {
            let mut dec = FrameDecoder::new(1024);
            let mut got = Vec::new();
            for piece in wire.chunks(chunk) {
                let mut input = piece;
                while let Some(f) = dec.decode(&mut input).unwrap() {
                    got.push(f);
                }
                assert!(input.is_empty());
            }
            assert_eq!(
                got,
                vec![b"hello".to_vec(), vec![], vec![7u8; 300]],
                "chunk {chunk}"
            );
            assert_eq!(dec.buffered(), 0);
        }
    }

    #[test]
    fn over_cap_prefix_is_refused_before_allocation() {
        let mut dec = FrameDecoder::new(100);
        let mut input: &[u8] = &prefix(101);
        assert_eq!(
            dec.decode(&mut input),
            Err(DecodeError::TooLarge { len: 101, cap: 100 })
        );
        assert_eq!(dec.allocated(), 0);
        // Exactly at the cap is fine.
        let mut dec = FrameDecoder::new(100);
        let f = frame(&[1; 100]);
        let mut input: &[u8] = &f;
        assert_eq!(dec.decode(&mut input).unwrap().unwrap().len(), 100);
    }

    #[test]
    fn allocates_exactly_the_announced_length() {
        let mut dec = FrameDecoder::new(DEFAULT_MAX_FRAME);
        let mut input: &[u8] = &prefix(5000);
        assert_eq!(dec.decode(&mut input).unwrap(), None);
        assert_eq!(dec.allocated(), 5000);
    }
}
