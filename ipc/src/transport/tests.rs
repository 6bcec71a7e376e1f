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
