//! Policy: what a peer may send us, how much, and how often. Usable on its own.
//!
//! The shell receives envelopes from CEF renderers as CEF process messages, not over our
//! socket, so the policy is not tied to [`crate::conn::Connection`]: the CEF glue calls
//! [`Policy::check_bytes`] with the peer id of the browser/frame the message arrived on and
//! [`ProcessKind::Renderer`]. The sender's identity is always that id, which the host
//! derives from the channel, never from a field in the message.
//!
//! Checks run cheapest first: size cap, allow-list, known kind, rate limit (a token per
//! (peer, kind)), then structure (strict decode and field limits). Every rejection is
//! counted by reason in [`PolicyCounters`] (shareable between policies, for metrics), and
//! counts as a strike against the peer; strikes decay, and a peer that passes the
//! threshold is reported once as an offender through the hook so the host can cut it off
//! (Chromium kills a renderer that sends bad IPC; we let the host decide).

pub mod allow;
pub mod rate;
pub mod validate;

pub use allow::{AllowList, Allowed};
pub use rate::{Rate, RateLimits, TokenBucket};
pub use validate::{Invalid, Limits};

use crate::codec::EnvelopeCodec;
use crate::envelope::{Envelope, Flags};
use crate::error::DecodeError;
use crate::messages::control::{ErrorCode, ErrorReply};
use crate::{Kind, ProcessKind};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A peer, as numbered by the host (one per connection, or per CEF browser/frame).
pub type PeerId = u64;

/// Why a message was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RejectReason {
    /// Larger than the size cap.
    TooLarge,
    /// The source may not send this kind.
    NotAllowed,
    /// This build does not know the kind.
    UnknownKind,
    /// The sender exceeded its rate for this kind.
    RateLimited,
    /// The body did not decode into the declared kind, or broke a field limit.
    Malformed,
}

impl RejectReason {
    /// Every reason, in counter order.
    pub const ALL: [RejectReason; 5] = [
        RejectReason::TooLarge,
        RejectReason::NotAllowed,
        RejectReason::UnknownKind,
        RejectReason::RateLimited,
        RejectReason::Malformed,
    ];

    /// The error code a rejected request is answered with.
    pub fn code(self) -> ErrorCode {
        match self {
            RejectReason::TooLarge => ErrorCode::TooLarge,
            RejectReason::NotAllowed => ErrorCode::NotAllowed,
            RejectReason::UnknownKind => ErrorCode::UnknownKind,
            RejectReason::RateLimited => ErrorCode::RateLimited,
            RejectReason::Malformed => ErrorCode::Malformed,
        }
    }

    /// A stable name for logs and metrics.
    pub fn name(self) -> &'static str {
        match self {
            RejectReason::TooLarge => "too_large",
            RejectReason::NotAllowed => "not_allowed",
            RejectReason::UnknownKind => "unknown_kind",
            RejectReason::RateLimited => "rate_limited",
            RejectReason::Malformed => "malformed",
        }
    }
}

/// A rejected message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Why.
    pub reason: RejectReason,
    /// The kind the message declared.
    pub kind: Kind,
    /// Details for logs (never body content).
    pub detail: String,
    /// This rejection pushed the peer past the offender threshold.
    pub offender: bool,
}

impl Rejection {
    /// The error reply for the sender.
    pub fn error_reply(&self) -> ErrorReply {
        ErrorReply {
            code: self.reason.code(),
            message: format!("{} rejected: {}", self.kind, self.detail),
        }
    }

    /// The envelope answering `request` (id `id`), if it was a request.
    pub fn reply_to(&self, request: &Envelope, id: u64) -> Option<Envelope> {
        request.is_request().then(|| {
            Envelope::new(id, &self.error_reply())
                .correlate(request.id)
                .with_flags(Flags::RESPONSE)
        })
    }
}

/// Counts of accepted and rejected messages, by reason. Shareable between policies.
#[derive(Debug, Default)]
pub struct PolicyCounters {
    accepted: AtomicU64,
    rejected: [AtomicU64; 5],
    offenders: AtomicU64,
}

impl PolicyCounters {
    /// Messages that passed.
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }
    /// Messages rejected for `reason`.
    pub fn rejected(&self, reason: RejectReason) -> u64 {
        self.rejected[reason as usize].load(Ordering::Relaxed)
    }
    /// Peers reported as offenders.
    pub fn offenders(&self) -> u64 {
        self.offenders.load(Ordering::Relaxed)
    }
    /// Every count by name, for a metrics dump.
    pub fn snapshot(&self) -> Vec<(&'static str, u64)> {
        let mut v = vec![
            ("accepted", self.accepted()),
            ("offenders", self.offenders()),
        ];
        v.extend(
            RejectReason::ALL
                .iter()
                .map(|r| (r.name(), self.rejected(*r))),
        );
        v
    }
}

