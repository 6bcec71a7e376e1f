//! The driver task: owns one sans-IO [`Connection`] and its socket, and turns handle
//! commands into connection calls and connection events into replies, stream items,
//! incoming requests and subscription messages.
//!
//! One task per connection, no locks on the hot path: handles talk to it through two
//! channels (bounded for data, so a fast sender waits instead of growing memory;
//! unbounded for small control messages that must never be lost, such as a cancel sent
//! from a destructor).

use super::commands::{Command, Control, StreamMsg, Waiter};
use super::serve::{Inbound, IncomingRequest, Responder};
use super::unix_io;
use crate::Kind;
use crate::conn::{Connection, Event};
use crate::error::{CloseCause, RequestError, SendError};
use crate::shm::ShmHandle;
use std::collections::{HashMap, VecDeque};
use std::os::fd::AsRawFd;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::io::Interest;
use tokio::net::UnixStream;
use tokio::sync::{mpsc, oneshot, watch};

/// Stop taking data commands while this much is waiting to be written.
const HIGH_WATER: usize = 4 * 1024 * 1024;
const READ_BUF: usize = 256 * 1024;

/// Stream items waiting for credit, each with the sender's completion.
type Parked = VecDeque<(Vec<u8>, oneshot::Sender<Result<(), SendError>>)>;

/// What the handles can see of the driver.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub cause: Mutex<Option<CloseCause>>,
    pub peer_tag: Mutex<Option<u64>>,
}

pub(crate) struct Driver {
    conn: Connection,
    stream: UnixStream,
    data: mpsc::Receiver<Command>,
    control: mpsc::UnboundedReceiver<Control>,
    control_tx: mpsc::UnboundedSender<Control>,
    data_weak: mpsc::WeakSender<Command>,
    incoming: Option<mpsc::UnboundedSender<Inbound>>,
    shared: Arc<Shared>,
    ready: Option<oneshot::Sender<Result<u64, CloseCause>>>,
    closed_tx: watch::Sender<bool>,
    waiters: HashMap<u64, Waiter>,
    tokens: HashMap<u64, u64>,
    stream_requests: HashMap<u64, u64>,
    cancel_signals: HashMap<u64, watch::Sender<bool>>,
    blocked: HashMap<u64, Parked>,
    subs: HashMap<Kind, Vec<mpsc::UnboundedSender<crate::Envelope>>>,
    wbuf: Vec<u8>,
    woff: usize,
    whandles: Vec<ShmHandle>,
}

pub(crate) struct Channels {
    pub data: mpsc::Receiver<Command>,
    pub control: mpsc::UnboundedReceiver<Control>,
    pub control_tx: mpsc::UnboundedSender<Control>,
    pub data_weak: mpsc::WeakSender<Command>,
    pub incoming: mpsc::UnboundedSender<Inbound>,
    pub shared: Arc<Shared>,
    pub ready: oneshot::Sender<Result<u64, CloseCause>>,
    pub closed_tx: watch::Sender<bool>,
}

impl Driver {
    pub(crate) fn new(mut conn: Connection, stream: UnixStream, ch: Channels) -> Driver {
        conn.enable_handle_passing();
        Driver {
            conn,
            stream,
            data: ch.data,
            control: ch.control,
            control_tx: ch.control_tx,
            data_weak: ch.data_weak,
            incoming: Some(ch.incoming),
            shared: ch.shared,
            ready: Some(ch.ready),
            closed_tx: ch.closed_tx,
            waiters: HashMap::new(),
            tokens: HashMap::new(),
            stream_requests: HashMap::new(),
            cancel_signals: HashMap::new(),
            blocked: HashMap::new(),
            subs: HashMap::new(),
            wbuf: Vec::new(),
            woff: 0,
            whandles: Vec::new(),
        }
    }

