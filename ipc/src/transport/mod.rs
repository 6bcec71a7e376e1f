//! Transports (feature `tokio`): the local socket and an in-process socket pair, each
//! driven by one task that owns a sans-IO [`crate::Connection`].
//!
//! Unix: a Unix domain socket in a private 0700 directory ([`SocketDir`]); bytes and
//! shared-memory descriptors travel together (SCM_RIGHTS). Keepalive and disconnect
//! detection come from the connection (ping/pong, end of stream). Windows named pipes are
//! not implemented yet (see the README).
//!
//! # Example: the AI worker and the shell
//! ```no_run
//! use nexus_ipc::messages::ai::{AiAnalyze, AiResult, AiStatus};
//! use nexus_ipc::transport::{self, Inbound, Listener};
//! use nexus_ipc::{ConnectionConfig, Kind, LaunchSecret, SocketDir};
//! use std::time::Duration;
//!
//! // The worker (server): secret from stdin, socket path from argv.
//! async fn worker(path: std::path::PathBuf) -> Result<(), Box<dyn std::error::Error>> {
//!     let secret = LaunchSecret::read_from_stdin()?;
//!     let listener = Listener::bind(&path)?;
//!     let (peer, mut incoming) = listener.accept(ConnectionConfig::server(secret)).await?;
//!     peer.notify(&AiStatus::Ready).await?;
//!     while let Some(Inbound::Request(req)) = incoming.recv().await {
//!         if req.kind() != Kind::AI_ANALYZE { continue; }
//!         let page: AiAnalyze = req.body()?;
//!         let (_, responder) = req.into_parts();
//!         let mut items = responder.stream::<AiResult>().await?;
//!         // for part in analyse(&page) { if items.is_cancelled() { break } items.send(&part).await?; }
//!         items.end()?;
//!     }
//!     Ok(())
//! }
//!
//! // The shell (client): spawn with a fresh secret on stdin, connect, ask.
//! async fn shell(worker_exe: &str) -> Result<(), Box<dyn std::error::Error>> {
//!     let dir = SocketDir::new()?;
//!     let path = dir.socket("ai.sock");
//!     let secret = LaunchSecret::generate()?;
//!     let _child = secret.spawn_child(std::process::Command::new(worker_exe).arg(&path))?;
//!     let cfg = ConnectionConfig::client(secret);
//!     let (peer, _incoming) = transport::connect_with_retry(&path, cfg, Duration::from_secs(10)).await?;
//!     let mut status = peer.subscribe::<AiStatus>();
//!     let mut results = peer.request_stream::<_, AiResult>(&AiAnalyze::default(), None).await?;
//!     while let Some(part) = results.next().await {
//!         let _part = part?; // dropping `results` early cancels the analysis in the worker
//!     }
//!     let _ = status.recv().await;
//!     Ok(())
//! }
//! ```

#[cfg(unix)]
mod commands;
#[cfg(unix)]
mod dir;
#[cfg(unix)]
mod driver;
#[cfg(unix)]
mod items;
#[cfg(unix)]
mod peer;
#[cfg(unix)]
mod serve;
#[cfg(unix)]
pub(crate) mod unix_io;

#[cfg(unix)]
pub use dir::SocketDir;
#[cfg(unix)]
pub use items::ItemStream;
#[cfg(unix)]
pub use peer::{Peer, Subscription};
#[cfg(unix)]
pub use serve::{Inbound, Incoming, IncomingRequest, Responder, StreamSender};

#[cfg(unix)]
pub use unix::*;

/// Blocking helpers for a sans-IO [`crate::Connection`] on a plain Unix socket (no
/// runtime): read bytes plus any shared-memory handles; write bytes with handles
/// attached to the first byte. Used by the benchmarks and by hosts without tokio.
#[cfg(unix)]
pub use unix_io::{recv as recv_with_handles, send as send_with_handles};

#[cfg(unix)]
mod unix {
    use super::driver::{Channels, Driver, Shared};
    use super::peer::Peer;
    use super::serve::Incoming;
    use crate::conn::{Connection, ConnectionConfig};
    use crate::error::CloseCause;
    use std::path::{Path, PathBuf};
    use std::sync::Arc;
    use std::sync::atomic::AtomicU64;
    use std::time::Instant;
    use tokio::net::{UnixListener, UnixStream};
    use tokio::sync::{mpsc, oneshot, watch};

