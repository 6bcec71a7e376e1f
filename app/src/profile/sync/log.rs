//! The change-log file format: one append-only file per device in the sync folder.
//!
//! ```text
//! file   = MAGIC frame*
//! frame  = len:u32le body                     (len = length of body)
//! body   = version:u8 collection:u8 seq:u64le opaque_id:[16] modified_ms:i64le sealed
//! sealed = nonce:[12] ciphertext tag:[16]      (AES-256-GCM)
//! AAD    = "nexus-sync/1 record" device_id collection seq opaque_id modified_ms
//! ```
//! Only the owning device appends to its file, so two devices never write the same file.
//! The clear header holds nothing readable: the collection is a small code, the id an HMAC
//! of the real id, the device a random id; titles, URLs, setting names and device names
//! are all inside the ciphertext. The AAD binds the ciphertext to its collection, id,
//! version (time and writing device) and position, so a record cannot be altered, moved
//! to another file or relabelled without failing authentication.
//!
//! A sync service may copy a file while it is being appended to: a frame whose declared
//! length runs past the end of the file is *incomplete*, not an error — reading stops
//! before it and resumes there next time.

use super::crypto::Keys;

/// The first bytes of every log file.
pub const MAGIC: &[u8; 8] = b"NXLOG01\n";
const VERSION: u8 = 1;
const HEADER: usize = 1 + 1 + 8 + 16 + 8;
/// The largest frame accepted (a history page with 100 visits is far smaller).
pub const MAX_FRAME: usize = 1 << 20;

/// The collections as coded in a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Collection {
    /// Bookmarks and folders.
    Bookmarks = 1,
    /// History pages with their recent visits.
    History = 2,
    /// Settings.
    Settings = 3,
    /// The device's own description (its name).
    Device = 4,
}

impl Collection {
    fn from_code(c: u8) -> Option<Collection> {
        [
            Collection::Bookmarks,
            Collection::History,
            Collection::Settings,
            Collection::Device,
        ]
        .into_iter()
        .find(|x| *x as u8 == c)
    }

    /// The name used in tombstones and opaque ids.
    pub fn name(self) -> &'static str {
        match self {
            Collection::Bookmarks => "bookmarks",
            Collection::History => "history",
            Collection::Settings => "settings",
            Collection::Device => "device",
        }
    }
}

/// The clear header of a frame.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameHeader {
    /// The collection.
    pub collection: Collection,
    /// Position in the writer's log (0, 1, 2, ...).
    pub seq: u64,
    /// HMAC-derived name of the record.
    pub opaque_id: [u8; 16],
    /// The record's modification time (its version, with the writing device).
    pub modified_ms: i64,
}

fn aad(device: &str, h: &FrameHeader) -> Vec<u8> {
    let mut a = b"nexus-sync/1 record".to_vec();
    a.extend_from_slice(device.as_bytes());
    a.push(h.collection as u8);
    a.extend_from_slice(&h.seq.to_le_bytes());
    a.extend_from_slice(&h.opaque_id);
    a.extend_from_slice(&h.modified_ms.to_le_bytes());
    a
}

/// Encode one encrypted frame of `plaintext` for `device`'s log.
pub fn encode(keys: &Keys, device: &str, h: &FrameHeader, plaintext: &[u8]) -> Vec<u8> {
    let sealed = keys.seal_record(&aad(device, h), plaintext);
    let mut body = Vec::with_capacity(HEADER + sealed.len());
    body.push(VERSION);
    body.push(h.collection as u8);
    body.extend_from_slice(&h.seq.to_le_bytes());
    body.extend_from_slice(&h.opaque_id);
    body.extend_from_slice(&h.modified_ms.to_le_bytes());
    body.extend_from_slice(&sealed);
    let mut out = (body.len() as u32).to_le_bytes().to_vec();
    out.extend_from_slice(&body);
    out
}

/// What the bytes at an offset hold.
#[derive(Debug, PartialEq)]
pub enum Scan<'a> {
    /// A whole frame, and the offset after it.
    Frame {
        /// Its clear header.
        header: FrameHeader,
        /// Its sealed body (nonce, ciphertext, tag).
        sealed: &'a [u8],
        /// Offset of the next frame.
        next: usize,
    },
    /// The file ends inside this frame (or exactly here): wait for more bytes.
    Incomplete,
    /// Bytes that cannot be a frame of this format: reading this file cannot go on.
    Damaged(String),
}

