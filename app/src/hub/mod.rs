//! The hub: every message a renderer sends passes here, in the browser process.
//!
//! Renderers run web content and are hostile by assumption. A message is attributed to
//! the tab and frame it arrived on and to the URL the browser process knows that frame
//! has (never to anything inside it), then checked by nexus-ipc's policy (renderer
//! allow-list, structure, size, rate limits per tab and kind). A renderer that keeps
//! sending what it may not is cut off. What passes is routed by kind: `ai_analyze` to the
//! AI worker (if the site may use the page API), `profile_query` to the profile (built-in
//! pages only), `navigation_request` to the tab, `api_subscribe` to the event bus, page
//! content to whoever asked for it.
//!
//! The hub does no I/O: it returns [`HubAction`]s that its host (the windowed shell or a
//! headless run) carries out, so every rule is tested here without CEF.

mod content;
mod permissions;
#[cfg(test)]
mod tests;

pub use content::ContentAssembly;
pub use permissions::{Access, Permissions, origin_of as permissions_origin_of};

use crate::cef::events::RendererMessage;
use nexus_ipc::codec::{CodecConfig, EnvelopeCodec};
use nexus_ipc::log::Direction;
use nexus_ipc::messages::ai::{AiAnalyze, AiResult, AnalysisPart};
use nexus_ipc::messages::control::{ErrorCode, ErrorReply};
use nexus_ipc::messages::events::PageEvent;
use nexus_ipc::messages::navigation::{NavigationComplete, NavigationRequest};
use nexus_ipc::messages::page::{
    ApiSubscribe, PageContent, PageContentRequest, ProfileQuery, ProfileResult,
};
use nexus_ipc::messages::sync::DataSync;
use nexus_ipc::policy::PolicyCounters;
use nexus_ipc::{Envelope, Flags, Header, Kind, MessageLog, Policy, ProcessKind};
use nexus_ui::model::TabId;
use std::sync::Arc;
use std::time::Instant;

/// What a rejected page-API call says when the site may not use it.
pub const NOT_ALLOWED: &str = "not allowed on this site";

/// A page-API call waiting for an answer: the frame to answer and its request id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageCall {
    /// The tab.
    pub tab: TabId,
    /// The frame that called.
    pub frame_id: String,
    /// The page's request id (the reply's correlation id).
    pub request: u64,
}

/// A `nexus.profile` query waiting for the profile.
pub type PendingQuery = PageCall;

/// What the hub asks its host to do.
#[derive(Debug)]
pub enum HubAction {
    /// Send an envelope to a frame.
    Reply {
        /// The tab.
        tab: TabId,
        /// The frame.
        frame_id: String,
        /// What to send.
        envelope: Envelope,
    },
    /// Ask the user whether `origin` may use the page API (once per tab and origin).
    AskPermission {
        /// The tab that asks.
        tab: TabId,
        /// The site.
        origin: String,
    },
    /// Stop this tab's renderer: it kept sending what it may not.
    KillRenderer {
        /// The tab.
        tab: TabId,
        /// Why, for the crash pane.
        reason: String,
    },
    /// Open a URL a page asked for.
    Navigate {
        /// The tab that asked.
        tab: TabId,
        /// Where (already checked).
        url: String,
        /// In a new window.
        new_window: bool,
    },
    /// Analyse content for a page that called `nexus.analyzeContent`.
    Analyze {
        /// Who to answer.
        call: PageCall,
        /// The request.
        request: AiAnalyze,
    },
    /// Answer a built-in page's `nexus.profile` query.
    ProfileQuery {
        /// Who to answer.
        query: PendingQuery,
        /// Which list.
        list: String,
        /// How many.
        limit: u32,
    },
    /// Page content the host asked for arrived.
    PageContent {
        /// The tab.
        tab: TabId,
        /// The host's request id.
        request: u64,
        /// The content.
        content: PageContent,
    },
    /// The renderer reports a finished navigation.
    Navigated {
        /// The tab.
        tab: TabId,
        /// The report (its `tab_id` filled in from the tab, not the message).
        complete: NavigationComplete,
    },
}

