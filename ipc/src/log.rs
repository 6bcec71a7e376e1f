//! The message logger: one `tracing` event per message and a bounded, queryable history.
//!
//! Entries hold the header facts (direction, peer, kind, id, size, latency), never the
//! body: pages are private. The history is what the UI's IPC inspector and
//! `nexus --ipc-log` show; [`MessageLog::dump_json_lines`] writes it out.

use crate::envelope::{Envelope, Flags, Header};
use crate::{Kind, PeerId};
use serde_json::json;
use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Default number of entries kept.
pub const DEFAULT_HISTORY: usize = 1000;

/// Which way a message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Received from the peer.
    In,
    /// Sent to the peer.
    Out,
}

/// One logged message.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// Wall-clock time in milliseconds since the Unix epoch (for display only).
    pub at_ms: u128,
    /// Direction.
    pub direction: Direction,
    /// The peer.
    pub peer: PeerId,
    /// The kind.
    pub kind: Kind,
    /// Message id.
    pub id: u64,
    /// Correlation id.
    pub correlation: Option<u64>,
    /// Flags.
    pub flags: Flags,
    /// Bytes on the wire (or encoded size).
    pub size: usize,
    /// For a reply: time since the request was sent.
    pub latency: Option<Duration>,
    /// Why the receiver refused the message (a [`crate::RejectReason`] name, or the
    /// host's own rule), if it did.
    pub refused: Option<&'static str>,
}

impl LogEntry {
    /// The entry as one JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "at_ms": self.at_ms as u64,
            "dir": match self.direction { Direction::In => "in", Direction::Out => "out" },
            "peer": self.peer,
            "kind": self.kind.to_string(),
            "id": self.id,
            "correlation": self.correlation,
            "flags": self.flags.names(),
            "size": self.size,
            "latency_us": self.latency.map(|d| d.as_micros() as u64),
            "refused": self.refused,
        })
    }
}

/// A bounded history of messages, shared by connections (interior mutability).
#[derive(Debug)]
pub struct MessageLog {
    capacity: usize,
    entries: Mutex<VecDeque<LogEntry>>,
}

impl Default for MessageLog {
    fn default() -> Self {
        MessageLog::new(DEFAULT_HISTORY)
    }
}

impl MessageLog {
    /// A log keeping the last `capacity` entries (0 keeps none but still emits events).
    pub fn new(capacity: usize) -> MessageLog {
        MessageLog {
            capacity,
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(4096))),
        }
    }

    /// Record a message and emit its tracing event.
    pub fn record(
        &self,
        direction: Direction,
        peer: PeerId,
        env: &Envelope,
        size: usize,
        latency: Option<Duration>,
    ) {
        let header = Header {
            version: env.version,
            flags: env.flags,
            kind: env.kind,
            id: env.id,
            correlation: env.correlation,
        };
        self.record_header(direction, peer, &header, size, latency);
    }

    /// [`MessageLog::record`] from the header alone (the body may be gone already).
    pub fn record_header(
        &self,
        direction: Direction,
        peer: PeerId,
        header: &Header,
        size: usize,
        latency: Option<Duration>,
    ) {
        self.push(direction, peer, header, size, latency, None);
    }

    /// Record a message the receiver refused, with what of its header could be read (an
    /// undecodable message has kind 0 and id 0), and why.
    pub fn record_refused(
        &self,
        direction: Direction,
        peer: PeerId,
        header: &Header,
        size: usize,
        reason: &'static str,
    ) {
        self.push(direction, peer, header, size, None, Some(reason));
    }

    fn push(
        &self,
        direction: Direction,
        peer: PeerId,
        header: &Header,
        size: usize,
        latency: Option<Duration>,
        refused: Option<&'static str>,
    ) {
        tracing::debug!(
            target: "nexus_ipc::msg",
            dir = ?direction, peer, kind = %header.kind, id = header.id,
            correlation = ?header.correlation, size,
            latency_us = latency.map(|d| d.as_micros() as u64), refused, "ipc message"
        );
        if self.capacity == 0 {
            return;
        }
        let at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let entry = LogEntry {
            at_ms,
            direction,
            peer,
            kind: header.kind,
            id: header.id,
            correlation: header.correlation,
            flags: header.flags,
            size,
            latency,
            refused,
        };
        let mut q = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if q.len() == self.capacity {
            q.pop_front();
        }
        q.push_back(entry);
    }

    /// Entries matching `filter`, oldest first.
    pub fn query(&self, filter: impl Fn(&LogEntry) -> bool) -> Vec<LogEntry> {
        let q = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        q.iter().filter(|e| filter(e)).cloned().collect()
    }

    /// Number of entries held.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether the history is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Write every entry as one JSON object per line.
    pub fn dump_json_lines(&self, w: &mut impl Write) -> io::Result<()> {
        for e in self.query(|_| true) {
            writeln!(w, "{}", e.to_json())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::events::TabCreated;

    #[test]
    fn bounded_queryable_and_body_free() {
        let log = MessageLog::new(3);
        for i in 0..5 {
            let e = Envelope::new(
                i,
                &TabCreated {
                    tab_id: i,
                    url: "https://private.example/".into(),
                },
            );
            log.record(
                if i % 2 == 0 {
                    Direction::In
                } else {
                    Direction::Out
                },
                4,
                &e,
                40,
                None,
            );
        }
        assert_eq!(log.len(), 3);
        let ins = log.query(|e| e.direction == Direction::In);
        assert_eq!(ins.iter().map(|e| e.id).collect::<Vec<_>>(), vec![2, 4]);
        let mut out = Vec::new();
        log.dump_json_lines(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains("\"kind\":\"tab_created\""));
        assert!(!text.contains("private.example"));
        for line in text.lines() {
            serde_json::from_str::<serde_json::Value>(line).unwrap();
        }
    }
}
