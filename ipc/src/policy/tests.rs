use super::*;
use crate::codec::CodecConfig;
use crate::messages::navigation::NavigationRequest;
use crate::messages::sync::{DataSync, DataType, SyncAction};
use std::sync::Mutex;

fn nav(id: u64) -> Envelope {
    Envelope::new(
        id,
        &NavigationRequest {
            url: "https://a.example/".into(),
            tab_id: 0,
            new_window: false,
            incognito: false,
        },
    )
    .with_flags(Flags::REQUEST)
}

#[test]
fn accepts_allowed_well_formed_messages() {
    let mut p = Policy::default();
    let now = Instant::now();
    assert_eq!(p.check(1, ProcessKind::Renderer, &nav(1), now), Ok(()));
    assert_eq!(p.counters().accepted(), 1);
}

#[test]
fn each_reason_is_detected_counted_and_answered() {
    let mut p = Policy::new(PolicyConfig {
        max_message: 200,
        ..Default::default()
    });
    let now = Instant::now();
    let sync = Envelope::new(
        2,
        &DataSync {
            data_type: DataType::History,
            action: SyncAction::Add,
            data_json: "{}".into(),
        },
    )
    .with_flags(Flags::REQUEST);
    let cases = [
        (sync, RejectReason::NotAllowed),
        (
            Envelope::raw(Kind::NAVIGATION_REQUEST, 3, vec![0; 300]).with_flags(Flags::REQUEST),
            RejectReason::TooLarge,
        ),
        (
            Envelope::raw(Kind::NAVIGATION_REQUEST, 4, vec![0xff, 0xff]).with_flags(Flags::REQUEST),
            RejectReason::Malformed,
        ),
    ];
    for (env, reason) in cases {
        let r = p.check(9, ProcessKind::Renderer, &env, now).unwrap_err();
        assert_eq!(r.reason, reason);
        let reply = r.reply_to(&env, 100).unwrap();
        assert_eq!(reply.correlation, Some(env.id));
        assert_eq!(reply.body::<ErrorReply>().unwrap().code, reason.code());
        assert_eq!(p.counters().rejected(reason), 1);
    }
    // Unknown kinds from a trusted source: allowed by the list, unknown to the build.
    let r = p
        .check(
            9,
            ProcessKind::Browser,
            &Envelope::raw(Kind(0x7abc), 5, vec![]),
            now,
        )
        .unwrap_err();
    assert_eq!(r.reason, RejectReason::UnknownKind);
    // A notification gets no reply.
    assert!(
        r.reply_to(&Envelope::raw(Kind(0x7abc), 5, vec![]), 1)
            .is_none()
    );
}

#[test]
fn rate_limit_is_per_peer_and_kind() {
    let mut p = Policy::default();
    let now = Instant::now();
    let ok = (0..20)
        .filter(|i| p.check(1, ProcessKind::Renderer, &nav(*i), now).is_ok())
        .count();
    assert_eq!(ok, 5, "navigation_request is limited to 5/s");
    // Another peer has its own bucket.
    assert!(p.check(2, ProcessKind::Renderer, &nav(1), now).is_ok());
    // A second later, five more.
    let later = now + Duration::from_secs(1);
    let ok = (0..20)
        .filter(|i| p.check(1, ProcessKind::Renderer, &nav(*i), later).is_ok())
        .count();
    assert_eq!(ok, 5);
    assert_eq!(p.counters().rejected(RejectReason::RateLimited), 30);
}

