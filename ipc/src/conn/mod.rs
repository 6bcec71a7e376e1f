//! The sans-IO connection: one peer, all patterns, no I/O and no clock.
//!
//! Feed it what the transport delivered ([`Connection::handle_input`],
//! [`Connection::handle_handles`], [`Connection::handle_transport_closed`]) and the time
//! ([`Connection::handle_timeout`]); take out what it wants written
//! ([`Connection::poll_transmit`]), what happened ([`Connection::poll_event`]) and when to
//! wake it next ([`Connection::poll_timeout`]). Every method takes `now` from the caller,
//! so tests run two peers in memory with simulated time, and the same code runs inside a
//! CEF callback, a tokio task or a plain thread.
//!
//! Patterns on one connection:
//! - request–response: ids, per-request deadlines, cancellation sent to the peer, and on
//!   close every pending request fails at once with the close cause;
//! - fire-and-forget notifications (events, status), batched (seed: 10 messages or 16 ms);
//!   anything else flushes the batch first, so order is preserved;
//! - streams with credit-based backpressure: the receiver announces its window in the
//!   handshake and grants more as its application consumes items; a sender past its
//!   credit is a protocol violation that closes the connection;
//! - keepalive pings, policy checks on inbound messages, shared memory for large bodies.

mod config;
mod inbound;
mod output;
mod send;
#[cfg(test)]
mod tests;

pub use config::{BatchConfig, ConnectionConfig, Keepalive, Role};

use crate::Kind;
use crate::codec::{FrameReader, FrameWriter, Zstd};
use crate::envelope::Envelope;
use crate::error::{CloseCause, RequestError};
use crate::handshake::Handshake;
use crate::messages::control::{Cancel, Ping};
use crate::policy::Rejection;
use crate::shm::{ShmHandle, ShmInbox, ShmPool};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Something that happened on the connection.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// The handshake completed.
    Connected {
        /// Agreed protocol version.
        version: u8,
        /// On a server: the tag of the secret the peer proved.
        peer_tag: u64,
    },
    /// The peer asks for something; answer with `respond*` or a stream.
    Request(Envelope),
    /// A fire-and-forget message from the peer.
    Notification(Envelope),
    /// The reply (or failure) of one of our requests.
    Response {
        /// Our request's id.
        request: u64,
        /// The reply envelope, or why there is none.
        result: Result<Envelope, RequestError>,
    },
    /// The peer opened a stream (for our request `request`, if any).
    StreamOpened {
        /// The peer's stream id.
        stream: u64,
        /// Our request it answers.
        request: Option<u64>,
        /// Kind of each item's body.
        item_kind: Option<Kind>,
    },
    /// One stream item; call [`Connection::stream_consumed`] once it is used.
    StreamItem {
        /// The stream.
        stream: u64,
        /// Our request it answers.
        request: Option<u64>,
        /// The item bytes.
        item: Vec<u8>,
    },
    /// The stream finished normally.
    StreamEnded {
        /// The stream.
        stream: u64,
        /// Our request it answered.
        request: Option<u64>,
    },
    /// The stream failed (peer error, idle timeout, disconnect, cancel by timeout).
    StreamFailed {
        /// The stream (0 if it never opened).
        stream: u64,
        /// Our request it answered.
        request: Option<u64>,
        /// Why.
        error: RequestError,
    },
    /// One of our outgoing streams received credit.
    StreamWritable {
        /// Our stream id.
        stream: u64,
    },
    /// The peer cancelled a request we are serving (and any stream answering it).
    Cancelled {
        /// The request id.
        request: u64,
    },
    /// A request or notification whose body is read in place from shared memory
    /// (only with [`ConnectionConfig::shm_zero_copy`]). `envelope.body` is empty; answer a
    /// request with `respond*` as usual. Dropping `payload` releases the region.
    Shared {
        /// The header (empty body).
        envelope: Envelope,
        /// The body, in place.
        payload: crate::shm::SharedBytes,
    },
    /// The policy rejected an inbound message (already answered if it was a request).
    Rejected(Rejection),
    /// The connection closed; nothing more will happen.
    Closed(CloseCause),
}

/// Bytes (and shared-memory handles) to write to the transport, in order.
#[derive(Debug, Default)]
pub struct Transmit {
    /// Bytes to write.
    pub bytes: Vec<u8>,
    /// Handles to attach to the first byte of `bytes`.
    pub handles: Vec<ShmHandle>,
}

