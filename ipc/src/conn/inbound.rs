//! What the connection does with each envelope that arrives.

use super::{Connection, Event, RecvStream, State};
use crate::Kind;
use crate::envelope::{Envelope, Flags, decode_batch};
use crate::error::{CloseCause, RemoteError, RequestError};
use crate::handshake::Handshake;
use crate::log::Direction;
use crate::messages::Message;
use crate::messages::control::{ErrorCode, ErrorReply, Goodbye, Pong, ShmRelease};
use crate::messages::stream::{StreamCredit, StreamData, StreamEnd, StreamError, StreamStart};
use crate::shm::ShmDescriptor;
use std::time::Instant;

impl Connection {
    pub(super) fn on_frame(&mut self, env: Envelope, wire: usize, now: Instant) {
        self.last_recv = now;
        self.ping_out = false;
        if let State::Handshaking(hs) = &mut self.state {
            match hs.handle(&env) {
                Ok(step) => {
                    if let Some(send) = step.send {
                        self.write_plain(&send);
                    }
                    if let Some(done) = step.done {
                        if let Some((sealer, opener)) = done.keys {
                            self.writer.install(sealer);
                            self.reader.install(opener);
                        }
                        self.version = done.version;
                        self.peer_tag = done.peer_tag;
                        self.peer_window = done.peer_window;
                        self.state = State::Established;
                        self.events.push_back(Event::Connected {
                            version: done.version,
                            peer_tag: done.peer_tag,
                        });
                        for env in std::mem::take(&mut self.queued) {
                            self.fix_stream_credits(&env);
                            let _ = self.write_env(env);
                        }
                    }
                }
                Err(e) => {
                    if !matches!(e, crate::error::HandshakeError::Refused(_)) {
                        self.write_plain(&Handshake::refusal(&e));
                    }
                    self.close_with(CloseCause::Handshake(e));
                }
            }
            return;
        }
        if env.kind == Kind::BATCH && env.flags.contains(Flags::BATCH) {
            let mut env = env;
            if let Err(e) = self.zstd.decompress(&mut env, self.cfg.codec.max_frame) {
                return self.close_with(e.into());
            }
            match decode_batch(&env.body) {
                Ok(items) => {
                    for item in items {
                        if self.is_closed() {
                            break;
                        }
                        let size = item.encoded_len();
                        self.on_message(item, size, now);
                    }
                }
                Err(e) => self.close_with(e.into()),
            }
            return;
        }
        self.on_message(env, wire, now);
    }

    /// Streams opened before the handshake finished did not know the peer's window yet.
    fn fix_stream_credits(&mut self, env: &Envelope) {
        if env.kind == Kind::STREAM_START
            && let Ok(s) = env.body::<StreamStart>()
            && let Some(st) = self.send_streams.get_mut(&s.stream_id)
            && st.credits == 0
            && st.seq == 0
        {
            st.credits = self.peer_window;
        }
    }

    fn on_message(&mut self, mut env: Envelope, size: usize, now: Instant) {
        if self.cfg.shm_zero_copy
            && env.flags.contains(Flags::SHM)
            && !env.is_response()
            && !crate::policy::allow::CONTROL.contains(&env.kind)
        {
            return self.on_shared(env, size, now);
        }
        if env.flags.contains(Flags::SHM)
            && let Err(e) = self.unpack_shm(&mut env, now)
        {
            return self.close_with(e);
        }
        if let Err(e) = self
            .zstd
            .decompress(&mut env, self.cfg.codec.max_frame.max(self.cfg.max_shm))
        {
            return self.close_with(e.into());
        }
        let latency = env
            .correlation
            .filter(|_| env.is_response())
            .and_then(|c| self.pending.get(&c))
            .map(|p| now.saturating_duration_since(p.sent));
        if let Some(log) = &self.cfg.log {
            log.record(Direction::In, self.cfg.peer, &env, size, latency);
        }
        if let Some(policy) = &mut self.cfg.policy
            && let Err(rejection) = policy.check(self.cfg.peer, self.cfg.peer_kind, &env, now)
        {
            {
                let id = self.next_id;
                if let Some(reply) = rejection.reply_to(&env, id) {
                    self.next_id += 1;
                    let _ = self.write_env(reply);
                }
                let offender = rejection.offender;
                let detail = rejection.reason.name().to_string();
                self.events.push_back(Event::Rejected(rejection));
                if offender {
                    self.close_with(CloseCause::Offender(detail));
                }
                return;
            }
        }
        self.dispatch(env, now);
    }