#[test]
fn repeated_violations_report_an_offender_once() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let cfg = PolicyConfig {
        offender: OffenderConfig {
            threshold: 5.0,
            window: Duration::from_secs(10),
        },
        ..Default::default()
    };
    let mut p = Policy::new(cfg)
        .on_offender(move |peer, kind, r| s2.lock().unwrap().push((peer, kind, r.reason)));
    let now = Instant::now();
    let bad = Envelope::raw(Kind::UI_UPDATE, 1, vec![]);
    let flags: Vec<bool> = (0..8)
        .map(|_| {
            p.check(7, ProcessKind::Renderer, &bad, now)
                .unwrap_err()
                .offender
        })
        .collect();
    assert_eq!(
        flags,
        [false, false, false, false, true, false, false, false]
    );
    assert_eq!(
        *seen.lock().unwrap(),
        vec![(7, ProcessKind::Renderer, RejectReason::NotAllowed)]
    );
    assert_eq!(p.counters().offenders(), 1);
}

#[test]
fn an_offender_that_calmed_down_and_offends_again_is_reported_again() {
    // Regression: `reported` stayed set for the peer's lifetime, so once a tab's renderer
    // had been cut off, the next renderer of the same tab (after a reload) could send bad
    // messages forever without being reported.
    let cfg = PolicyConfig {
        offender: OffenderConfig {
            threshold: 5.0,
            window: Duration::from_secs(10),
        },
        ..Default::default()
    };
    let mut p = Policy::new(cfg);
    let t0 = Instant::now();
    let bad = Envelope::raw(Kind::UI_UPDATE, 1, vec![]);
    let offences = |p: &mut Policy, at: Instant| {
        (0..8)
            .filter(|_| {
                p.check(7, ProcessKind::Renderer, &bad, at)
                    .unwrap_err()
                    .offender
            })
            .count()
    };
    assert_eq!(offences(&mut p, t0), 1);
    // 20 s later every strike is forgiven; a new burst is a new offence.
    assert_eq!(offences(&mut p, t0 + Duration::from_secs(20)), 1);
    assert_eq!(p.counters().offenders(), 2);
}

#[test]
fn slow_trickle_of_violations_is_forgiven() {
    let cfg = PolicyConfig {
        offender: OffenderConfig {
            threshold: 5.0,
            window: Duration::from_secs(10),
        },
        ..Default::default()
    };
    let mut p = Policy::new(cfg);
    let t0 = Instant::now();
    let bad = Envelope::raw(Kind::UI_UPDATE, 1, vec![]);
    // One violation every 3 s forgives 1.5 strikes between each: never an offender.
    for i in 0..20 {
        assert!(
            !p.check(
                7,
                ProcessKind::Renderer,
                &bad,
                t0 + Duration::from_secs(3 * i)
            )
            .unwrap_err()
            .offender
        );
    }
}

#[test]
fn check_bytes_is_the_whole_cef_path() {
    let mut p = Policy::default();
    let mut codec = EnvelopeCodec::new(CodecConfig::default());
    let now = Instant::now();
    let bytes = codec.encode(nav(1)).unwrap();
    let env = p
        .check_bytes(3, ProcessKind::Renderer, &bytes, &mut codec, now)
        .unwrap();
    assert_eq!(env.kind, Kind::NAVIGATION_REQUEST);
    let r = p
        .check_bytes(3, ProcessKind::Renderer, &[1, 0, 1], &mut codec, now)
        .unwrap_err();
    assert_eq!(r.reason, RejectReason::Malformed);
    let big = vec![0u8; crate::codec::DEFAULT_MAX_FRAME + 1];
    assert_eq!(
        p.check_bytes(3, ProcessKind::Renderer, &big, &mut codec, now)
            .unwrap_err()
            .reason,
        RejectReason::TooLarge
    );
}

#[test]
fn cef_message_name_must_match_the_kind() {
    let mut p = Policy::default();
    let mut codec = EnvelopeCodec::new(CodecConfig::default());
    let now = Instant::now();
    let bytes = codec.encode(nav(1)).unwrap();
    assert!(
        p.check_cef_message(
            3,
            ProcessKind::Renderer,
            "navigation_request",
            &bytes,
            &mut codec,
            now
        )
        .is_ok()
    );
    let r = p
        .check_cef_message(
            3,
            ProcessKind::Renderer,
            "ai_analyze",
            &bytes,
            &mut codec,
            now,
        )
        .unwrap_err();
    assert_eq!(r.reason, RejectReason::Malformed);
    assert!(r.detail.contains("ai_analyze"), "{}", r.detail);
}

