use super::*;
use nexus_ipc::messages::control::ErrorReply;
use nexus_ipc::messages::stream::{StreamData, StreamEnd, StreamStart};
use nexus_ipc::messages::sync::{DataType, SyncAction};
use std::time::Duration;

const TAB: TabId = TabId(7);

fn message(url: &str, envelope: &Envelope) -> RendererMessage {
    RendererMessage {
        frame_id: "frame-1".into(),
        frame_url: url.into(),
        main_frame: true,
        name: envelope.kind.to_string(),
        payload: Some(envelope.encode()),
    }
}

fn analyze(id: u64) -> Envelope {
    let request = AiAnalyze {
        url: "https://news.example/a".into(),
        content: "Some text.".into(),
        ..Default::default()
    };
    Envelope::new(id, &request).with_flags(Flags::REQUEST)
}

fn error_of(action: &HubAction) -> Option<ErrorReply> {
    match action {
        HubAction::Reply { envelope, .. } if envelope.kind == Kind::ERROR => envelope.body().ok(),
        _ => None,
    }
}

#[test]
fn an_allowed_site_reaches_the_ai_and_a_denied_one_is_refused() {
    let mut hub = Hub::default();
    hub.permissions.set("https://news.example", true);
    hub.permissions.set("https://evil.example", false);
    let now = Instant::now();
    let actions = hub.handle(TAB, message("https://news.example/a", &analyze(1)), now);
    assert!(
        matches!(&actions[..], [HubAction::Analyze { call, .. }] if call.request == 1 && call.tab == TAB)
    );
    let actions = hub.handle(TAB, message("https://evil.example/", &analyze(2)), now);
    let err = error_of(&actions[0]).expect("an error reply");
    assert_eq!(err.message, NOT_ALLOWED);
}

#[test]
fn the_origin_comes_from_the_frame_not_from_the_message() {
    let mut hub = Hub::default();
    hub.permissions.set("https://news.example", true);
    // The body claims an allowed URL; the frame is on another site.
    let actions = hub.handle(
        TAB,
        message("https://evil.example/x", &analyze(3)),
        Instant::now(),
    );
    assert_eq!(error_of(&actions[0]).unwrap().message, NOT_ALLOWED);
}

#[test]
fn undecided_sites_are_asked_once_and_waiting_calls_follow_the_answer() {
    let mut hub = Hub::new(Permissions::with_prompts());
    let now = Instant::now();
    let first = hub.handle(TAB, message("https://new.example/", &analyze(1)), now);
    assert!(
        matches!(&first[..], [HubAction::AskPermission { origin, .. }] if origin == "https://new.example")
    );
    let second = hub.handle(TAB, message("https://new.example/", &analyze(2)), now);
    assert!(second.is_empty(), "asked only once");
    let released = hub.decide("https://new.example", true);
    assert_eq!(
        released
            .iter()
            .filter(|a| matches!(a, HubAction::Analyze { .. }))
            .count(),
        2
    );
    let later = hub.handle(TAB, message("https://new.example/", &analyze(3)), now);
    assert!(matches!(&later[..], [HubAction::Analyze { .. }]));
}

#[test]
fn without_a_window_undecided_means_refused() {
    let mut hub = Hub::default();
    let actions = hub.handle(
        TAB,
        message("https://new.example/", &analyze(1)),
        Instant::now(),
    );
    assert_eq!(error_of(&actions[0]).unwrap().message, NOT_ALLOWED);
}

#[test]
fn built_in_pages_may_query_the_profile_and_sites_may_not() {
    let mut hub = Hub::default();
    let query = Envelope::new(
        4,
        &ProfileQuery {
            list: "bookmarks".into(),
            limit: 5,
        },
    )
    .with_flags(Flags::REQUEST);
    let actions = hub.handle(TAB, message("nexus://newtab/", &query), Instant::now());
    assert!(matches!(&actions[..], [HubAction::ProfileQuery { list, .. }] if list == "bookmarks"));
    let actions = hub.handle(
        TAB,
        message("https://evil.example/", &query),
        Instant::now(),
    );
    assert_eq!(error_of(&actions[0]).unwrap().message, NOT_ALLOWED);
}