    /// Zero-copy delivery of a shared-memory request or notification.
    fn on_shared(&mut self, mut env: Envelope, size: usize, now: Instant) {
        let desc: ShmDescriptor = match postcard::from_bytes(&env.body) {
            Ok(d) => d,
            Err(e) => {
                let e = crate::error::DecodeError::SharedMemory(format!("bad descriptor: {e}"));
                return self.close_with(e.into());
            }
        };
        let handle = if desc.new_region {
            self.in_handles.pop_front()
        } else {
            None
        };
        let payload = match self
            .shm_inbox
            .view(&desc, handle, self.cfg.max_shm, &self.shm_releases)
        {
            Ok(p) => p,
            Err(e) => return self.close_with(e.into()),
        };
        env.flags.remove(Flags::SHM);
        env.body.clear();
        if let Some(log) = &self.cfg.log {
            log.record(Direction::In, self.cfg.peer, &env, size, None);
        }
        if let Some(policy) = &mut self.cfg.policy
            && let Err(rejection) =
                policy.check_header(self.cfg.peer, self.cfg.peer_kind, &env, payload.len(), now)
        {
            let id = self.take_id();
            if let Some(reply) = rejection.reply_to(&env, id) {
                let _ = self.write_env(reply);
            }
            let offender = rejection.offender;
            let detail = rejection.reason.name().to_string();
            self.events.push_back(Event::Rejected(rejection));
            if offender {
                self.close_with(CloseCause::Offender(detail));
            }
            return;
        }
        if env.is_request() {
            self.served.insert(env.id);
        }
        self.events.push_back(Event::Shared {
            envelope: env,
            payload,
        });
    }

    fn unpack_shm(&mut self, env: &mut Envelope, now: Instant) -> Result<(), CloseCause> {
        let desc: ShmDescriptor = postcard::from_bytes(&env.body)
            .map_err(|e| crate::error::DecodeError::SharedMemory(format!("bad descriptor: {e}")))?;
        let handle = if desc.new_region {
            self.in_handles.pop_front()
        } else {
            None
        };
        env.body = self.shm_inbox.take(&desc, handle, self.cfg.max_shm)?;
        env.flags.remove(Flags::SHM);
        self.send_control(
            Envelope::new(
                0,
                &ShmRelease {
                    region: desc.region,
                },
            ),
            now,
        );
        Ok(())
    }

    fn protocol(&mut self, what: String) {
        self.close_with(CloseCause::Protocol(what));
    }

