//! The serving side: [`Incoming`] requests and notifications, [`Responder`] and
//! [`StreamSender`] to answer them.

use super::commands::{Command, Control};
use crate::Kind;
use crate::envelope::{Envelope, encode_body};
use crate::error::{CloseCause, SendError};
use crate::messages::Message;
use crate::messages::control::{ErrorCode, ErrorReply};
use std::marker::PhantomData;
use tokio::sync::{mpsc, oneshot, watch};

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

pub(crate) fn closed() -> SendError {
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
