//! Writing frames and closing: the internals every sending path goes through.

use super::{Connection, Event, State};
use crate::Kind;
use crate::envelope::{Envelope, Flags, encode_batch, encode_body};
use crate::error::{CloseCause, RequestError, SendError};
use crate::log::Direction;
use crate::shm::{ShmInbox, ShmPool};
use std::time::Instant;

impl Connection {
    /// Tell the sender about shared-memory views the application has dropped.
    pub(super) fn flush_releases(&mut self) {
        if !self.is_established() {
            return;
        }
        let done: Vec<u32> =
            std::mem::take(&mut *self.shm_releases.lock().unwrap_or_else(|p| p.into_inner()));
        for region in done {
            let id = self.take_id();
            let _ = self.write_env(Envelope::new(
                id,
                &crate::messages::control::ShmRelease { region },
            ));
        }
    }

    // ----- internals -----

    pub(super) fn is_closed(&self) -> bool {
        matches!(self.state, State::Closed(_))
    }

    pub(super) fn check_open(&self) -> Result<(), SendError> {
        match &self.state {
            State::Closed(c) => Err(SendError::Closed(c.clone())),
            _ => Ok(()),
        }
    }

    pub(super) fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Control messages: never batched, never fail the caller.
    pub(super) fn send_control(&mut self, mut env: Envelope, now: Instant) {
        env.id = self.take_id();
        if let Err(e) = self.send_now(env, now) {
            tracing::debug!(error = %e, "control message not sent");
        }
    }

    /// Send outside the batch, after flushing it (order is preserved).
    pub(super) fn send_now(&mut self, env: Envelope, _now: Instant) -> Result<(), SendError> {
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

    pub(super) fn flush_batch(&mut self) {
        self.batch_since = None;
        self.batch_bytes = 0;
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

    pub(super) fn write_logged(&mut self, env: Envelope) {
        if let Err(e) = self.write_env(env) {
            tracing::warn!(error = %e, "message not sent");
        }
    }

    pub(super) fn write_env(&mut self, env: Envelope) -> Result<(), SendError> {
        if let Some(log) = &self.cfg.log {
            log.record(Direction::Out, self.cfg.peer, &env, env.encoded_len(), None);
        }
        self.write_packed(env)
    }

    /// Move a large body to shared memory or compress it, then frame (and seal) it.
    pub(super) fn write_packed(&mut self, mut env: Envelope) -> Result<(), SendError> {
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

    pub(super) fn write_plain(&mut self, env: &Envelope) {
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
