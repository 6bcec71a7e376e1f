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
#[cfg(test)]
mod tests;

pub use config::{BatchConfig, ConnectionConfig, Keepalive, Role};

use crate::Kind;
use crate::codec::{FrameReader, FrameWriter, Zstd};
use crate::envelope::{Envelope, Flags, encode_batch, encode_body};
use crate::error::{CloseCause, RequestError, SendError};
use crate::handshake::Handshake;
use crate::log::Direction;
use crate::messages::Message;
use crate::messages::control::{Cancel, ErrorCode, ErrorReply, Goodbye, Ping};
use crate::messages::stream::{StreamData, StreamEnd, StreamError, StreamStart};
use crate::policy::Rejection;
use crate::shm::{ShmHandle, ShmInbox, ShmPool};
use std::collections::{HashMap, HashSet, VecDeque};
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
    last_recv: Instant,
    ping_out: bool,
    version: u8,
    peer_tag: u64,
    peer_window: u32,
    shm_pool: ShmPool,
    shm_inbox: ShmInbox,
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
            last_recv: now,
            ping_out: false,
            version: 0,
            peer_tag: 0,
            peer_window: 0,
            shm_pool: ShmPool::default(),
            shm_inbox: ShmInbox::default(),
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

    // ----- sending -----

    /// Send a request; the reply arrives as [`Event::Response`] (or a stream for our id).
    pub fn request<M: Message>(
        &mut self,
        msg: &M,
        timeout: Option<Duration>,
        now: Instant,
    ) -> Result<u64, SendError> {
        self.request_raw(M::KIND, encode_body(msg), timeout, now)
    }

    /// [`Connection::request`] with an encoded body.
    pub fn request_raw(
        &mut self,
        kind: Kind,
        body: Vec<u8>,
        timeout: Option<Duration>,
        now: Instant,
    ) -> Result<u64, SendError> {
        let id = self.take_id();
        let env = Envelope::raw(kind, id, body).with_flags(Flags::REQUEST);
        self.send_now(env, now)?;
        let timeout = timeout.unwrap_or(self.cfg.request_timeout);
        self.pending.insert(
            id,
            Pending {
                sent: now,
                timeout,
                deadline: now + timeout,
                stream: None,
            },
        );
        Ok(id)
    }

    /// Stop waiting for `request` and tell the peer, which stops working on it.
    pub fn cancel(&mut self, request: u64, now: Instant) -> bool {
        let Some(p) = self.pending.remove(&request) else {
            return false;
        };
        if let Some(s) = p.stream {
            self.recv_streams.remove(&s);
        }
        self.send_control(Envelope::new(0, &Cancel {}).correlate(request), now);
        true
    }

    /// Send a fire-and-forget message (batched).
    pub fn notify<M: Message>(&mut self, msg: &M, now: Instant) -> Result<(), SendError> {
        self.notify_raw(M::KIND, encode_body(msg), now)
    }

    /// [`Connection::notify`] with an encoded body.
    pub fn notify_raw(&mut self, kind: Kind, body: Vec<u8>, now: Instant) -> Result<(), SendError> {
        self.check_open()?;
        let id = self.take_id();
        let env = Envelope::raw(kind, id, body);
        let big = env.body.len() >= self.cfg.shm_threshold.min(self.cfg.codec.max_frame / 2);
        if self.cfg.batch.max_messages <= 1 || big || !self.is_established() {
            return self.send_now(env, now);
        }
        self.batch.push(env);
        self.batch_since.get_or_insert(now);
        if self.batch.len() >= self.cfg.batch.max_messages {
            self.flush_batch();
        }
        Ok(())
    }

    /// Write any batched notifications now.
    pub fn flush(&mut self) {
        self.flush_batch();
    }

    /// Answer request `request` with `msg`.
    pub fn respond<M: Message>(
        &mut self,
        request: u64,
        msg: &M,
        now: Instant,
    ) -> Result<(), SendError> {
        self.respond_raw(request, M::KIND, encode_body(msg), now)
    }

    /// Answer with an encoded body.
    pub fn respond_raw(
        &mut self,
        request: u64,
        kind: Kind,
        body: Vec<u8>,
        now: Instant,
    ) -> Result<(), SendError> {
        if !self.served.remove(&request) {
            return Err(SendError::UnknownRequest(request));
        }
        let id = self.take_id();
        self.send_now(
            Envelope::raw(kind, id, body)
                .correlate(request)
                .with_flags(Flags::RESPONSE),
            now,
        )
    }

    /// Answer with an error reply.
    pub fn respond_error(
        &mut self,
        request: u64,
        code: ErrorCode,
        message: impl Into<String>,
        now: Instant,
    ) -> Result<(), SendError> {
        self.respond(
            request,
            &ErrorReply {
                code,
                message: message.into(),
            },
            now,
        )
    }

    /// Whether we still owe `request` an answer (false once answered or cancelled).
    pub fn is_serving(&self, request: u64) -> bool {
        self.served.contains(&request)
    }

    /// Open a stream answering `request` (or a standalone one); items are bodies of
    /// `item_kind`. Returns our stream id.
    pub fn open_stream(
        &mut self,
        request: Option<u64>,
        item_kind: Option<Kind>,
        now: Instant,
    ) -> Result<u64, SendError> {
        if let Some(r) = request
            && !self.served.contains(&r)
        {
            return Err(SendError::UnknownRequest(r));
        }
        let stream = self.next_stream;
        self.next_stream += 1;
        let credits = if self.is_established() {
            self.peer_window
        } else {
            0
        };
        let start = StreamStart {
            stream_id: stream,
            item_kind,
            total_len: None,
            initial_credits: credits,
        };
        let id = self.take_id();
        let mut env = Envelope::new(id, &start);
        env.correlation = request;
        self.send_now(env, now)?;
        self.send_streams.insert(
            stream,
            SendStream {
                request,
                credits,
                seq: 0,
            },
        );
        Ok(stream)
    }

    /// Send one item; `NoCredit` means wait for [`Event::StreamWritable`].
    pub fn send_stream_item(
        &mut self,
        stream: u64,
        item: Vec<u8>,
        now: Instant,
    ) -> Result<(), SendError> {
        let s = self
            .send_streams
            .get_mut(&stream)
            .ok_or(SendError::UnknownStream(stream))?;
        if s.credits == 0 {
            return Err(SendError::NoCredit(stream));
        }
        s.credits -= 1;
        let seq = s.seq;
        s.seq += 1;
        let request = s.request;
        let id = self.take_id();
        let mut env = Envelope::new(
            id,
            &StreamData {
                stream_id: stream,
                seq,
                item,
            },
        );
        env.correlation = request;
        self.send_now(env, now)
    }

    /// Send a typed item.
    pub fn send_stream_message<M: Message>(
        &mut self,
        stream: u64,
        msg: &M,
        now: Instant,
    ) -> Result<(), SendError> {
        self.send_stream_item(stream, encode_body(msg), now)
    }

    /// Finish a stream normally.
    pub fn end_stream(&mut self, stream: u64, now: Instant) -> Result<(), SendError> {
        let s = self
            .send_streams
            .remove(&stream)
            .ok_or(SendError::UnknownStream(stream))?;
        if let Some(r) = s.request {
            self.served.remove(&r);
        }
        let id = self.take_id();
        let mut env = Envelope::new(
            id,
            &StreamEnd {
                stream_id: stream,
                items: s.seq,
            },
        );
        env.correlation = s.request;
        self.send_now(env, now)
    }

    /// Fail a stream with a message for the user.
    pub fn fail_stream(
        &mut self,
        stream: u64,
        message: impl Into<String>,
        now: Instant,
    ) -> Result<(), SendError> {
        let s = self
            .send_streams
            .remove(&stream)
            .ok_or(SendError::UnknownStream(stream))?;
        if let Some(r) = s.request {
            self.served.remove(&r);
        }
        let id = self.take_id();
        let mut env = Envelope::new(
            id,
            &StreamError {
                stream_id: stream,
                message: message.into(),
            },
        );
        env.correlation = s.request;
        self.send_now(env, now)
    }

    /// Our application consumed `n` items of an incoming stream: grant more credit.
    pub fn stream_consumed(&mut self, stream: u64, n: u64, now: Instant) {
        let window = u64::from(self.cfg.stream_window);
        let Some(s) = self.recv_streams.get_mut(&stream) else {
            return;
        };
        s.consumed = (s.consumed + n).min(s.next_seq);
        let top_up = s.consumed + window - s.granted.min(s.consumed + window);
        if top_up >= window.div_ceil(2) {
            s.granted += top_up;
            let credit = crate::messages::stream::StreamCredit {
                stream_id: stream,
                credits: top_up as u32,
            };
            self.send_control(Envelope::new(0, &credit), now);
        }
    }

    /// Say goodbye and close.
    pub fn close(&mut self, reason: impl Into<String>, now: Instant) {
        if self.is_closed() {
            return;
        }
        let reason = reason.into();
        if self.is_established() {
            self.send_control(
                Envelope::new(
                    0,
                    &Goodbye {
                        reason: reason.clone(),
                    },
                ),
                now,
            );
        }
        self.close_with(CloseCause::Local(reason));
    }

    // ----- internals -----

    fn is_closed(&self) -> bool {
        matches!(self.state, State::Closed(_))
    }

    fn check_open(&self) -> Result<(), SendError> {
        match &self.state {
            State::Closed(c) => Err(SendError::Closed(c.clone())),
            _ => Ok(()),
        }
    }

    fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Control messages: never batched, never fail the caller.
    fn send_control(&mut self, mut env: Envelope, now: Instant) {
        env.id = self.take_id();
        if let Err(e) = self.send_now(env, now) {
            tracing::debug!(error = %e, "control message not sent");
        }
    }

    /// Send outside the batch, after flushing it (order is preserved).
    fn send_now(&mut self, env: Envelope, _now: Instant) -> Result<(), SendError> {
        self.check_open()?;
        if env.body.len() > self.cfg.codec.max_frame
            && !(self.handles_ok && env.body.len() <= self.cfg.max_shm)
        {
            return Err(SendError::TooLarge {
                len: env.body.len(),
                cap: self.cfg.codec.max_frame,
            });
        }
        if !self.is_established() {
            self.queued.push(env);
            return Ok(());
        }
        self.flush_batch();
        self.write_env(env)
    }

    fn flush_batch(&mut self) {
        self.batch_since = None;
        match self.batch.len() {
            0 => {}
            1 => {
                let env = self.batch.pop().expect("one item");
                self.write_logged(env);
            }
            _ => {
                let items = std::mem::take(&mut self.batch);
                if let Some(log) = &self.cfg.log {
                    items.iter().for_each(|e| {
                        log.record(Direction::Out, self.cfg.peer, e, e.encoded_len(), None)
                    });
                }
                let id = self.take_id();
                let env =
                    Envelope::raw(Kind::BATCH, id, encode_batch(&items)).with_flags(Flags::BATCH);
                if let Err(e) = self.write_packed(env) {
                    tracing::warn!(error = %e, "batch not sent");
                }
            }
        }
    }

    fn write_logged(&mut self, env: Envelope) {
        if let Err(e) = self.write_env(env) {
            tracing::warn!(error = %e, "message not sent");
        }
    }

    fn write_env(&mut self, env: Envelope) -> Result<(), SendError> {
        if let Some(log) = &self.cfg.log {
            log.record(Direction::Out, self.cfg.peer, &env, env.encoded_len(), None);
        }
        self.write_packed(env)
    }

    /// Move a large body to shared memory or compress it, then frame (and seal) it.
    fn write_packed(&mut self, mut env: Envelope) -> Result<(), SendError> {
        if self.handles_ok
            && env.body.len() >= self.cfg.shm_threshold
            && env.body.len() <= self.cfg.max_shm
        {
            match self.shm_pool.put(&env.body) {
                Ok((desc, handle)) => {
                    env.body = encode_body(&desc);
                    env.flags.insert(Flags::SHM);
                    self.out_handles.extend(handle);
                }
                Err(e) if env.body.len() > self.cfg.codec.max_frame => {
                    return Err(SendError::SharedMemory(e));
                }
                Err(_) => {}
            }
        }
        self.zstd.maybe_compress(&mut env);
        self.writer.write(&env, &mut self.out).map(|_| ())
    }

    fn write_plain(&mut self, env: &Envelope) {
        // Handshake messages are tiny; this cannot exceed the cap.
        let _ = self.writer.write(env, &mut self.out);
    }

    pub(crate) fn close_with(&mut self, cause: CloseCause) {
        if self.is_closed() {
            return;
        }
        tracing::debug!(peer = self.cfg.peer, %cause, "ipc connection closed");
        self.state = State::Closed(cause.clone());
        for (request, p) in self.pending.drain() {
            let error = RequestError::Disconnected(cause.clone());
            self.events.push_back(match p.stream {
                Some(stream) => Event::StreamFailed {
                    stream,
                    request: Some(request),
                    error,
                },
                None => Event::Response {
                    request,
                    result: Err(error),
                },
            });
        }
        for (stream, s) in self.recv_streams.drain() {
            if s.request.is_none() {
                let error = RequestError::Disconnected(cause.clone());
                self.events.push_back(Event::StreamFailed {
                    stream,
                    request: None,
                    error,
                });
            }
        }
        self.served.clear();
        self.send_streams.clear();
        self.batch.clear();
        self.queued.clear();
        self.in_handles.clear();
        self.shm_pool = ShmPool::default();
        self.shm_inbox = ShmInbox::default();
        if let Some(p) = &mut self.cfg.policy {
            p.forget_peer(self.cfg.peer);
        }
        self.events.push_back(Event::Closed(cause));
    }
}