    pub(crate) async fn run(mut self) {
        let mut rbuf = vec![0u8; READ_BUF];
        let mut rhandles = Vec::new();
        let mut data_open = true;
        // One timer, re-armed only when the deadline moves (a fresh timer per loop turn
        // costs a timer-wheel insertion on every message).
        let far = tokio::time::Instant::now() + std::time::Duration::from_secs(86_400 * 365);
        let mut armed = far;
        let sleep = tokio::time::sleep_until(far);
        tokio::pin!(sleep);
        loop {
            self.dispatch_events();
            self.gather_output();
            if self.conn.close_cause().is_some() {
                // Best effort: let a goodbye or a handshake refusal reach the peer.
                let _ = self.try_write();
                break;
            }
            if self.woff < self.wbuf.len() && self.try_write().is_err() {
                self.conn.handle_transport_closed("write failed");
                continue;
            }
            let want_write = self.woff < self.wbuf.len();
            let take_data = data_open && self.wbuf.len() - self.woff < HIGH_WATER;
            let deadline = self
                .conn
                .poll_timeout()
                .map(tokio::time::Instant::from_std)
                .unwrap_or(far);
            if deadline != armed {
                sleep.as_mut().reset(deadline);
                armed = deadline;
            }
            tokio::select! {
                biased;
                c = self.control.recv() => {
                    if let Some(c) = c { self.on_control(c) }
                }
                r = self.stream.ready(Interest::READABLE) => {
                    match r {
                        Ok(_) => self.read(&mut rbuf, &mut rhandles),
                        Err(e) => self.conn.handle_transport_closed(e.to_string()),
                    }
                }
                r = self.stream.writable(), if want_write => {
                    if let Err(e) = r { self.conn.handle_transport_closed(e.to_string()) }
                }
                c = self.data.recv(), if take_data => {
                    match c {
                        Some(c) => {
                            self.on_command(c);
                            // Drain what else is queued so one wake-up sends one write.
                            for _ in 0..256 {
                                match self.data.try_recv() {
                                    Ok(c) => self.on_command(c),
                                    Err(_) => break,
                                }
                            }
                        }
                        None => {
                            data_open = false;
                            self.conn.close("every handle was dropped", Instant::now());
                        }
                    }
                }
                _ = &mut sleep, if armed != far => {
                    armed = far;
                    sleep.as_mut().reset(far);
                    self.conn.handle_timeout(Instant::now());
                }
            }
        }
        self.finish();
    }

    fn read(&mut self, rbuf: &mut [u8], rhandles: &mut Vec<ShmHandle>) {
        let fd = self.stream.as_raw_fd();
        for _ in 0..64 {
            match self
                .stream
                .try_io(Interest::READABLE, || unix_io::recv(fd, rbuf, rhandles))
            {
                Ok(0) => {
                    self.conn
                        .handle_transport_closed("end of stream (peer exited or closed)");
                    return;
                }
                Ok(n) => {
                    self.conn.handle_handles(rhandles.drain(..));
                    self.conn.handle_input(&rbuf[..n], Instant::now());
                    if n < rbuf.len() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) => {
                    self.conn.handle_transport_closed(e.to_string());
                    return;
                }
            }
        }
    }

    fn gather_output(&mut self) {
        if self.woff == self.wbuf.len() {
            self.wbuf.clear();
            self.woff = 0;
        }
        let hs = self.conn.poll_transmit_into(&mut self.wbuf);
        self.whandles.extend(hs);
    }