/// When a peer counts as an offender: `threshold` strikes, forgiven at `threshold` per
/// `window` (a leaky bucket, so a steady trickle of mistakes never trips it). A peer is
/// reported once per offence: again only after its strikes decayed below the threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OffenderConfig {
    /// Strikes that make an offender.
    pub threshold: f64,
    /// Time over which `threshold` strikes are forgiven.
    pub window: Duration,
}

impl Default for OffenderConfig {
    fn default() -> Self {
        OffenderConfig {
            threshold: 50.0,
            window: Duration::from_secs(10),
        }
    }
}

/// All policy settings.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyConfig {
    /// Cap on one encoded envelope.
    pub max_message: usize,
    /// Allow-lists per source kind.
    pub allow: AllowList,
    /// Rate limits per kind.
    pub rates: RateLimits,
    /// Field limits.
    pub limits: Limits,
    /// Offender threshold.
    pub offender: OffenderConfig,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            max_message: crate::codec::DEFAULT_MAX_FRAME,
            allow: AllowList::default(),
            rates: RateLimits::default(),
            limits: Limits::default(),
            offender: OffenderConfig::default(),
        }
    }
}

/// Called once when a peer becomes an offender.
pub type OffenderHook = Box<dyn FnMut(PeerId, ProcessKind, &Rejection) + Send>;

struct Strikes {
    level: f64,
    last: Instant,
    reported: bool,
}

/// The policy state for any number of peers.
pub struct Policy {
    cfg: PolicyConfig,
    buckets: HashMap<(PeerId, Kind), TokenBucket>,
    strikes: HashMap<PeerId, Strikes>,
    counters: Arc<PolicyCounters>,
    hook: Option<OffenderHook>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::new(PolicyConfig::default())
    }
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("cfg", &self.cfg)
            .field("peers", &self.strikes.len())
            .finish()
    }
}

impl Policy {
    /// A policy with `cfg` and its own counters.
    pub fn new(cfg: PolicyConfig) -> Policy {
        Policy {
            cfg,
            buckets: HashMap::new(),
            strikes: HashMap::new(),
            counters: Arc::default(),
            hook: None,
        }
    }

    /// Builder: count into shared counters.
    pub fn with_counters(mut self, counters: Arc<PolicyCounters>) -> Policy {
        self.counters = counters;
        self
    }

    /// Builder: call `hook` when a peer becomes an offender.
    pub fn on_offender(
        mut self,
        hook: impl FnMut(PeerId, ProcessKind, &Rejection) + Send + 'static,
    ) -> Policy {
        self.hook = Some(Box::new(hook));
        self
    }

    /// The settings.
    pub fn config(&self) -> &PolicyConfig {
        &self.cfg
    }

    /// The counters.
    pub fn counters(&self) -> Arc<PolicyCounters> {
        self.counters.clone()
    }

