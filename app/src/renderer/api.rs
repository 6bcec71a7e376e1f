//! `window.nexus`: the page's API.
//!
//! * `nexus.version` — Nexus's version;
//! * `nexus.analyzeContent(url, content)` — a Promise of the page analysis;
//! * `nexus.on(event, callback)` — subscribe to an event (`"data_sync"`);
//! * `nexus.profile(what)` — a Promise of `"bookmarks"` or `"top_sites"` (built-in pages).
//!
//! Arguments are checked here, with exceptions a web developer can read. Whether a site
//! may use the API at all is decided by the browser process, from the origin it knows the
//! frame has, never from anything the page says: a refused call rejects its Promise with
//! "not allowed on this site".

use super::state::{PendingCall, Subscription, Waiting, with_state};
use super::v8json::{attribute_read_only, string_of};
use crate::cef::class::cef_class;
use crate::cef::compat::strings::cef_string;
use crate::cef::compat::v8::{CallResult, NativeFunctions};
use crate::cef::process_message::send_to_browser;
use cef::*;
use cef_dll_sys as sys;
use nexus_ipc::Envelope;
use nexus_ipc::messages::ai::{AiAnalyze, Analysis};
use nexus_ipc::messages::page::{ApiSubscribe, ProfileQuery};

/// Longest URL `analyzeContent` takes, in characters.
pub const MAX_URL_CHARS: usize = 8 * 1024;
/// Longest content `analyzeContent` takes, in characters.
pub const MAX_CONTENT_CHARS: usize = 1_000_000;
/// Events pages may subscribe to.
pub const EVENTS: &[&str] = &["data_sync"];
/// What `nexus.profile` answers.
pub const PROFILE_LISTS: &[&str] = &["bookmarks", "top_sites"];

/// Install `window.nexus` into a new V8 context.
pub fn install(context: &mut impl ImplV8context) {
    let Some(global) = context.get_global() else {
        return;
    };
    let handler = V8handler::new(NexusApi::make(()));
    crate::cef::compat::v8::install::<NexusApi>(&handler);
    let Some(nexus) = v8value_create_object(
        Option::<&mut V8accessor>::None,
        Option::<&mut V8interceptor>::None,
    ) else {
        return;
    };
    for name in ["analyzeContent", "on", "profile"] {
        let mut handler = handler.clone();
        if let Some(mut function) =
            v8value_create_function(Some(&cef_string(name)), Some(&mut handler))
        {
            nexus.set_value_bykey(
                Some(&cef_string(name)),
                Some(&mut function),
                attribute_read_only(),
            );
        }
    }
    if std::env::var("NEXUS_RENDERER_TEST_HOOKS").as_deref() == Ok("1") {
        // Test builds only: lets a page act like a compromised renderer (see `forge`) and
        // name its renderer process (so a test can kill exactly that one).
        for name in ["__forge", "__pid"] {
            let mut handler = handler.clone();
            if let Some(mut function) =
                v8value_create_function(Some(&cef_string(name)), Some(&mut handler))
            {
                nexus.set_value_bykey(
                    Some(&cef_string(name)),
                    Some(&mut function),
                    attribute_read_only(),
                );
            }
        }
    }
    if let Some(mut version) = v8value_create_string(Some(&cef_string(env!("CARGO_PKG_VERSION")))) {
        nexus.set_value_bykey(
            Some(&cef_string("version")),
            Some(&mut version),
            attribute_read_only(),
        );
    }
    let mut nexus = nexus;
    global.set_value_bykey(
        Some(&cef_string("nexus")),
        Some(&mut nexus),
        attribute_read_only(),
    );
}

cef_class!(
    NexusApi,
    sys::_cef_v8handler_t,
    WrapV8handler,
    ImplV8handler,
    (),
    {}
);

impl NativeFunctions for NexusApi {
    fn call(&self, name: &str, _this: Option<V8value>, args: Vec<V8value>) -> CallResult {
        let context = v8context_get_current_context().ok_or("nexus: no JavaScript context")?;
        let frame = context.get_frame().ok_or("nexus: the page has no frame")?;
        match name {
            "analyzeContent" => analyze_content(context, &frame, &args),
            "on" => subscribe(context, &frame, &args),
            "profile" => profile(context, &frame, &args),
            "__forge" => forge(&frame, &args),
            "__pid" => Ok(v8value_create_int(std::process::id() as i32)),
            other => Err(format!("nexus.{other} is not a function")),
        }
    }
}

