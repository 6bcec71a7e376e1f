//! Targets for nexus-ipc: the frame decoder, the envelope decoder (with the policy that
//! judges it), the handshake, and an established encrypted channel.

use crate::input::Input;
use nexus_ipc::codec::aead::{Opener, Sealer};
use nexus_ipc::codec::compress::Compression;
use nexus_ipc::codec::{CodecConfig, DEFAULT_MAX_FRAME, EnvelopeCodec, FrameDecoder};
use nexus_ipc::codec::{FrameReader, FrameWriter};
use nexus_ipc::conn::Role;
use nexus_ipc::envelope::{PROTOCOL_VERSION, decode_batch};
use nexus_ipc::handshake::Handshake;
use nexus_ipc::messages::control::ErrorCode;
use nexus_ipc::policy::validate::{Limits, validate_body};
use nexus_ipc::{
    CATALOGUE, Connection, ConnectionConfig, Envelope, Event, Flags, Kind, LaunchSecret, Policy,
    ProcessKind,
};
use std::time::{Duration, Instant};

/// Frame cap used where a target needs a small one (allocation per input stays small).
const SMALL_CAP: usize = 64 * 1024;

/// Feed `pieces` to one decoder; the frames it produced and whether it stopped on an error.
fn decode_frames<'a>(cap: usize, pieces: impl Iterator<Item = &'a [u8]>) -> (Vec<Vec<u8>>, bool) {
    let mut dec = FrameDecoder::new(cap);
    let mut frames = Vec::new();
    for piece in pieces {
        let mut input = piece;
        loop {
            match dec.decode(&mut input) {
                Ok(Some(frame)) => {
                    assert!(
                        frame.len() <= cap,
                        "a frame of {} over cap {cap}",
                        frame.len()
                    );
                    frames.push(frame);
                }
                Ok(None) => break,
                Err(_) => return (frames, true),
            }
            assert!(
                dec.allocated() <= cap,
                "allocated {} over cap {cap}",
                dec.allocated()
            );
        }
        assert!(
            input.is_empty(),
            "the decoder left input unread without an error"
        );
    }
    (frames, false)
}

/// The length-prefixed frame decoder: any byte string, delivered whole or in any pieces,
/// gives the same frames (never one over the cap, never an allocation over it), and every
/// frame that holds an envelope survives a re-encode.
pub fn frame_decoder(data: &[u8]) {
    let mut input = Input::new(data);
    let cap = *input.pick(&[0, 16, 4096, SMALL_CAP, DEFAULT_MAX_FRAME]);
    let piece = usize::from(input.byte() % 64) + 1;
    let wire = input.rest();
    let whole = decode_frames(cap, std::iter::once(wire));
    let pieces = decode_frames(cap, wire.chunks(piece));
    assert_eq!(
        whole, pieces,
        "splitting the input changed what was decoded"
    );
    for frame in &whole.0 {
        if let Ok(env) = Envelope::decode(frame) {
            let again = env.encode();
            assert_eq!(again.len(), env.encoded_len());
            assert_eq!(Envelope::decode(&again).as_ref(), Ok(&env));
        }
    }
    // The reader on top of the decoder (plaintext: before the handshake, or unencrypted).
    let mut reader = FrameReader::new(cap);
    let mut rest = wire;
    while let Ok(Some((env, size))) = reader.read(&mut rest) {
        assert!(size <= cap + 4);
        assert!(env.body.len() <= cap);
    }
}