/// Most page-API calls one tab may have waiting for the user's answer to the permission
/// prompt; later ones are refused at once. Regression: the queue had no bound, so a page
/// on an undecided site calling `nexus.analyzeContent` at its rate limit with large pages
/// grew the browser by hundreds of MB while the prompt waited (found by the hub flood).
pub const MAX_PARKED_PER_TAB: usize = 16;

/// The error text for a call refused because too many wait for the user's answer.
pub const TOO_MANY_WAITING: &str = "too many calls are waiting for your answer on this site";

/// Most event subscriptions one tab's frames may hold (frames times event names).
pub const MAX_SUBSCRIPTIONS_PER_TAB: usize = 64;

/// The hub's state.
pub struct Hub {
    policy: Policy,
    codec: EnvelopeCodec,
    counters: Arc<PolicyCounters>,
    /// Which sites may use the page API.
    pub permissions: Permissions,
    subscriptions: Vec<(TabId, String, String)>,
    parked: Vec<(String, PageCall, Envelope)>,
    asked: Vec<(TabId, String)>,
    content: Vec<(TabId, u64, ContentAssembly)>,
    next_id: u64,
    log: Arc<MessageLog>,
    refused: u64,
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new(Permissions::default())
    }
}

impl Hub {
    /// A hub with these site permissions.
    pub fn new(permissions: Permissions) -> Hub {
        let counters: Arc<PolicyCounters> = Arc::default();
        Hub {
            policy: Policy::default().with_counters(counters.clone()),
            codec: EnvelopeCodec::new(CodecConfig::default()),
            counters,
            permissions,
            subscriptions: Vec::new(),
            parked: Vec::new(),
            asked: Vec::new(),
            content: Vec::new(),
            next_id: 1,
            log: Arc::new(MessageLog::default()),
            refused: 0,
        }
    }

    /// Counts of accepted and rejected messages, by reason.
    pub fn counters(&self) -> Arc<PolicyCounters> {
        self.counters.clone()
    }

    /// The message log (kinds, sizes, peers; never bodies).
    pub fn log(&self) -> Arc<MessageLog> {
        self.log.clone()
    }

    /// What `nexus --ipc-log` prints: the log as JSON lines (kinds, peers, sizes, refusal
    /// reasons; never contents), then one line of counts since the start.
    pub fn write_ipc_log(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        self.log.dump_json_lines(w)?;
        let mut counts: serde_json::Map<String, serde_json::Value> = self
            .counters
            .snapshot()
            .into_iter()
            .map(|(name, n)| (name.to_string(), n.into()))
            .collect();
        counts.insert("hub_refused".into(), self.refused.into());
        writeln!(w, "{}", serde_json::json!({ "counts": counts }))
    }

    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Handle one message from `tab`'s renderer. Every message is recorded in the log,
    /// with why it was refused if it was (by the policy, or by the hub's own rules).
    pub fn handle(&mut self, tab: TabId, message: RendererMessage, now: Instant) -> Vec<HubAction> {
        let bytes = message.payload.clone().unwrap_or_default();
        let checked = self.policy.check_cef_message(
            tab.0,
            ProcessKind::Renderer,
            &message.name,
            &bytes,
            &mut self.codec,
            now,
        );
        let envelope = match checked {
            Ok(envelope) => envelope,
            Err(rejection) => {
                let header = Header::decode(&bytes).map_or(
                    Header {
                        version: 0,
                        flags: Flags::empty(),
                        kind: rejection.kind,
                        id: 0,
                        correlation: None,
                    },
                    |(h, _)| h,
                );
                self.log.record_refused(
                    Direction::In,
                    tab.0,
                    &header,
                    bytes.len(),
                    rejection.reason.name(),
                );
                let mut actions = Vec::new();
                if let Ok(request) = Envelope::decode(&bytes) {
                    let id = self.fresh_id();
                    if let Some(reply) = rejection.reply_to(&request, id) {
                        actions.push(HubAction::Reply {
                            tab,
                            frame_id: message.frame_id.clone(),
                            envelope: reply,
                        });
                    }
                }
                if rejection.offender {
                    actions.push(HubAction::KillRenderer {
                        tab,
                        reason: format!(
                            "Nexus stopped this page because it kept sending messages it may not send ({}).",
                            rejection.reason.name()
                        ),
                    });
                }
                return actions;
            }
        };
        let header = Header {
            version: envelope.version,
            flags: envelope.flags,
            kind: envelope.kind,
            id: envelope.id,
            correlation: envelope.correlation,
        };
        let actions = self.route(tab, &message, envelope);
        match actions.iter().find_map(|a| refusal_of(a, header.id)) {
            Some(reason) => {
                self.refused += 1;
                self.log
                    .record_refused(Direction::In, tab.0, &header, bytes.len(), reason);
            }
            None => self
                .log
                .record_header(Direction::In, tab.0, &header, bytes.len(), None),
        }
        actions
    }