#[test]
fn a_flood_is_rate_limited_to_the_seed_default() {
    let mut hub = Hub::default();
    hub.permissions.set("https://news.example", true);
    let now = Instant::now();
    let mut passed = 0;
    let mut limited = 0;
    for id in 0..100 {
        for action in hub.handle(TAB, message("https://news.example/", &analyze(id)), now) {
            match action {
                HubAction::Analyze { .. } => passed += 1,
                a => {
                    if error_of(&a).is_some_and(|e| e.code == ErrorCode::RateLimited) {
                        limited += 1;
                    }
                }
            }
        }
    }
    assert_eq!(passed, 10, "ai_analyze allows 10 per second");
    assert_eq!(limited, 90);
    // A second later the bucket has refilled.
    let actions = hub.handle(
        TAB,
        message("https://news.example/", &analyze(999)),
        now + Duration::from_secs(1),
    );
    assert!(matches!(&actions[..], [HubAction::Analyze { .. }]));
    assert_eq!(
        hub.counters()
            .rejected(nexus_ipc::RejectReason::RateLimited),
        90
    );
}

#[test]
fn kinds_renderers_may_not_send_are_dropped_and_repeat_offenders_are_cut_off() {
    let mut hub = Hub::default();
    let forged = Envelope::new(
        1,
        &AiResult {
            url: "x".into(),
            content_hash: "y".into(),
            part: AnalysisPart::Complete(Default::default()),
        },
    );
    let now = Instant::now();
    let mut killed = false;
    for i in 0..200 {
        let actions = hub.handle(
            TAB,
            message("https://evil.example/", &forged),
            now + Duration::from_millis(i),
        );
        assert!(
            !actions
                .iter()
                .any(|a| matches!(a, HubAction::Analyze { .. }))
        );
        if actions
            .iter()
            .any(|a| matches!(a, HubAction::KillRenderer { .. }))
        {
            killed = true;
            break;
        }
    }
    assert!(
        killed,
        "a renderer that keeps sending forbidden kinds is stopped"
    );
    assert!(hub.counters().rejected(nexus_ipc::RejectReason::NotAllowed) > 0);
}

#[test]
fn a_message_dressed_up_as_another_kind_is_rejected() {
    let mut hub = Hub::default();
    hub.permissions.set("https://news.example", true);
    let mut msg = message("https://news.example/", &analyze(1));
    msg.name = "navigation_complete".into();
    let actions = hub.handle(TAB, msg, Instant::now());
    assert!(
        !actions
            .iter()
            .any(|a| matches!(a, HubAction::Analyze { .. }))
    );
    assert_eq!(
        hub.counters().rejected(nexus_ipc::RejectReason::Malformed),
        1
    );
}

#[test]
fn pages_may_not_navigate_to_script_file_or_internal_urls() {
    let mut hub = Hub::default();
    for bad in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "chrome://settings",
        "nexus://settings",
    ] {
        let nav = Envelope::new(
            1,
            &NavigationRequest {
                url: bad.into(),
                tab_id: 0,
                new_window: false,
                incognito: false,
            },
        )
        .with_flags(Flags::REQUEST);
        let actions = hub.handle(
            TAB,
            message("https://site.example/", &nav),
            Instant::now() + Duration::from_secs(5 * bad.len() as u64),
        );
        assert!(
            error_of(&actions[0]).is_some(),
            "{bad} was not refused: {actions:?}"
        );
    }
    let nav = Envelope::new(
        2,
        &NavigationRequest {
            url: "https://ok.example/".into(),
            tab_id: 99,
            new_window: true,
            incognito: false,
        },
    )
    .with_flags(Flags::REQUEST);
    let actions = hub.handle(
        TAB,
        message("https://site.example/", &nav),
        Instant::now() + Duration::from_secs(100),
    );
    assert!(
        matches!(&actions[..], [HubAction::Navigate { tab, new_window: true, .. }] if *tab == TAB)
    );
}

#[test]
fn data_sync_reaches_only_subscribed_frames_of_allowed_sites() {
    let mut hub = Hub::default();
    let sub = Envelope::new(
        1,
        &ApiSubscribe {
            name: "data_sync".into(),
        },
    );
    let now = Instant::now();
    hub.handle(TAB, message("nexus://newtab/", &sub), now);
    hub.handle(TabId(8), message("https://not-allowed.example/", &sub), now);
    let change = DataSync {
        data_type: DataType::Bookmarks,
        action: SyncAction::Add,
        data_json: r#"{"title":"x"}"#.into(),
    };
    let actions = hub.data_sync(&change);
    assert_eq!(actions.len(), 1);
    assert!(
        matches!(&actions[0], HubAction::Reply { tab, envelope, .. } if *tab == TAB && envelope.kind == Kind::PAGE_EVENT)
    );
    hub.forget_tab(TAB, false);
    assert!(
        hub.data_sync(&change).is_empty(),
        "a navigated tab must subscribe again"
    );
}

