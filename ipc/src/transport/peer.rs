//! The async handles: [`Peer`] (cloneable; requests, streams, notifications,
//! subscriptions) and [`Incoming`] (requests and unsubscribed notifications from the
//! peer), with [`Responder`] / [`StreamSender`] to answer and [`ItemStream`] to consume a
//! streamed reply.

use crate::Kind;
use crate::envelope::{Envelope, encode_body};
use crate::error::{CloseCause, RequestError, SendError};
use crate::messages::Message;
use crate::messages::control::{ErrorCode, ErrorReply};
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

use super::driver::Shared;

pub(crate) enum Command {
    Request {
        token: u64,
        kind: Kind,
        body: Vec<u8>,
        timeout: Option<Duration>,
        waiter: Waiter,
    },
    Notify {
        kind: Kind,
        body: Vec<u8>,
        done: Option<oneshot::Sender<Result<(), SendError>>>,
    },
    OpenStream {
        request: Option<u64>,
        item_kind: Option<Kind>,
        reply: oneshot::Sender<Result<u64, SendError>>,
    },
    StreamItem {
        stream: u64,
        item: Vec<u8>,
        done: oneshot::Sender<Result<(), SendError>>,
    },
}

pub(crate) enum Control {
    Cancel {
        token: u64,
    },
    Consumed {
        stream: u64,
        n: u64,
    },
    Respond {
        request: u64,
        kind: Kind,
        body: Vec<u8>,
    },
    EndStream {
        stream: u64,
        request: Option<u64>,
        error: Option<String>,
    },
    Subscribe {
        kind: Kind,
        tx: mpsc::UnboundedSender<Envelope>,
    },
    Close {
        reason: String,
    },
    Flush,
}

pub(crate) enum Waiter {
    Unary(oneshot::Sender<Result<Envelope, RequestError>>),
    Stream(mpsc::UnboundedSender<StreamMsg>),
}

impl Waiter {
    pub(crate) fn complete(self, r: Result<Envelope, RequestError>) {
        match self {
            Waiter::Unary(tx) => {
                let _ = tx.send(r);
            }
            Waiter::Stream(tx) => {
                let _ = tx.send(match r {
                    Ok(env) => StreamMsg::Single(env),
                    Err(e) => StreamMsg::Failed(e),
                });
            }
        }
    }

    pub(crate) fn fail(self, e: RequestError) {
        self.complete(Err(e));
    }
}

pub(crate) enum StreamMsg {
    Opened { stream: u64 },
    Item(Vec<u8>),
    Single(Envelope),
    End,
    Failed(RequestError),
}

/// Something the peer sent that nobody subscribed to, or a request.
#[derive(Debug)]
pub enum Inbound {
    /// A request to answer.
    Request(IncomingRequest),
    /// A fire-and-forget message.
    Notification(Envelope),
}

/// The receiving half: what the peer sends us.
#[derive(Debug)]
pub struct Incoming {
    pub(crate) rx: mpsc::UnboundedReceiver<Inbound>,
}

impl Incoming {
    /// The next request or notification; `None` once the connection closed.
    pub async fn recv(&mut self) -> Option<Inbound> {
        self.rx.recv().await
    }

    /// The next request, skipping notifications.
    pub async fn next_request(&mut self) -> Option<IncomingRequest> {
        loop {
            match self.rx.recv().await? {
                Inbound::Request(r) => return Some(r),
                Inbound::Notification(_) => continue,
            }
        }
    }
}

/// A request from the peer and the means to answer it.
#[derive(Debug)]
pub struct IncomingRequest {
    /// The request.
    pub envelope: Envelope,
    responder: Responder,
}

impl IncomingRequest {
    pub(crate) fn new(envelope: Envelope, responder: Responder) -> IncomingRequest {
        IncomingRequest {
            envelope,
            responder,
        }
    }

    /// The request's kind.
    pub fn kind(&self) -> Kind {
        self.envelope.kind
    }

    /// Decode the body.
    pub fn body<M: Message>(&self) -> Result<M, crate::DecodeError> {
        self.envelope.body()
    }

    /// Split into the envelope and the responder.
    pub fn into_parts(self) -> (Envelope, Responder) {
        (self.envelope, self.responder)
    }
}

/// Answers one request: once, with a message, an error, or a stream. Dropping it
/// unanswered sends an `Internal` error reply so the requester never waits in vain.
#[derive(Debug)]
pub struct Responder {
    request: u64,
    data: mpsc::WeakSender<Command>,
    control: mpsc::UnboundedSender<Control>,
    cancelled: watch::Receiver<bool>,
    answered: bool,
}

