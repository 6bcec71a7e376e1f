//! The log files on disk: reading what other devices appended, appending ours.

use super::apply::Incoming;
use super::crypto::Keys;
use super::log::{self, FrameHeader, MAGIC, Scan};
use super::records::Record;
use super::run::{SyncIssue, SyncReport};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// The first bytes of a log (its magic, if that many exist), its bytes from `offset` on
/// (a sync reads only what was appended since the last one), and that offset. A file now
/// shorter than `offset` was replaced (restored, rewritten): it is read again from its
/// start, and sequence numbers skip what was already applied.
pub(super) fn read_from(path: &Path, offset: usize) -> std::io::Result<(Vec<u8>, Vec<u8>, usize)> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len() as usize;
    let offset = if offset > len { MAGIC.len() } else { offset };
    let mut magic = Vec::with_capacity(MAGIC.len());
    (&mut f).take(MAGIC.len() as u64).read_to_end(&mut magic)?;
    let mut tail = Vec::new();
    if magic.len() == MAGIC.len() {
        f.seek(SeekFrom::Start(offset as u64))?;
        f.read_to_end(&mut tail)?;
    }
    Ok((magic, tail, offset))
}

/// Decrypt the complete frames of `tail` (the log from byte `offset` on); returns the
/// position to resume at.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_log(
    keys: &Keys,
    device: &str,
    file: &Path,
    tail: &[u8],
    offset: usize,
    mut next_seq: u64,
    batch: &mut Vec<Incoming>,
    report: &mut SyncReport,
) -> (usize, u64) {
    let mut at = 0;
    loop {
        match log::scan(tail, at) {
            Scan::Incomplete => return (offset + at, next_seq),
            Scan::Damaged(why) => {
                report.issues.push(SyncIssue {
                    file: Some(file.to_path_buf()),
                    message: format!(
                        "{} is damaged after byte {} ({why}); its later records were skipped",
                        file.display(),
                        offset + at
                    ),
                });
                return (offset + at, next_seq);
            }
            Scan::Frame {
                header,
                sealed,
                next,
            } => {
                at = next;
                if header.seq < next_seq {
                    continue; // already read (a rewritten tail)
                }
                // Saturating: a log is foreign input, and a frame claiming the last
                // sequence number must neither panic nor wrap to re-reading from zero.
                next_seq = header.seq.saturating_add(1);
                match decode(keys, device, &header, sealed) {
                    Some(record) => batch.push(Incoming { record, device: device.to_string() }),
                    None => report.issues.push(SyncIssue {
                        file: Some(file.to_path_buf()),
                        message: format!(
                            "record {} in {} failed authentication (altered, or written with another passphrase); it was skipped",
                            header.seq,
                            file.display()
                        ),
                    }),
                }
            }
        }
    }
}

fn decode(keys: &Keys, device: &str, header: &FrameHeader, sealed: &[u8]) -> Option<Record> {
    let plain = log::open(keys, device, header, sealed)?;
    let mut record: Record = serde_json::from_slice(&plain).ok()?;
    // The clear id must be the HMAC of the real one: no relabelling.
    if keys.opaque_id(header.collection.name(), &record.id) != header.opaque_id {
        return None;
    }
    record.collection = header.collection;
    record.modified_ms = header.modified_ms;
    Some(record)
}

/// Append `records` to this device's log; returns its new length and next sequence number.
///
/// Only this device writes the file, so its end is known from the last append (`known`:
/// length and next sequence number). Frames found past that end (appended just before a
/// crash, before the database recorded them) are kept; a torn frame is cut off first. A
/// file shorter than recorded (restored from elsewhere) is scanned from its start.
pub(super) fn append_own(
    keys: &Keys,
    path: &Path,
    device: &str,
    records: &[Record],
    known: (usize, u64),
) -> std::io::Result<(usize, u64)> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .read(true)
        .write(true)
        .truncate(false)
        .open(path)?;
    let len = f.metadata()?.len() as usize;
    let (mut start, mut seq) = if known.0 >= MAGIC.len() && known.0 <= len {
        known
    } else {
        (0, 0)
    };
    let mut existing = Vec::new();
    f.seek(SeekFrom::Start(start as u64))?;
    f.read_to_end(&mut existing)?;
    let mut end = 0;
    if start == 0 && existing.len() >= MAGIC.len() && existing[..MAGIC.len()] == MAGIC[..] {
        end = MAGIC.len();
    }
    while let Scan::Frame { header, next, .. } = log::scan(&existing, end) {
        seq = header.seq.saturating_add(1); // frames others planted may claim any number
        end = next;
    }
    // Never reuse a sequence number readers may have seen, even if the file lost frames.
    seq = seq.max(known.1);
    let mut buf = Vec::new();
    if start == 0 && end == 0 {
        buf.extend_from_slice(MAGIC);
    }
    for r in records {
        let header = FrameHeader {
            collection: r.collection,
            seq,
            opaque_id: keys.opaque_id(r.collection.name(), &r.id),
            modified_ms: r.modified_ms,
        };
        let plain = serde_json::to_vec(r).expect("records serialize");
        buf.extend(log::encode(keys, device, &header, &plain));
        seq = seq.saturating_add(1);
    }
    start += end;
    f.set_len(start as u64)?;
    f.seek(SeekFrom::Start(start as u64))?;
    f.write_all(&buf)?;
    f.sync_all()?;
    Ok((start + buf.len(), seq))
}