#[test]
fn subscribing_again_adds_no_entry_and_a_tab_holds_a_bounded_number() {
    // Regression (found by the hub flood): every `nexus.on` added an entry, so a page
    // calling it in a loop grew the hub without bound and got each event once per call.
    let mut hub = Hub::default();
    let sub = |id: u64, name: &str| Envelope::new(id, &ApiSubscribe { name: name.into() });
    let mut now = Instant::now();
    for i in 0..1000 {
        now += Duration::from_millis(50); // under the rate limit
        hub.handle(TAB, message("nexus://newtab/", &sub(i, "data_sync")), now);
    }
    let change = DataSync {
        data_type: DataType::Bookmarks,
        action: SyncAction::Add,
        data_json: "{}".into(),
    };
    assert_eq!(
        hub.data_sync(&change).len(),
        1,
        "one event for the one frame"
    );
    for i in 0..1000 {
        now += Duration::from_millis(50);
        hub.handle(
            TAB,
            message("nexus://newtab/", &sub(i, &format!("event-{i}"))),
            now,
        );
    }
    assert_eq!(hub.subscriptions.len(), MAX_SUBSCRIPTIONS_PER_TAB);
    assert_eq!(hub.data_sync(&change).len(), 1);
}

#[test]
fn calls_waiting_for_the_permission_prompt_are_bounded_per_tab() {
    // Regression (found by the hub flood): an undecided site could park calls without
    // bound while the prompt waited, each holding its page text.
    let mut hub = Hub::new(Permissions::with_prompts());
    let mut now = Instant::now();
    let mut refused = 0;
    for i in 0..100 {
        now += Duration::from_millis(200); // under the rate limit
        let actions = hub.handle(TAB, message("https://undecided.example/", &analyze(i)), now);
        if let Some(e) = actions.iter().find_map(error_of) {
            assert_eq!(e.code, ErrorCode::RateLimited);
            refused += 1;
        }
    }
    assert_eq!(hub.parked.len(), MAX_PARKED_PER_TAB);
    assert_eq!(refused, 100 - MAX_PARKED_PER_TAB);
    // The user's answer releases the waiting ones.
    let released = hub.decide("https://undecided.example", true);
    let analyses = released
        .iter()
        .filter(|a| matches!(a, HubAction::Analyze { .. }))
        .count();
    assert_eq!(analyses, MAX_PARKED_PER_TAB);
}

#[test]
fn navigation_reports_carry_the_tab_and_url_the_browser_knows() {
    let mut hub = Hub::default();
    let done = Envelope::new(
        1,
        &NavigationComplete {
            url: "https://lie.example/".into(),
            tab_id: 12345,
            http_status: 200,
            title: "t".into(),
        },
    );
    let actions = hub.handle(
        TAB,
        message("https://truth.example/page", &done),
        Instant::now(),
    );
    match &actions[..] {
        [HubAction::Navigated { complete, .. }] => {
            assert_eq!(complete.tab_id, TAB.0);
            assert_eq!(complete.url, "https://truth.example/page");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn page_content_arrives_whole_or_as_a_reassembled_stream() {
    let mut hub = Hub::default();
    let now = Instant::now();
    let (id, _) = hub.request_content(TAB, 1 << 20);
    let content = PageContent {
        text: "word ".repeat(100_000),
        title: "Big".into(),
        ..Default::default()
    };
    let body = nexus_ipc::envelope::encode_body(&content);
    let start = StreamStart {
        stream_id: id,
        item_kind: Some(Kind::PAGE_CONTENT),
        total_len: Some(body.len() as u64),
        initial_credits: 0,
    };
    assert!(
        hub.handle(
            TAB,
            message(
                "https://a.example/",
                &Envelope::new(1, &start).correlate(id)
            ),
            now
        )
        .is_empty()
    );
    let chunks: Vec<&[u8]> = body.chunks(64 * 1024).collect();
    for (seq, chunk) in chunks.iter().enumerate() {
        let data = StreamData {
            stream_id: id,
            seq: seq as u64,
            item: chunk.to_vec(),
        };
        assert!(
            hub.handle(
                TAB,
                message("https://a.example/", &Envelope::new(2, &data).correlate(id)),
                now
            )
            .is_empty()
        );
    }
    let end = StreamEnd {
        stream_id: id,
        items: chunks.len() as u64,
    };
    let actions = hub.handle(
        TAB,
        message("https://a.example/", &Envelope::new(3, &end).correlate(id)),
        now,
    );
    match &actions[..] {
        [
            HubAction::PageContent {
                content: got,
                request,
                ..
            },
        ] => {
            assert_eq!(*request, id);
            assert_eq!(got.text.len(), content.text.len());
        }
        other => panic!("{other:?}"),
    }
    // Content nobody asked for is ignored.
    let stray = Envelope::new(9, &PageContent::default()).correlate(424242);
    assert!(
        hub.handle(TAB, message("https://a.example/", &stray), now)
            .is_empty()
    );
}
