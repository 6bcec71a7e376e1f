//! The render-process handler: installs `window.nexus`, answers the browser's requests
//! (page content, UI updates) and settles the page's pending promises.

use super::state::{Waiting, with_state};
use super::v8json::to_v8;
use super::{api, dom, ui_update};
use crate::cef::class::cef_class;
use crate::cef::compat::strings::cef_string;
use crate::cef::process_message::{self, send_to_browser};
use cef::*;
use cef_dll_sys as sys;
use nexus_ipc::messages::ai::{AiResult, AnalysisPart};
use nexus_ipc::messages::control::ErrorReply;
use nexus_ipc::messages::events::PageEvent;
use nexus_ipc::messages::navigation::NavigationComplete;
use nexus_ipc::messages::page::{PageContentRequest, ProfileResult};
use nexus_ipc::messages::stream::{StreamData, StreamEnd, StreamStart};
use nexus_ipc::messages::ui::UiUpdate;
use nexus_ipc::{Envelope, Kind};

/// Page content larger than this (encoded) travels as a stream of chunks of this size.
pub const CONTENT_CHUNK: usize = 256 * 1024;

/// Build the render-process handler.
pub fn make() -> RenderProcessHandler {
    let load = LoadHandler::new(PageLoadReporter::make(()));
    RenderProcessHandler::new(PageRenderer::make(load))
}

cef_class!(
    PageRenderer,
    sys::_cef_render_process_handler_t,
    WrapRenderProcessHandler,
    ImplRenderProcessHandler,
    LoadHandler,
    {
        fn get_load_handler(&self) -> Option<LoadHandler> {
            Some(self.d.clone())
        }
        fn on_context_created(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _frame: Option<&mut impl ImplFrame>,
            context: Option<&mut impl ImplV8context>,
        ) {
            if let Some(context) = context {
                api::install(context);
            }
        }
        fn on_context_released(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _frame: Option<&mut impl ImplFrame>,
            context: Option<&mut impl ImplV8context>,
        ) {
            if let Some(context) = context {
                with_state(|s| s.release_context(context));
            }
        }
        fn on_process_message_received(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            frame: Option<&mut impl ImplFrame>,
            _source_process: ProcessId,
            message: Option<&mut impl ImplProcessMessage>,
        ) -> std::os::raw::c_int {
            let (Some(frame), Some(message)) = (frame, message) else {
                return 0;
            };
            let (name, payload) = process_message::read(message);
            if name == process_message::RAW_BENCH_NAME {
                // The round-trip benchmark's baseline: echo the bytes, no envelope.
                process_message::send_raw(frame, payload.as_deref().unwrap_or_default());
                return 1;
            }
            match process_message::decode(&name, payload.as_deref()) {
                Ok(envelope) => {
                    handle(frame, envelope);
                    1
                }
                Err(err) => {
                    tracing::warn!(
                        "renderer: ignoring a malformed message from the browser: {err}"
                    );
                    0
                }
            }
        }
    }
);

fn handle(frame: &mut impl ImplFrame, envelope: Envelope) {
    match envelope.kind {
        Kind::AI_RESULT => match envelope.body::<AiResult>() {
            Ok(result) => fold_analysis(envelope.correlation, result.part),
            Err(err) => settle(
                envelope.correlation,
                Err(format!("malformed analysis: {err}")),
            ),
        },
        Kind::ERROR => {
            let message = envelope
                .body::<ErrorReply>()
                .map(|e| e.message)
                .unwrap_or_else(|e| e.to_string());
            settle(envelope.correlation, Err(message));
        }
        Kind::PROFILE_RESULT => {
            let result = envelope
                .body::<ProfileResult>()
                .map_err(|e| e.to_string())
                .and_then(|r| serde_json::from_str(&r.items_json).map_err(|e| e.to_string()));
            settle(envelope.correlation, result);
        }
        Kind::PAGE_EVENT => {
            if let Ok(event) = envelope.body::<PageEvent>() {
                dispatch_event(frame, &event);
            }
        }
        Kind::PAGE_CONTENT_REQUEST => {
            if let Ok(request) = envelope.body::<PageContentRequest>() {
                send_content(frame, envelope.id, request.max_text_bytes as usize);
            }
        }
        Kind::PING => {
            let pong = Envelope::new(envelope.id, &nexus_ipc::messages::control::Pong {})
                .correlate(envelope.id)
                .with_flags(nexus_ipc::Flags::RESPONSE);
            send_to_browser(frame, &pong);
        }
        Kind::UI_UPDATE => {
            if let Ok(update) = envelope.body::<UiUpdate>()
                && let Err(err) = ui_update::apply(frame, &update)
            {
                tracing::debug!("ui_update not applied: {err}");
            }
        }
        _ => {}
    }
}

