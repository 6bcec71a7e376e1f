//! The sending half of the connection's API: requests, notifications, replies, streams.

use super::{Connection, Pending, SendStream};
use crate::Kind;
use crate::envelope::{Envelope, Flags, encode_body};
use crate::error::CloseCause;
use crate::error::SendError;
use crate::messages::Message;
use crate::messages::control::{Cancel, ErrorCode, ErrorReply, Goodbye};
use crate::messages::stream::{StreamData, StreamEnd, StreamError, StreamStart};
use std::time::{Duration, Instant};

impl Connection {
    // ----- sending -----

    /// Send a request; the reply arrives as [`Event::Response`](super::Event::Response) (or a stream for our id).
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
        let big = env.body.len() >= self.cfg.shm_threshold.min(self.cfg.codec.max_frame / 4);
        if self.cfg.batch.max_messages <= 1 || big || !self.is_established() {
            return self.send_now(env, now);
        }
        // A batch is one frame: keep it well under the frame cap.
        let item = env.encoded_len() + 10;
        if !self.batch.is_empty() && self.batch_bytes + item > self.cfg.codec.max_frame / 2 {
            self.flush_batch();
        }
        self.batch_bytes += item;
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

    /// Send one item; `NoCredit` means wait for [`Event::StreamWritable`](super::Event::StreamWritable).
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
}
