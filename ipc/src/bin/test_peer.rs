//! Helper process for nexus-ipc's cross-process tests and benchmarks. Not a product binary.
//!
//! The launch secret arrives on stdin (one hex line), exactly as a real child gets it.
//! Modes:
//! - `worker SOCKET`: listen at SOCKET, print `listening`, accept one connection as the
//!   server and serve test requests (see `serve`). Print `closed: CAUSE` when it ends.
//! - `flood SOCKET COUNT INTERVAL_US`: connect as a client and fire COUNT `ai_analyze`
//!   requests, one every INTERVAL_US; print `ok=N limited=M window_us=W`.
//! - `echo SOCKET PLAIN|SEALED`: listen and answer every request with its own body, as
//!   fast as possible, through the async handles (benchmarks).
//! - `sync-echo SOCKET PLAIN|SEALED [ZC]`: the same with the sans-IO connection on a
//!   blocking socket and no runtime; bodies of 512 bytes or more are read once (a
//!   checksum) and answered with an empty body; `ZC` reads shared-memory bodies in place.
//! - `raw-echo SOCKET`: write back whatever arrives (the raw-socket baseline).

use nexus_ipc::conn::ConnectionConfig;
use nexus_ipc::messages::ai::{AiAnalyze, AiQuestion, AiStatus};
use nexus_ipc::messages::control::ErrorCode;
use nexus_ipc::messages::events::{TabActivated, TabCreated};
use nexus_ipc::messages::navigation::NavigationRequest;
use nexus_ipc::messages::page::PageContent;
use nexus_ipc::transport::{self, Inbound, IncomingRequest, Listener, Peer};
use nexus_ipc::{Kind, LaunchSecret};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let secret = LaunchSecret::read_from_stdin().expect("a launch secret on stdin");
    if let Some(mode @ ("sync-echo" | "raw-echo")) = args.get(1).map(String::as_str) {
        let listener = std::os::unix::net::UnixListener::bind(&args[2]).expect("bind");
        println!("listening");
        let (sock, _) = listener.accept().expect("accept");
        if mode == "raw-echo" {
            raw_echo(sock);
        } else {
            let sealed = args.get(3).map(String::as_str) != Some("PLAIN");
            let zero_copy = args.get(4).map(String::as_str) == Some("ZC");
            sync_echo(sock, secret, sealed, zero_copy);
        }
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let socket = PathBuf::from(args.get(2).expect("socket path"));
    match args.get(1).map(String::as_str) {
        Some("worker") => rt.block_on(worker(socket, secret, true)),
        Some("echo") => rt.block_on(worker(
            socket,
            secret,
            args.get(3).map(String::as_str) != Some("PLAIN"),
        )),
        Some("flood") => {
            let count: u32 = args[3].parse().expect("count");
            let interval: u64 = args[4].parse().expect("interval");
            rt.block_on(flood(
                socket,
                secret,
                count,
                Duration::from_micros(interval),
            ))
        }
        other => panic!("unknown mode {other:?}"),
    }
}

async fn worker(socket: PathBuf, secret: LaunchSecret, encrypt: bool) {
    let listener = Listener::bind(&socket).expect("bind");
    println!("listening");
    let mut cfg = ConnectionConfig::server(secret);
    cfg.encrypt = encrypt;
    let (peer, mut incoming) = match listener.accept(cfg).await {
        Ok(x) => x,
        Err(e) => {
            println!("closed: {e}");
            return;
        }
    };
    while let Some(msg) = incoming.recv().await {
        match msg {
            // Requests that wait (streams, cancellation) get a task; the rest are answered
            // inline, which is what a latency-sensitive host does.
            Inbound::Request(req) if matches!(req.kind(), Kind::AI_ANALYZE | Kind::AI_QUESTION) => {
                tokio::spawn(serve(peer.clone(), req));
            }
            Inbound::Request(req) => serve(peer.clone(), req).await,
            Inbound::Notification(env) if env.kind == Kind::TAB_CREATED => {
                let t: TabCreated = env.body().expect("tab_created");
                peer.notify(&TabActivated { tab_id: t.tab_id }).await.ok();
                peer.flush();
            }
            Inbound::Notification(_) => {}
        }
    }
    println!("closed: {}", peer.closed().await);
}

