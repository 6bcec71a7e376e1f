//! Property tests: envelopes round-trip; hostile bytes never panic a decoder nor make it
//! allocate past the cap.

use nexus_ipc::codec::aead::{Direction, Opener, Sealer};
use nexus_ipc::codec::{
    CodecConfig, Compression, EnvelopeCodec, FrameDecoder, FrameReader, FrameWriter,
};
use nexus_ipc::conn::{Connection, ConnectionConfig};
use nexus_ipc::envelope::{Flags, PROTOCOL_VERSION, decode_batch, encode_batch};
use nexus_ipc::messages::events::TabCreated;
use nexus_ipc::messages::navigation::NavigationRequest;
use nexus_ipc::messages::sync::{DataSync, DataType, SyncAction};
use nexus_ipc::policy::validate::{Limits, validate_body};
use nexus_ipc::{CATALOGUE, Envelope, Kind, LaunchSecret, Policy, ProcessKind};
use proptest::prelude::*;
use std::time::Instant;

fn flags() -> impl Strategy<Value = Flags> {
    (0u8..0x20).prop_filter_map("request and response are exclusive", |b| {
        Flags::from_bits(b).ok()
    })
}

fn envelope() -> impl Strategy<Value = Envelope> {
    (
        flags(),
        any::<u16>(),
        any::<u64>(),
        proptest::option::of(1u64..),
        proptest::collection::vec(any::<u8>(), 0..512),
    )
        .prop_map(|(flags, kind, id, correlation, body)| Envelope {
            version: PROTOCOL_VERSION,
            flags,
            kind: Kind(kind),
            id,
            correlation,
            body,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn every_envelope_round_trips(e in envelope()) {
        let bytes = e.encode();
        prop_assert_eq!(bytes.len(), e.encoded_len());
        prop_assert_eq!(Envelope::decode(&bytes).unwrap(), e);
    }

    #[test]
    fn typed_bodies_round_trip(url in ".{0,200}", tab in any::<u64>(), nw in any::<bool>(), inc in any::<bool>(), json in "[a-z0-9 ]{0,40}") {
        let n = NavigationRequest { url: url.clone(), tab_id: tab, new_window: nw, incognito: inc };
        let e = Envelope::decode(&Envelope::new(tab, &n).encode()).unwrap();
        prop_assert_eq!(e.body_strict::<NavigationRequest>().unwrap(), n);
        let t = TabCreated { tab_id: tab, url };
        prop_assert_eq!(Envelope::decode(&Envelope::new(1, &t).encode()).unwrap().body::<TabCreated>().unwrap(), t);
        let d = DataSync { data_type: DataType::Settings, action: SyncAction::Update, data_json: format!("{json:?}") };
        prop_assert_eq!(Envelope::new(1, &d).body::<DataSync>().unwrap(), d);
    }

    #[test]
    fn batches_round_trip(items in proptest::collection::vec(envelope(), 0..12)) {
        let items: Vec<Envelope> = items.into_iter().filter(|e| e.kind != Kind::BATCH && !e.flags.contains(Flags::BATCH)).collect();
        prop_assert_eq!(decode_batch(&encode_batch(&items)).unwrap(), items);
    }

    #[test]
    fn envelope_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Envelope::decode(&bytes);
        let _ = decode_batch(&bytes);
        let mut codec = EnvelopeCodec::new(CodecConfig { max_frame: 4096, compression: Compression::above(64) });
        if let Ok(e) = codec.decode(&bytes) {
            prop_assert!(e.body.len() <= 4096);
        }
        for (kind, _) in CATALOGUE {
            let _ = validate_body(*kind, &bytes, &Limits::default());
        }
        let mut p = Policy::default();
        let _ = p.check_bytes(1, ProcessKind::Renderer, &bytes, &mut codec, Instant::now());
    }

    #[test]
    fn compressed_bodies_never_inflate_past_the_cap(body in proptest::collection::vec(any::<u8>(), 0..600), zeros in 0usize..100_000) {
        // A zstd frame of mostly zeros may claim a large size: the cap must hold.
        let mut z = nexus_ipc::codec::Zstd::new(Compression::above(0));
        let mut e = Envelope::raw(Kind::PAGE_CONTENT, 1, [body.clone(), vec![0; zeros]].concat());
        z.maybe_compress(&mut e);
        let mut codec = EnvelopeCodec::new(CodecConfig { max_frame: 8192, compression: Compression::default() });
        if let Ok(d) = codec.decode(&e.encode()) {
            prop_assert!(d.body.len() <= 8192);
        }
        let garbage = Envelope::raw(Kind::PAGE_CONTENT, 1, body).with_flags(Flags::COMPRESSED);
        let _ = codec.decode(&garbage.encode());
    }

    #[test]
    fn frame_decoder_never_allocates_past_the_cap(bytes in proptest::collection::vec(any::<u8>(), 0..4096), chunk in 1usize..300, cap in 0usize..2048) {
        let mut dec = FrameDecoder::new(cap);
        'outer: for piece in bytes.chunks(chunk) {
            let mut input = piece;
            loop {
                match dec.decode(&mut input) {
                    Ok(Some(f)) => prop_assert!(f.len() <= cap),
                    Ok(None) => break,
                    Err(_) => break 'outer,
                }
                prop_assert!(dec.allocated() <= cap);
            }
            prop_assert!(dec.allocated() <= cap);
        }
    }

    #[test]
    fn sealed_frames_round_trip(envs in proptest::collection::vec(envelope(), 1..8)) {
        let key = [9u8; 32];
        let mut w = FrameWriter::new(1 << 16);
        w.install(Sealer::new(&key, Direction::ServerToClient));
        let mut r = FrameReader::new(1 << 16);
        r.install(Opener::new(&key, Direction::ServerToClient));
        let mut wire = Vec::new();
        for e in &envs {
            w.write(e, &mut wire).unwrap();
        }
        let mut input: &[u8] = &wire;
        for e in &envs {
            let (got, _) = r.read(&mut input).unwrap().unwrap();
            prop_assert_eq!(&got, e);
        }
    }

    #[test]
    fn connections_survive_arbitrary_input(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let now = Instant::now();
        let mut s = Connection::new(ConnectionConfig::server(LaunchSecret::from_bytes([1; 32])), now).unwrap();
        s.handle_input(&bytes, now);
        while s.poll_event().is_some() {}
        let mut c = Connection::new(ConnectionConfig::client(LaunchSecret::from_bytes([1; 32])), now).unwrap();
        c.handle_input(&bytes, now);
        while c.poll_event().is_some() {}
    }
}
