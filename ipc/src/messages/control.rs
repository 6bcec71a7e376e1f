//! Connection control: handshake, errors, cancellation, keepalive, batches.

use super::message;
use serde::{Deserialize, Serialize};

/// Handshake, first flight from the connecting side (sent in plaintext).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    /// Lowest protocol version the sender speaks.
    pub min_version: u8,
    /// Highest protocol version the sender speaks.
    pub max_version: u8,
    /// Ephemeral X25519 public key.
    pub public_key: [u8; 32],
    /// Fresh random bytes (bind the transcript to this connection).
    pub nonce: [u8; 32],
    /// Whether the sender wants frames sealed after the handshake (both sides must agree).
    pub encrypt: bool,
    /// Stream items the sender accepts in flight per stream before granting credit.
    pub stream_window: u32,
}

/// Handshake, second flight from the accepting side (sent in plaintext).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HelloReply {
    /// The version both sides will speak.
    pub version: u8,
    /// Ephemeral X25519 public key.
    pub public_key: [u8; 32],
    /// Fresh random bytes.
    pub nonce: [u8; 32],
    /// Whether frames are sealed after the handshake (echoes the client's choice).
    pub encrypt: bool,
    /// Stream items the sender accepts in flight per stream before granting credit.
    pub stream_window: u32,
}

/// Handshake key confirmation: an HMAC over the transcript with a key derived from the
/// shared secret and the launch secret. A peer without the launch secret cannot make it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finished {
    /// HMAC-SHA256 tag.
    pub mac: [u8; 32],
}

/// Why a request failed. Sent as the reply (correlation id = the request's id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorReply {
    /// Machine-readable reason.
    pub code: ErrorCode,
    /// Human-readable explanation, safe to show to a user.
    pub message: String,
}

/// Machine-readable reasons for an [`ErrorReply`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The receiver does not know the message kind.
    UnknownKind,
    /// The sender may not send this kind (allow-list).
    NotAllowed,
    /// The body did not decode into the declared kind, or broke a structural limit.
    Malformed,
    /// The message exceeded the size cap.
    TooLarge,
    /// The sender exceeded its rate limit for this kind.
    RateLimited,
    /// The request timed out.
    Timeout,
    /// The request was cancelled.
    Cancelled,
    /// The peer went away before replying.
    Disconnected,
    /// The handler failed.
    Internal,
    /// The service is not available (e.g. models missing).
    Unavailable,
}

/// The receiver is done with a shared-memory region; the sender may reuse it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShmRelease {
    /// The region, as numbered by the sender in its descriptors.
    pub region: u32,
}

/// Cancel the request named by the envelope's correlation id. No body fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cancel {}

/// Keepalive probe.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ping {}

/// Keepalive answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pong {}

/// Orderly goodbye.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Goodbye {
    /// Why the sender is closing.
    pub reason: String,
}

message! {
    Hello => HELLO,
    HelloReply => HELLO_REPLY,
    Finished => FINISHED,
    ErrorReply => ERROR,
    Cancel => CANCEL,
    Ping => PING,
    Pong => PONG,
    Goodbye => GOODBYE,
    ShmRelease => SHM_RELEASE,
}
