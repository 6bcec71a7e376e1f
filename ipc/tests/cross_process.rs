//! Cross-process tests: a real child process (`nexus-ipc-test-peer`) over a real socket.
#![cfg(unix)]

mod common;

use common::{Helper, RawClient};
use nexus_ipc::conn::ConnectionConfig;
use nexus_ipc::messages::ai::{AiAnalyze, AiQuestion, AiStatus};
use nexus_ipc::messages::control::ErrorCode;
use nexus_ipc::messages::events::{TabActivated, TabCreated};
use nexus_ipc::messages::navigation::NavigationRequest;
use nexus_ipc::messages::page::PageContent;
use nexus_ipc::policy::{Policy, PolicyConfig, PolicyCounters, RejectReason};
use nexus_ipc::transport::{self, Listener, Peer};
use nexus_ipc::{
    Audience, CloseCause, HandshakeError, Hub, LaunchSecret, ProcessKind, RequestError, SocketDir,
};
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn nav(tab_id: u64) -> NavigationRequest {
    NavigationRequest {
        url: format!("https://example.org/{tab_id}"),
        tab_id,
        new_window: false,
        incognito: false,
    }
}

fn question(q: &str) -> AiQuestion {
    AiQuestion {
        question: q.into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_response_with_a_child() {
    let h = Helper::spawn("worker", &[]);
    let (peer, _in) = h.connect().await;
    for i in 0..20 {
        let t: TabCreated = peer.request(&nav(i)).await.unwrap();
        assert_eq!((t.tab_id, t.url), (i, format!("https://example.org/{i}")));
    }
    peer.close("done");
    assert!(
        h.finish()
            .contains("closed: peer closed the connection: done")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeout_and_cancellation_are_observed_by_the_child() {
    let h = Helper::spawn("worker", &[]);
    let (peer, _in) = h.connect().await;
    let mut status = peer.subscribe::<AiStatus>();
    // Timeout: the child never answers; our timeout cancels at the child.
    let t0 = Instant::now();
    let e = peer
        .request_timeout::<_, AiStatus>(&question("by-timeout"), Some(Duration::from_millis(200)))
        .await
        .unwrap_err();
    assert!(matches!(e, RequestError::Timeout(_)), "{e:?}");
    assert!(t0.elapsed() >= Duration::from_millis(200) && t0.elapsed() < Duration::from_secs(2));
    let seen = tokio::time::timeout(Duration::from_secs(5), status.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        seen,
        AiStatus::Failed {
            reason: "cancelled: by-timeout".into()
        }
    );
    // Cancellation by dropping the request future.
    let q = question("by-drop");
    let fut = peer.request::<_, AiStatus>(&q);
    assert!(
        tokio::time::timeout(Duration::from_millis(100), fut)
            .await
            .is_err()
    );
    let seen = tokio::time::timeout(Duration::from_secs(5), status.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        seen,
        AiStatus::Failed {
            reason: "cancelled: by-drop".into()
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broadcast_reaches_three_children_and_kinds_select() {
    let helpers: Vec<Helper> = (0..3).map(|_| Helper::spawn("worker", &[])).collect();
    let mut hub: Hub<Peer> = Hub::new();
    let mut acks = Vec::new();
    let mut incomings = Vec::new();
    for (i, h) in helpers.iter().enumerate() {
        let (peer, incoming) = h.connect().await;
        incomings.push(incoming);
        acks.push(peer.subscribe::<TabActivated>());
        let kind = if i < 2 {
            ProcessKind::Renderer
        } else {
            ProcessKind::AiWorker
        };
        hub.add(kind, peer);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let d = hub.send(
        Audience::All,
        &TabCreated {
            tab_id: 77,
            url: String::new(),
        },
    );
    assert_eq!(d.delivered.len(), 3);
    for id in &d.delivered {
        hub.get_mut(*id).unwrap().flush();
    }
    for a in &mut acks {
        let got = tokio::time::timeout(Duration::from_secs(5), a.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.tab_id, 77);
    }
    let d = hub.send(
        Audience::Kind(ProcessKind::Renderer),
        &TabCreated {
            tab_id: 78,
            url: String::new(),
        },
    );
    assert_eq!(d.delivered.len(), 2);
    for id in &d.delivered {
        hub.get_mut(*id).unwrap().flush();
    }
    for a in &mut acks[..2] {
        assert_eq!(
            tokio::time::timeout(Duration::from_secs(5), a.recv())
                .await
                .unwrap()
                .unwrap()
                .tab_id,
            78
        );
    }
    assert!(
        tokio::time::timeout(Duration::from_millis(300), acks[2].recv())
            .await
            .is_err(),
        "the AI worker was not addressed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_child_fails_every_pending_request_within_a_second() {
    let mut h = Helper::spawn("worker", &[]);
    let (peer, _in) = h.connect().await;
    let pending: Vec<_> = (0..5)
        .map(|i| {
            let p = peer.clone();
            tokio::spawn(async move {
                p.request::<_, AiStatus>(&question(&format!("hang {i}")))
                    .await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    h.child.kill().unwrap();
    let killed = Instant::now();
    for p in pending {
        let e = tokio::time::timeout(Duration::from_secs(1), p)
            .await
            .expect("failed within 1 s")
            .unwrap()
            .unwrap_err();
        assert!(
            matches!(e, RequestError::Disconnected(CloseCause::Disconnected(_))),
            "{e:?}"
        );
    }
    assert!(
        killed.elapsed() < Duration::from_secs(1),
        "{:?}",
        killed.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_launch_secret_is_rejected() {
    let h = Helper::spawn("worker", &[]);
    let wrong = ConnectionConfig::client(LaunchSecret::generate().unwrap());
    let e = transport::connect(&h.path, wrong).await.unwrap_err();
    assert!(
        matches!(
            e,
            transport::ConnectError::Closed(CloseCause::Handshake(HandshakeError::Refused(_)))
        ),
        "{e:?}"
    );
    assert!(h.finish().contains("wrong launch secret"));
}

#[test]
fn tampered_ciphertext_closes_the_connection() {
    let h = Helper::spawn("worker", &[]);
    let mut c = RawClient::connect(&h);
    c.conn
        .notify(
            &TabCreated {
                tab_id: 1,
                url: "x".into(),
            },
            Instant::now(),
        )
        .unwrap();
    c.conn.flush();
    let mut f = c.next_frame();
    let last = f.len() - 1;
    f[last] ^= 0x01;
    c.sock.write_all(&f).unwrap();
    assert!(c.closed_by_peer());
    let out = h.finish();
    assert!(out.contains("failed authentication"), "{out}");
}

#[test]
fn replayed_frame_closes_the_connection() {
    let h = Helper::spawn("worker", &[]);
    let mut c = RawClient::connect(&h);
    c.conn
        .notify(
            &TabCreated {
                tab_id: 1,
                url: "x".into(),
            },
            Instant::now(),
        )
        .unwrap();
    c.conn.flush();
    let f = c.next_frame();
    c.sock.write_all(&f).unwrap();
    c.sock.write_all(&f).unwrap();
    assert!(c.closed_by_peer());
    let out = h.finish();
    assert!(out.contains("failed authentication"), "{out}");
}

#[test]
fn over_cap_length_prefix_closes_the_connection() {
    let h = Helper::spawn("worker", &[]);
    let mut c = RawClient::connect(&h);
    let len = (10 * 1024 * 1024 + 1u32).to_le_bytes();
    c.sock.write_all(&len).unwrap();
    assert!(c.closed_by_peer());
    let out = h.finish();
    assert!(out.contains("exceeds the cap"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_hold_to_within_one_token() {
    let dir = SocketDir::new().unwrap();
    let path = dir.socket("shell.sock");
    let listener = Listener::bind(&path).unwrap();
    let secret = LaunchSecret::generate().unwrap();
    // A renderer floods ai_analyze (10/s, burst 10): 150 requests over ~1.5 s.
    let (mut child, mut out) =
        Helper::spawn_client(&dir, &path, &secret, "flood", &["150", "10000"]);
    let counters = Arc::new(PolicyCounters::default());
    let mut cfg = ConnectionConfig::server(secret);
    cfg.peer = 1;
    cfg.peer_kind = ProcessKind::Renderer;
    // Rate limiting alone here: a flood this size would otherwise (rightly) make the
    // renderer an offender and get it cut off before the count is done.
    let mut pc = PolicyConfig::default();
    pc.offender.threshold = 1e9;
    cfg.policy = Some(Policy::new(pc).with_counters(counters.clone()));
    let (_peer, mut incoming) = listener.accept(cfg).await.unwrap();
    let served = tokio::spawn(async move {
        let mut n = 0u32;
        while let Some(req) = incoming.next_request().await {
            let (_, r) = req.into_parts();
            r.respond(&AiStatus::Ready).unwrap();
            n += 1;
        }
        n
    });
    let line = tokio::task::spawn_blocking(move || {
        let mut l = String::new();
        std::io::BufRead::read_line(&mut out, &mut l).unwrap();
        l
    })
    .await
    .unwrap();
    let _ = child.wait();
    let field = |k: &str| -> f64 {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    let (ok, limited, window) = (field("ok"), field("limited"), field("window_us") / 1e6);
    let expected = 10.0 + 10.0 * window;
    println!(
        "rate limit: accepted {ok} of 150 over {window:.3} s; the bucket allows {expected:.2}"
    );
    assert_eq!(ok + limited, 150.0, "{line}");
    assert!(
        (ok - expected).abs() <= 1.0 + 10.0 * 0.02,
        "accepted {ok}, bucket allows {expected:.2} ({line})"
    );
    assert_eq!(counters.rejected(RejectReason::RateLimited) as f64, limited);
    assert_eq!(served.await.unwrap() as f64, ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_reply_from_a_child() {
    let h = Helper::spawn("worker", &[]);
    let (peer, _in) = h.connect().await;
    let req = AiAnalyze {
        content: "stream 100 1000".into(),
        ..Default::default()
    };
    let mut items = peer
        .request_stream::<_, PageContent>(&req, None)
        .await
        .unwrap();
    let mut n = 0;
    while let Some(item) = items.next().await {
        assert_eq!(item.unwrap().text.len(), 1000);
        n += 1;
    }
    assert_eq!(n, 100);
    // Unknown kinds are answered, not fatal.
    let e = peer
        .request_raw(nexus_ipc::Kind(0x7e01), vec![], None)
        .await
        .unwrap_err();
    assert!(matches!(e, RequestError::Remote(r) if r.code == ErrorCode::UnknownKind));
}