fn analyze_content(context: V8context, frame: &Frame, args: &[V8value]) -> CallResult {
    const USAGE: &str = "nexus.analyzeContent(url, content)";
    let [url, content] = args else {
        return Err(format!("{USAGE} takes 2 arguments, got {}", args.len()));
    };
    let url = string_of(url).ok_or(format!("{USAGE}: url must be a string"))?;
    let content = string_of(content).ok_or(format!("{USAGE}: content must be a string"))?;
    if url.chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "{USAGE}: url is longer than {MAX_URL_CHARS} characters"
        ));
    }
    let chars = content.chars().count();
    if chars > MAX_CONTENT_CHARS {
        return Err(format!(
            "{USAGE}: content is {chars} characters, more than the {MAX_CONTENT_CHARS} allowed"
        ));
    }
    let request = AiAnalyze {
        url,
        content,
        content_type: "text/plain".into(),
        ..AiAnalyze::default()
    };
    start_call(
        context,
        frame,
        Waiting::Analysis(Analysis::default()),
        |id| Envelope::new(id, &request),
    )
}

fn subscribe(context: V8context, frame: &Frame, args: &[V8value]) -> CallResult {
    const USAGE: &str = "nexus.on(event, callback)";
    let [event, callback] = args else {
        return Err(format!("{USAGE} takes 2 arguments, got {}", args.len()));
    };
    let event = string_of(event).ok_or(format!("{USAGE}: event must be a string"))?;
    if !EVENTS.contains(&event.as_str()) {
        return Err(format!(
            "{USAGE}: unknown event {event:?} (known: {})",
            EVENTS.join(", ")
        ));
    }
    if callback.is_function() == 0 {
        return Err(format!("{USAGE}: callback must be a function"));
    }
    let id = with_state(|s| {
        s.subscriptions.push(Subscription {
            context,
            event: event.clone(),
            callback: callback.clone(),
        });
        s.next_id()
    });
    send_to_browser(frame, &Envelope::new(id, &ApiSubscribe { name: event }));
    Ok(None)
}

fn profile(context: V8context, frame: &Frame, args: &[V8value]) -> CallResult {
    const USAGE: &str = "nexus.profile(list)";
    let [list] = args else {
        return Err(format!("{USAGE} takes 1 argument, got {}", args.len()));
    };
    let list = string_of(list).ok_or(format!("{USAGE}: list must be a string"))?;
    if !PROFILE_LISTS.contains(&list.as_str()) {
        return Err(format!(
            "{USAGE}: unknown list {list:?} (known: {})",
            PROFILE_LISTS.join(", ")
        ));
    }
    start_call(context, frame, Waiting::Profile, |id| {
        Envelope::new(id, &ProfileQuery { list, limit: 12 })
    })
}

/// Test hook (only with `NEXUS_RENDERER_TEST_HOOKS=1`): act as a compromised renderer
/// could, so tests can check that the browser process refuses it, counts it and stops the
/// renderer. `nexus.__forge(name, count)` sends `count` forged `ai_result` envelopes (a kind
/// renderers may not send); `nexus.__forge(name, count, hex, pad)` sends `count` process
/// messages named `name` whose payload is the bytes `hex` spells followed by `pad` zero
/// bytes (oversized, truncated or mislabelled envelopes, invalid UTF-8, anything).
fn forge(frame: &Frame, args: &[V8value]) -> CallResult {
    use nexus_ipc::messages::ai::{AiResult, AnalysisInfo, AnalysisPart};
    let count = args
        .get(1)
        .map(|c| c.get_int_value())
        .unwrap_or(1)
        .clamp(1, 10_000);
    if let Some(hex) = args.get(2).and_then(string_of) {
        let name = args.first().and_then(string_of).unwrap_or_default();
        let mut bytes = unhex(&hex).ok_or("nexus.__forge: hex must be pairs of hex digits")?;
        let pad = args
            .get(3)
            .map(|p| p.get_int_value())
            .unwrap_or(0)
            .clamp(0, 16 << 20);
        bytes.resize(bytes.len() + pad as usize, 0);
        for _ in 0..count {
            crate::cef::process_message::send_named(frame, &name, &bytes);
        }
        return Ok(None);
    }
    for i in 0..count {
        let forged = AiResult {
            url: "forged".into(),
            content_hash: "x".into(),
            part: AnalysisPart::Complete(AnalysisInfo::default()),
        };
        send_to_browser(frame, &Envelope::new(i as u64 + 1, &forged));
    }
    Ok(None)
}

fn unhex(hex: &str) -> Option<Vec<u8>> {
    let digits = hex.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

fn start_call(
    context: V8context,
    frame: &Frame,
    waiting: Waiting,
    envelope: impl FnOnce(u64) -> Envelope,
) -> CallResult {
    let promise = v8value_create_promise().ok_or("nexus: could not create a Promise")?;
    let id = with_state(|s| {
        let id = s.next_id();
        s.pending.insert(
            id,
            PendingCall {
                context,
                promise: promise.clone(),
                waiting,
            },
        );
        id
    });
    // A request: the browser answers it (a rejection included) with a correlated reply.
    send_to_browser(frame, &envelope(id).with_flags(nexus_ipc::Flags::REQUEST));
    Ok(Some(promise))
}
