//! `nexus-ipc`: the protocol every Nexus process speaks. (Crate docs written at the end.)

pub mod codec;
pub mod envelope;
pub mod error;
mod kind;
pub mod messages;

pub use envelope::{Envelope, Flags, Header};
pub use error::{CloseCause, CryptoError, DecodeError, HandshakeError, RequestError, SendError};
pub use kind::{CATALOGUE, Kind, ProcessKind};
pub mod handshake;
pub mod secret;
pub use secret::LaunchSecret;
pub mod policy;
pub use policy::{PeerId, Policy, PolicyConfig, RejectReason, Rejection};
pub mod log;
pub use log::MessageLog;
pub mod shm;
pub mod conn;
pub use conn::{Connection, ConnectionConfig, Event};
pub mod hub;
pub mod router;
pub use hub::{Audience, EventBus, Hub, PeerSink};
pub use router::{Routed, Router};
#[cfg(feature = "tokio")]
pub mod transport;
#[cfg(all(feature = "tokio", unix))]
pub use transport::{Peer, SocketDir};