/// The unframed envelope decoder the CEF path uses, the log renderer, batch unpacking and
/// the policy for every kind of source: no panic, nothing over the cap, and what the
/// policy accepts from a renderer decodes strictly as its kind.
pub fn envelope(data: &[u8]) {
    let mut input = Input::new(data);
    let compressed = input.flag();
    let name = input.text(32);
    let bytes = input.rest();
    let cfg = CodecConfig {
        max_frame: SMALL_CAP,
        compression: if compressed {
            Compression::above(64)
        } else {
            Compression::default()
        },
    };
    let mut codec = EnvelopeCodec::new(cfg);
    if let Ok(env) = codec.decode(bytes) {
        assert!(env.body.len() <= SMALL_CAP);
        assert!(
            !env.flags.contains(Flags::COMPRESSED),
            "decode leaves no packed body"
        );
        let _ = env.to_json(true);
        if env.flags.contains(Flags::BATCH)
            && let Ok(items) = decode_batch(&env.body)
        {
            for item in items {
                assert!(
                    !item.flags.contains(Flags::BATCH),
                    "a nested batch was unpacked"
                );
                let _ = validate_body(item.kind, &item.body, &Limits::default());
            }
        }
        if let Ok(again) = codec.encode(env.clone()) {
            assert_eq!(codec.decode(&again), Ok(env));
        }
    }
    let now = Instant::now();
    let mut policy = Policy::default();
    for source in [
        ProcessKind::Renderer,
        ProcessKind::AiWorker,
        ProcessKind::Browser,
        ProcessKind::Ui,
    ] {
        if let Ok(env) = policy.check_bytes(1, source, bytes, &mut codec, now)
            && source == ProcessKind::Renderer
        {
            assert_eq!(
                validate_body(env.kind, &env.body, &Limits::default()),
                Ok(()),
                "the policy let a renderer's {} through that does not validate",
                env.kind
            );
        }
    }
    if let Ok(env) =
        policy.check_cef_message(2, ProcessKind::Renderer, &name, bytes, &mut codec, now)
    {
        assert_eq!(
            Kind::from_name(&name),
            Some(env.kind),
            "name and kind differ"
        );
    }
    let counters = policy.counters();
    let total: u64 = counters.accepted()
        + nexus_ipc::RejectReason::ALL
            .iter()
            .map(|r| counters.rejected(*r))
            .sum::<u64>();
    assert_eq!(total, 5, "every message is counted exactly once");
}

/// The launch secret both sides of the channel targets know.
fn secret() -> LaunchSecret {
    LaunchSecret::from_bytes([0x5e; 32])
}

/// Drain a connection's output and events (answering requests, consuming stream items, so
/// the send paths run too).
fn pump(conn: &mut Connection, now: Instant) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let mut progressed = false;
        while let Some(event) = conn.poll_event() {
            progressed = true;
            match event {
                Event::Request(env) => {
                    let _ = conn.respond_error(env.id, ErrorCode::Internal, "fuzz", now);
                }
                Event::StreamItem { stream, .. } => conn.stream_consumed(stream, 1, now),
                _ => {}
            }
        }
        if let Some(t) = conn.poll_transmit() {
            progressed = true;
            out.extend_from_slice(&t.bytes);
        }
        if !progressed {
            return out;
        }
    }
}

/// The handshake fed bytes no one with the launch secret wrote: a server (or a client
/// that sent its Hello) never gets established, whatever arrives, in whatever pieces and
/// at whatever times, and never panics.
pub fn handshake(data: &[u8]) {
    let mut input = Input::new(data);
    let server = input.flag();
    let encrypt = input.flag();
    let t0 = Instant::now();
    let mut cfg = if server {
        ConnectionConfig::server(secret())
    } else {
        ConnectionConfig::client(secret())
    };
    cfg.encrypt = encrypt;
    cfg.codec.max_frame = SMALL_CAP;
    let Ok(mut conn) = Connection::new(cfg, t0) else {
        return;
    };
    let mut now = t0;
    pump(&mut conn, now);
    while !input.is_empty() {
        let chunk = input.chunk(4096);
        conn.handle_input(chunk, now);
        pump(&mut conn, now);
        if input.byte().is_multiple_of(4) {
            now += Duration::from_millis(u64::from(input.u16()));
            conn.handle_timeout(now);
            pump(&mut conn, now);
        }
        assert!(
            !conn.is_established(),
            "bytes from a peer without the launch secret completed the handshake"
        );
    }
}

/// A client handshake run by hand against a real server connection, so the target holds
/// the client's keys and can seal frames the server will open.
struct Channel {
    server: Connection,
    writer: FrameWriter,
    reader: FrameReader,
    now: Instant,
}

fn read_plain(reader: &mut FrameReader, bytes: &[u8]) -> Envelope {
    let mut rest = bytes;
    reader
        .read(&mut rest)
        .expect("the server's handshake frame decodes")
        .expect("a whole frame")
        .0
}