    /// Check one decoded envelope from `peer`, a process of kind `source`.
    pub fn check(
        &mut self,
        peer: PeerId,
        source: ProcessKind,
        env: &Envelope,
        now: Instant,
    ) -> Result<(), Rejection> {
        let verdict = self.verdict(peer, source, env, now);
        match verdict {
            Ok(()) => {
                self.counters.accepted.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Err((reason, detail)) => Err(self.reject(peer, source, env.kind, reason, detail, now)),
        }
    }

    /// The CEF path in one call: cap, decode (with bounded inflate), then [`Policy::check`].
    /// An undecodable message is rejected as malformed with kind `unknown(0x0000)` unless
    /// its header could be read.
    pub fn check_bytes(
        &mut self,
        peer: PeerId,
        source: ProcessKind,
        bytes: &[u8],
        codec: &mut EnvelopeCodec,
        now: Instant,
    ) -> Result<Envelope, Rejection> {
        match codec.decode(bytes) {
            Ok(env) => self.check(peer, source, &env, now).map(|()| env),
            Err(e) => Err(self.undecodable(peer, source, bytes, e, now)),
        }
    }

    fn undecodable(
        &mut self,
        peer: PeerId,
        source: ProcessKind,
        bytes: &[u8],
        e: DecodeError,
        now: Instant,
    ) -> Rejection {
        let kind = crate::envelope::Header::decode(bytes).map_or(Kind(0), |(h, _)| h.kind);
        let reason = if matches!(e, DecodeError::TooLarge { .. }) {
            RejectReason::TooLarge
        } else {
            RejectReason::Malformed
        };
        self.reject(peer, source, kind, reason, e.to_string(), now)
    }

    /// [`Policy::check_bytes`] for a CEF process message: the message's name must be the
    /// catalogue name of the envelope's kind (the shell dispatches on the name, so a
    /// mismatch is a forged message and is rejected as malformed, before it is counted
    /// against the kind's rate).
    pub fn check_cef_message(
        &mut self,
        peer: PeerId,
        source: ProcessKind,
        name: &str,
        bytes: &[u8],
        codec: &mut EnvelopeCodec,
        now: Instant,
    ) -> Result<Envelope, Rejection> {
        match codec.decode(bytes) {
            Ok(env) if !env.kind.is_named(name) => {
                let detail = format!("process message named {name:?} carries {}", env.kind);
                Err(self.reject(peer, source, env.kind, RejectReason::Malformed, detail, now))
            }
            Ok(env) => self.check(peer, source, &env, now).map(|()| env),
            Err(e) => Err(self.undecodable(peer, source, bytes, e, now)),
        }
    }

    /// Forget a peer's buckets and strikes (call when it disconnects).
    pub fn forget_peer(&mut self, peer: PeerId) {
        self.buckets.retain(|(p, _), _| *p != peer);
        self.strikes.remove(&peer);
    }

    /// The checks that need no body: size cap, allow-list, known kind, rate limit. For a
    /// payload read in place from shared memory ([`crate::shm::SharedBytes`]), whose bytes
    /// the host interprets itself; `body_len` is the payload's length.
    pub fn check_header(
        &mut self,
        peer: PeerId,
        source: ProcessKind,
        env: &Envelope,
        body_len: usize,
        now: Instant,
    ) -> Result<(), Rejection> {
        let size = env.encoded_len() - env.body.len() + body_len;
        match self.precheck(peer, source, env.kind, size, now) {
            Ok(()) => {
                self.counters.accepted.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Err((reason, detail)) => Err(self.reject(peer, source, env.kind, reason, detail, now)),
        }
    }

    fn precheck(
        &mut self,
        peer: PeerId,
        source: ProcessKind,
        kind: Kind,
        size: usize,
        now: Instant,
    ) -> Result<(), (RejectReason, String)> {
        if size > self.cfg.max_message {
            return Err((
                RejectReason::TooLarge,
                format!("{size} bytes, cap {}", self.cfg.max_message),
            ));
        }
        if !self.cfg.allow.permits(source, kind) {
            return Err((
                RejectReason::NotAllowed,
                format!("{source:?} may not send it"),
            ));
        }
        if !kind.is_known() {
            return Err((RejectReason::UnknownKind, "unknown message kind".into()));
        }
        let rate = self.cfg.rates.rate(kind);
        let bucket = self
            .buckets
            .entry((peer, kind))
            .or_insert_with(|| TokenBucket::new(rate, now));
        if !bucket.try_take(now) {
            return Err((
                RejectReason::RateLimited,
                format!("over {}/s", rate.per_second),
            ));
        }
        Ok(())
    }

    fn verdict(
        &mut self,
        peer: PeerId,
        source: ProcessKind,
        env: &Envelope,
        now: Instant,
    ) -> Result<(), (RejectReason, String)> {
        self.precheck(peer, source, env.kind, env.encoded_len(), now)?;
        if env.flags.contains(Flags::COMPRESSED) || env.flags.contains(Flags::SHM) {
            return Err((
                RejectReason::Malformed,
                "body not unpacked by the codec".into(),
            ));
        }
        if env.kind == Kind::BATCH {
            // Items are checked one by one by whoever unpacks the batch.
            return Ok(());
        }
        validate::validate_body(env.kind, &env.body, &self.cfg.limits).map_err(|e| match e {
            Invalid::Decode(d) => (RejectReason::Malformed, d.to_string()),
            Invalid::Field(f) => (RejectReason::Malformed, f),
            Invalid::UnknownKind => (RejectReason::UnknownKind, "no body type".into()),
        })
    }

    fn reject(
        &mut self,
        peer: PeerId,
        source: ProcessKind,
        kind: Kind,
        reason: RejectReason,
        detail: String,
        now: Instant,
    ) -> Rejection {
        self.counters.rejected[reason as usize].fetch_add(1, Ordering::Relaxed);
        let oc = self.cfg.offender;
        let s = self.strikes.entry(peer).or_insert(Strikes {
            level: 0.0,
            last: now,
            reported: false,
        });
        let forgiven = now.saturating_duration_since(s.last).as_secs_f64() * oc.threshold
            / oc.window.as_secs_f64().max(1e-9);
        s.level = (s.level - forgiven).max(0.0);
        // Once the strikes have decayed below the threshold, the episode is over: the
        // next crossing is a new offence (the tab's next renderer, after a reload).
        s.reported &= s.level >= oc.threshold;
        s.level += 1.0;
        s.last = s.last.max(now);
        let offender = !s.reported && s.level >= oc.threshold;
        s.reported |= offender;
        tracing::warn!(peer, ?source, %kind, reason = reason.name(), %detail, offender, "ipc message rejected");
        let rejection = Rejection {
            reason,
            kind,
            detail,
            offender,
        };
        if offender {
            self.counters.offenders.fetch_add(1, Ordering::Relaxed);
            if let Some(h) = &mut self.hook {
                h(peer, source, &rejection);
            }
        }
        rejection
    }
}

#[cfg(test)]
mod tests;
