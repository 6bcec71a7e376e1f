//! What the handles send the driver task, and what it sends back to a waiting request.

use crate::Kind;
use crate::envelope::Envelope;
use crate::error::{RequestError, SendError};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

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
