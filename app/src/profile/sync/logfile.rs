//! The log files on disk: reading what other devices appended, appending ours.

use super::apply::Incoming;
use super::crypto::Keys;
use super::log::{self, FrameHeader, MAGIC, Scan};
use super::records::Record;
use super::run::{SyncIssue, SyncReport};
use std::io::{Seek, Write};
use std::path::Path;

/// Decrypt the complete frames of one log from `offset`; returns the position to resume at.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_log(
    keys: &Keys,
    device: &str,
    file: &Path,
    data: &[u8],
    mut offset: usize,
    mut next_seq: u64,
    batch: &mut Vec<Incoming>,
    report: &mut SyncReport,
) -> (usize, u64) {
    loop {
        match log::scan(data, offset) {
            Scan::Incomplete => return (offset, next_seq),
            Scan::Damaged(why) => {
                report.issues.push(SyncIssue {
                    file: Some(file.to_path_buf()),
                    message: format!(
                        "{} is damaged ({why}); its later records were skipped",
                        file.display()
                    ),
                });
                return (offset, next_seq);
            }
            Scan::Frame {
                header,
                sealed,
                next,
            } => {
                offset = next;
                if header.seq < next_seq {
                    continue; // already read (a rewritten tail)
                }
                next_seq = header.seq + 1;
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

/// Append `records` to this device's log after checking its tail: a torn frame left by a
/// crash mid-append is cut off first (only this device writes the file).
pub(super) fn append_own(
    keys: &Keys,
    path: &Path,
    device: &str,
    records: &[Record],
) -> std::io::Result<()> {
    let existing = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(false)
        .write(true)
        .truncate(false)
        .open(path)?;
    let (mut end, mut seq) = (0usize, 0u64);
    if existing.len() >= MAGIC.len() && &existing[..MAGIC.len()] == MAGIC {
        end = MAGIC.len();
        while let Scan::Frame { header, next, .. } = log::scan(&existing, end) {
            seq = header.seq + 1;
            end = next;
        }
    }
    let mut buf = Vec::new();
    if end == 0 {
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
        seq += 1;
    }
    f.set_len(end as u64)?;
    f.seek(std::io::SeekFrom::Start(end as u64))?;
    f.write_all(&buf)?;
    f.sync_all()
}