enum State {
    Handshaking(Box<Handshake>),
    Established,
    Closed(CloseCause),
}

struct Pending {
    sent: Instant,
    timeout: Duration,
    deadline: Instant,
    stream: Option<u64>,
}

struct SendStream {
    request: Option<u64>,
    credits: u32,
    seq: u64,
}

struct RecvStream {
    request: Option<u64>,
    next_seq: u64,
    granted: u64,
    consumed: u64,
    deadline: Instant,
}

/// One connection's protocol state.
pub struct Connection {
    cfg: ConnectionConfig,
    state: State,
    reader: FrameReader,
    writer: FrameWriter,
    zstd: Zstd,
    out: Vec<u8>,
    out_handles: Vec<ShmHandle>,
    in_handles: VecDeque<ShmHandle>,
    handles_ok: bool,
    queued: Vec<Envelope>,
    events: VecDeque<Event>,
    next_id: u64,
    next_stream: u64,
    pending: HashMap<u64, Pending>,
    served: HashSet<u64>,
    send_streams: HashMap<u64, SendStream>,
    recv_streams: HashMap<u64, RecvStream>,
    batch: Vec<Envelope>,
    batch_since: Option<Instant>,
    batch_bytes: usize,
    last_recv: Instant,
    ping_out: bool,
    version: u8,
    peer_tag: u64,
    peer_window: u32,
    shm_pool: ShmPool,
    shm_inbox: ShmInbox,
    shm_releases: Arc<Mutex<Vec<u32>>>,
}

impl Connection {
    /// A connection in its handshake. A client queues its Hello at once.
    pub fn new(cfg: ConnectionConfig, now: Instant) -> Result<Connection, CloseCause> {
        let max = cfg.codec.max_frame;
        let (hs, hello) = match &cfg.role {
            config::Role::Client(secret) => {
                let (hs, hello) =
                    Handshake::client(secret.clone(), cfg.encrypt, cfg.stream_window)?;
                (hs, Some(hello))
            }
            config::Role::Server(secrets) => (
                Handshake::server(secrets.clone(), cfg.encrypt, cfg.stream_window),
                None,
            ),
        };
        let mut c = Connection {
            zstd: Zstd::new(cfg.codec.compression),
            cfg,
            state: State::Handshaking(Box::new(hs)),
            reader: FrameReader::new(max),
            writer: FrameWriter::new(max),
            out: Vec::new(),
            out_handles: Vec::new(),
            in_handles: VecDeque::new(),
            handles_ok: false,
            queued: Vec::new(),
            events: VecDeque::new(),
            next_id: 1,
            next_stream: 1,
            pending: HashMap::new(),
            served: HashSet::new(),
            send_streams: HashMap::new(),
            recv_streams: HashMap::new(),
            batch: Vec::new(),
            batch_since: None,
            batch_bytes: 0,
            last_recv: now,
            ping_out: false,
            version: 0,
            peer_tag: 0,
            peer_window: 0,
            shm_pool: ShmPool::default(),
            shm_inbox: ShmInbox::default(),
            shm_releases: Arc::default(),
        };
        if let Some(h) = hello {
            c.write_plain(&h);
        }
        Ok(c)
    }

    /// Declare that the transport carries shared-memory handles next to bytes.
    pub fn enable_handle_passing(&mut self) {
        self.handles_ok = crate::shm::SUPPORTED;
    }

    // ----- state -----

    /// Whether the handshake completed and the connection is open.
    pub fn is_established(&self) -> bool {
        matches!(self.state, State::Established)
    }

    /// Why the connection closed, if it did.
    pub fn close_cause(&self) -> Option<&CloseCause> {
        match &self.state {
            State::Closed(c) => Some(c),
            _ => None,
        }
    }

    /// The agreed protocol version (0 before the handshake completes).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// On a server, the tag of the launch secret the peer proved.
    pub fn peer_tag(&self) -> u64 {
        self.peer_tag
    }

    /// The configuration.
    pub fn config(&self) -> &ConnectionConfig {
        &self.cfg
    }

    /// Requests of ours still waiting for a reply.
    pub fn pending_requests(&self) -> usize {
        self.pending.len()
    }

    /// Credits left on one of our outgoing streams.
    pub fn stream_credits(&self, stream: u64) -> Option<u32> {
        self.send_streams.get(&stream).map(|s| s.credits)
    }

