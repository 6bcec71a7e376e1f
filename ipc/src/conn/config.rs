//! Connection settings, with the seed's defaults where it has them.

use crate::codec::CodecConfig;
use crate::log::MessageLog;
use crate::policy::Policy;
use crate::secret::LaunchSecret;
use crate::{PeerId, ProcessKind};
use std::sync::Arc;
use std::time::Duration;

/// Batching of fire-and-forget messages (the seed: 10 messages or 16 ms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchConfig {
    /// Flush when this many messages wait (1 disables batching).
    pub max_messages: usize,
    /// Flush when the oldest waiting message is this old.
    pub max_delay: Duration,
}

impl Default for BatchConfig {
    fn default() -> Self {
        BatchConfig {
            max_messages: 10,
            max_delay: Duration::from_millis(16),
        }
    }
}

/// Keepalive: probe after `interval` of silence, give up after `timeout` of silence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keepalive {
    /// Silence before a ping.
    pub interval: Duration,
    /// Silence before the peer is declared dead.
    pub timeout: Duration,
}

impl Default for Keepalive {
    fn default() -> Self {
        Keepalive {
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
        }
    }
}

/// Who we are in the handshake.
#[derive(Clone, Debug)]
pub enum Role {
    /// We connect, proving `secret`.
    Client(LaunchSecret),
    /// We accept peers proving any of these secrets; the tag of the one proven becomes the
    /// peer's identity ([`super::Event::Connected`]).
    Server(Vec<(LaunchSecret, u64)>),
}

/// Everything a [`super::Connection`] needs.
pub struct ConnectionConfig {
    /// Handshake role.
    pub role: Role,
    /// Seal frames after the handshake (both sides must agree).
    pub encrypt: bool,
    /// Frame cap and compression.
    pub codec: CodecConfig,
    /// Default per-request timeout (the seed: 30 s).
    pub request_timeout: Duration,
    /// Items we accept in flight per incoming stream before granting more credit.
    pub stream_window: u32,
    /// An incoming stream that stays silent this long fails.
    pub stream_idle_timeout: Duration,
    /// Batching of notifications.
    pub batch: BatchConfig,
    /// Keepalive, or none (in-memory pairs).
    pub keepalive: Option<Keepalive>,
    /// Bodies of at least this many bytes go through shared memory when the transport
    /// carries handles (`usize::MAX` = never).
    pub shm_threshold: usize,
    /// Cap on one shared-memory payload.
    pub max_shm: usize,
    /// Deliver shared-memory requests and notifications as [`super::Event::Shared`]
    /// views read in place (one copy fewer) instead of copying them into the envelope.
    /// Their bodies then skip the policy's structural validation (size, allow-list and
    /// rate limit still apply); the host decodes them itself.
    pub shm_zero_copy: bool,
    /// The host's number for the peer (for policy and logs).
    pub peer: PeerId,
    /// What the peer is (chooses the allow-list); known from how it was started.
    pub peer_kind: ProcessKind,
    /// Check every inbound message, if set.
    pub policy: Option<Policy>,
    /// Record every message, if set.
    pub log: Option<Arc<MessageLog>>,
}

impl ConnectionConfig {
    /// Defaults for `role`: encrypted, 30 s requests, window 16, seed batching, keepalive.
    pub fn new(role: Role) -> ConnectionConfig {
        ConnectionConfig {
            role,
            encrypt: true,
            codec: CodecConfig::default(),
            request_timeout: Duration::from_secs(30),
            stream_window: 16,
            stream_idle_timeout: Duration::from_secs(30),
            batch: BatchConfig::default(),
            keepalive: Some(Keepalive::default()),
            shm_threshold: if crate::shm::SUPPORTED {
                crate::shm::DEFAULT_SHM_THRESHOLD
            } else {
                usize::MAX
            },
            max_shm: crate::shm::DEFAULT_MAX_SHM,
            shm_zero_copy: false,
            peer: 0,
            peer_kind: ProcessKind::Browser,
            policy: None,
            log: None,
        }
    }

    /// Client defaults.
    pub fn client(secret: LaunchSecret) -> ConnectionConfig {
        ConnectionConfig::new(Role::Client(secret))
    }

    /// Server defaults accepting one secret (tag 0).
    pub fn server(secret: LaunchSecret) -> ConnectionConfig {
        ConnectionConfig::new(Role::Server(vec![(secret, 0)]))
    }
}
