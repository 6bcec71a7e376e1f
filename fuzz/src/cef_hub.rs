//! The browser side of the renderer channel: CEF process messages (any name, any payload,
//! from any frame URL) through the adapter and into the hub, with the hub's other inputs
//! (permission decisions, content requests, tab closes, time) interleaved.

use crate::input::Input;
use nexus::cef::events::RendererMessage;
use nexus::cef::process_message::{self, MAX_ENVELOPE_BYTES};
use nexus::hub::{Access, Hub, HubAction, Permissions, permissions_origin_of};
use nexus_ipc::envelope::PROTOCOL_VERSION;
use nexus_ipc::messages::sync::{DataSync, DataType, SyncAction};
use nexus_ipc::{CATALOGUE, Envelope, Flags, Kind, RejectReason};
use nexus_ui::model::TabId;
use std::time::{Duration, Instant};

/// Frame URLs a message may arrive from (the last slot is the fuzzer's own).
const FRAMES: &[&str] = &[
    "https://allowed.example/page",
    "https://denied.example/",
    "nexus://newtab/",
    "https://undecided.example/a?b#c",
    "file:///etc/passwd",
    "data:text/html,<script>x</script>",
    "about:blank",
    "http://127.0.0.1:8080/",
    "chrome://settings/",
    "javascript:alert(1)",
];

/// The scheme Chromium would see in `url`: it strips leading and trailing C0 controls and
/// spaces, and removes tabs and newlines anywhere, before parsing.
fn chromium_scheme(url: &str) -> String {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    cleaned
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// A payload the fuzzer chose: raw bytes, or an envelope built from its choices.
fn payload(input: &mut Input) -> Option<Vec<u8>> {
    match input.byte() % 4 {
        0 => None,
        1 => Some(input.chunk(4096).to_vec()),
        _ => {
            let kind = if input.flag() {
                input.pick(CATALOGUE).0
            } else {
                Kind(input.u16())
            };
            let mut env = Envelope::raw(kind, input.u64() % 64, input.chunk(4096).to_vec());
            env.version = PROTOCOL_VERSION;
            env.flags = Flags::from_bits(input.byte()).unwrap_or_default();
            if input.flag() {
                env.correlation = Some(u64::from(input.byte()));
            }
            Some(env.encode())
        }
    }
}

/// Check the rules every action must keep.
fn check(hub: &Hub, frame_url: &str, actions: &[HubAction], from_renderer: bool) {
    let origin = permissions_origin_of(frame_url);
    for action in actions {
        match action {
            HubAction::Navigate { url, .. } => {
                let scheme = chromium_scheme(url);
                let builtin_target = scheme == "nexus" && origin.starts_with("nexus://");
                assert!(
                    scheme == "http" || scheme == "https" || builtin_target,
                    "a page on {frame_url} made the browser open {url:?}"
                );
            }
            HubAction::Analyze { .. } if from_renderer => assert_eq!(
                hub.permissions.access(&origin),
                Access::Allowed,
                "a page on {frame_url} reached the AI without permission"
            ),
            HubAction::ProfileQuery { .. } => assert!(
                origin.starts_with("nexus://"),
                "a page on {frame_url} read the profile"
            ),
            HubAction::Reply { envelope, .. } => {
                assert!(envelope.encoded_len() <= MAX_ENVELOPE_BYTES);
            }
            _ => {}
        }
    }
}

/// Any sequence of renderer messages and host events: the adapter only accepts envelopes
/// named for their kind; the hub never panics, never opens a URL of a scheme pages may not
/// open, never lets a site reach the AI or the profile without permission, and counts every
/// message exactly once.
pub fn cef_hub(data: &[u8]) {
    let mut input = Input::new(data);
    let mut hub = Hub::new(if input.flag() {
        Permissions::with_prompts()
    } else {
        Permissions::default()
    });
    hub.permissions.set("https://allowed.example", true);
    hub.permissions.set("https://denied.example", false);
    let mut now = Instant::now();
    let mut handled = 0u64;
    let mut content_requests = Vec::new();
    while !input.is_empty() {
        let tab = TabId(u64::from(input.byte() % 3) + 1);
        match input.byte() % 8 {
            0..=3 => {
                let name = if input.flag() {
                    input.pick(CATALOGUE).1.to_string()
                } else {
                    input.text(40)
                };
                let payload = payload(&mut input);
                let frame_url = if input.byte() == 0xff {
                    input.text(200)
                } else {
                    input.pick(FRAMES).to_string()
                };
                if let Ok(env) = process_message::decode(&name, payload.as_deref()) {
                    assert_eq!(env.kind.to_string(), name);
                }
                let message = RendererMessage {
                    frame_id: format!("frame-{}", input.byte() % 4),
                    frame_url: frame_url.clone(),
                    main_frame: input.flag(),
                    name,
                    payload,
                };
                let actions = hub.handle(tab, message, now);
                handled += 1;
                check(&hub, &frame_url, &actions, true);
            }
            4 => {
                let origin = permissions_origin_of(input.pick::<&str>(FRAMES));
                let actions = hub.decide(&origin, input.flag());
                check(&hub, "nexus://host/", &actions, false);
            }
            5 => {
                let (id, request) = hub.request_content(tab, u32::from(input.u16()));
                assert_eq!(request.id, id);
                content_requests.push(id);
            }
            6 => hub.forget_tab(tab, input.flag()),
            _ => {
                if input.flag() {
                    let sync = DataSync {
                        data_type: DataType::Bookmarks,
                        action: SyncAction::Add,
                        data_json: input.text(512),
                    };
                    let actions = hub.data_sync(&sync);
                    check(&hub, "nexus://host/", &actions, false);
                } else {
                    now += Duration::from_millis(u64::from(input.u16()));
                }
            }
        }
    }
    let counters = hub.counters();
    let counted = counters.accepted()
        + RejectReason::ALL
            .iter()
            .map(|r| counters.rejected(*r))
            .sum::<u64>();
    assert_eq!(
        counted, handled,
        "every renderer message is counted exactly once"
    );
}
