//! Flood: 1,000,000 mixed renderer messages through the browser-side hub, with the seed's
//! rate limits on, eight tabs on sites with every kind of standing (allowed, denied,
//! built-in, undecided, file:, data:, an attacker), well-formed and hostile messages mixed.
//!
//! Checked: the limits hold exactly (a reference token bucket and strike counter, in
//! exact quarter units, predict every decision; the hub's counters must match to the
//! message), every refusal is answered and logged, nothing a page sends opens a URL of a
//! scheme pages may not open, and memory stays flat (resident set measured after the
//! first tenth and at the end; printed with the peak).
//!
//! Time is simulated: messages arrive in steps 250 ms apart (a binary fraction of a second,
//! so the hub's f64 bucket arithmetic and the reference's integers agree exactly).

use nexus::cef::events::RendererMessage;
use nexus::hub::{Hub, HubAction, Permissions};
use nexus_ipc::messages::ai::AiAnalyze;
use nexus_ipc::messages::control::{ErrorCode, ErrorReply};
use nexus_ipc::messages::navigation::{NavigationComplete, NavigationRequest};
use nexus_ipc::messages::page::{ApiSubscribe, ProfileQuery};
use nexus_ipc::messages::sync::{DataSync, DataType, SyncAction};
use nexus_ipc::{Envelope, Flags, Kind, RejectReason};
use nexus_ui::model::TabId;
use std::collections::HashMap;
use std::time::{Duration, Instant};

const MESSAGES: u64 = 1_000_000;
const STEP: Duration = Duration::from_millis(250);

/// The tabs and the frame URL each one's messages arrive from.
const TABS: [(u64, &str); 8] = [
    (1, "https://allowed.example/a"),
    (2, "https://allowed.example/b"),
    (3, "https://denied.example/"),
    (4, "nexus://newtab/"),
    (5, "https://undecided.example/"),
    (6, "file:///home/user/page.html"),
    (7, "data:text/html,<p>x</p>"),
    (8, "https://attacker.example/"),
];

/// URLs pages ask to open, and whether the hub may open them (from a web page).
const NAVIGATIONS: [(&str, bool); 10] = [
    ("https://example.org/", true),
    ("http://example.org/x?y", true),
    ("javascript:alert(document.cookie)", false),
    ("  JavaScript:alert(1)", false),
    ("file:///etc/passwd", false),
    ("data:text/html,<script>alert(1)</script>", false),
    ("chrome://settings", false),
    ("nexus://settings", false),
    ("", false),
    ("view-source:https://example.org/", false),
];

/// What a test message is, and what the policy must make of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Sort {
    /// Well-formed, counted against its kind's bucket.
    Good(Kind),
    /// Counted against `kind`'s bucket, then refused as malformed (bad body or name).
    BadAfterBucket(Kind),
    /// Refused before any bucket: undecodable, oversized, or named for another kind.
    Broken(RejectReason),
    /// A kind renderers may not send (or an unknown one): refused by the allow-list.
    Forbidden,
}

/// The reference model: token buckets and the strike counter in quarter units.
#[derive(Default)]
struct Model {
    buckets: HashMap<(u64, Kind), (i64, i64)>, // (quarter tokens, last step)
    strikes: HashMap<u64, (i64, i64, bool)>,   // (quarter strikes, last step, reported)
    accepted: u64,
    rejected: HashMap<RejectReason, u64>,
    offences: HashMap<u64, u64>,
}

fn per_second(kind: Kind) -> i64 {
    match kind {
        Kind::AI_ANALYZE => 10,
        Kind::NAVIGATION_REQUEST => 5,
        Kind::DATA_SYNC => 20,
        _ => 100,
    }
}

impl Model {
    /// Take a token at `step` (quarter units: a step of 0.25 s refills `per_second`
    /// quarters; a message costs 4; the bucket holds one second's worth).
    fn take(&mut self, tab: u64, kind: Kind, step: i64) -> bool {
        let rate = per_second(kind);
        let (tokens, last) = self.buckets.entry((tab, kind)).or_insert((rate * 4, step));
        *tokens = (*tokens + rate * (step - *last)).min(rate * 4);
        *last = step;
        if *tokens >= 4 {
            *tokens -= 4;
            true
        } else {
            false
        }
    }