    fn try_write(&mut self) -> std::io::Result<()> {
        let fd = self.stream.as_raw_fd();
        while self.woff < self.wbuf.len() {
            let n_fds = self.whandles.len().min(unix_io::MAX_FDS);
            let bytes = &self.wbuf[self.woff..];
            let fds = &self.whandles[..n_fds];
            match self
                .stream
                .try_io(Interest::WRITABLE, || unix_io::send(fd, bytes, fds))
            {
                Ok(n) => {
                    self.woff += n;
                    self.whandles.drain(..n_fds);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn on_control(&mut self, c: Control) {
        let now = Instant::now();
        match c {
            Control::Cancel { token } => {
                if let Some(id) = self.tokens.remove(&token) {
                    self.waiters.remove(&id);
                    self.conn.cancel(id, now);
                }
            }
            Control::Consumed { stream, n } => self.conn.stream_consumed(stream, n, now),
            Control::Respond {
                request,
                kind,
                body,
            } => {
                self.cancel_signals.remove(&request);
                let _ = self.conn.respond_raw(request, kind, body, now);
            }
            Control::EndStream {
                stream,
                request,
                error,
            } => {
                self.blocked.remove(&stream);
                if let Some(r) = request {
                    self.cancel_signals.remove(&r);
                }
                let _ = match error {
                    None => self.conn.end_stream(stream, now),
                    Some(m) => self.conn.fail_stream(stream, m, now),
                };
            }
            Control::Subscribe { kind, tx } => self.subs.entry(kind).or_default().push(tx),
            Control::Close { reason } => self.conn.close(reason, now),
            Control::Flush => self.conn.flush(),
        }
    }

    fn on_command(&mut self, c: Command) {
        let now = Instant::now();
        match c {
            Command::Request {
                token,
                kind,
                body,
                timeout,
                waiter,
            } => match self.conn.request_raw(kind, body, timeout, now) {
                Ok(id) => {
                    self.tokens.insert(token, id);
                    self.waiters.insert(id, waiter);
                }
                Err(e) => waiter.fail(RequestError::Send(e.to_string())),
            },
            Command::Notify { kind, body, done } => {
                let r = self.conn.notify_raw(kind, body, now);
                if let Some(d) = done {
                    let _ = d.send(r);
                }
            }
            Command::OpenStream {
                request,
                item_kind,
                reply,
            } => {
                let _ = reply.send(self.conn.open_stream(request, item_kind, now));
            }
            Command::StreamItem { stream, item, done } => {
                // Out of credit: park the item; the sender waits on `done` until the
                // receiver grants more (this is the backpressure a fast producer feels).
                if self.blocked.contains_key(&stream) || self.conn.stream_credits(stream) == Some(0)
                {
                    self.blocked
                        .entry(stream)
                        .or_default()
                        .push_back((item, done));
                    return;
                }
                let _ = done.send(self.conn.send_stream_item(stream, item, now));
            }
        }
    }

    fn retry_blocked(&mut self, stream: u64) {
        let now = Instant::now();
        while self.conn.stream_credits(stream).unwrap_or(0) > 0 {
            let Some(q) = self.blocked.get_mut(&stream) else {
                return;
            };
            let Some((item, done)) = q.pop_front() else {
                break;
            };
            let _ = done.send(self.conn.send_stream_item(stream, item, now));
        }
        if self.blocked.get(&stream).is_some_and(VecDeque::is_empty) {
            self.blocked.remove(&stream);
        }
    }

    fn dispatch_events(&mut self) {
        while let Some(ev) = self.conn.poll_event() {
            match ev {
                Event::Connected { peer_tag, .. } => {
                    *self
                        .shared
                        .peer_tag
                        .lock()
                        .unwrap_or_else(|p| p.into_inner()) = Some(peer_tag);
                    if let Some(r) = self.ready.take() {
                        let _ = r.send(Ok(peer_tag));
                    }
                }
                Event::Request(env) => {
                    let (tx, rx) = watch::channel(false);
                    self.cancel_signals.insert(env.id, tx);
                    let responder =
                        Responder::new(env.id, self.data_weak.clone(), self.control_tx.clone(), rx);
                    if let Some(inc) = &self.incoming {
                        let _ = inc.send(Inbound::Request(IncomingRequest::new(env, responder)));
                    }
                }
                Event::Notification(env) => {
                    let subs = self.subs.get_mut(&env.kind);
                    match subs {
                        Some(v) if !v.is_empty() => {
                            v.retain(|tx| !tx.is_closed());
                            for tx in v.iter() {
                                let _ = tx.send(env.clone());
                            }
                        }
                        _ => {
                            if let Some(inc) = &self.incoming {
                                let _ = inc.send(Inbound::Notification(env));
                            }
                        }
                    }
                }
                Event::Response { request, result } => {
                    if let Some(w) = self.waiters.remove(&request) {
                        self.tokens.retain(|_, id| *id != request);
                        w.complete(result);
                    }
                }
                Event::StreamOpened {
                    stream,
                    request: Some(r),
                    ..
                } => {
                    self.stream_requests.insert(stream, r);
                    if let Some(Waiter::Stream(tx)) = self.waiters.get(&r) {
                        let _ = tx.send(StreamMsg::Opened { stream });
                    }
                }
                Event::StreamItem {
                    request: Some(r),
                    item,
                    ..
                } => {
                    if let Some(Waiter::Stream(tx)) = self.waiters.get(&r) {
                        let _ = tx.send(StreamMsg::Item(item));
                    }
                }
                Event::StreamEnded {
                    stream,
                    request: Some(r),
                } => {
                    self.stream_requests.remove(&stream);
                    self.tokens.retain(|_, id| *id != r);
                    if let Some(Waiter::Stream(tx)) = self.waiters.remove(&r) {
                        let _ = tx.send(StreamMsg::End);
                    }
                }
                Event::StreamFailed {
                    stream,
                    request: Some(r),
                    error,
                } => {
                    self.stream_requests.remove(&stream);
                    self.tokens.retain(|_, id| *id != r);
                    if let Some(w) = self.waiters.remove(&r) {
                        w.fail(error);
                    }
                }
                Event::StreamWritable { stream } => self.retry_blocked(stream),
                Event::Cancelled { request } => {
                    if let Some(tx) = self.cancel_signals.remove(&request) {
                        let _ = tx.send(true);
                    }
                }
                // The async handles deliver owned bodies: copy a zero-copy view out.
                Event::Shared {
                    mut envelope,
                    payload,
                } => {
                    envelope.body = payload.to_vec();
                    drop(payload);
                    let ev = if envelope.is_request() {
                        let (tx, rx) = watch::channel(false);
                        self.cancel_signals.insert(envelope.id, tx);
                        let responder = Responder::new(
                            envelope.id,
                            self.data_weak.clone(),
                            self.control_tx.clone(),
                            rx,
                        );
                        Inbound::Request(IncomingRequest::new(envelope, responder))
                    } else {
                        Inbound::Notification(envelope)
                    };
                    if let Some(inc) = &self.incoming {
                        let _ = inc.send(ev);
                    }
                }
                Event::Rejected(r) => {
                    tracing::debug!(reason = r.reason.name(), kind = %r.kind, "rejected inbound message")
                }
                Event::Closed(cause) => {
                    *self.shared.cause.lock().unwrap_or_else(|p| p.into_inner()) =
                        Some(cause.clone());
                    if let Some(r) = self.ready.take() {
                        let _ = r.send(Err(cause.clone()));
                    }
                }
                // Standalone streams are not exposed by the async handles yet.
                _ => {}
            }
        }
    }

    fn finish(mut self) {
        self.dispatch_events();
        let cause = self
            .conn
            .close_cause()
            .cloned()
            .unwrap_or_else(|| CloseCause::Local("driver stopped".into()));
        for (_, w) in self.waiters.drain() {
            w.fail(RequestError::Disconnected(cause.clone()));
        }
        for (_, q) in self.blocked.drain() {
            for (_, done) in q {
                let _ = done.send(Err(SendError::Closed(cause.clone())));
            }
        }
        for (_, tx) in self.cancel_signals.drain() {
            let _ = tx.send(true);
        }
        self.incoming = None;
        self.subs.clear();
        let _ = self.closed_tx.send(true);
    }
}