    /// Why a connection could not be made.
    #[derive(Debug, thiserror::Error)]
    #[non_exhaustive]
    pub enum ConnectError {
        /// The socket could not be bound, connected or accepted.
        #[error("socket error: {0}")]
        Io(#[from] std::io::Error),
        /// The connection closed before the handshake completed (wrong secret, version...).
        #[error("{0}")]
        Closed(CloseCause),
    }

    /// Data commands queued per connection before senders wait.
    const DATA_QUEUE: usize = 1024;

    /// Start a driver task for `stream` and wait for the handshake.
    pub async fn spawn(
        stream: UnixStream,
        cfg: ConnectionConfig,
    ) -> Result<(Peer, Incoming), ConnectError> {
        let conn = Connection::new(cfg, Instant::now()).map_err(ConnectError::Closed)?;
        let (data_tx, data) = mpsc::channel(DATA_QUEUE);
        let (control_tx, control) = mpsc::unbounded_channel();
        let (in_tx, in_rx) = mpsc::unbounded_channel();
        let (ready_tx, ready_rx) = oneshot::channel();
        let (closed_tx, closed_rx) = watch::channel(false);
        let shared = Arc::new(Shared::default());
        let ch = Channels {
            data,
            control,
            control_tx: control_tx.clone(),
            data_weak: data_tx.downgrade(),
            incoming: in_tx,
            shared: shared.clone(),
            ready: ready_tx,
            closed_tx,
        };
        tokio::spawn(Driver::new(conn, stream, ch).run());
        let peer = Peer {
            data: data_tx,
            control: control_tx,
            shared,
            closed: closed_rx,
            tokens: Arc::new(AtomicU64::new(1)),
        };
        match ready_rx.await {
            Ok(Ok(_)) => Ok((peer, Incoming { rx: in_rx })),
            Ok(Err(cause)) => Err(ConnectError::Closed(cause)),
            Err(_) => Err(ConnectError::Closed(
                peer.close_cause()
                    .unwrap_or(CloseCause::Local("driver stopped".into())),
            )),
        }
    }

    /// Connect to a listening socket and run the handshake as the client.
    pub async fn connect(
        path: &Path,
        cfg: ConnectionConfig,
    ) -> Result<(Peer, Incoming), ConnectError> {
        let stream = UnixStream::connect(path).await?;
        spawn(stream, cfg).await
    }

    /// [`connect`], retrying while the socket does not exist yet or refuses connections
    /// (a child that was just spawned may not have bound it), for up to `wait`.
    pub async fn connect_with_retry(
        path: &Path,
        cfg: ConnectionConfig,
        wait: std::time::Duration,
    ) -> Result<(Peer, Incoming), ConnectError> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut pause = std::time::Duration::from_millis(2);
        let stream = loop {
            match UnixStream::connect(path).await {
                Ok(s) => break s,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
                    ) && tokio::time::Instant::now() + pause < deadline =>
                {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(std::time::Duration::from_millis(100));
                }
                Err(e) => return Err(e.into()),
            }
        };
        spawn(stream, cfg).await
    }

    /// Two connected peers in this process (a socketpair): the in-memory transport for
    /// same-process use and tests. The first is the client.
    pub async fn pair(
        client: ConnectionConfig,
        server: ConnectionConfig,
    ) -> Result<((Peer, Incoming), (Peer, Incoming)), ConnectError> {
        let (a, b) = UnixStream::pair()?;
        let (c, s) = tokio::join!(spawn(a, client), spawn(b, server));
        Ok((c?, s?))
    }

    /// A listening local socket.
    #[derive(Debug)]
    pub struct Listener {
        inner: UnixListener,
        path: PathBuf,
    }

    impl Listener {
        /// Listen at `path`, which must be inside a private directory (a
        /// [`super::SocketDir`]: owned by this user, mode 0700, not a symlink); anything
        /// else is refused, and so is a path where a socket (or anything) already exists.
        pub fn bind(path: &Path) -> std::io::Result<Listener> {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            super::dir::check_private(dir)?;
            Ok(Listener {
                inner: UnixListener::bind(path)?,
                path: path.to_path_buf(),
            })
        }

        /// The socket path.
        pub fn path(&self) -> &Path {
            &self.path
        }

        /// Accept one connection and complete the handshake as the server. A client that
        /// fails the handshake yields `ConnectError::Closed`; keep accepting.
        pub async fn accept(
            &self,
            cfg: ConnectionConfig,
        ) -> Result<(Peer, Incoming), ConnectError> {
            let (stream, _) = self.inner.accept().await?;
            spawn(stream, cfg).await
        }
    }

    impl Drop for Listener {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
#[cfg(all(test, unix))]
mod tests;
