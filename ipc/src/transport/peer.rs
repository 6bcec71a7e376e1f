//! [`Peer`]: the cloneable async handle to one connection (requests, streamed requests,
//! notifications, subscriptions), and [`Subscription`].

use super::commands::{Command, Control, Waiter};
use super::driver::Shared;
use super::items::{ItemStream, unexpected};
use super::serve::closed;
use crate::Kind;
use crate::envelope::{Envelope, encode_body};
use crate::error::{CloseCause, RequestError, SendError};
use crate::messages::Message;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

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
        Ok(ItemStream::new(rx, self.control.clone(), token))
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

    /// Receive every notification of type `T` (instead of through [`Incoming`](super::Incoming)).
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