    /// A rejection: one strike; 50 strikes forgiven per 10 s (1.25 a step = 5 quarters).
    fn reject(&mut self, tab: u64, reason: RejectReason, step: i64) -> bool {
        *self.rejected.entry(reason).or_default() += 1;
        let (level, last, reported) = self.strikes.entry(tab).or_insert((0, step, false));
        *level = (*level - 5 * (step - *last)).max(0);
        *reported &= *level >= 200;
        *level += 4;
        *last = step;
        let offender = !*reported && *level >= 200;
        *reported |= offender;
        if offender {
            *self.offences.entry(tab).or_default() += 1;
        }
        offender
    }

    /// What the policy must decide for a message of sort `sort`: `Ok` or the reason, and
    /// whether this rejection makes the tab an offender.
    fn decide(&mut self, tab: u64, sort: Sort, step: i64) -> (Result<(), RejectReason>, bool) {
        let reason = match sort {
            Sort::Broken(reason) => reason,
            Sort::Forbidden => RejectReason::NotAllowed,
            Sort::Good(kind) | Sort::BadAfterBucket(kind) => {
                if !self.take(tab, kind, step) {
                    RejectReason::RateLimited
                } else if matches!(sort, Sort::Good(_)) {
                    self.accepted += 1;
                    return (Ok(()), false);
                } else {
                    RejectReason::Malformed
                }
            }
        };
        let offender = self.reject(tab, reason, step);
        (Err(reason), offender)
    }
}

/// A small deterministic generator (xorshift), so every run floods the same way.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn request<M: nexus_ipc::messages::Message>(id: u64, body: &M) -> Envelope {
    Envelope::new(id, body).with_flags(Flags::REQUEST)
}

fn push(out: &mut Vec<(String, Vec<u8>, Sort)>, name: &str, env: Envelope, sort: Sort) {
    out.push((name.to_string(), env.encode(), sort));
}