    /// Messages that passed the policy but were refused by the hub's own rules (a site
    /// without permission, a scheme pages may not open, a body that is not what the page
    /// API sends). The policy's own rejections are in [`Hub::counters`].
    pub fn refused(&self) -> u64 {
        self.refused
    }

    fn route(
        &mut self,
        tab: TabId,
        message: &RendererMessage,
        envelope: Envelope,
    ) -> Vec<HubAction> {
        let origin = permissions::origin_of(&message.frame_url);
        let call = PageCall {
            tab,
            frame_id: message.frame_id.clone(),
            request: envelope.id,
        };
        match envelope.kind {
            Kind::AI_ANALYZE => self.gate(origin, call, envelope),
            Kind::API_SUBSCRIBE => {
                if let (Access::Allowed, Ok(sub)) = (
                    self.permissions.access(&origin),
                    envelope.body::<ApiSubscribe>(),
                ) {
                    self.subscribe(tab, &message.frame_id, sub.name);
                }
                Vec::new()
            }
            Kind::PROFILE_QUERY => match (
                permissions::is_builtin(&origin),
                envelope.body::<ProfileQuery>(),
            ) {
                (true, Ok(q)) => vec![HubAction::ProfileQuery {
                    query: call,
                    list: q.list,
                    limit: q.limit,
                }],
                _ => vec![self.error(&call, ErrorCode::NotAllowed, NOT_ALLOWED)],
            },
            Kind::NAVIGATION_REQUEST => match envelope.body::<NavigationRequest>() {
                Ok(nav) => match navigable(&nav.url, &origin) {
                    Ok(()) => vec![HubAction::Navigate {
                        tab,
                        url: nav.url,
                        new_window: nav.new_window,
                    }],
                    Err(why) => vec![self.error(&call, ErrorCode::NotAllowed, &why)],
                },
                Err(e) => vec![self.error(&call, ErrorCode::Malformed, &e.to_string())],
            },
            Kind::NAVIGATION_COMPLETE => match envelope.body::<NavigationComplete>() {
                Ok(mut complete) if message.main_frame => {
                    complete.tab_id = tab.0;
                    // The URL the browser knows, not the one the renderer claims.
                    complete.url = message.frame_url.clone();
                    vec![HubAction::Navigated { tab, complete }]
                }
                _ => Vec::new(),
            },
            Kind::PAGE_CONTENT => {
                let request = envelope.correlation.unwrap_or_default();
                match (
                    self.take_content(tab, request),
                    envelope.body::<PageContent>(),
                ) {
                    (true, Ok(content)) => vec![HubAction::PageContent {
                        tab,
                        request,
                        content,
                    }],
                    _ => Vec::new(),
                }
            }
            Kind::STREAM_START | Kind::STREAM_DATA | Kind::STREAM_END | Kind::STREAM_ERROR => {
                self.content_stream(tab, envelope)
            }
            _ => Vec::new(),
        }
    }

