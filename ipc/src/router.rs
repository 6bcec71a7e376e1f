//! Message router: one handler per kind; an unknown kind or an undecodable body becomes an
//! error reply, never a panic.
//!
//! The router is transport-free: the shell's CEF glue routes envelopes that arrived as
//! CEF process messages with it, and a connection's host routes [`crate::Event::Request`]s.

use crate::Kind;
use crate::envelope::{Envelope, Flags, encode_body};
use crate::messages::Message;
use crate::messages::control::{ErrorCode, ErrorReply};
use std::collections::HashMap;

/// What a handler produced.
#[derive(Debug, PartialEq)]
pub enum Routed {
    /// A reply body of `kind`.
    Reply(Kind, Vec<u8>),
    /// An error reply.
    Error(ErrorReply),
    /// Handled; nothing to answer (a notification).
    Done,
}

impl Routed {
    /// The reply envelope for `request` (id `id`), if it was a request and there is one.
    pub fn into_reply(self, request: &Envelope, id: u64) -> Option<Envelope> {
        if !request.is_request() {
            return None;
        }
        let env = match self {
            Routed::Reply(kind, body) => Envelope::raw(kind, id, body),
            Routed::Error(e) => Envelope::new(id, &e),
            Routed::Done => return None,
        };
        Some(env.correlate(request.id).with_flags(Flags::RESPONSE))
    }
}

type Handler<C> = Box<dyn FnMut(&Envelope, &mut C) -> Routed + Send>;

/// Handlers by kind, with a context `C` passed to each (the shell's state, say).
pub struct Router<C> {
    handlers: HashMap<Kind, Handler<C>>,
}

impl<C> Default for Router<C> {
    fn default() -> Self {
        Router {
            handlers: HashMap::new(),
        }
    }
}

impl<C> Router<C> {
    /// An empty router.
    pub fn new() -> Router<C> {
        Router::default()
    }

    /// Handle requests of `M` with a typed reply `R` (or an error reply).
    pub fn on_request<M: Message, R: Message>(
        &mut self,
        mut f: impl FnMut(M, &Envelope, &mut C) -> Result<R, ErrorReply> + Send + 'static,
    ) -> &mut Self {
        self.handlers.insert(
            M::KIND,
            Box::new(move |env, ctx| match env.body::<M>() {
                Ok(m) => match f(m, env, ctx) {
                    Ok(r) => Routed::Reply(R::KIND, encode_body(&r)),
                    Err(e) => Routed::Error(e),
                },
                Err(e) => Routed::Error(ErrorReply {
                    code: ErrorCode::Malformed,
                    message: e.to_string(),
                }),
            }),
        );
        self
    }

    /// Handle fire-and-forget messages of `M`.
    pub fn on_message<M: Message>(
        &mut self,
        mut f: impl FnMut(M, &Envelope, &mut C) + Send + 'static,
    ) -> &mut Self {
        self.handlers.insert(
            M::KIND,
            Box::new(move |env, ctx| match env.body::<M>() {
                Ok(m) => {
                    f(m, env, ctx);
                    Routed::Done
                }
                Err(e) => Routed::Error(ErrorReply {
                    code: ErrorCode::Malformed,
                    message: e.to_string(),
                }),
            }),
        );
        self
    }

    /// Handle a kind with a raw handler.
    pub fn on_raw(
        &mut self,
        kind: Kind,
        f: impl FnMut(&Envelope, &mut C) -> Routed + Send + 'static,
    ) -> &mut Self {
        self.handlers.insert(kind, Box::new(f));
        self
    }

    /// Whether a handler exists for `kind`.
    pub fn handles(&self, kind: Kind) -> bool {
        self.handlers.contains_key(&kind)
    }

    /// Route one envelope.
    pub fn route(&mut self, env: &Envelope, ctx: &mut C) -> Routed {
        match self.handlers.get_mut(&env.kind) {
            Some(h) => h(env, ctx),
            None => Routed::Error(ErrorReply {
                code: ErrorCode::UnknownKind,
                message: format!("no handler for {}", env.kind),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::events::TabCreated;
    use crate::messages::navigation::NavigationRequest;

    fn nav() -> Envelope {
        Envelope::new(
            3,
            &NavigationRequest {
                url: "https://x/".into(),
                tab_id: 2,
                new_window: false,
                incognito: false,
            },
        )
        .with_flags(Flags::REQUEST)
    }

    #[test]
    fn routes_by_kind_with_context() {
        let mut r: Router<Vec<String>> = Router::new();
        r.on_request(|m: NavigationRequest, _, log: &mut Vec<String>| {
            log.push(m.url.clone());
            Ok(TabCreated {
                tab_id: m.tab_id,
                url: m.url,
            })
        });
        let mut log = Vec::new();
        let reply = r.route(&nav(), &mut log).into_reply(&nav(), 10).unwrap();
        assert_eq!(reply.correlation, Some(3));
        assert_eq!(reply.body::<TabCreated>().unwrap().tab_id, 2);
        assert_eq!(log, ["https://x/"]);
    }

    #[test]
    fn unknown_kind_and_bad_body_become_error_replies() {
        let mut r: Router<()> = Router::new();
        r.on_request(|m: NavigationRequest, _, _| {
            Ok(TabCreated {
                tab_id: m.tab_id,
                url: m.url,
            })
        });
        let unknown = Envelope::raw(Kind(0x7999), 1, vec![]).with_flags(Flags::REQUEST);
        match r.route(&unknown, &mut ()) {
            Routed::Error(e) => assert_eq!(e.code, ErrorCode::UnknownKind),
            other => panic!("{other:?}"),
        }
        let garbage =
            Envelope::raw(Kind::NAVIGATION_REQUEST, 1, vec![0xff; 3]).with_flags(Flags::REQUEST);
        match r.route(&garbage, &mut ()) {
            Routed::Error(e) => assert_eq!(e.code, ErrorCode::Malformed),
            other => panic!("{other:?}"),
        }
        // Notifications are never answered, even on error.
        assert!(
            r.route(&unknown, &mut ())
                .into_reply(&Envelope::raw(Kind(0x7999), 1, vec![]), 2)
                .is_none()
        );
    }
}
