//! The crate's error types, one enum per layer, so a caller can tell a malformed frame
//! from a failed handshake from a request that timed out.
//!
//! Every public enum is `#[non_exhaustive]`: new failure modes may be added without a
//! breaking change, so match with a wildcard arm.

use crate::messages::control::{ErrorCode, ErrorReply};
use std::fmt;

/// Why bytes could not be turned into a frame, an envelope or a typed body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ended before a complete header or field.
    #[error("truncated input: needed more bytes for {what}")]
    Truncated {
        /// The field that was cut short.
        what: &'static str,
    },
    /// A length prefix announced more than the configured cap; nothing was allocated.
    #[error("frame of {len} bytes exceeds the cap of {cap} bytes")]
    TooLarge {
        /// The announced length.
        len: u64,
        /// The cap in force.
        cap: usize,
    },
    /// The envelope's protocol version is outside what this build speaks.
    #[error("unsupported protocol version {0}")]
    UnsupportedVersion(u8),
    /// A variable-length integer was longer than ten bytes or overflowed `u64`.
    #[error("malformed variable-length integer in {what}")]
    BadVarint {
        /// The field being read.
        what: &'static str,
    },
    /// The flags byte has bits this build does not define, or an impossible combination.
    #[error("invalid flags 0x{0:02x}")]
    BadFlags(u8),
    /// The envelope declared one kind but the caller asked for another body type.
    #[error("kind mismatch: envelope is {found}, expected {expected}")]
    KindMismatch {
        /// The kind the caller expected.
        expected: crate::Kind,
        /// The kind the envelope declares.
        found: crate::Kind,
    },
    /// The body did not decode into the declared kind's type.
    #[error("body of {kind} does not decode: {reason}")]
    Body {
        /// The declared kind.
        kind: crate::Kind,
        /// What postcard reported.
        reason: String,
    },
    /// Bytes were left over after a body that must be consumed exactly.
    #[error("body of {kind} has {extra} trailing bytes")]
    TrailingBytes {
        /// The declared kind.
        kind: crate::Kind,
        /// How many bytes were left.
        extra: usize,
    },
    /// A compressed body was corrupt, had no declared size, or inflated past the cap.
    #[error("compressed body rejected: {0}")]
    Decompress(String),
    /// A shared-memory descriptor was invalid, out of bounds, or had no handle with it.
    #[error("shared-memory payload rejected: {0}")]
    SharedMemory(String),
}

/// Why a frame could not be sealed or opened.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// Authentication failed: the frame was tampered with, replayed, reordered, or sealed
    /// with another key. The connection must be closed.
    #[error("frame failed authentication (tampered, replayed or reordered)")]
    Unauthentic,
    /// The per-direction counter would wrap; the connection must be re-established.
    #[error("nonce counter exhausted")]
    NonceExhausted,
    /// The operating system's random generator or a primitive failed.
    #[error("cryptographic primitive failed: {0}")]
    Primitive(&'static str),
}

/// Why the connection handshake failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandshakeError {
    /// The two sides share no protocol version.
    #[error("no common protocol version (we speak {ours_min}..={ours_max}, peer {theirs})")]
    VersionMismatch {
        /// Our lowest version.
        ours_min: u8,
        /// Our highest version.
        ours_max: u8,
        /// What the peer offered or chose, e.g. "1..=1".
        theirs: String,
    },
    /// One side wants encrypted frames and the other does not.
    #[error("peers disagree on encryption (we {ours}, peer {theirs})")]
    CipherMismatch {
        /// Whether we encrypt.
        ours: bool,
        /// Whether the peer does.
        theirs: bool,
    },
    /// The peer's key confirmation did not match any launch secret we accept: it was not
    /// started by us, or it was handed another secret.
    #[error("peer failed authentication: wrong launch secret")]
    BadSecret,
    /// The peer sent something other than the next handshake message.
    #[error("unexpected {0} during the handshake")]
    Unexpected(crate::Kind),
    /// A handshake message did not decode.
    #[error("malformed handshake message: {0}")]
    Malformed(#[from] DecodeError),
    /// The peer refused the handshake with an error reply.
    #[error("peer refused the handshake: {0}")]
    Refused(String),
    /// Key agreement failed (e.g. an invalid public key).
    #[error("key agreement failed")]
    KeyAgreement,
}