    /// Let a page-API call through, refuse it, or park it until the user decides.
    fn gate(&mut self, origin: String, call: PageCall, envelope: Envelope) -> Vec<HubAction> {
        match self.permissions.access(&origin) {
            Access::Allowed => self.dispatch(call, envelope),
            Access::Denied => vec![self.error(&call, ErrorCode::NotAllowed, NOT_ALLOWED)],
            Access::Ask if !self.permissions.can_prompt => {
                vec![self.error(&call, ErrorCode::NotAllowed, NOT_ALLOWED)]
            }
            Access::Ask
                if self
                    .parked
                    .iter()
                    .filter(|(_, c, _)| c.tab == call.tab)
                    .count()
                    >= MAX_PARKED_PER_TAB =>
            {
                vec![self.error(&call, ErrorCode::RateLimited, TOO_MANY_WAITING)]
            }
            Access::Ask => {
                let ask = !self
                    .asked
                    .iter()
                    .any(|(t, o)| *t == call.tab && *o == origin);
                let tab = call.tab;
                self.parked.push((origin.clone(), call, envelope));
                if ask {
                    self.asked.push((tab, origin.clone()));
                    vec![HubAction::AskPermission { tab, origin }]
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn dispatch(&mut self, call: PageCall, envelope: Envelope) -> Vec<HubAction> {
        match envelope.body::<AiAnalyze>() {
            Ok(request) => vec![HubAction::Analyze { call, request }],
            Err(e) => vec![self.error(&call, ErrorCode::Malformed, &e.to_string())],
        }
    }

    /// The user decided whether `origin` may use the page API: release or refuse the calls
    /// that waited.
    pub fn decide(&mut self, origin: &str, allowed: bool) -> Vec<HubAction> {
        self.permissions.set(origin, allowed);
        self.asked.retain(|(_, o)| o != origin);
        let (waiting, rest): (Vec<_>, Vec<_>) =
            self.parked.drain(..).partition(|(o, _, _)| o == origin);
        self.parked = rest;
        waiting
            .into_iter()
            .flat_map(|(_, call, env)| {
                if allowed {
                    self.dispatch(call, env)
                } else {
                    vec![self.error(&call, ErrorCode::NotAllowed, NOT_ALLOWED)]
                }
            })
            .collect()
    }

    /// An error reply to a page call.
    pub fn error(&mut self, call: &PageCall, code: ErrorCode, message: &str) -> HubAction {
        let id = self.fresh_id();
        let envelope = Envelope::new(
            id,
            &ErrorReply {
                code,
                message: message.to_string(),
            },
        )
        .correlate(call.request)
        .with_flags(Flags::RESPONSE);
        HubAction::Reply {
            tab: call.tab,
            frame_id: call.frame_id.clone(),
            envelope,
        }
    }

    /// One part of an analysis, for the page that asked.
    pub fn analysis_part(
        &mut self,
        call: &PageCall,
        url: &str,
        content_hash: &str,
        part: AnalysisPart,
    ) -> HubAction {
        let id = self.fresh_id();
        let result = AiResult {
            url: url.to_string(),
            content_hash: content_hash.to_string(),
            part,
        };
        let envelope = Envelope::new(id, &result)
            .correlate(call.request)
            .with_flags(Flags::RESPONSE);
        HubAction::Reply {
            tab: call.tab,
            frame_id: call.frame_id.clone(),
            envelope,
        }
    }

    /// The answer to a `nexus.profile` query.
    pub fn profile_result(&mut self, query: &PendingQuery, items_json: String) -> HubAction {
        let id = self.fresh_id();
        let envelope = Envelope::new(id, &ProfileResult { items_json })
            .correlate(query.request)
            .with_flags(Flags::RESPONSE);
        HubAction::Reply {
            tab: query.tab,
            frame_id: query.frame_id.clone(),
            envelope,
        }
    }

    /// Subscribe `frame_id` of `tab` to `event`: once (the renderer hands an event to all
    /// of the frame's listeners, so one subscription per frame and event is enough), and
    /// at most [`MAX_SUBSCRIPTIONS_PER_TAB`] per tab. Regression: every `nexus.on` call
    /// added an entry, so a page calling it in a loop grew the list without bound and had
    /// each event delivered once per call (found by the hub flood).
    fn subscribe(&mut self, tab: TabId, frame_id: &str, event: String) {
        let mut of_tab = 0;
        for (t, f, e) in &self.subscriptions {
            if *t == tab {
                if f == frame_id && *e == event {
                    return;
                }
                of_tab += 1;
            }
        }
        if of_tab < MAX_SUBSCRIPTIONS_PER_TAB {
            self.subscriptions.push((tab, frame_id.to_string(), event));
        }
    }

    /// A `data_sync` change for every frame that subscribed and may hear it.
    pub fn data_sync(&mut self, sync: &DataSync) -> Vec<HubAction> {
        let payload = serde_json::json!({
            "data_type": format!("{:?}", sync.data_type).to_lowercase(),
            "action": format!("{:?}", sync.action).to_lowercase(),
            "record": serde_json::from_str::<serde_json::Value>(&sync.data_json).unwrap_or_default(),
        });
        let event = PageEvent {
            name: "data_sync".into(),
            payload_json: payload.to_string(),
        };
        let targets: Vec<(TabId, String)> = self
            .subscriptions
            .iter()
            .filter(|(_, _, e)| e == "data_sync")
            .map(|(t, f, _)| (*t, f.clone()))
            .collect();
        targets
            .into_iter()
            .map(|(tab, frame_id)| {
                let id = self.fresh_id();
                HubAction::Reply {
                    tab,
                    frame_id,
                    envelope: Envelope::new(id, &event),
                }
            })
            .collect()
    }

    /// Ask `tab`'s main frame for its content; returns the request id and the envelope to
    /// send to the main frame.
    pub fn request_content(&mut self, tab: TabId, max_text_bytes: u32) -> (u64, Envelope) {
        let id = self.fresh_id();
        self.content.push((tab, id, ContentAssembly::default()));
        (
            id,
            Envelope::new(id, &PageContentRequest { max_text_bytes }).with_flags(Flags::REQUEST),
        )
    }

    fn take_content(&mut self, tab: TabId, request: u64) -> bool {
        let before = self.content.len();
        self.content
            .retain(|(t, r, _)| !(*t == tab && *r == request));
        self.content.len() != before
    }

    fn content_stream(&mut self, tab: TabId, envelope: Envelope) -> Vec<HubAction> {
        let request = envelope.correlation.unwrap_or_default();
        let Some(slot) = self
            .content
            .iter_mut()
            .find(|(t, r, _)| *t == tab && *r == request)
        else {
            return Vec::new();
        };
        match slot.2.push(&envelope) {
            content::Progress::More => Vec::new(),
            content::Progress::Done(content) => {
                self.take_content(tab, request);
                vec![HubAction::PageContent {
                    tab,
                    request,
                    content,
                }]
            }
            content::Progress::Failed => {
                self.take_content(tab, request);
                Vec::new()
            }
        }
    }

    /// The tab navigated (its frames and their subscriptions are gone) or closed.
    pub fn forget_tab(&mut self, tab: TabId, closed: bool) {
        self.subscriptions.retain(|(t, _, _)| *t != tab);
        self.parked.retain(|(_, c, _)| c.tab != tab);
        self.asked.retain(|(t, _)| *t != tab);
        self.content.retain(|(t, _, _)| *t != tab);
        if closed {
            self.policy.forget_peer(tab.0);
        }
    }
}

/// Whether a page may ask to open `url` (schemes that run script or reach local files or
/// browser internals are refused; built-in pages may open other built-in pages).
pub fn navigable(url: &str, origin: &str) -> Result<(), String> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower.split(':').next().unwrap_or_default();
    match scheme {
        "http" | "https" => Ok(()),
        "nexus" if permissions::is_builtin(origin) => Ok(()),
        "" => Err("navigation_request: the URL is empty".into()),
        other => Err(format!(
            "navigation_request: pages may not open {other}: URLs"
        )),
    }
}

/// The reason to log when `action` refuses the request `request` (an error reply to it).
fn refusal_of(action: &HubAction, request: u64) -> Option<&'static str> {
    let HubAction::Reply { envelope, .. } = action else {
        return None;
    };
    if envelope.kind != Kind::ERROR || envelope.correlation != Some(request) {
        return None;
    }
    Some(match envelope.body::<ErrorReply>().map(|e| e.code) {
        Ok(ErrorCode::NotAllowed) => "not_allowed",
        Ok(ErrorCode::Malformed) => "malformed",
        _ => "refused",
    })
}
