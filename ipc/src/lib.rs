//! `nexus-ipc`: the protocol every Nexus process speaks — the shell, the CEF renderer
//! subprocesses and the AI worker.
//!
//! It is the message catalogue ([`messages`], [`Kind`]), the envelope and codec
//! ([`envelope`], [`codec`]), the handshake and launch secrets ([`handshake`],
//! [`secret`]), the policy ([`policy`]), the connection state machine with every pattern
//! (request–response, notifications, streams, batching, keepalive, shared memory:
//! [`conn`]), routing ([`router`], [`hub`]), the logger ([`log`]) and, behind the
//! `tokio` feature, the local-socket transport with async handles ([`transport`]).
//! It is not a CEF binding and knows nothing of egui: the shell's CEF glue moves encoded
//! envelopes through CEF process messages and calls [`codec::EnvelopeCodec`] and
//! [`Policy`] itself.
//!
//! # Sans-IO
//! Everything except [`transport`] is plain synchronous Rust that does no I/O and reads no
//! clock: inputs are `handle_*`, outputs `poll_*`, and every call that needs the time takes
//! `now: Instant` (the model is quinn-proto/rustls). The same code runs in a CEF renderer
//! callback (no runtime, `default-features = false`), in a tokio task, or in a test that
//! pumps two [`Connection`]s in memory with simulated time. The async layer is a thin
//! driver task per connection plus cloneable handles ([`Peer`]).
//!
//! # Design decisions
//! - **Encoding: postcard** for bodies, behind a hand-written header (`version u8 | flags
//!   u8 | kind u16 | id varint | correlation varint | body`). Postcard is compact (varint
//!   integers, no field names), fast, serde-based, and has a stable documented wire format.
//!   The header is ours so that the allow-list and rate limit run on the kind before a body
//!   is decoded, and so that an unknown kind is still a well-formed envelope that can be
//!   answered. Evolution: a new message gets a new kind code (an old peer answers
//!   `UnknownKind` and carries on); a new field is appended at the end of a struct and an
//!   old peer still decodes the prefix it knows, because the lenient decoder
//!   ([`Envelope::body`]) ignores trailing bytes; a new enum variant is appended last and
//!   an old peer that meets it fails to decode that one message (a `Malformed` error
//!   reply, not a crash). A reader that must understand an old body without the new field
//!   is a protocol-version bump, agreed in the handshake. Untrusted senders (renderers)
//!   are decoded strictly ([`Envelope::body_strict`], policy): every byte must be used,
//!   since renderers ship with the shell and have no excuse for trailing bytes.
//! - **Framing:** `u32 length | payload`; the cap (default 10 MB) is checked on the
//!   prefix before any allocation, and exactly the announced length is allocated.
//! - **Compression:** zstd level 1, off by default on the socket
//!   ([`codec::compress::DEFAULT_COMPRESS_THRESHOLD`]). Measured (BENCHMARKS.md, group
//!   `page_text_over_socket`): realistic page text compresses only ~2.7x at level 1, and
//!   on a local socket that moves gigabytes per second the time zstd spends costs more
//!   than the bytes it saves at 1 KB, 64 KB and 1 MB alike. The seed's 1 KB threshold
//!   would slow every page-content message down; hosts that pay for bytes (a log on disk,
//!   a slow pipe) can set a threshold. Decompression is bounded: the zstd frame must
//!   declare its size, that size must be within the cap, and exactly that is allocated.
//! - **Handshake:** X25519 ephemeral keys (ring), HKDF-SHA256 with the launch secret as
//!   salt, a SHA-256 transcript binding versions and settings, and HMAC key confirmation
//!   in both directions ([`handshake`]). The launch secret is 32 random bytes the parent
//!   writes into the child's stdin ([`LaunchSecret::spawn_child`]), never argv or env. A
//!   server can accept several secrets, one per child, and the secret the peer proved is
//!   its identity — never a field inside a message.
//! - **Frame protection:** AES-256-GCM (ring; hardware AES on every desktop target, see
//!   [`codec::aead`] for the choice over ChaCha20-Poly1305), one key per direction, nonce =
//!   direction tag + 64-bit counter that both sides advance per frame and never send; the
//!   length prefix is the associated data. A tampered, replayed, dropped or reordered frame
//!   fails to open and closes the connection ([`codec::aead`]).
//! - **Backpressure:** streams are credit-based (window announced in the handshake,
//!   default 16 items; the receiver grants more as its application consumes); the async
//!   driver stops taking data commands above 4 MiB of unwritten output.
//! - **Batching:** fire-and-forget messages only, flushed at 10 messages or 16 ms (the
//!   seed's numbers, configurable); anything else flushes the batch first, so order holds.
//! - **Shared memory:** bodies of 1 MiB or more go through pooled, size-sealed memfd
//!   regions passed once with SCM_RIGHTS and reused after the receiver's `shm_release`
//!   ([`shm`]); nothing is named, so nothing can leak when a process dies. By default
//!   the receiver copies the body out (an ordinary envelope); with
//!   [`ConnectionConfig::shm_zero_copy`] a sans-IO host gets a bounds-checked
//!   [`shm::SharedBytes`] view instead and saves that copy.
//!
//! # Examples
//! The standalone path the shell uses for CEF renderer messages:
//! ```
//! use nexus_ipc::codec::{CodecConfig, EnvelopeCodec};
//! use nexus_ipc::messages::navigation::NavigationRequest;
//! use nexus_ipc::{Envelope, Flags, Policy, ProcessKind};
//! use std::time::Instant;
//!
//! let mut codec = EnvelopeCodec::new(CodecConfig::default());
//! let mut policy = Policy::default();
//! // In the renderer: encode; the bytes become the CEF process message's argument.
//! let nav = NavigationRequest { url: "https://example.org/".into(), tab_id: 0, new_window: false, incognito: false };
//! let bytes = codec.encode(Envelope::new(1, &nav).with_flags(Flags::REQUEST)).unwrap();
//! // In the shell: the peer id is the browser/frame the message arrived on.
//! let browser_id = 7;
//! match policy.check_bytes(browser_id, ProcessKind::Renderer, &bytes, &mut codec, Instant::now()) {
//!     Ok(env) => assert_eq!(env.body::<NavigationRequest>().unwrap(), nav),
//!     Err(rejection) => {
//!         // Answer with `rejection.reply_to(&request, id)`; cut the renderer off if
//!         // `rejection.offender`.
//!         panic!("{rejection:?}")
//!     }
//! }
//! ```

pub mod codec;
pub mod conn;
pub mod envelope;
pub mod error;
pub mod handshake;
pub mod hub;
mod kind;
pub mod log;
pub mod messages;
pub mod policy;
pub mod router;
pub mod secret;
pub mod shm;
#[cfg(feature = "tokio")]
pub mod transport;

pub use conn::{Connection, ConnectionConfig, Event};
pub use envelope::{Envelope, Flags, Header};
pub use error::{
    CloseCause, CryptoError, DecodeError, HandshakeError, RemoteError, RequestError, SendError,
};
pub use hub::{Audience, EventBus, Hub, PeerSink};
pub use kind::{CATALOGUE, Kind, ProcessKind};
pub use log::MessageLog;
pub use policy::{PeerId, Policy, PolicyConfig, RejectReason, Rejection};
pub use router::{Routed, Router};
pub use secret::LaunchSecret;
#[cfg(all(feature = "tokio", unix))]
pub use transport::{Incoming, Peer, SocketDir};