    /// Items received on an incoming stream and not yet reported consumed.
    pub fn stream_unconsumed(&self, stream: u64) -> Option<u64> {
        self.recv_streams
            .get(&stream)
            .map(|s| s.next_seq - s.consumed)
    }

    /// Bytes waiting to be written.
    pub fn transmit_pending(&self) -> usize {
        self.out.len()
    }

    // ----- inputs -----

    /// Bytes read from the transport.
    pub fn handle_input(&mut self, mut data: &[u8], now: Instant) {
        while !data.is_empty() && !self.is_closed() {
            match self.reader.read(&mut data) {
                Ok(Some((env, wire))) => self.on_frame(env, wire, now),
                Ok(None) => break,
                Err(cause) => self.close_with(cause),
            }
        }
    }

    /// Shared-memory handles received with bytes; call before `handle_input` for them.
    pub fn handle_handles(&mut self, handles: impl IntoIterator<Item = ShmHandle>) {
        self.in_handles.extend(handles);
    }

    /// The transport reported end of stream or an error.
    pub fn handle_transport_closed(&mut self, reason: impl Into<String>) {
        self.close_with(CloseCause::Disconnected(reason.into()));
    }

    /// Time passed: expire requests and idle streams, flush a due batch, keep alive.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.is_closed() {
            return;
        }
        let expired: Vec<u64> = self
            .pending
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            let p = self.pending.remove(&id).expect("collected above");
            let error = RequestError::Timeout(p.timeout);
            self.send_control(Envelope::new(0, &Cancel {}).correlate(id), now);
            match p.stream {
                Some(stream) => {
                    self.recv_streams.remove(&stream);
                    self.events.push_back(Event::StreamFailed {
                        stream,
                        request: Some(id),
                        error,
                    });
                }
                None => self.events.push_back(Event::Response {
                    request: id,
                    result: Err(error),
                }),
            }
        }
        let idle: Vec<u64> = self
            .recv_streams
            .iter()
            .filter(|(_, s)| s.request.is_none() && s.deadline <= now)
            .map(|(id, _)| *id)
            .collect();
        for stream in idle {
            self.recv_streams.remove(&stream);
            let error = RequestError::Timeout(self.cfg.stream_idle_timeout);
            self.events.push_back(Event::StreamFailed {
                stream,
                request: None,
                error,
            });
        }
        if self
            .batch_since
            .is_some_and(|t| t + self.cfg.batch.max_delay <= now)
        {
            self.flush_batch();
        }
        if let Some(k) = self.cfg.keepalive {
            let silent = now.saturating_duration_since(self.last_recv);
            if silent >= k.timeout {
                self.close_with(CloseCause::KeepaliveTimeout(k.timeout));
            } else if silent >= k.interval && !self.ping_out && self.is_established() {
                self.ping_out = true;
                self.send_control(Envelope::new(0, &Ping {}), now);
            }
        }
    }

    // ----- outputs -----

    /// Everything to write now, or `None`.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.flush_releases();
        if self.out.is_empty() && self.out_handles.is_empty() {
            return None;
        }
        Some(Transmit {
            bytes: std::mem::take(&mut self.out),
            handles: std::mem::take(&mut self.out_handles),
        })
    }

    /// Append everything to write now to `buf` (reusing its allocation); returns the
    /// handles to attach, if any.
    pub fn poll_transmit_into(&mut self, buf: &mut Vec<u8>) -> Vec<ShmHandle> {
        self.flush_releases();
        if buf.is_empty() {
            std::mem::swap(buf, &mut self.out);
        } else {
            buf.append(&mut self.out);
        }
        std::mem::take(&mut self.out_handles)
    }

    /// The next event, or `None`.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When to call [`Connection::handle_timeout`] next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.is_closed() {
            return None;
        }
        let mut t: Option<Instant> = None;
        let mut min = |x: Instant| t = Some(t.map_or(x, |y| y.min(x)));
        self.pending.values().for_each(|p| min(p.deadline));
        self.recv_streams
            .values()
            .filter(|s| s.request.is_none())
            .for_each(|s| min(s.deadline));
        if let Some(b) = self.batch_since {
            min(b + self.cfg.batch.max_delay);
        }
        if let Some(k) = self.cfg.keepalive {
            min(self.last_recv
                + if self.ping_out || !self.is_established() {
                    k.timeout
                } else {
                    k.interval
                });
        }
        t
    }
}
