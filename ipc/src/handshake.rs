//! The connection handshake: version agreement, X25519 key agreement, and mutual
//! authentication with the launch secret.
//!
//! ```text
//! client                                        server
//! Hello {min,max version, X25519 pub, nonce, encrypt, window}  ->
//!                    <-  HelloReply {version, X25519 pub, nonce, encrypt, window}
//! Finished {HMAC(client_fin_key, transcript)}  ->
//!                    <-  Finished {HMAC(server_fin_key, transcript)}
//! ```
//!
//! `transcript` = SHA-256 of the two first flights' bodies; `prk` = HKDF-Extract(salt =
//! launch secret, ikm = X25519 shared secret); each key is HKDF-Expand(prk, label |
//! transcript). The launch secret is the salt, so a peer without it derives other keys and
//! its Finished MAC fails; the ephemeral keys give forward secrecy; the transcript binds
//! the chosen version and settings so a meddler cannot downgrade them. The server may
//! accept several secrets (one per child it spawned) and learns from the client's Finished
//! which one the peer holds: that, not anything the peer says, is the peer's identity.

use crate::Kind;
use crate::codec::aead::{Direction, KEY_LEN, Opener, Sealer};
use crate::envelope::{Envelope, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION};
use crate::error::HandshakeError;
use crate::messages::control::{ErrorCode, ErrorReply, Finished, Hello, HelloReply};
use crate::secret::LaunchSecret;
use ring::{agreement, digest, hkdf, hmac, rand};

/// What the handshake produced.
pub struct Established {
    /// The agreed protocol version.
    pub version: u8,
    /// Frame keys, when both sides chose encryption.
    pub keys: Option<(Sealer, Opener)>,
    /// On the server: the tag of the launch secret the client proved (its identity).
    pub peer_tag: u64,
    /// Stream items the peer accepts in flight per stream.
    pub peer_window: u32,
}

/// What to do after feeding a handshake message.
pub struct Step {
    /// Send this (plaintext) envelope.
    pub send: Option<Envelope>,
    /// The handshake is complete.
    pub done: Option<Established>,
}

struct Keys {
    c2s: [u8; KEY_LEN],
    s2c: [u8; KEY_LEN],
    client_fin: [u8; KEY_LEN],
    server_fin: [u8; KEY_LEN],
}

enum State {
    ClientAwaitReply {
        private: agreement::EphemeralPrivateKey,
        hello: Vec<u8>,
    },
    ClientAwaitFinished {
        keys: Keys,
        transcript: [u8; 32],
        version: u8,
        window: u32,
    },
    ServerAwaitHello,
    ServerAwaitFinished {
        shared: [u8; 32],
        transcript: [u8; 32],
        version: u8,
        window: u32,
    },
    Done,
}

/// Handshake state for one side.
pub struct Handshake {
    state: State,
    encrypt: bool,
    window: u32,
    secrets: Vec<(LaunchSecret, u64)>,
}

fn random32() -> Result<[u8; 32], HandshakeError> {
    use rand::SecureRandom;
    let mut b = [0u8; 32];
    rand::SystemRandom::new()
        .fill(&mut b)
        .map_err(|_| HandshakeError::KeyAgreement)?;
    Ok(b)
}

fn ephemeral() -> Result<(agreement::EphemeralPrivateKey, [u8; 32]), HandshakeError> {
    let rng = rand::SystemRandom::new();
    let private = agreement::EphemeralPrivateKey::generate(&agreement::X25519, &rng)
        .map_err(|_| HandshakeError::KeyAgreement)?;
    let public = private
        .compute_public_key()
        .map_err(|_| HandshakeError::KeyAgreement)?;
    let mut p = [0u8; 32];
    p.copy_from_slice(public.as_ref());
    Ok((private, p))
}