/// Fold a streamed analysis part into its pending call; resolve on `Complete`.
fn fold_analysis(request: Option<u64>, part: AnalysisPart) {
    let Some(id) = request else { return };
    let done = with_state(|s| match s.pending.get_mut(&id) {
        Some(call) => match &mut call.waiting {
            Waiting::Analysis(analysis) => {
                let complete = matches!(part, AnalysisPart::Complete(_));
                analysis.apply(part);
                complete.then(|| serde_json::to_value(&*analysis).unwrap_or_default())
            }
            Waiting::Profile => None,
        },
        None => None,
    });
    if let Some(value) = done {
        settle(Some(id), Ok(value));
    }
}

/// Resolve or reject the promise of call `request`.
fn settle(request: Option<u64>, outcome: Result<serde_json::Value, String>) {
    let Some(id) = request else { return };
    let Some(call) = with_state(|s| s.pending.remove(&id)) else {
        return;
    };
    if call.context.enter() == 0 {
        return;
    }
    match outcome {
        Ok(value) => {
            if let Some(mut v) = to_v8(&value) {
                call.promise.resolve_promise(Some(&mut v));
            }
        }
        Err(message) => {
            call.promise.reject_promise(Some(&cef_string(&message)));
        }
    }
    call.context.exit();
}

fn dispatch_event(frame: &mut impl ImplFrame, event: &PageEvent) {
    let Some(mut context) = frame.get_v8context() else {
        return;
    };
    let callbacks: Vec<V8value> = with_state(|s| {
        s.subscriptions
            .iter()
            .filter(|sub| sub.event == event.name && sub.context.is_same(Some(&mut context)) != 0)
            .map(|sub| sub.callback.clone())
            .collect()
    });
    if callbacks.is_empty() || context.enter() == 0 {
        return;
    }
    let payload: serde_json::Value = serde_json::from_str(&event.payload_json).unwrap_or_default();
    for callback in callbacks {
        let arg = to_v8(&payload);
        callback.execute_function(Option::<&mut V8value>::None, Some(&[arg]));
    }
    context.exit();
}

/// Answer a page-content request, as one message or (when large) a stream of chunks.
fn send_content(frame: &mut impl ImplFrame, request: u64, max_text_bytes: usize) {
    let content = dom::page_content(frame, max_text_bytes);
    let reply = Envelope::new(request, &content).correlate(request);
    if reply.body.len() <= CONTENT_CHUNK {
        send_to_browser(frame, &reply);
        return;
    }
    let start = StreamStart {
        stream_id: request,
        item_kind: Some(Kind::PAGE_CONTENT),
        total_len: Some(reply.body.len() as u64),
        initial_credits: 0,
    };
    send_to_browser(frame, &Envelope::new(request, &start).correlate(request));
    let chunks = reply.body.chunks(CONTENT_CHUNK);
    let items = chunks.len() as u64;
    for (seq, chunk) in reply.body.chunks(CONTENT_CHUNK).enumerate() {
        let data = StreamData {
            stream_id: request,
            seq: seq as u64,
            item: chunk.to_vec(),
        };
        send_to_browser(frame, &Envelope::new(request, &data).correlate(request));
    }
    send_to_browser(
        frame,
        &Envelope::new(
            request,
            &StreamEnd {
                stream_id: request,
                items,
            },
        )
        .correlate(request),
    );
}

cef_class!(
    PageLoadReporter,
    sys::_cef_load_handler_t,
    WrapLoadHandler,
    ImplLoadHandler,
    (),
    {
        fn on_load_end(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            frame: Option<&mut impl ImplFrame>,
            http_status_code: std::os::raw::c_int,
        ) {
            let Some(frame) = frame.filter(|f| f.is_main() != 0) else {
                return;
            };
            let url = frame
                .get_url()
                .map(|u| crate::cef::compat::strings::to_string(&u))
                .unwrap_or_default();
            let done = NavigationComplete {
                url,
                tab_id: 0,
                http_status: http_status_code.clamp(0, u16::MAX as i32) as u16,
                title: dom::title(frame),
            };
            send_to_browser(frame, &Envelope::new(0, &done));
        }
    }
);
