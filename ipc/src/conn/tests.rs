//! Two connections in memory with simulated time.

use super::*;
use crate::SendError;
use crate::error::HandshakeError;
use crate::messages::control::ErrorCode;
use crate::messages::events::TabCreated;
use crate::messages::navigation::NavigationRequest;
use crate::policy::{Policy, RejectReason};
use crate::{LaunchSecret, ProcessKind};

const SECRET: [u8; 32] = [5; 32];

struct Pair {
    c: Connection,
    s: Connection,
    now: Instant,
    frames_to_server: usize,
}

impl Pair {
    fn with(
        cc: impl FnOnce(&mut ConnectionConfig),
        sc: impl FnOnce(&mut ConnectionConfig),
    ) -> Pair {
        let now = Instant::now();
        let mut ccfg = ConnectionConfig::client(LaunchSecret::from_bytes(SECRET));
        ccfg.keepalive = None;
        cc(&mut ccfg);
        let mut scfg = ConnectionConfig::server(LaunchSecret::from_bytes(SECRET));
        scfg.keepalive = None;
        sc(&mut scfg);
        let mut p = Pair {
            c: Connection::new(ccfg, now).unwrap(),
            s: Connection::new(scfg, now).unwrap(),
            now,
            frames_to_server: 0,
        };
        p.c.enable_handle_passing();
        p.s.enable_handle_passing();
        p.pump();
        p
    }

    fn new() -> Pair {
        Pair::with(|_| {}, |_| {})
    }

    /// Move bytes both ways until both are quiet.
    fn pump(&mut self) {
        loop {
            let mut moved = false;
            if let Some(t) = self.c.poll_transmit() {
                self.frames_to_server += count_frames(&t.bytes);
                self.s.handle_handles(t.handles);
                self.s.handle_input(&t.bytes, self.now);
                moved = true;
            }
            if let Some(t) = self.s.poll_transmit() {
                self.c.handle_handles(t.handles);
                self.c.handle_input(&t.bytes, self.now);
                moved = true;
            }
            if !moved {
                break;
            }
        }
    }

    fn advance(&mut self, d: Duration) {
        self.now += d;
        self.c.handle_timeout(self.now);
        self.s.handle_timeout(self.now);
        self.pump();
    }
}

fn count_frames(mut b: &[u8]) -> usize {
    let mut n = 0;
    while b.len() >= 4 {
        let len = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        b = &b[(4 + len).min(b.len())..];
        n += 1;
    }
    n
}

fn events(c: &mut Connection) -> Vec<Event> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

fn nav() -> NavigationRequest {
    NavigationRequest {
        url: "https://example.org/".into(),
        tab_id: 1,
        new_window: false,
        incognito: false,
    }
}

