//! [`ItemStream`]: the items of a streamed reply, with credit granted as they are consumed.

use super::commands::{Control, StreamMsg};
use crate::Kind;
use crate::envelope::Envelope;
use crate::error::{CloseCause, RequestError};
use crate::messages::Message;
use crate::messages::control::ErrorReply;
use std::marker::PhantomData;
use tokio::sync::mpsc;

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

impl<T> ItemStream<T> {
    pub(crate) fn new(
        rx: mpsc::UnboundedReceiver<StreamMsg>,
        control: mpsc::UnboundedSender<Control>,
        token: u64,
    ) -> ItemStream<T> {
        ItemStream {
            rx,
            control,
            token,
            stream: None,
            done: false,
            _t: PhantomData,
        }
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

pub(crate) fn unexpected(env: &Envelope) -> RequestError {
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