impl Responder {
    pub(crate) fn new(
        request: u64,
        data: mpsc::WeakSender<Command>,
        control: mpsc::UnboundedSender<Control>,
        cancelled: watch::Receiver<bool>,
    ) -> Responder {
        Responder {
            request,
            data,
            control,
            cancelled,
            answered: false,
        }
    }

    /// The request's id.
    pub fn request_id(&self) -> u64 {
        self.request
    }

    /// Whether the requester cancelled (or the connection closed).
    pub fn is_cancelled(&self) -> bool {
        *self.cancelled.borrow()
    }

    /// Resolves when the requester cancels or the connection closes.
    pub async fn cancelled(&self) {
        let mut rx = self.cancelled.clone();
        let _ = rx.wait_for(|c| *c).await;
    }

    /// Reply with `msg`.
    pub fn respond<M: Message>(mut self, msg: &M) -> Result<(), SendError> {
        self.answered = true;
        self.send(Control::Respond {
            request: self.request,
            kind: M::KIND,
            body: encode_body(msg),
        })
    }

    /// Reply with an already-encoded body of `kind`.
    pub fn respond_raw(mut self, kind: Kind, body: Vec<u8>) -> Result<(), SendError> {
        self.answered = true;
        self.send(Control::Respond {
            request: self.request,
            kind,
            body,
        })
    }

    /// Reply with an error.
    pub fn error(mut self, code: ErrorCode, message: impl Into<String>) -> Result<(), SendError> {
        self.answered = true;
        let body = encode_body(&ErrorReply {
            code,
            message: message.into(),
        });
        self.send(Control::Respond {
            request: self.request,
            kind: Kind::ERROR,
            body,
        })
    }

    /// Answer with a stream of `T` items.
    pub async fn stream<T: Message>(mut self) -> Result<StreamSender<T>, SendError> {
        self.answered = true;
        let data = self.data.upgrade().ok_or_else(closed)?;
        let (tx, rx) = oneshot::channel();
        let cmd = Command::OpenStream {
            request: Some(self.request),
            item_kind: Some(T::KIND),
            reply: tx,
        };
        data.send(cmd).await.map_err(|_| closed())?;
        let stream = rx.await.map_err(|_| closed())??;
        Ok(StreamSender {
            stream,
            request: Some(self.request),
            data,
            control: self.control.clone(),
            cancelled: self.cancelled.clone(),
            finished: false,
            _t: PhantomData,
        })
    }

    fn send(&self, c: Control) -> Result<(), SendError> {
        self.control.send(c).map_err(|_| closed())
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        if !self.answered && !self.is_cancelled() {
            let body = encode_body(&ErrorReply {
                code: ErrorCode::Internal,
                message: "the handler dropped the request".into(),
            });
            let _ = self.control.send(Control::Respond {
                request: self.request,
                kind: Kind::ERROR,
                body,
            });
        }
    }
}

fn closed() -> SendError {
    SendError::Closed(CloseCause::Local("connection driver stopped".into()))
}

/// Sends the items of a streamed reply. `send` waits while the receiver has granted no
/// credit, so a fast producer is held to the consumer's pace.
#[derive(Debug)]
pub struct StreamSender<T> {
    stream: u64,
    request: Option<u64>,
    data: mpsc::Sender<Command>,
    control: mpsc::UnboundedSender<Control>,
    cancelled: watch::Receiver<bool>,
    finished: bool,
    _t: PhantomData<fn(T)>,
}

impl<T: Message> StreamSender<T> {
    /// Send one item (waits for credit).
    pub async fn send(&mut self, item: &T) -> Result<(), SendError> {
        self.send_raw(encode_body(item)).await
    }

    /// Send one already-encoded item.
    pub async fn send_raw(&mut self, item: Vec<u8>) -> Result<(), SendError> {
        if self.is_cancelled() {
            return Err(SendError::UnknownStream(self.stream));
        }
        let (tx, rx) = oneshot::channel();
        self.data
            .send(Command::StreamItem {
                stream: self.stream,
                item,
                done: tx,
            })
            .await
            .map_err(|_| closed())?;
        tokio::select! {
            r = rx => r.map_err(|_| closed())?,
            _ = wait_true(self.cancelled.clone()) => Err(SendError::UnknownStream(self.stream)),
        }
    }

    /// Whether the requester cancelled.
    pub fn is_cancelled(&self) -> bool {
        *self.cancelled.borrow()
    }

    /// Resolves when the requester cancels or the connection closes.
    pub async fn cancelled(&self) {
        wait_true(self.cancelled.clone()).await
    }