#[test]
fn an_unknown_kind_named_as_the_cef_adapter_names_it_is_refused_by_the_allow_list() {
    // Regression (found by the hub flood): the name check looked the name up in the
    // catalogue, so `unknown(0x7abc)`, the name the CEF adapter gives a kind this build
    // does not know, was refused as malformed instead of by the renderer's allow-list.
    let mut p = Policy::default();
    let mut codec = EnvelopeCodec::new(CodecConfig::default());
    let bytes = codec
        .encode(Envelope::raw(Kind(0x7abc), 1, vec![1, 2, 3]))
        .unwrap();
    let r = p
        .check_cef_message(
            3,
            ProcessKind::Renderer,
            "unknown(0x7abc)",
            &bytes,
            &mut codec,
            Instant::now(),
        )
        .unwrap_err();
    assert_eq!(r.reason, RejectReason::NotAllowed, "{}", r.detail);
    // Under any other name it is a forged message.
    let r = p
        .check_cef_message(
            3,
            ProcessKind::Renderer,
            "ai_analyze",
            &bytes,
            &mut codec,
            Instant::now(),
        )
        .unwrap_err();
    assert_eq!(r.reason, RejectReason::Malformed);
    assert!(Kind::AI_ANALYZE.is_named("ai_analyze") && !Kind::AI_ANALYZE.is_named("ai_result"));
}

#[test]
fn a_renamed_cef_message_is_counted_once_as_rejected_and_spends_no_token() {
    // Regression: the name was checked after the envelope had passed (and been counted
    // as accepted, and taken a rate token), so a forged message counted twice.
    let mut p = Policy::default();
    let mut codec = EnvelopeCodec::new(CodecConfig::default());
    let now = Instant::now();
    let bytes = codec.encode(nav(1)).unwrap();
    for _ in 0..10 {
        let r = p
            .check_cef_message(
                3,
                ProcessKind::Renderer,
                "ai_analyze",
                &bytes,
                &mut codec,
                now,
            )
            .unwrap_err();
        assert_eq!(r.reason, RejectReason::Malformed);
    }
    assert_eq!(p.counters().accepted(), 0);
    assert_eq!(p.counters().rejected(RejectReason::Malformed), 10);
    // navigation_request allows 5 a second: the forged ones took none of them.
    let passed = (0..10)
        .filter(|_| {
            p.check_cef_message(
                3,
                ProcessKind::Renderer,
                "navigation_request",
                &bytes,
                &mut codec,
                now,
            )
            .is_ok()
        })
        .count();
    assert_eq!(passed, 5);
}

#[test]
fn header_only_check_applies_size_allow_list_and_rate() {
    let mut p = Policy::new(PolicyConfig {
        max_message: 1000,
        ..Default::default()
    });
    let now = Instant::now();
    let header = Envelope::raw(Kind::PAGE_CONTENT, 1, vec![]);
    assert!(
        p.check_header(1, ProcessKind::Renderer, &header, 900, now)
            .is_ok()
    );
    assert_eq!(
        p.check_header(1, ProcessKind::Renderer, &header, 5000, now)
            .unwrap_err()
            .reason,
        RejectReason::TooLarge
    );
    let ui = Envelope::raw(Kind::UI_UPDATE, 2, vec![]);
    assert_eq!(
        p.check_header(1, ProcessKind::Renderer, &ui, 10, now)
            .unwrap_err()
            .reason,
        RejectReason::NotAllowed
    );
    let nav = Envelope::raw(Kind::NAVIGATION_REQUEST, 3, vec![]);
    let ok = (0..10)
        .filter(|_| {
            p.check_header(1, ProcessKind::Renderer, &nav, 10, now)
                .is_ok()
        })
        .count();
    assert_eq!(ok, 5);
}