impl Channel {
    fn open(policy: bool) -> Channel {
        let now = Instant::now();
        let mut cfg = ConnectionConfig::new(Role::Server(vec![(secret(), 9)]));
        cfg.codec.max_frame = SMALL_CAP;
        cfg.keepalive = None;
        if policy {
            cfg.policy = Some(Policy::default());
            cfg.peer_kind = ProcessKind::Renderer;
        }
        let mut server = Connection::new(cfg, now).expect("server");
        let (mut client, hello) = Handshake::client(secret(), true, 16).expect("client hello");
        let mut writer = FrameWriter::new(SMALL_CAP);
        let mut reader = FrameReader::new(SMALL_CAP);
        let mut wire = Vec::new();
        writer.write(&hello, &mut wire).expect("hello fits");
        server.handle_input(&wire, now);
        let reply = read_plain(&mut reader, &pump(&mut server, now));
        let finished = client
            .handle(&reply)
            .expect("reply accepted")
            .send
            .expect("finished");
        wire.clear();
        writer.write(&finished, &mut wire).expect("finished fits");
        server.handle_input(&wire, now);
        let theirs = read_plain(&mut reader, &pump(&mut server, now));
        let done = client
            .handle(&theirs)
            .expect("server finished accepted")
            .done
            .expect("established");
        let (sealer, opener): (Sealer, Opener) = done.keys.expect("encrypted");
        writer.install(sealer);
        reader.install(opener);
        assert!(server.is_established());
        Channel {
            server,
            writer,
            reader,
            now,
        }
    }

    fn seal(&mut self, env: &Envelope) -> Option<Vec<u8>> {
        let mut wire = Vec::new();
        self.writer.write(env, &mut wire).ok()?;
        Some(wire)
    }

    /// Deliver bytes and check what the server wrote back opens with the client's key.
    fn deliver(&mut self, bytes: &[u8]) {
        self.server.handle_input(bytes, self.now);
        self.drain();
    }

    fn drain(&mut self) {
        let out = pump(&mut self.server, self.now);
        let mut rest: &[u8] = &out;
        while !rest.is_empty() {
            match self.reader.read(&mut rest) {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => panic!("the server wrote a frame its peer cannot open: {e}"),
            }
        }
    }
}

/// An envelope built from fuzzer choices, biased towards kinds the catalogue knows.
fn envelope_from(input: &mut Input) -> Envelope {
    let kind = if input.flag() {
        input.pick(CATALOGUE).0
    } else {
        Kind(input.u16())
    };
    let flags = Flags::from_bits(input.byte()).unwrap_or_default();
    let mut env = Envelope::raw(kind, input.u64() % 1000, input.chunk(2048).to_vec());
    env.version = PROTOCOL_VERSION;
    env.flags = flags;
    if input.flag() {
        env.correlation = Some(input.u64() % 1000 + 1);
    }
    env
}

/// An established encrypted channel (a real server connection, the client side sealed by
/// hand with the keys the handshake agreed): any sequence of well-sealed envelopes, raw
/// bytes, time, tampered and replayed frames never panics the server; everything it writes
/// opens with the client's key; a tampered or replayed frame always closes the connection
/// (at once when it arrives on a frame boundary; once the frame it landed in is complete
/// when raw bytes came before it).
pub fn sealed_channel(data: &[u8]) {
    let mut input = Input::new(data);
    let mut ch = Channel::open(input.flag());
    let mut last: Option<Vec<u8>> = None;
    // Whether the server's frame decoder sits at a frame boundary (no raw bytes sent yet).
    let mut aligned = true;
    while !input.is_empty() && ch.server.close_cause().is_none() {
        match input.byte() % 6 {
            0 | 1 => {
                let env = envelope_from(&mut input);
                if let Some(wire) = ch.seal(&env) {
                    ch.deliver(&wire);
                    last = Some(wire);
                }
            }
            2 => {
                let env = envelope_from(&mut input);
                let at = usize::from(input.u16());
                let bit = input.byte() % 8;
                if let Some(mut wire) = ch.seal(&env) {
                    let at = at % wire.len();
                    wire[at] ^= 1 << bit;
                    ch.deliver(&wire);
                    // A flipped length prefix may announce a longer frame that has not
                    // all arrived; whatever completes it must fail to open.
                    if ch.server.close_cause().is_none() {
                        ch.deliver(&vec![0; SMALL_CAP + 4]);
                    }
                    assert!(
                        ch.server.close_cause().is_some(),
                        "a tampered frame did not close the connection"
                    );
                }
            }
            3 => {
                if let Some(wire) = last.clone() {
                    ch.deliver(&wire);
                    // After raw bytes the replay may only have completed (or extended) a
                    // frame those bytes began; whatever completes it must fail to open.
                    if !aligned && ch.server.close_cause().is_none() {
                        ch.deliver(&vec![0; SMALL_CAP + 4]);
                    }
                    assert!(
                        ch.server.close_cause().is_some(),
                        "a replayed frame did not close the connection"
                    );
                }
            }
            4 => {
                let raw = input.chunk(256);
                aligned &= raw.is_empty();
                ch.deliver(raw);
            }
            _ => {
                ch.now += Duration::from_millis(u64::from(input.u16()) * 10);
                ch.server.handle_timeout(ch.now);
                ch.drain();
            }
        }
    }
}