    fn dispatch(&mut self, env: Envelope, now: Instant) {
        macro_rules! body {
            ($t:ty) => {
                match env.body::<$t>() {
                    Ok(b) => b,
                    Err(e) => return self.close_with(e.into()),
                }
            };
        }
        match env.kind {
            Kind::PING => self.send_control(Envelope::new(0, &Pong {}), now),
            Kind::PONG => {}
            Kind::GOODBYE => {
                let g = body!(Goodbye);
                self.close_with(CloseCause::Goodbye(g.reason));
            }
            Kind::CANCEL => {
                if let Some(req) = env.correlation
                    && self.served.remove(&req)
                {
                    self.send_streams.retain(|_, s| s.request != Some(req));
                    self.events.push_back(Event::Cancelled { request: req });
                }
            }
            Kind::SHM_RELEASE => {
                let r = body!(ShmRelease);
                self.shm_pool.release(r.region);
            }
            Kind::STREAM_START => {
                let s = body!(StreamStart);
                if s.initial_credits > self.cfg.stream_window {
                    return self.protocol(format!(
                        "stream opened with {} credits, window is {}",
                        s.initial_credits, self.cfg.stream_window
                    ));
                }
                if let Some(req) = env.correlation {
                    match self.pending.get_mut(&req) {
                        Some(p) => {
                            p.stream = Some(s.stream_id);
                            p.deadline = now + self.cfg.stream_idle_timeout;
                            p.timeout = self.cfg.stream_idle_timeout;
                        }
                        // Cancelled or timed out already: ignore its items.
                        None => return,
                    }
                }
                let rs = RecvStream {
                    request: env.correlation,
                    next_seq: 0,
                    granted: u64::from(s.initial_credits),
                    consumed: 0,
                    deadline: now + self.cfg.stream_idle_timeout,
                };
                self.recv_streams.insert(s.stream_id, rs);
                self.events.push_back(Event::StreamOpened {
                    stream: s.stream_id,
                    request: env.correlation,
                    item_kind: s.item_kind,
                });
            }
            Kind::STREAM_DATA => {
                let d = body!(StreamData);
                let idle = self.cfg.stream_idle_timeout;
                let Some(rs) = self.recv_streams.get_mut(&d.stream_id) else {
                    return;
                };
                if d.seq != rs.next_seq {
                    let msg = format!(
                        "stream {} item {} arrived, expected {}",
                        d.stream_id, d.seq, rs.next_seq
                    );
                    return self.protocol(msg);
                }
                if d.seq >= rs.granted {
                    let msg = format!(
                        "stream {} sent past its credit ({})",
                        d.stream_id, rs.granted
                    );
                    return self.protocol(msg);
                }
                rs.next_seq += 1;
                rs.deadline = now + idle;
                let request = rs.request;
                if let Some(p) = request.and_then(|r| self.pending.get_mut(&r)) {
                    p.deadline = now + idle;
                }
                self.events.push_back(Event::StreamItem {
                    stream: d.stream_id,
                    request,
                    item: d.item,
                });
            }
            Kind::STREAM_END => {
                let e = body!(StreamEnd);
                if let Some(rs) = self.recv_streams.remove(&e.stream_id) {
                    if let Some(r) = rs.request {
                        self.pending.remove(&r);
                    }
                    self.events.push_back(Event::StreamEnded {
                        stream: e.stream_id,
                        request: rs.request,
                    });
                }
            }
            Kind::STREAM_ERROR => {
                let e = body!(StreamError);
                if let Some(rs) = self.recv_streams.remove(&e.stream_id) {
                    if let Some(r) = rs.request {
                        self.pending.remove(&r);
                    }
                    let error = RequestError::Remote(RemoteError {
                        code: ErrorCode::Internal,
                        message: e.message,
                    });
                    self.events.push_back(Event::StreamFailed {
                        stream: e.stream_id,
                        request: rs.request,
                        error,
                    });
                }
            }
            Kind::STREAM_CREDIT => {
                let c = body!(StreamCredit);
                if let Some(s) = self.send_streams.get_mut(&c.stream_id) {
                    s.credits = s.credits.saturating_add(c.credits);
                    self.events.push_back(Event::StreamWritable {
                        stream: c.stream_id,
                    });
                }
            }
            _ if env.is_response() => {
                let Some(req) = env.correlation else {
                    return self.protocol("response without correlation id".into());
                };
                if self.pending.remove(&req).is_none() {
                    return; // late reply to a request that timed out or was cancelled
                }
                let result = if env.kind == ErrorReply::KIND {
                    let e = body!(ErrorReply);
                    Err(RequestError::Remote(e.into()))
                } else {
                    Ok(env)
                };
                self.events.push_back(Event::Response {
                    request: req,
                    result,
                });
            }
            _ if env.is_request() => {
                if !env.kind.is_known() {
                    let reply = ErrorReply {
                        code: ErrorCode::UnknownKind,
                        message: format!("unknown message kind {}", env.kind),
                    };
                    let id = self.take_id();
                    let _ = self.write_env(
                        Envelope::new(id, &reply)
                            .correlate(env.id)
                            .with_flags(Flags::RESPONSE),
                    );
                    return;
                }
                self.served.insert(env.id);
                self.events.push_back(Event::Request(env));
            }
            _ => {
                if env.kind.is_known() {
                    self.events.push_back(Event::Notification(env));
                } else {
                    tracing::debug!(kind = %env.kind, "dropping a notification of unknown kind");
                }
            }
        }
    }
}