/// Read the frame starting at `offset` of `data` (the whole file).
pub fn scan(data: &[u8], offset: usize) -> Scan<'_> {
    let Some(len_bytes) = data.get(offset..offset + 4) else {
        return Scan::Incomplete;
    };
    let len = u32::from_le_bytes(len_bytes.try_into().expect("4 bytes")) as usize;
    if len == 0 && data[offset..].iter().all(|b| *b == 0) {
        // Space a copier reserved but has not filled yet.
        return Scan::Incomplete;
    }
    if !(HEADER + 28..=MAX_FRAME).contains(&len) {
        return Scan::Damaged(format!(
            "a record length of {len} bytes at byte {offset} is impossible"
        ));
    }
    let Some(body) = data.get(offset + 4..offset + 4 + len) else {
        return Scan::Incomplete;
    };
    if body[0] != VERSION {
        return Scan::Damaged(format!(
            "record format {} at byte {offset} is unknown (written by a newer Nexus?)",
            body[0]
        ));
    }
    let Some(collection) = Collection::from_code(body[1]) else {
        return Scan::Damaged(format!(
            "unknown collection code {} at byte {offset}",
            body[1]
        ));
    };
    let header = FrameHeader {
        collection,
        seq: u64::from_le_bytes(body[2..10].try_into().expect("8 bytes")),
        opaque_id: body[10..26].try_into().expect("16 bytes"),
        modified_ms: i64::from_le_bytes(body[26..34].try_into().expect("8 bytes")),
    };
    Scan::Frame {
        header,
        sealed: &body[HEADER..],
        next: offset + 4 + len,
    }
}

/// Decrypt a scanned frame of `device`'s log; `None` if it fails authentication.
pub fn open(keys: &Keys, device: &str, header: &FrameHeader, sealed: &[u8]) -> Option<Vec<u8>> {
    keys.open_record(&aad(device, header), sealed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::sync::crypto::{Header, MIN_ITERATIONS};

    fn header(seq: u64) -> FrameHeader {
        FrameHeader {
            collection: Collection::Bookmarks,
            seq,
            opaque_id: [7; 16],
            modified_ms: 1234,
        }
    }

    #[test]
    fn frames_round_trip_and_stop_quietly_at_a_torn_tail() {
        let (_, keys) = Header::create("pw", MIN_ITERATIONS);
        let mut file = MAGIC.to_vec();
        file.extend(encode(&keys, "dev-a", &header(0), b"first"));
        file.extend(encode(&keys, "dev-a", &header(1), b"second"));
        let Scan::Frame {
            header: h,
            sealed,
            next,
        } = scan(&file, MAGIC.len())
        else {
            panic!("frame expected")
        };
        assert_eq!(h, header(0));
        assert_eq!(open(&keys, "dev-a", &h, sealed).unwrap(), b"first");
        assert!(
            open(&keys, "dev-b", &h, sealed).is_none(),
            "bound to the writing device"
        );
        let Scan::Frame { next: end, .. } = scan(&file, next) else {
            panic!("frame expected")
        };
        assert_eq!(end, file.len());
        assert_eq!(scan(&file, end), Scan::Incomplete);
        for cut in next + 1..file.len() {
            assert_eq!(scan(&file[..cut], next), Scan::Incomplete, "cut at {cut}");
        }
        let mut zeros = file.clone();
        zeros.extend([0u8; 64]);
        assert_eq!(scan(&zeros, end), Scan::Incomplete);
    }

    #[test]
    fn random_bytes_never_panic_the_scanner() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..2_000 {
            let len = round % 300;
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Small values make plausible lengths more likely.
                    if state.is_multiple_of(3) {
                        (state >> 8) as u8 % 4
                    } else {
                        (state >> 8) as u8
                    }
                })
                .collect();
            let mut at = 0;
            while let Scan::Frame { next, .. } = scan(&data, at) {
                assert!(next > at);
                at = next;
            }
        }
    }

    #[test]
    fn impossible_lengths_are_damage() {
        let mut file = MAGIC.to_vec();
        file.extend((MAX_FRAME as u32 + 1).to_le_bytes());
        assert!(matches!(scan(&file, MAGIC.len()), Scan::Damaged(_)));
    }

    #[test]
    fn nothing_readable_is_in_a_frame() {
        let (_, keys) = Header::create("pw", MIN_ITERATIONS);
        let frame = encode(
            &keys,
            "dev",
            &header(0),
            br#"{"title":"My secret bank","url":"https://bank.example"}"#,
        );
        assert!(!frame.windows(4).any(|w| w == b"bank"));
    }
}