    /// Finish normally.
    pub fn end(mut self) -> Result<(), SendError> {
        self.finished = true;
        self.control
            .send(Control::EndStream {
                stream: self.stream,
                request: self.request,
                error: None,
            })
            .map_err(|_| closed())
    }

    /// Finish with an error for the user.
    pub fn fail(mut self, message: impl Into<String>) -> Result<(), SendError> {
        self.finished = true;
        let c = Control::EndStream {
            stream: self.stream,
            request: self.request,
            error: Some(message.into()),
        };
        self.control.send(c).map_err(|_| closed())
    }
}

impl<T> Drop for StreamSender<T> {
    fn drop(&mut self) {
        if !self.finished {
            let c = Control::EndStream {
                stream: self.stream,
                request: self.request,
                error: Some("the producer stopped".into()),
            };
            let _ = self.control.send(c);
        }
    }
}

async fn wait_true(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|c| *c).await;
}

/// The items of a streamed reply. Dropping it before the end cancels the request.
#[derive(Debug)]
pub struct ItemStream<T> {
    rx: mpsc::UnboundedReceiver<StreamMsg>,
    control: mpsc::UnboundedSender<Control>,
    token: u64,
    stream: Option<u64>,
    done: bool,
    _t: PhantomData<fn() -> T>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Command")
    }
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Control")
    }
}

impl std::fmt::Debug for StreamMsg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamMsg")
    }
}

impl<T: Message> ItemStream<T> {
    /// The next item; `None` after the end; an error once if the stream failed.
    pub async fn next(&mut self) -> Option<Result<T, RequestError>> {
        self.next_raw().await.map(|r| {
            r.and_then(|b| {
                crate::envelope::decode_strict(T::KIND, &b).map_err(RequestError::Decode)
            })
        })
    }

    /// The next item's bytes.
    pub async fn next_raw(&mut self) -> Option<Result<Vec<u8>, RequestError>> {
        while !self.done {
            let Some(msg) = self.rx.recv().await else {
                self.done = true;
                return Some(Err(RequestError::Disconnected(CloseCause::Local(
                    "connection driver stopped".into(),
                ))));
            };
            match msg {
                StreamMsg::Opened { stream } => self.stream = Some(stream),
                StreamMsg::Item(b) => {
                    if let Some(s) = self.stream {
                        let _ = self.control.send(Control::Consumed { stream: s, n: 1 });
                    }
                    return Some(Ok(b));
                }
                StreamMsg::Single(env) => {
                    // The peer answered with one message instead of a stream.
                    self.done = true;
                    return Some(if env.kind == T::KIND {
                        Ok(env.body)
                    } else {
                        Err(unexpected(&env))
                    });
                }
                StreamMsg::End => self.done = true,
                StreamMsg::Failed(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }

    /// Stop the stream and tell the peer.
    pub fn cancel(mut self) {
        self.cancel_now();
    }

    fn cancel_now(&mut self) {
        if !self.done {
            self.done = true;
            let _ = self.control.send(Control::Cancel { token: self.token });
        }
    }
}

impl<T> Drop for ItemStream<T> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.control.send(Control::Cancel { token: self.token });
        }
    }
}

fn unexpected(env: &Envelope) -> RequestError {
    if env.kind == Kind::ERROR
        && let Ok(e) = env.body::<ErrorReply>()
    {
        return RequestError::Remote(e.into());
    }
    RequestError::Decode(crate::DecodeError::KindMismatch {
        expected: Kind(0),
        found: env.kind,
    })
}

/// A subscription to one kind of notification from the peer.
#[derive(Debug)]
pub struct Subscription<T> {
    rx: mpsc::UnboundedReceiver<Envelope>,
    _t: PhantomData<fn() -> T>,
}

impl<T: Message> Subscription<T> {
    /// The next message; `None` once the connection closed. Undecodable ones are skipped.
    pub async fn recv(&mut self) -> Option<T> {
        loop {
            let env = self.rx.recv().await?;
            if let Ok(m) = env.body::<T>() {
                return Some(m);
            }
        }
    }
}

/// A cloneable handle to one connection. Dropping every handle closes it.
#[derive(Clone, Debug)]
pub struct Peer {
    pub(crate) data: mpsc::Sender<Command>,
    pub(crate) control: mpsc::UnboundedSender<Control>,
    pub(crate) shared: Arc<Shared>,
    pub(crate) closed: watch::Receiver<bool>,
    pub(crate) tokens: Arc<AtomicU64>,
}

/// Cancels the request if the future is dropped before the reply.
struct CancelOnDrop<'a> {
    control: &'a mpsc::UnboundedSender<Control>,
    token: u64,
    armed: bool,
}

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        if self.armed {
            let _ = self.control.send(Control::Cancel { token: self.token });
        }
    }
}

