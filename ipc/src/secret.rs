//! The launch secret: how a child proves it is the process we started.
//!
//! The parent generates 32 random bytes per child and writes them, hex-encoded on one
//! line, into the child's stdin pipe right after spawning it. A pipe between parent and
//! child cannot be read by other processes (unlike argv, which `ps` shows to every user, or
//! the environment, which `/proc/PID/environ` shows to the same user and which children
//! inherit). The child reads the line first thing. Both sides then mix the secret into the
//! handshake's key derivation, so a process without it can neither complete a handshake
//! with the shell nor impersonate it to the child.

use std::io::{self, BufRead, Read, Write};
use std::process::{Child, Command, Stdio};

/// Bytes in a launch secret.
pub const SECRET_LEN: usize = 32;

/// A launch secret. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct LaunchSecret([u8; SECRET_LEN]);

impl std::fmt::Debug for LaunchSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LaunchSecret(<redacted>)")
    }
}

impl Drop for LaunchSecret {
    fn drop(&mut self) {
        // Best effort: the compiler may elide this; the secret is short-lived anyway.
        self.0 = [0; SECRET_LEN];
    }
}

impl LaunchSecret {
    /// Fresh random bytes from the operating system.
    pub fn generate() -> io::Result<LaunchSecret> {
        use ring::rand::SecureRandom;
        let mut b = [0u8; SECRET_LEN];
        ring::rand::SystemRandom::new()
            .fill(&mut b)
            .map_err(|_| io::Error::other("the system random generator failed"))?;
        Ok(LaunchSecret(b))
    }

    /// A secret from known bytes (tests, or a secret obtained some other way).
    pub fn from_bytes(b: [u8; SECRET_LEN]) -> LaunchSecret {
        LaunchSecret(b)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; SECRET_LEN] {
        &self.0
    }

    /// Write the secret as one hex line.
    pub fn write_line(&self, w: &mut impl Write) -> io::Result<()> {
        let mut line = String::with_capacity(SECRET_LEN * 2 + 1);
        for b in self.0 {
            line.push_str(&format!("{b:02x}"));
        }
        line.push('\n');
        w.write_all(line.as_bytes())?;
        w.flush()
    }

    /// Read one hex line written by [`LaunchSecret::write_line`].
    pub fn read_line(r: &mut impl BufRead) -> io::Result<LaunchSecret> {
        let mut line = String::new();
        // Bounded read: a secret line is 65 bytes; refuse to buffer more than a little over.
        r.by_ref()
            .take(SECRET_LEN as u64 * 2 + 2)
            .read_line(&mut line)?;
        let hex = line.trim_end();
        let bad = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "launch secret is not 64 hex digits",
            )
        };
        if hex.len() != SECRET_LEN * 2 || !hex.is_ascii() {
            return Err(bad());
        }
        let mut b = [0u8; SECRET_LEN];
        for (i, out) in b.iter_mut().enumerate() {
            *out = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(LaunchSecret(b))
    }

    /// In the child: read the secret the parent wrote into our stdin.
    pub fn read_from_stdin() -> io::Result<LaunchSecret> {
        LaunchSecret::read_line(&mut io::stdin().lock())
    }

    /// In the parent: spawn `cmd` with a piped stdin, write the secret into it and close
    /// it. The child's stdin is the secret and then end-of-file.
    pub fn spawn_child(&self, cmd: &mut Command) -> io::Result<Child> {
        let mut child = cmd.stdin(Stdio::piped()).spawn()?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| io::Error::other("child has no stdin pipe"))?;
        if let Err(e) = self.write_line(&mut stdin) {
            let _ = child.kill();
            return Err(e);
        }
        drop(stdin);
        Ok(child)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_round_trip_and_redacted_debug() {
        let s = LaunchSecret::generate().unwrap();
        assert_ne!(s, LaunchSecret::generate().unwrap());
        let mut buf = Vec::new();
        s.write_line(&mut buf).unwrap();
        assert_eq!(buf.len(), 65);
        assert_eq!(LaunchSecret::read_line(&mut &buf[..]).unwrap(), s);
        assert_eq!(format!("{s:?}"), "LaunchSecret(<redacted>)");
    }

    #[test]
    fn malformed_lines_are_refused() {
        for bad in [&b"abc\n"[..], &[b'z'; 65][..], b""] {
            assert!(LaunchSecret::read_line(&mut &bad[..]).is_err());
        }
        let long = [b'a'; 200];
        assert!(LaunchSecret::read_line(&mut &long[..]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn child_reads_the_secret_from_stdin() {
        let s = LaunchSecret::from_bytes([0xab; 32]);
        let child = s
            .spawn_child(Command::new("cat").stdout(Stdio::piped()))
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(LaunchSecret::read_line(&mut &out.stdout[..]).unwrap(), s);
    }
}