fn agree(
    private: agreement::EphemeralPrivateKey,
    peer: &[u8; 32],
) -> Result<[u8; 32], HandshakeError> {
    let peer = agreement::UnparsedPublicKey::new(&agreement::X25519, peer);
    agreement::agree_ephemeral(private, &peer, |km| {
        let mut s = [0u8; 32];
        s.copy_from_slice(km);
        s
    })
    .map_err(|_| HandshakeError::KeyAgreement)
}

fn transcript(hello: &[u8], reply: &[u8]) -> [u8; 32] {
    let mut ctx = digest::Context::new(&digest::SHA256);
    ctx.update(&(hello.len() as u64).to_le_bytes());
    ctx.update(hello);
    ctx.update(reply);
    let mut t = [0u8; 32];
    t.copy_from_slice(ctx.finish().as_ref());
    t
}

fn derive(secret: &LaunchSecret, shared: &[u8; 32], th: &[u8; 32]) -> Keys {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, secret.as_bytes()).extract(shared);
    let expand = |label: &[u8]| {
        let mut out = [0u8; KEY_LEN];
        prk.expand(&[b"nexus-ipc v1 ", label, th], hkdf::HKDF_SHA256)
            .and_then(|okm| okm.fill(&mut out))
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        out
    };
    Keys {
        c2s: expand(b"c2s key"),
        s2c: expand(b"s2c key"),
        client_fin: expand(b"client finished"),
        server_fin: expand(b"server finished"),
    }
}

fn mac(key: &[u8; KEY_LEN], th: &[u8; 32]) -> [u8; 32] {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), th);
    let mut m = [0u8; 32];
    m.copy_from_slice(tag.as_ref());
    m
}

fn mac_ok(key: &[u8; KEY_LEN], th: &[u8; 32], m: &[u8; 32]) -> bool {
    hmac::verify(&hmac::Key::new(hmac::HMAC_SHA256, key), th, m).is_ok()
}

fn refuse(code: ErrorCode, msg: &str) -> Envelope {
    Envelope::new(
        0,
        &ErrorReply {
            code,
            message: msg.into(),
        },
    )
}

impl Handshake {
    /// The connecting side; returns the state and the Hello to send.
    pub fn client(
        secret: LaunchSecret,
        encrypt: bool,
        window: u32,
    ) -> Result<(Handshake, Envelope), HandshakeError> {
        let (private, public_key) = ephemeral()?;
        let hello = Hello {
            min_version: MIN_PROTOCOL_VERSION,
            max_version: PROTOCOL_VERSION,
            public_key,
            nonce: random32()?,
            encrypt,
            stream_window: window,
        };
        let env = Envelope::new(0, &hello);
        let hs = Handshake {
            state: State::ClientAwaitReply {
                private,
                hello: env.body.clone(),
            },
            encrypt,
            window,
            secrets: vec![(secret, 0)],
        };
        Ok((hs, env))
    }

    /// The accepting side, accepting any of `secrets` (each with the tag that identifies
    /// the peer holding it).
    pub fn server(secrets: Vec<(LaunchSecret, u64)>, encrypt: bool, window: u32) -> Handshake {
        Handshake {
            state: State::ServerAwaitHello,
            encrypt,
            window,
            secrets,
        }
    }

