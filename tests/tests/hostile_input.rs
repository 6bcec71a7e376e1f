//! Hostile input end to end: a page whose renderer acts compromised (the test hook
//! `nexus.__forge`, only with `NEXUS_RENDERER_TEST_HOOKS=1`) sends crafted process
//! messages through real CEF to the real browser process — oversized, truncated,
//! mislabelled, invalid UTF-8, out-of-range counts, forbidden kinds, deeply nested JSON,
//! navigations to every dangerous scheme. Each must be refused as specified and counted
//! exactly (`nexus --ipc-log` prints the browser's message log and counts), and the page
//! and browser keep working.

use nexus_ipc::envelope::{PROTOCOL_VERSION, varint};
use nexus_ipc::messages::ai::AiAnalyze;
use nexus_ipc::messages::navigation::NavigationRequest;
use nexus_ipc::messages::sync::{DataSync, DataType, SyncAction};
use nexus_ipc::{Envelope, Flags, Kind};
use nexus_tests::http::TestServer;
use nexus_tests::{TempDir, nexus, run_with_timeout};
use std::time::Duration;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn request<M: nexus_ipc::messages::Message>(id: u64, body: &M) -> Envelope {
    Envelope::new(id, body).with_flags(Flags::REQUEST)
}

fn nav(id: u64, url: &str) -> Envelope {
    request(
        id,
        &NavigationRequest {
            url: url.into(),
            tab_id: 0,
            new_window: false,
            incognito: false,
        },
    )
}

/// One forged message: the process message's name, payload bytes, zero padding.
struct Forged {
    name: &'static str,
    bytes: Vec<u8>,
    pad: usize,
}

fn forged() -> Vec<Forged> {
    let analyze = request(
        1,
        &AiAnalyze {
            url: "https://x.example/".into(),
            content: "some text".into(),
            ..Default::default()
        },
    )
    .encode();
    // Invalid UTF-8 in a URL.
    let mut bad_utf8 = nav(2, "https://ok.example/");
    let at = bad_utf8.body.iter().position(|b| *b == b'o').unwrap();
    bad_utf8.body[at] = 0xff;
    // A count no u32 can hold: `limit` written as a 35-bit varint.
    let mut huge_limit = Vec::new();
    varint::put(&mut huge_limit, 9); // "bookmarks".len()
    huge_limit.extend_from_slice(b"bookmarks");
    varint::put(&mut huge_limit, 1 << 34);
    let mut huge_limit_env = Envelope::raw(Kind::PROFILE_QUERY, 3, huge_limit);
    huge_limit_env.version = PROTOCOL_VERSION;
    huge_limit_env.flags = Flags::REQUEST;
    let deep = DataSync {
        data_type: DataType::Bookmarks,
        action: SyncAction::Add,
        data_json: format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    };
    let mut out = vec![
        // Over the 10 MB cap: a valid header, then zeros.
        Forged {
            name: "ai_analyze",
            bytes: analyze[..8].to_vec(),
            pad: 10 * 1024 * 1024,
        },
        // Truncated in the middle of its body.
        Forged {
            name: "ai_analyze",
            bytes: analyze[..analyze.len() / 2].to_vec(),
            pad: 0,
        },
        // Named for another kind than it carries.
        Forged {
            name: "navigation_request",
            bytes: analyze.clone(),
            pad: 0,
        },
        Forged {
            name: "navigation_request",
            bytes: bad_utf8.encode(),
            pad: 0,
        },
        Forged {
            name: "profile_query",
            bytes: huge_limit_env.encode(),
            pad: 0,
        },
        // Kinds renderers may not send: data_sync (with JSON nested 100,000 deep), and a
        // kind no build knows.
        Forged {
            name: "data_sync",
            bytes: request(4, &deep).encode(),
            pad: 0,
        },
        Forged {
            name: "unknown(0x7abc)",
            bytes: Envelope::raw(Kind(0x7abc), 5, vec![1, 2, 3]).encode(),
            pad: 0,
        },
        // A truncated header.
        Forged {
            name: "ai_analyze",
            bytes: vec![PROTOCOL_VERSION, 0x08],
            pad: 0,
        },
    ];
    // Navigations to every scheme a page may not open (well-formed: the hub refuses them).
    for (i, url) in [
        "javascript:alert(document.cookie)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "chrome://settings",
    ]
    .into_iter()
    .enumerate()
    {
        out.push(Forged {
            name: "navigation_request",
            bytes: nav(10 + i as u64, url).encode(),
            pad: 0,
        });
    }
    out
}

#[test]
fn every_hostile_message_is_refused_counted_and_the_page_survives() {
    let forged = forged();
    let calls: String = forged
        .iter()
        .map(|f| {
            format!(
                "nexus.__forge('{}', 1, '{}', {});",
                f.name,
                hex(&f.bytes),
                f.pad
            )
        })
        .collect();
    let server = TestServer::start();
    server.page(
        "/hostile",
        "text/html",
        format!(
            "<!doctype html><title>Hostile</title><body><p id=result>pending</p><script>\
             {calls} result.textContent = 'still here: ' + location.href;</script>"
        ),
    );
    let url = server.url("/hostile");
    let dir = TempDir::new("hostile");
    let out = run_with_timeout(
        nexus(&dir.path().join("profile"))
            .args(["--dump-dom", "--ipc-log", &url])
            .env("NEXUS_RENDERER_TEST_HOOKS", "1"),
        Duration::from_secs(120),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains(&format!("still here: {url}")),
        "the page kept running and did not navigate away: {stdout}"
    );
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let counts = lines
        .iter()
        .find_map(|v| v.get("counts"))
        .unwrap_or_else(|| panic!("no counts line in:\n{stderr}"));
    let count = |name: &str| counts[name].as_u64().unwrap_or(u64::MAX);
    // Exactly what was sent: 1 oversized; 5 malformed (truncated body, mislabelled,
    // invalid UTF-8, a 35-bit count, a truncated header); 2 kinds renderers may not send;
    // 4 navigations refused by the hub's scheme rule; nothing rate-limited.
    assert_eq!(count("too_large"), 1, "{counts}");
    assert_eq!(count("malformed"), 5, "{counts}");
    assert_eq!(count("not_allowed"), 2, "{counts}");
    assert_eq!(count("unknown_kind"), 0, "{counts}");
    assert_eq!(count("rate_limited"), 0, "{counts}");
    assert_eq!(count("hub_refused"), 4, "{counts}");
    assert_eq!(count("offenders"), 0, "a dozen mistakes is not an offence");
    // The log names each refusal.
    let refused = |reason: &str| {
        lines
            .iter()
            .filter(|v| v["refused"].as_str() == Some(reason))
            .count()
    };
    assert_eq!(refused("too_large"), 1);
    assert_eq!(refused("malformed"), 5);
    assert_eq!(refused("not_allowed"), 2 + 4);
    let refused_navigations = lines
        .iter()
        .filter(|v| v["kind"] == "navigation_request" && v["refused"] == "not_allowed")
        .count();
    assert_eq!(refused_navigations, 4);
    // Nothing in the log shows a page's content.
    assert!(!stderr.contains("document.cookie") && !stderr.contains("/etc/passwd"));
}