/// The messages one tab sends in one step, in a shuffled order.
fn batch(tab: u64, step: i64, rng: &mut Rng) -> Vec<(String, Vec<u8>, Sort)> {
    let text = |n: usize| "Lorem ipsum dolor sit amet. ".repeat(n / 28 + 1);
    // The undecided site sends large pages: they wait for the user's answer.
    let content = if tab == 5 {
        text(64 * 1024)
    } else {
        text(1024)
    };
    let mut out = Vec::new();
    let mut id = (step as u64) << 8;
    for _ in 0..6 {
        id += 1;
        let body = AiAnalyze {
            url: TABS[tab as usize - 1].1.into(),
            content: content.clone(),
            ..Default::default()
        };
        push(
            &mut out,
            "ai_analyze",
            request(id, &body),
            Sort::Good(Kind::AI_ANALYZE),
        );
    }
    for i in 0..3 {
        id += 1;
        let (url, _) = NAVIGATIONS[(step as usize * 3 + i) % NAVIGATIONS.len()];
        let body = NavigationRequest {
            url: url.into(),
            tab_id: 999, // a field the hub must ignore: the tab is the channel's
            new_window: false,
            incognito: false,
        };
        push(
            &mut out,
            "navigation_request",
            request(id, &body),
            Sort::Good(Kind::NAVIGATION_REQUEST),
        );
    }
    for _ in 0..20 {
        id += 1;
        let body = ApiSubscribe {
            name: "data_sync".into(),
        };
        push(
            &mut out,
            "api_subscribe",
            Envelope::new(id, &body),
            Sort::Good(Kind::API_SUBSCRIBE),
        );
    }
    id += 1;
    let query = ProfileQuery {
        list: "bookmarks".into(),
        limit: 12,
    };
    push(
        &mut out,
        "profile_query",
        request(id, &query),
        Sort::Good(Kind::PROFILE_QUERY),
    );
    // A count where none can be that large: refused by the structural limits.
    id += 1;
    let greedy = ProfileQuery {
        list: "bookmarks".into(),
        limit: u32::MAX,
    };
    push(
        &mut out,
        "profile_query",
        request(id, &greedy),
        Sort::BadAfterBucket(Kind::PROFILE_QUERY),
    );
    id += 1;
    let done = NavigationComplete {
        url: "https://claimed.example/".into(),
        tab_id: 999,
        http_status: 200,
        title: "t".into(),
    };
    push(
        &mut out,
        "navigation_complete",
        Envelope::new(id, &done),
        Sort::Good(Kind::NAVIGATION_COMPLETE),
    );
    // A navigation_complete dressed up as an ai_analyze: refused before any bucket.
    id += 1;
    push(
        &mut out,
        "ai_analyze",
        Envelope::new(id, &done).with_flags(Flags::REQUEST),
        Sort::Broken(RejectReason::Malformed),
    );
    // Invalid UTF-8 where a URL belongs.
    id += 1;
    let mut bad = request(
        id,
        &NavigationRequest {
            url: "https://ok.example/".into(),
            tab_id: 0,
            new_window: false,
            incognito: false,
        },
    );
    let at = bad
        .body
        .iter()
        .position(|b| *b == b'o')
        .expect("a byte of the URL");
    bad.body[at] = 0xff;
    push(
        &mut out,
        "navigation_request",
        bad,
        Sort::BadAfterBucket(Kind::NAVIGATION_REQUEST),
    );
    // A truncated envelope and random bytes.
    let whole = request(id + 1, &query).encode();
    out.push((
        "profile_query".into(),
        whole[..2].to_vec(),
        Sort::Broken(RejectReason::Malformed),
    ));
    let noise: Vec<u8> = (0..(rng.next() % 64)).map(|_| rng.next() as u8).collect();
    let noise_sort = match nexus_ipc::envelope::Header::decode(&noise) {
        // Noise that happens to read as a header is judged like any message; keep the
        // model simple by only sending noise that does not.
        Ok(_) => None,
        Err(_) => Some(Sort::Broken(RejectReason::Malformed)),
    };
    if let Some(sort) = noise_sort {
        out.push(("ai_analyze".into(), noise, sort));
    }
    if tab == 8 {
        // Kinds renderers may not send, and one no build knows.
        let sync = DataSync {
            data_type: DataType::Bookmarks,
            action: SyncAction::Add,
            data_json: format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        };
        push(
            &mut out,
            "data_sync",
            Envelope::new(id + 2, &sync),
            Sort::Forbidden,
        );
        push(
            &mut out,
            "unknown(0x7abc)",
            Envelope::raw(Kind(0x7abc), id + 3, vec![1, 2, 3]),
            Sort::Forbidden,
        );
        if step % 500 == 0 {
            // Over the 10 MB cap, once in a while.
            out.push((
                "ai_analyze".into(),
                vec![1; 10 * 1024 * 1024 + 1],
                Sort::Broken(RejectReason::TooLarge),
            ));
        }
    }
    // Shuffle (Fisher–Yates).
    for i in (1..out.len()).rev() {
        out.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
    out
}

/// Resident set and its peak, in KiB (Linux).
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn error_code(action: &HubAction) -> Option<ErrorCode> {
    match action {
        HubAction::Reply { envelope, .. } if envelope.kind == Kind::ERROR => {
            envelope.body::<ErrorReply>().ok().map(|e| e.code)
        }
        _ => None,
    }
}

#[test]
fn a_million_mixed_messages_keep_exact_limits_and_flat_memory() {
    let mut hub = Hub::new(Permissions::with_prompts());
    hub.permissions.set("https://allowed.example", true);
    hub.permissions.set("https://denied.example", false);
    let mut model = Model::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let t0 = Instant::now();
    let (mut sent, mut step) = (0u64, 0i64);
    let mut kills: HashMap<u64, u64> = HashMap::new();
    let mut refused_navigations = 0u64;
    let mut analyses = 0u64;
    let mut early_rss = None;
    let start_rss = rss_kib();
    while sent < MESSAGES {
        let now = t0 + STEP * step as u32;
        for (tab, url) in TABS {
            for (name, payload, sort) in batch(tab, step, &mut rng) {
                let is_request = Envelope::decode(&payload).is_ok_and(|e| e.is_request());
                let (expected, offender) = model.decide(tab, sort, step);
                let message = RendererMessage {
                    frame_id: "main".into(),
                    frame_url: url.into(),
                    main_frame: true,
                    name: name.clone(),
                    payload: Some(payload),
                };
                let actions = hub.handle(TabId(tab), message, now);
                sent += 1;
                let killed = actions
                    .iter()
                    .any(|a| matches!(a, HubAction::KillRenderer { .. }));
                assert_eq!(killed, offender, "tab {tab}, step {step}: offender report");
                if killed {
                    *kills.entry(tab).or_default() += 1;
                }
                match expected {
                    Err(reason) if is_request => assert!(
                        actions.iter().any(|a| error_code(a) == Some(reason.code())),
                        "tab {tab}, step {step}: a refused {name} ({reason:?}) got no error reply: {actions:?}"
                    ),
                    Err(_) => {}
                    Ok(()) => {}
                }
                for action in &actions {
                    match action {
                        HubAction::Navigate { url, .. } => {
                            let builtin = tab == 4 && url.starts_with("nexus://");
                            assert!(
                                builtin || NAVIGATIONS.iter().any(|(u, ok)| u == url && *ok),
                                "tab {tab}: the hub opened {url:?}"
                            );
                        }
                        HubAction::Analyze { call, .. } => {
                            assert!([1, 2, 4].contains(&call.tab.0), "tab {tab} reached the AI");
                            analyses += 1;
                        }
                        HubAction::ProfileQuery { .. } => {
                            assert_eq!(tab, 4, "only the built-in page reads the profile")
                        }
                        HubAction::Navigated { complete, .. } => {
                            assert_eq!(complete.url, url, "the frame's URL, not the claimed one");
                            assert_eq!(complete.tab_id, tab);
                        }
                        _ => {}
                    }
                }
                if expected.is_ok()
                    && name == "navigation_request"
                    && actions
                        .iter()
                        .any(|a| error_code(a) == Some(ErrorCode::NotAllowed))
                {
                    refused_navigations += 1;
                }
            }
        }
        if early_rss.is_none() && sent >= MESSAGES / 10 {
            early_rss = Some(rss_kib());
        }
        step += 1;
    }
    let end_rss = rss_kib();

    // The limits held exactly: the hub counted what the reference predicted, to the message.
    let counters = hub.counters();
    assert_eq!(counters.accepted(), model.accepted, "accepted");
    for reason in RejectReason::ALL {
        assert_eq!(
            counters.rejected(reason),
            model.rejected.get(&reason).copied().unwrap_or(0),
            "{reason:?}"
        );
    }
    assert_eq!(kills, model.offences, "offender reports per tab");
    assert_eq!(counters.offenders(), model.offences.values().sum::<u64>());
    assert!(refused_navigations > 0 && analyses > 0);
    // Every message was logged, refusals with their reason (the log keeps the last 1000).
    let log = hub.log().query(|_| true);
    assert_eq!(log.len(), 1000);
    assert!(log.iter().any(|e| e.refused == Some("rate_limited")));
    assert!(log.iter().any(|e| e.refused == Some("not_allowed")));

    // A data_sync broadcast reaches each subscribed frame once, however often it subscribed.
    let sync = DataSync {
        data_type: DataType::Bookmarks,
        action: SyncAction::Add,
        data_json: "{}".into(),
    };
    let replies = hub.data_sync(&sync);
    assert_eq!(
        replies.len(),
        3,
        "one event per subscribed frame (tabs 1, 2, 4)"
    );

    let (early, _) = early_rss.expect("measured");
    eprintln!(
        "hub flood: {sent} messages in {step} steps ({:.0} s simulated); accepted {}, \
         rejected {:?}, offender reports {:?}, hub refusals {}; RSS at start {} KiB, after \
         10% {} KiB, at the end {} KiB, peak {} KiB",
        step as f64 * STEP.as_secs_f64(),
        counters.accepted(),
        counters.snapshot(),
        kills,
        hub.refused(),
        start_rss.0,
        early,
        end_rss.0,
        end_rss.1,
    );
    // Flat: nothing the hub keeps grows with the number of messages. The bound leaves room
    // for allocator noise; a per-message leak of even 16 bytes would be 14 MB here.
    assert!(
        end_rss.0 <= early + 8 * 1024,
        "resident memory grew from {early} KiB to {} KiB",
        end_rss.0
    );
}