impl Peer {
    /// Send a request and wait for a reply of type `R` (default timeout).
    pub async fn request<M: Message, R: Message>(&self, msg: &M) -> Result<R, RequestError> {
        self.request_timeout(msg, None).await
    }

    /// Send a request with a timeout (or the connection default with `None`).
    pub async fn request_timeout<M: Message, R: Message>(
        &self,
        msg: &M,
        timeout: Option<Duration>,
    ) -> Result<R, RequestError> {
        let env = self.request_raw(M::KIND, encode_body(msg), timeout).await?;
        if env.kind != R::KIND {
            return Err(unexpected(&env));
        }
        Ok(env.body::<R>()?)
    }

    /// A request with an encoded body; the reply envelope. Dropping the future cancels.
    pub async fn request_raw(
        &self,
        kind: Kind,
        body: Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<Envelope, RequestError> {
        let token = self.tokens.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        let cmd = Command::Request {
            token,
            kind,
            body,
            timeout,
            waiter: Waiter::Unary(tx),
        };
        self.data.send(cmd).await.map_err(|_| self.gone())?;
        let mut guard = CancelOnDrop {
            control: &self.control,
            token,
            armed: true,
        };
        let r = rx.await.map_err(|_| self.gone());
        guard.armed = false;
        r?
    }

    /// Send a request answered by a stream of `T` items.
    pub async fn request_stream<M: Message, T: Message>(
        &self,
        msg: &M,
        idle: Option<Duration>,
    ) -> Result<ItemStream<T>, RequestError> {
        let token = self.tokens.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::unbounded_channel();
        let cmd = Command::Request {
            token,
            kind: M::KIND,
            body: encode_body(msg),
            timeout: idle,
            waiter: Waiter::Stream(tx),
        };
        self.data.send(cmd).await.map_err(|_| self.gone())?;
        Ok(ItemStream {
            rx,
            control: self.control.clone(),
            token,
            stream: None,
            done: false,
            _t: PhantomData,
        })
    }

    /// Send a fire-and-forget message (batched with others).
    pub async fn notify<M: Message>(&self, msg: &M) -> Result<(), SendError> {
        self.notify_raw(M::KIND, encode_body(msg)).await
    }

    /// [`Peer::notify`] with an encoded body.
    pub async fn notify_raw(&self, kind: Kind, body: Vec<u8>) -> Result<(), SendError> {
        self.data
            .send(Command::Notify {
                kind,
                body,
                done: None,
            })
            .await
            .map_err(|_| closed())
    }

    /// Notify without waiting (for synchronous callers); fails if the queue is full.
    pub fn try_notify_raw(&self, kind: Kind, body: Vec<u8>) -> Result<(), SendError> {
        self.data
            .try_send(Command::Notify {
                kind,
                body,
                done: None,
            })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => {
                    SendError::Closed(CloseCause::Local("send queue full".into()))
                }
                mpsc::error::TrySendError::Closed(_) => closed(),
            })
    }

    /// Write waiting batched notifications now.
    pub fn flush(&self) {
        let _ = self.control.send(Control::Flush);
    }

    /// Receive every notification of type `T` (instead of through [`Incoming`]).
    pub fn subscribe<T: Message>(&self) -> Subscription<T> {
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = self.control.send(Control::Subscribe { kind: T::KIND, tx });
        Subscription {
            rx,
            _t: PhantomData,
        }
    }

    /// On a server: the tag of the launch secret the peer proved.
    pub fn peer_tag(&self) -> Option<u64> {
        *self
            .shared
            .peer_tag
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Say goodbye and close.
    pub fn close(&self, reason: impl Into<String>) {
        let _ = self.control.send(Control::Close {
            reason: reason.into(),
        });
    }

    /// Why the connection closed, once it has.
    pub fn close_cause(&self) -> Option<CloseCause> {
        self.shared
            .cause
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Wait until the connection closes; returns why.
    pub async fn closed(&self) -> CloseCause {
        let mut rx = self.closed.clone();
        let _ = rx.wait_for(|c| *c).await;
        self.close_cause()
            .unwrap_or_else(|| CloseCause::Local("driver stopped".into()))
    }

    fn gone(&self) -> RequestError {
        RequestError::Disconnected(
            self.close_cause()
                .unwrap_or_else(|| CloseCause::Local("connection driver stopped".into())),
        )
    }
}

impl crate::hub::PeerSink for Peer {
    fn deliver(&mut self, kind: Kind, body: &[u8]) -> Result<(), SendError> {
        self.try_notify_raw(kind, body.to_vec())
    }
}