    /// Feed the next envelope from the peer. On error, `Step::send` of the returned error
    /// (if any) should still be sent: see [`Handshake::refusal`].
    pub fn handle(&mut self, env: &Envelope) -> Result<Step, HandshakeError> {
        if env.kind == Kind::ERROR {
            let e: ErrorReply = env.body()?;
            self.state = State::Done;
            return Err(HandshakeError::Refused(e.message));
        }
        match std::mem::replace(&mut self.state, State::Done) {
            State::ClientAwaitReply { private, hello } => {
                expect(env, Kind::HELLO_REPLY)?;
                let r: HelloReply = env.body()?;
                if !(MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&r.version) {
                    return Err(self.version_error(format!("{}", r.version)));
                }
                if r.encrypt != self.encrypt {
                    return Err(HandshakeError::CipherMismatch {
                        ours: self.encrypt,
                        theirs: r.encrypt,
                    });
                }
                let shared = agree(private, &r.public_key)?;
                let th = transcript(&hello, &env.body);
                let keys = derive(&self.secrets[0].0, &shared, &th);
                let fin = Envelope::new(
                    0,
                    &Finished {
                        mac: mac(&keys.client_fin, &th),
                    },
                );
                self.state = State::ClientAwaitFinished {
                    keys,
                    transcript: th,
                    version: r.version,
                    window: r.stream_window,
                };
                Ok(Step {
                    send: Some(fin),
                    done: None,
                })
            }
            State::ClientAwaitFinished {
                keys,
                transcript: th,
                version,
                window,
            } => {
                expect(env, Kind::FINISHED)?;
                let f: Finished = env.body()?;
                if !mac_ok(&keys.server_fin, &th, &f.mac) {
                    return Err(HandshakeError::BadSecret);
                }
                let sealed = self.encrypt.then(|| {
                    (
                        Sealer::new(&keys.c2s, Direction::ClientToServer),
                        Opener::new(&keys.s2c, Direction::ServerToClient),
                    )
                });
                Ok(Step {
                    send: None,
                    done: Some(Established {
                        version,
                        keys: sealed,
                        peer_tag: 0,
                        peer_window: window,
                    }),
                })
            }
            State::ServerAwaitHello => {
                expect(env, Kind::HELLO)?;
                let h: Hello = env.body()?;
                let version = PROTOCOL_VERSION.min(h.max_version);
                if version < MIN_PROTOCOL_VERSION.max(h.min_version) {
                    return Err(
                        self.version_error(format!("{}..={}", h.min_version, h.max_version))
                    );
                }
                if h.encrypt != self.encrypt {
                    return Err(HandshakeError::CipherMismatch {
                        ours: self.encrypt,
                        theirs: h.encrypt,
                    });
                }
                let (private, public_key) = ephemeral()?;
                let reply = HelloReply {
                    version,
                    public_key,
                    nonce: random32()?,
                    encrypt: self.encrypt,
                    stream_window: self.window,
                };
                let out = Envelope::new(0, &reply);
                let shared = agree(private, &h.public_key)?;
                let th = transcript(&env.body, &out.body);
                self.state = State::ServerAwaitFinished {
                    shared,
                    transcript: th,
                    version,
                    window: h.stream_window,
                };
                Ok(Step {
                    send: Some(out),
                    done: None,
                })
            }
            State::ServerAwaitFinished {
                shared,
                transcript: th,
                version,
                window,
            } => {
                expect(env, Kind::FINISHED)?;
                let f: Finished = env.body()?;
                for (secret, tag) in &self.secrets {
                    let keys = derive(secret, &shared, &th);
                    if mac_ok(&keys.client_fin, &th, &f.mac) {
                        let fin = Envelope::new(
                            0,
                            &Finished {
                                mac: mac(&keys.server_fin, &th),
                            },
                        );
                        let sealed = self.encrypt.then(|| {
                            (
                                Sealer::new(&keys.s2c, Direction::ServerToClient),
                                Opener::new(&keys.c2s, Direction::ClientToServer),
                            )
                        });
                        let done = Established {
                            version,
                            keys: sealed,
                            peer_tag: *tag,
                            peer_window: window,
                        };
                        return Ok(Step {
                            send: Some(fin),
                            done: Some(done),
                        });
                    }
                }
                Err(HandshakeError::BadSecret)
            }
            State::Done => Err(HandshakeError::Unexpected(env.kind)),
        }
    }

    fn version_error(&self, theirs: String) -> HandshakeError {
        HandshakeError::VersionMismatch {
            ours_min: MIN_PROTOCOL_VERSION,
            ours_max: PROTOCOL_VERSION,
            theirs,
        }
    }