/// Why a connection closed. Every pending request fails with this as its cause.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CloseCause {
    /// We closed it (`close()` or the last handle dropped).
    #[error("closed locally: {0}")]
    Local(String),
    /// The peer said goodbye.
    #[error("peer closed the connection: {0}")]
    Goodbye(String),
    /// The transport reported end of stream or an I/O error (the peer died or hung up).
    #[error("peer disconnected: {0}")]
    Disconnected(String),
    /// No frame arrived within the keepalive timeout.
    #[error("peer unresponsive for {0:?} (keepalive)")]
    KeepaliveTimeout(std::time::Duration),
    /// The handshake failed.
    #[error("handshake failed: {0}")]
    Handshake(#[from] HandshakeError),
    /// A frame failed authentication.
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    /// A frame or envelope did not decode (including an over-cap length prefix).
    #[error("undecodable frame: {0}")]
    Decode(#[from] DecodeError),
    /// The peer broke the protocol (e.g. sent past its stream credit).
    #[error("protocol violation: {0}")]
    Protocol(String),
    /// The policy cut the peer off after repeated violations.
    #[error("peer cut off after repeated policy violations ({0})")]
    Offender(String),
}

/// Why a request did not produce a reply.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// No reply within the request's timeout.
    #[error("request timed out after {0:?}")]
    Timeout(std::time::Duration),
    /// The request was cancelled locally.
    #[error("request cancelled")]
    Cancelled,
    /// The connection closed before the reply; the cause says why.
    #[error("connection lost before the reply: {0}")]
    Disconnected(CloseCause),
    /// The peer answered with an error reply.
    #[error("peer refused the request: {0}")]
    Remote(RemoteError),
    /// The reply did not decode into the expected type.
    #[error("reply did not decode: {0}")]
    Decode(#[from] DecodeError),
    /// The message could not be sent (too large, connection not established, ...).
    #[error("could not send: {0}")]
    Send(String),
}

/// An error reply received from the peer.
#[derive(Clone, Debug, PartialEq)]
pub struct RemoteError {
    /// Machine-readable reason.
    pub code: ErrorCode,
    /// The peer's explanation.
    pub message: String,
}

impl fmt::Display for RemoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl From<ErrorReply> for RemoteError {
    fn from(e: ErrorReply) -> Self {
        RemoteError {
            code: e.code,
            message: e.message,
        }
    }
}

impl From<RemoteError> for ErrorReply {
    fn from(e: RemoteError) -> Self {
        ErrorReply {
            code: e.code,
            message: e.message,
        }
    }
}

/// Why a message could not be sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The encoded message is larger than the frame cap (and shared memory was not used).
    #[error("message of {len} bytes exceeds the cap of {cap} bytes")]
    TooLarge {
        /// Encoded size.
        len: usize,
        /// The cap in force.
        cap: usize,
    },
    /// The connection is closed; the cause says why.
    #[error("connection closed: {0}")]
    Closed(CloseCause),
    /// The stream has no credit left; wait for the receiver to grant more.
    #[error("stream {0} has no credit")]
    NoCredit(u64),
    /// No open stream has this id.
    #[error("no open stream {0}")]
    UnknownStream(u64),
    /// No request with this id is being served (already answered, or cancelled).
    #[error("no pending request {0}")]
    UnknownRequest(u64),
    /// Sealing failed.
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    /// Shared memory could not be set up for a large payload.
    #[error("shared memory: {0}")]
    SharedMemory(String),
}
