//! The async handles over an in-process socket pair.

use super::*;
use crate::LaunchSecret;
use crate::conn::ConnectionConfig;
use crate::error::{RequestError, SendError};
use crate::messages::ai::{AiAnalyze, AiResult, AnalysisInfo, AnalysisPart};
use crate::messages::control::ErrorCode;
use crate::messages::events::TabCreated;
use crate::messages::navigation::NavigationRequest;
use std::time::Duration;

fn configs() -> (ConnectionConfig, ConnectionConfig) {
    let s = LaunchSecret::from_bytes([8; 32]);
    (
        ConnectionConfig::client(s.clone()),
        ConnectionConfig::server(s),
    )
}

fn result(i: u32) -> AiResult {
    AiResult {
        url: "u".into(),
        content_hash: "h".into(),
        part: AnalysisPart::Complete(AnalysisInfo {
            analysed_words: i,
            ..Default::default()
        }),
    }
}

#[tokio::test]
async fn request_response_stream_and_notifications() {
    let (c, s) = configs();
    let ((client, _cin), (server, mut sin)) = pair(c, s).await.unwrap();
    let serve = tokio::spawn(async move {
        while let Some(req) = sin.next_request().await {
            let (env, responder) = req.into_parts();
            if env.kind == crate::Kind::NAVIGATION_REQUEST {
                let n: NavigationRequest = env.body().unwrap();
                responder
                    .respond(&TabCreated {
                        tab_id: n.tab_id,
                        url: n.url,
                    })
                    .unwrap();
            } else if env.kind == crate::Kind::AI_ANALYZE {
                let mut st = responder.stream::<AiResult>().await.unwrap();
                for i in 0..50 {
                    st.send(&result(i)).await.unwrap();
                }
                st.end().unwrap();
            } else {
                responder.error(ErrorCode::Unavailable, "no").unwrap();
            }
        }
    });
    let nav = NavigationRequest {
        url: "https://a/".into(),
        tab_id: 4,
        new_window: false,
        incognito: false,
    };
    let t: TabCreated = client.request(&nav).await.unwrap();
    assert_eq!(t.tab_id, 4);
    let mut items = client
        .request_stream::<_, AiResult>(&AiAnalyze::default(), None)
        .await
        .unwrap();
    let mut n = 0;
    while let Some(item) = items.next().await {
        match item.unwrap().part {
            AnalysisPart::Complete(i) => assert_eq!(i.analysed_words, n),
            other => panic!("{other:?}"),
        }
        n += 1;
    }
    assert_eq!(n, 50);
    let e = client
        .request::<_, TabCreated>(&crate::messages::page::ApiSubscribe { name: "x".into() })
        .await
        .unwrap_err();
    assert!(matches!(e, RequestError::Remote(r) if r.code == ErrorCode::Unavailable));

    let mut sub = client.subscribe::<TabCreated>();
    tokio::time::sleep(Duration::from_millis(20)).await;
    server
        .notify(&TabCreated {
            tab_id: 9,
            url: String::new(),
        })
        .await
        .unwrap();
    server.flush();
    assert_eq!(sub.recv().await.unwrap().tab_id, 9);
    drop(server);
    serve.abort();
}

#[tokio::test]
async fn cancellation_reaches_the_responder_and_timeouts_fire() {
    let (c, s) = configs();
    let ((client, _cin), (_server, mut sin)) = pair(c, s).await.unwrap();
    let (seen_tx, seen_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let req = sin.next_request().await.unwrap();
        let (_, responder) = req.into_parts();
        responder.cancelled().await;
        let _ = seen_tx.send(());
        // Keep `sin` alive so the second request is served by nobody.
        let _second = sin.next_request().await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    });
    let nav = NavigationRequest {
        url: "x".into(),
        tab_id: 1,
        new_window: false,
        incognito: false,
    };
    let fut = client.request::<_, TabCreated>(&nav);
    // Drop the request future after 50 ms: the responder must hear about it.
    assert!(
        tokio::time::timeout(Duration::from_millis(50), fut)
            .await
            .is_err()
    );
    tokio::time::timeout(Duration::from_secs(2), seen_rx)
        .await
        .unwrap()
        .unwrap();
    let e = client
        .request_timeout::<_, TabCreated>(&nav, Some(Duration::from_millis(100)))
        .await
        .unwrap_err();
    assert!(matches!(e, RequestError::Timeout(_)), "{e:?}");
}