async fn serve(peer: Peer, req: IncomingRequest) {
    let (env, responder) = req.into_parts();
    match env.kind {
        // Echo a navigation as the tab it would create.
        Kind::NAVIGATION_REQUEST => {
            let n: NavigationRequest = env.body().expect("navigation");
            responder
                .respond(&TabCreated {
                    tab_id: n.tab_id,
                    url: n.url,
                })
                .ok();
        }
        // `ai_analyze` with content "stream N SIZE": N PageContent items of SIZE bytes.
        Kind::AI_ANALYZE => {
            let a: AiAnalyze = env.body().expect("ai_analyze");
            let parts: Vec<usize> = a
                .content
                .split(' ')
                .skip(1)
                .filter_map(|s| s.parse().ok())
                .collect();
            let (n, size) = (
                parts.first().copied().unwrap_or(1),
                parts.get(1).copied().unwrap_or(16),
            );
            let mut s = responder.stream::<PageContent>().await.expect("stream");
            let item = PageContent {
                text: "x".repeat(size),
                ..Default::default()
            };
            for _ in 0..n {
                if s.send(&item).await.is_err() {
                    return;
                }
            }
            s.end().ok();
        }
        // `ai_question` "hang": never answer; report the cancellation when it comes.
        Kind::AI_QUESTION => {
            let q: AiQuestion = env.body().expect("ai_question");
            responder.cancelled().await;
            let status = AiStatus::Failed {
                reason: format!("cancelled: {}", q.question),
            };
            peer.notify(&status).await.ok();
            peer.flush();
            drop(responder);
        }
        // Anything else: echo the body back under the same kind (benchmarks).
        _ => {
            responder.respond_raw(env.kind, env.body).ok();
        }
    }
}

async fn flood(socket: PathBuf, secret: LaunchSecret, count: u32, interval: Duration) {
    let (peer, _incoming) = transport::connect(&socket, ConnectionConfig::client(secret))
        .await
        .expect("connect");
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..count {
        tokio::time::sleep_until((start + interval * i).into()).await;
        let p = peer.clone();
        tasks.push(tokio::spawn(async move {
            p.request::<_, AiStatus>(&AiAnalyze {
                url: format!("https://flood/{i}"),
                ..Default::default()
            })
            .await
        }));
    }
    let window = start.elapsed();
    let (mut ok, mut limited) = (0, 0);
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(nexus_ipc::RequestError::Remote(e)) if e.code == ErrorCode::RateLimited => {
                limited += 1
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    println!("ok={ok} limited={limited} window_us={}", window.as_micros());
}

fn raw_echo(mut sock: std::os::unix::net::UnixStream) {
    use std::io::{Read, Write};
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match sock.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if sock.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        }
    }
}

/// What a consumer does with a large payload at the least: read every byte once.
fn checksum(b: &[u8]) -> u64 {
    let mut words = b.chunks_exact(8);
    let mut acc = 0u64;
    for w in &mut words {
        acc = acc.wrapping_add(u64::from_le_bytes(w.try_into().expect("8 bytes")));
    }
    words
        .remainder()
        .iter()
        .fold(acc, |a, x| a.wrapping_add(u64::from(*x)))
}

fn sync_echo(
    mut sock: std::os::unix::net::UnixStream,
    secret: LaunchSecret,
    encrypt: bool,
    zero_copy: bool,
) {
    use nexus_ipc::conn::{Connection, Event};
    use std::io::Write;
    let mut cfg = ConnectionConfig::server(secret);
    cfg.encrypt = encrypt;
    cfg.keepalive = None;
    cfg.shm_zero_copy = zero_copy;
    let mut conn = Connection::new(cfg, Instant::now()).expect("connection");
    conn.enable_handle_passing();
    let mut buf = vec![0u8; 1 << 18];
    let mut handles = Vec::new();
    let mut out = Vec::new();
    use std::os::fd::AsRawFd;
    let fd = sock.as_raw_fd();
    loop {
        let n = match nexus_ipc::transport::recv_with_handles(fd, &mut buf, &mut handles) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let now = Instant::now();
        conn.handle_handles(handles.drain(..));
        conn.handle_input(&buf[..n], now);
        while let Some(ev) = conn.poll_event() {
            match ev {
                Event::Request(env) => {
                    let body = if env.body.len() >= 512 {
                        std::hint::black_box(checksum(&env.body));
                        Vec::new()
                    } else {
                        env.body
                    };
                    let _ = conn.respond_raw(env.id, env.kind, body, now);
                }
                Event::Shared { envelope, payload } => {
                    std::hint::black_box(checksum(payload.as_slice()));
                    drop(payload);
                    let _ = conn.respond_raw(envelope.id, envelope.kind, Vec::new(), now);
                }
                Event::Closed(_) => return,
                _ => {}
            }
        }
        out.clear();
        let hs = conn.poll_transmit_into(&mut out);
        if !out.is_empty() {
            if hs.is_empty() {
                if sock.write_all(&out).is_err() {
                    return;
                }
            } else {
                let mut off = nexus_ipc::transport::send_with_handles(fd, &out, &hs).expect("send");
                while off < out.len() {
                    off += nexus_ipc::transport::send_with_handles(fd, &out[off..], &[])
                        .expect("send");
                }
            }
        }
        let _ = sock.flush();
    }
}