    /// The error reply to send the peer when the handshake fails on our side, so it learns
    /// why instead of seeing a bare hang-up.
    pub fn refusal(err: &HandshakeError) -> Envelope {
        match err {
            HandshakeError::BadSecret => refuse(ErrorCode::NotAllowed, "authentication failed"),
            HandshakeError::VersionMismatch { .. } | HandshakeError::CipherMismatch { .. } => {
                refuse(ErrorCode::Unavailable, &err.to_string())
            }
            _ => refuse(ErrorCode::Malformed, &err.to_string()),
        }
    }
}

fn expect(env: &Envelope, kind: Kind) -> Result<(), HandshakeError> {
    if env.kind == kind {
        Ok(())
    } else {
        Err(HandshakeError::Unexpected(env.kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        client_secret: [u8; 32],
        server_secrets: &[[u8; 32]],
        ce: bool,
        se: bool,
    ) -> Result<(Established, Established), HandshakeError> {
        let (mut c, hello) = Handshake::client(LaunchSecret::from_bytes(client_secret), ce, 8)?;
        let secrets = server_secrets
            .iter()
            .enumerate()
            .map(|(i, s)| (LaunchSecret::from_bytes(*s), i as u64 + 10))
            .collect();
        let mut s = Handshake::server(secrets, se, 16);
        let reply = s.handle(&hello)?.send.unwrap();
        let cfin = c.handle(&reply)?.send.unwrap();
        let step = s.handle(&cfin)?;
        let server = step.done.unwrap();
        let client = c.handle(&step.send.unwrap())?.done.unwrap();
        Ok((client, server))
    }

    #[test]
    fn agrees_keys_and_identifies_the_peer_by_its_secret() {
        let (c, s) = run([2; 32], &[[1; 32], [2; 32]], true, true).unwrap();
        assert_eq!(s.peer_tag, 11);
        assert_eq!((c.peer_window, s.peer_window), (16, 8));
        let (mut cs, mut co) = c.keys.unwrap();
        let (mut ss, mut so) = s.keys.unwrap();
        let mut m = b"ping".to_vec();
        cs.seal(b"", &mut m).unwrap();
        so.open(b"", &mut m).unwrap();
        assert_eq!(m, b"ping");
        ss.seal(b"", &mut m).unwrap();
        co.open(b"", &mut m).unwrap();
        assert_eq!(m, b"ping");
    }

    #[test]
    fn wrong_secret_is_refused() {
        assert_eq!(
            run([9; 32], &[[1; 32]], true, true).err(),
            Some(HandshakeError::BadSecret)
        );
    }

    #[test]
    fn cipher_disagreement_is_refused() {
        assert!(matches!(
            run([1; 32], &[[1; 32]], true, false),
            Err(HandshakeError::CipherMismatch { .. })
        ));
    }

    #[test]
    fn plain_mode_still_authenticates() {
        let (c, s) = run([1; 32], &[[1; 32]], false, false).unwrap();
        assert!(c.keys.is_none() && s.keys.is_none());
        assert!(run([5; 32], &[[1; 32]], false, false).is_err());
    }

    #[test]
    fn unsupported_versions_and_out_of_order_messages_fail() {
        let mut s = Handshake::server(vec![(LaunchSecret::from_bytes([1; 32]), 0)], true, 8);
        let hello = Hello {
            min_version: 7,
            max_version: 9,
            public_key: [1; 32],
            nonce: [0; 32],
            encrypt: true,
            stream_window: 1,
        };
        assert!(matches!(
            s.handle(&Envelope::new(0, &hello)),
            Err(HandshakeError::VersionMismatch { .. })
        ));
        let mut s = Handshake::server(vec![], true, 8);
        let fin = Envelope::new(0, &Finished { mac: [0; 32] });
        assert_eq!(
            s.handle(&fin).err(),
            Some(HandshakeError::Unexpected(Kind::FINISHED))
        );
        let refusal = Handshake::refusal(&HandshakeError::BadSecret);
        let (mut c, _) = Handshake::client(LaunchSecret::from_bytes([1; 32]), true, 8).unwrap();
        assert!(matches!(
            c.handle(&refusal),
            Err(HandshakeError::Refused(_))
        ));
    }
}