#[tokio::test]
async fn closing_fails_pending_requests_with_the_cause() {
    let (c, s) = configs();
    let ((client, _cin), (server, mut sin)) = pair(c, s).await.unwrap();
    let nav = NavigationRequest {
        url: "x".into(),
        tab_id: 1,
        new_window: false,
        incognito: false,
    };
    let c2 = client.clone();
    let pending = tokio::spawn(async move { c2.request::<_, TabCreated>(&nav).await });
    let _req = sin.next_request().await.unwrap();
    server.close("shutting down");
    let e = pending.await.unwrap().unwrap_err();
    assert!(
        matches!(&e, RequestError::Disconnected(crate::CloseCause::Goodbye(r)) if r == "shutting down"),
        "{e:?}"
    );
    assert!(matches!(
        client.closed().await,
        crate::CloseCause::Goodbye(_)
    ));
    assert!(matches!(
        client
            .notify(&TabCreated {
                tab_id: 1,
                url: String::new()
            })
            .await,
        Err(SendError::Closed(_))
    ));
}

#[tokio::test]
async fn wrong_secret_fails_the_connect() {
    let (c, _) = configs();
    let s = ConnectionConfig::server(LaunchSecret::from_bytes([9; 32]));
    assert!(matches!(pair(c, s).await, Err(ConnectError::Closed(_))));
}

#[tokio::test]
async fn connect_with_retry_waits_for_a_late_listener() {
    let dir = SocketDir::new().unwrap();
    let path = dir.socket("late.sock");
    let secret = LaunchSecret::from_bytes([4; 32]);
    let (p2, s2) = (path.clone(), secret.clone());
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let l = Listener::bind(&p2).unwrap();
        let (peer, _in) = l.accept(ConnectionConfig::server(s2)).await.unwrap();
        peer.closed().await
    });
    let (client, _in) = connect_with_retry(
        &path,
        ConnectionConfig::client(secret),
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    client.close("bye");
    assert!(matches!(
        server.await.unwrap(),
        crate::CloseCause::Goodbye(_)
    ));
    let missing = dir.socket("never.sock");
    let e = connect_with_retry(
        &missing,
        ConnectionConfig::client(LaunchSecret::from_bytes([4; 32])),
        Duration::from_millis(50),
    )
    .await;
    assert!(matches!(e, Err(ConnectError::Io(_))));
}

#[tokio::test]
async fn a_socket_directory_others_can_reach_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let base = SocketDir::new().unwrap();
    for mode in [0o777, 0o750, 0o705] {
        let open = base.path().join(format!("open-{mode:o}"));
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(mode)).unwrap();
        let sock = open.join("ai.sock");
        let err = Listener::bind(&sock).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied, "{mode:o}");
        assert!(err.to_string().contains("must be 700"), "{err}");
        assert!(!sock.exists(), "nothing was bound in a {mode:o} directory");
    }
    // A symlink to a private directory is not the private directory.
    let private = base.path().join("private");
    std::fs::create_dir(&private).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    let link = base.path().join("link");
    std::os::unix::fs::symlink(&private, &link).unwrap();
    let err = Listener::bind(&link.join("ai.sock")).unwrap_err();
    assert!(err.to_string().contains("not a directory"), "{err}");
    // The private directory itself is fine.
    Listener::bind(&private.join("ai.sock")).unwrap();
}

#[tokio::test]
async fn a_planted_socket_is_neither_replaced_nor_trusted() {
    let dir = SocketDir::new().unwrap();
    let path = dir.socket("ai.sock");
    // Someone got there first, holding a secret that is not ours.
    let planted = Listener::bind(&path).unwrap();
    let err = Listener::bind(&path).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    let theirs = LaunchSecret::from_bytes([2; 32]);
    let server = tokio::spawn(async move {
        planted
            .accept(ConnectionConfig::server(theirs))
            .await
            .map(|_| ())
    });
    let ours = ConnectionConfig::client(LaunchSecret::from_bytes([1; 32]));
    match connect(&path, ours).await {
        Err(ConnectError::Closed(crate::CloseCause::Handshake(e))) => {
            assert!(e.to_string().contains("authentication"), "{e}")
        }
        Err(other) => panic!("refused for the wrong reason: {other}"),
        Ok(_) => panic!("a client trusted a server without its launch secret"),
    }
    assert!(
        server.await.unwrap().is_err(),
        "the planted server got nothing"
    );
}

#[tokio::test]
async fn a_silent_planted_socket_fails_the_connect_within_the_keepalive_timeout() {
    let dir = SocketDir::new().unwrap();
    let path = dir.socket("ai.sock");
    // A listener that accepts connections (the kernel's backlog) and never says a word.
    let _silent = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let mut cfg = ConnectionConfig::client(LaunchSecret::from_bytes([1; 32]));
    cfg.keepalive = Some(crate::conn::Keepalive {
        interval: Duration::from_millis(100),
        timeout: Duration::from_millis(300),
    });
    let outcome = tokio::time::timeout(Duration::from_secs(5), connect(&path, cfg)).await;
    match outcome {
        Ok(Err(ConnectError::Closed(crate::CloseCause::KeepaliveTimeout(_)))) => {}
        Ok(Err(other)) => panic!("failed for the wrong reason: {other}"),
        Ok(Ok(_)) => panic!("a silent socket passed the handshake"),
        Err(_) => panic!("the connect hung"),
    }
}