#[test]
fn handshake_then_request_and_response() {
    let mut p = Pair::new();
    assert!(p.c.is_established() && p.s.is_established());
    assert!(matches!(
        events(&mut p.c)[..],
        [Event::Connected { version: 1, .. }]
    ));
    let id = p.c.request(&nav(), None, p.now).unwrap();
    p.pump();
    let evs = events(&mut p.s);
    let Some(Event::Request(req)) = evs.into_iter().find(|e| matches!(e, Event::Request(_))) else {
        panic!("no request")
    };
    assert_eq!(req.body::<NavigationRequest>().unwrap(), nav());
    p.s.respond(
        req.id,
        &TabCreated {
            tab_id: 9,
            url: "u".into(),
        },
        p.now,
    )
    .unwrap();
    assert!(!p.s.is_serving(req.id));
    p.pump();
    match events(&mut p.c).pop() {
        Some(Event::Response {
            request,
            result: Ok(env),
        }) => {
            assert_eq!(request, id);
            assert_eq!(env.body::<TabCreated>().unwrap().tab_id, 9);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(p.c.pending_requests(), 0);
}

#[test]
fn requests_queued_during_the_handshake_are_sent_after_it() {
    let now = Instant::now();
    let mut c = Connection::new(
        ConnectionConfig::client(LaunchSecret::from_bytes(SECRET)),
        now,
    )
    .unwrap();
    c.request(&nav(), None, now).unwrap();
    let mut s = Connection::new(
        ConnectionConfig::server(LaunchSecret::from_bytes(SECRET)),
        now,
    )
    .unwrap();
    for _ in 0..4 {
        if let Some(t) = c.poll_transmit() {
            s.handle_input(&t.bytes, now);
        }
        if let Some(t) = s.poll_transmit() {
            c.handle_input(&t.bytes, now);
        }
    }
    assert!(
        events(&mut s)
            .iter()
            .any(|e| matches!(e, Event::Request(_)))
    );
}

#[test]
fn timeout_fails_the_request_and_cancels_it_at_the_peer() {
    let mut p = Pair::new();
    let id =
        p.c.request(&nav(), Some(Duration::from_millis(500)), p.now)
            .unwrap();
    p.pump();
    let req_id = match events(&mut p.s).pop() {
        Some(Event::Request(r)) => r.id,
        other => panic!("{other:?}"),
    };
    p.advance(Duration::from_millis(499));
    assert!(
        !events(&mut p.c)
            .iter()
            .any(|e| matches!(e, Event::Response { .. }))
    );
    p.advance(Duration::from_millis(1));
    assert!(matches!(
        events(&mut p.c).pop(),
        Some(Event::Response { request, result: Err(RequestError::Timeout(_)) }) if request == id
    ));
    assert!(
        matches!(events(&mut p.s).pop(), Some(Event::Cancelled { request }) if request == req_id)
    );
    // A late answer is refused locally and ignored remotely.
    assert_eq!(
        p.s.respond(req_id, &nav(), p.now),
        Err(SendError::UnknownRequest(req_id))
    );
}

#[test]
fn explicit_cancel_reaches_the_peer_and_stops_its_stream() {
    let mut p = Pair::new();
    let id = p.c.request(&nav(), None, p.now).unwrap();
    p.pump();
    let rid = match events(&mut p.s).pop() {
        Some(Event::Request(r)) => r.id,
        other => panic!("{other:?}"),
    };
    let stream =
        p.s.open_stream(Some(rid), Some(Kind::AI_RESULT), p.now)
            .unwrap();
    p.pump();
    assert!(p.c.cancel(id, p.now));
    p.pump();
    assert!(matches!(events(&mut p.s).pop(), Some(Event::Cancelled { request }) if request == rid));
    assert_eq!(
        p.s.send_stream_item(stream, vec![1], p.now),
        Err(SendError::UnknownStream(stream))
    );
}

#[test]
fn stream_backpressure_bounds_what_the_receiver_holds() {
    let mut p = Pair::with(|c| c.stream_window = 4, |_| {});
    let id = p.c.request(&nav(), None, p.now).unwrap();
    p.pump();
    let rid = match events(&mut p.s).pop() {
        Some(Event::Request(r)) => r.id,
        other => panic!("{other:?}"),
    };
    let st = p.s.open_stream(Some(rid), None, p.now).unwrap();
    let mut sent = 0u64;
    let mut received = Vec::new();
    let mut stream_id = None;
    while received.len() < 100 {
        // The producer sends as fast as credit allows.
        while sent < 100
            && p.s
                .send_stream_item(st, vec![sent as u8; 1000], p.now)
                .is_ok()
        {
            sent += 1;
        }
        p.pump();
        for e in events(&mut p.c) {
            match e {
                Event::StreamOpened {
                    stream, request, ..
                } => {
                    assert_eq!(request, Some(id));
                    stream_id = Some(stream);
                }
                Event::StreamItem { item, .. } => received.push(item[0]),
                _ => {}
            }
        }
        let s = stream_id.unwrap();
        assert!(
            p.c.stream_unconsumed(s).unwrap() <= 4,
            "receiver holds at most the window"
        );
        // The consumer is slow: one item per round.
        p.c.stream_consumed(s, 1, p.now);
        p.c.stream_consumed(s, received.len() as u64, p.now);
        p.pump();
    }
    assert_eq!(received, (0..100).map(|i| i as u8).collect::<Vec<_>>());
    p.s.end_stream(st, p.now).unwrap();
    p.pump();
    assert!(
        matches!(events(&mut p.c).pop(), Some(Event::StreamEnded { request: Some(r), .. }) if r == id)
    );
    assert_eq!(p.c.pending_requests(), 0);
}

#[test]
fn sending_past_credit_is_a_protocol_violation() {
    let mut p = Pair::with(|c| c.stream_window = 2, |_| {});
    p.c.request(&nav(), None, p.now).unwrap();
    p.pump();
    let rid = match events(&mut p.s).pop() {
        Some(Event::Request(r)) => r.id,
        other => panic!("{other:?}"),
    };
    let st = p.s.open_stream(Some(rid), None, p.now).unwrap();
    p.s.send_streams.get_mut(&st).unwrap().credits = 100; // a misbehaving sender
    for i in 0..3 {
        p.s.send_stream_item(st, vec![i], p.now).unwrap();
    }
    p.pump();
    assert!(matches!(p.c.close_cause(), Some(CloseCause::Protocol(m)) if m.contains("credit")));
}

#[test]
fn idle_stream_fails_the_request() {
    let mut p = Pair::with(|c| c.stream_idle_timeout = Duration::from_secs(2), |_| {});
    let id = p.c.request(&nav(), None, p.now).unwrap();
    p.pump();
    let rid = match events(&mut p.s).pop() {
        Some(Event::Request(r)) => r.id,
        other => panic!("{other:?}"),
    };
    p.s.open_stream(Some(rid), None, p.now).unwrap();
    p.pump();
    p.advance(Duration::from_secs(2));
    assert!(
        events(&mut p.c).iter().any(|e| matches!(e,
        Event::StreamFailed { request: Some(r), error: RequestError::Timeout(_), .. } if *r == id))
    );
}

#[test]
fn disconnect_fails_every_pending_request_at_once() {
    let mut p = Pair::new();
    let ids: Vec<u64> = (0..5)
        .map(|_| p.c.request(&nav(), None, p.now).unwrap())
        .collect();
    p.pump();
    events(&mut p.c);
    p.c.handle_transport_closed("connection reset");
    let evs = events(&mut p.c);
    let failed: Vec<u64> = evs
        .iter()
        .filter_map(|e| match e {
            Event::Response {
                request,
                result: Err(RequestError::Disconnected(CloseCause::Disconnected(m))),
            } => {
                assert_eq!(m, "connection reset");
                Some(*request)
            }
            _ => None,
        })
        .collect();
    let mut sorted = failed.clone();
    sorted.sort();
    assert_eq!(sorted, ids);
    assert!(matches!(evs.last(), Some(Event::Closed(_))));
    assert!(matches!(
        p.c.request(&nav(), None, p.now),
        Err(SendError::Closed(_))
    ));
}

#[test]
fn notifications_are_batched_in_order_and_requests_flush() {
    let mut p = Pair::new();
    let before = p.frames_to_server;
    for i in 0..25 {
        p.c.notify(
            &TabCreated {
                tab_id: i,
                url: String::new(),
            },
            p.now,
        )
        .unwrap();
    }
    p.pump();
    assert_eq!(p.frames_to_server - before, 2, "two full batches of 10");
    // A request flushes the 5 waiting notifications first, then goes out itself.
    p.c.request(&nav(), None, p.now).unwrap();
    p.pump();
    assert_eq!(p.frames_to_server - before, 4);
    let mut order = Vec::new();
    for e in events(&mut p.s) {
        match e {
            Event::Notification(env) => order.push(env.body::<TabCreated>().unwrap().tab_id),
            Event::Request(_) => order.push(1000),
            _ => {}
        }
    }
    let mut expected: Vec<u64> = (0..25).collect();
    expected.push(1000);
    assert_eq!(order, expected);
}

#[test]
fn a_lone_notification_flushes_after_the_delay() {
    let mut p = Pair::new();
    events(&mut p.s);
    p.c.notify(
        &TabCreated {
            tab_id: 1,
            url: String::new(),
        },
        p.now,
    )
    .unwrap();
    p.pump();
    assert!(events(&mut p.s).is_empty());
    assert_eq!(p.c.poll_timeout(), Some(p.now + Duration::from_millis(16)));
    p.advance(Duration::from_millis(16));
    assert!(matches!(events(&mut p.s)[..], [Event::Notification(_)]));
}

#[test]
fn keepalive_pings_and_detects_a_silent_peer() {
    let mut p = Pair::with(|c| c.keepalive = Some(Keepalive::default()), |_| {});
    p.advance(Duration::from_secs(5));
    assert!(p.c.is_established(), "the server answered the ping");
    // Now the server goes silent: nothing is pumped.
    let t = p.now + Duration::from_secs(20);
    p.c.handle_timeout(t);
    assert!(matches!(
        p.c.close_cause(),
        Some(CloseCause::KeepaliveTimeout(_))
    ));
}

#[test]
fn policy_rejects_with_an_error_reply_and_cuts_off_offenders() {
    let mut p = Pair::with(
        |_| {},
        |s| {
            s.peer_kind = ProcessKind::Renderer;
            let mut cfg = crate::policy::PolicyConfig::default();
            cfg.offender.threshold = 3.0;
            s.policy = Some(Policy::new(cfg));
        },
    );
    // A renderer may not send ui_update.
    let body = crate::envelope::encode_body(&crate::messages::ui::UiUpdate {
        element_id: "x".into(),
        property: crate::messages::ui::UiProperty::TextContent,
        value: "v".into(),
    });
    let id =
        p.c.request_raw(Kind::UI_UPDATE, body.clone(), None, p.now)
            .unwrap();
    p.pump();
    match events(&mut p.c).pop() {
        Some(Event::Response {
            request,
            result: Err(RequestError::Remote(e)),
        }) => {
            assert_eq!(request, id);
            assert_eq!(e.code, ErrorCode::NotAllowed);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(events(&mut p.s).pop(), Some(Event::Rejected(r)) if r.reason == RejectReason::NotAllowed)
    );
    p.c.request_raw(Kind::UI_UPDATE, body.clone(), None, p.now)
        .unwrap();
    p.c.request_raw(Kind::UI_UPDATE, body, None, p.now).unwrap();
    p.pump();
    assert!(matches!(p.s.close_cause(), Some(CloseCause::Offender(_))));
}

#[test]
fn unknown_kind_request_gets_an_error_reply() {
    let mut p = Pair::new();
    let id =
        p.c.request_raw(Kind(0x7f01), vec![1, 2, 3], None, p.now)
            .unwrap();
    p.pump();
    match events(&mut p.c).pop() {
        Some(Event::Response {
            request,
            result: Err(RequestError::Remote(e)),
        }) => {
            assert_eq!(request, id);
            assert_eq!(e.code, ErrorCode::UnknownKind);
        }
        other => panic!("{other:?}"),
    }
    assert!(p.s.is_established());
}

#[test]
fn wrong_secret_closes_both_sides() {
    let now = Instant::now();
    let mut c = Connection::new(
        ConnectionConfig::client(LaunchSecret::from_bytes([1; 32])),
        now,
    )
    .unwrap();
    let mut s = Connection::new(
        ConnectionConfig::server(LaunchSecret::from_bytes([2; 32])),
        now,
    )
    .unwrap();
    let pending = c.request(&nav(), None, now).unwrap();
    for _ in 0..4 {
        if let Some(t) = c.poll_transmit() {
            s.handle_input(&t.bytes, now);
        }
        if let Some(t) = s.poll_transmit() {
            c.handle_input(&t.bytes, now);
        }
    }
    assert_eq!(
        s.close_cause(),
        Some(&CloseCause::Handshake(HandshakeError::BadSecret))
    );
    assert!(matches!(
        c.close_cause(),
        Some(CloseCause::Handshake(HandshakeError::Refused(_)))
    ));
    assert!(events(&mut c).iter().any(|e| matches!(e, Event::Response { request, result: Err(RequestError::Disconnected(_)) } if *request == pending)));
}

#[test]
fn tampered_and_replayed_frames_close_the_connection() {
    for attack in ["tamper", "replay"] {
        let mut p = Pair::new();
        p.c.notify(
            &TabCreated {
                tab_id: 1,
                url: "x".into(),
            },
            p.now,
        )
        .unwrap();
        p.c.flush();
        let frame = p.c.poll_transmit().unwrap().bytes;
        p.s.handle_input(&frame, p.now);
        assert!(p.s.is_established());
        let bad = if attack == "tamper" {
            p.c.notify(
                &TabCreated {
                    tab_id: 2,
                    url: "x".into(),
                },
                p.now,
            )
            .unwrap();
            p.c.flush();
            let mut f = p.c.poll_transmit().unwrap().bytes;
            let last = f.len() - 1;
            f[last] ^= 1;
            f
        } else {
            frame
        };
        p.s.handle_input(&bad, p.now);
        assert!(
            matches!(p.s.close_cause(), Some(CloseCause::Crypto(_))),
            "{attack}"
        );
    }
}

#[cfg(unix)]
#[test]
fn large_bodies_travel_through_shared_memory() {
    let mut p = Pair::with(|c| c.shm_threshold = 64 * 1024, |_| {});
    let text: String = "lorem ipsum ".repeat(100_000);
    let page = crate::messages::page::PageContent {
        text: text.clone(),
        ..Default::default()
    };
    for round in 0..3 {
        p.c.notify(&page, p.now).unwrap();
        let t = p.c.poll_transmit().unwrap();
        assert!(
            t.bytes.len() < 200,
            "only the descriptor goes through the socket"
        );
        assert_eq!(
            t.handles.len(),
            usize::from(round == 0),
            "the region is sent once, then reused"
        );
        p.s.handle_handles(t.handles);
        p.s.handle_input(&t.bytes, p.now);
        p.pump();
        match events(&mut p.s).pop() {
            Some(Event::Notification(env)) => assert_eq!(
                env.body::<crate::messages::page::PageContent>()
                    .unwrap()
                    .text,
                text
            ),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(p.c.shm_pool.regions(), 1);
}

#[test]
fn logger_records_both_directions_with_latency_and_no_bodies() {
    let log = std::sync::Arc::new(crate::MessageLog::new(100));
    let l2 = log.clone();
    let mut p = Pair::with(move |c| c.log = Some(l2), |_| {});
    p.c.request(&nav(), None, p.now).unwrap();
    p.pump();
    let rid = match events(&mut p.s).pop() {
        Some(Event::Request(r)) => r.id,
        other => panic!("{other:?}"),
    };
    p.now += Duration::from_millis(7);
    p.s.respond(
        rid,
        &TabCreated {
            tab_id: 1,
            url: "https://private.example/".into(),
        },
        p.now,
    )
    .unwrap();
    p.pump();
    let out = log.query(|e| e.direction == crate::log::Direction::Out);
    assert_eq!(
        out.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![Kind::NAVIGATION_REQUEST]
    );
    let reply =
        log.query(|e| e.direction == crate::log::Direction::In && e.kind == Kind::TAB_CREATED);
    assert_eq!(reply.len(), 1);
    assert_eq!(reply[0].latency, Some(Duration::from_millis(7)));
    let mut dump = Vec::new();
    log.dump_json_lines(&mut dump).unwrap();
    assert!(!String::from_utf8(dump).unwrap().contains("private.example"));
}

#[cfg(unix)]
#[test]
fn zero_copy_views_are_answered_and_released() {
    let mut p = Pair::with(|c| c.shm_threshold = 64 * 1024, |s| s.shm_zero_copy = true);
    events(&mut p.s);
    let page = crate::messages::page::PageContent {
        text: "z".repeat(200_000),
        ..Default::default()
    };
    for round in 0..3 {
        let id = p.c.request(&page, None, p.now).unwrap();
        let t = p.c.poll_transmit().unwrap();
        assert_eq!(
            t.handles.len(),
            usize::from(round == 0),
            "released regions are reused"
        );
        p.s.handle_handles(t.handles);
        p.s.handle_input(&t.bytes, p.now);
        let (env, payload) = match events(&mut p.s).pop() {
            Some(Event::Shared { envelope, payload }) => (envelope, payload),
            other => panic!("{other:?}"),
        };
        assert!(env.body.is_empty() && env.is_request());
        let got: crate::messages::page::PageContent =
            crate::envelope::decode_strict(env.kind, payload.as_slice()).unwrap();
        assert_eq!(got.text.len(), 200_000);
        p.s.respond(
            env.id,
            &TabCreated {
                tab_id: 1,
                url: String::new(),
            },
            p.now,
        )
        .unwrap();
        drop(payload);
        p.pump();
        assert!(
            matches!(events(&mut p.c).pop(), Some(Event::Response { request, result: Ok(_) }) if request == id)
        );
    }
    assert_eq!(p.c.shm_pool.regions(), 1);
}

#[test]
fn batches_never_outgrow_the_frame_cap() {
    // Regression: ten 2 MB notifications used to be packed into one 20 MB batch that the
    // writer refused, losing all ten.
    let mut p = Pair::with(
        |c| {
            c.shm_threshold = usize::MAX;
            c.codec.max_frame = 1 << 20;
        },
        |s| s.codec.max_frame = 1 << 20,
    );
    events(&mut p.s);
    for i in 0..10u64 {
        p.c.notify(
            &TabCreated {
                tab_id: i,
                url: "u".repeat(200_000),
            },
            p.now,
        )
        .unwrap();
    }
    p.c.flush();
    p.pump();
    let got: Vec<u64> = events(&mut p.s)
        .into_iter()
        .filter_map(|e| match e {
            Event::Notification(env) => Some(env.body::<TabCreated>().unwrap().tab_id),
            _ => None,
        })
        .collect();
    assert_eq!(got, (0..10).collect::<Vec<_>>());
    assert!(p.s.is_established());
}
