//! Shared helpers for the cross-process tests: spawn the helper binary with a launch
//! secret on its stdin, talk to it over a real socket.
#![allow(dead_code)]

use nexus_ipc::conn::{Connection, ConnectionConfig, Event};
use nexus_ipc::transport::{self, Incoming, Peer};
use nexus_ipc::{LaunchSecret, SocketDir};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_nexus-ipc-test-peer");

pub struct Helper {
    pub child: Child,
    pub stdout: BufReader<ChildStdout>,
    pub path: PathBuf,
    pub secret: LaunchSecret,
    _dir: SocketDir,
}

impl Helper {
    /// Spawn `nexus-ipc-test-peer MODE SOCKET ARGS...`; for listening modes wait for it.
    pub fn spawn(mode: &str, args: &[&str]) -> Helper {
        let dir = SocketDir::new().unwrap();
        let path = dir.socket("peer.sock");
        let secret = LaunchSecret::generate().unwrap();
        let mut cmd = Command::new(BIN);
        cmd.arg(mode).arg(&path).args(args).stdout(Stdio::piped());
        let mut child = secret.spawn_child(&mut cmd).unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut h = Helper {
            child,
            stdout,
            path,
            secret,
            _dir: dir,
        };
        if mode != "flood" {
            assert_eq!(h.line(), "listening");
        }
        h
    }

    /// Spawn a client-mode helper against a socket we listen on.
    pub fn spawn_client(
        dir: &SocketDir,
        path: &std::path::Path,
        secret: &LaunchSecret,
        mode: &str,
        args: &[&str],
    ) -> (Child, BufReader<ChildStdout>) {
        let _ = dir;
        let mut cmd = Command::new(BIN);
        cmd.arg(mode).arg(path).args(args).stdout(Stdio::piped());
        let mut child = secret.spawn_child(&mut cmd).unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        (child, stdout)
    }

    pub fn line(&mut self) -> String {
        let mut l = String::new();
        self.stdout.read_line(&mut l).unwrap();
        l.trim_end().to_string()
    }

    pub async fn connect(&self) -> (Peer, Incoming) {
        transport::connect(&self.path, ConnectionConfig::client(self.secret.clone()))
            .await
            .unwrap()
    }

    /// Wait for the child to exit and return what it printed last.
    pub fn finish(mut self) -> String {
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        let _ = self.child.wait();
        rest
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking, hand-driven client: the attacker's view, where we can alter bytes.
pub struct RawClient {
    pub sock: UnixStream,
    pub conn: Connection,
}

impl RawClient {
    pub fn connect(h: &Helper) -> RawClient {
        let sock = UnixStream::connect(&h.path).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let conn =
            Connection::new(ConnectionConfig::client(h.secret.clone()), Instant::now()).unwrap();
        let mut c = RawClient { sock, conn };
        while !c.conn.is_established() {
            c.flush();
            let mut buf = [0u8; 4096];
            let n = c.sock.read(&mut buf).unwrap();
            assert!(n > 0, "helper closed during the handshake");
            c.conn.handle_input(&buf[..n], Instant::now());
        }
        while c.conn.poll_event().is_some() {}
        c
    }

    pub fn flush(&mut self) {
        while let Some(t) = self.conn.poll_transmit() {
            self.sock.write_all(&t.bytes).unwrap();
        }
    }

    /// The next frame's bytes, as the connection would write them.
    pub fn next_frame(&mut self) -> Vec<u8> {
        self.conn
            .poll_transmit()
            .map(|t| t.bytes)
            .unwrap_or_default()
    }

    /// Whether the helper closed the socket (EOF or reset) within the read timeout.
    pub fn closed_by_peer(&mut self) -> bool {
        let mut buf = [0u8; 4096];
        loop {
            match self.sock.read(&mut buf) {
                Ok(0) => return true,
                Ok(n) => {
                    self.conn.handle_input(&buf[..n], Instant::now());
                    if matches!(self.conn.poll_event(), Some(Event::Closed(_))) {
                        return true;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
                Err(_) => return false,
            }
        }
    }
}
