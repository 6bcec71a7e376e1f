//! Per-source allow-lists: which kinds each kind of process may send us.
//!
//! A renderer runs web content and is hostile by assumption, so it may send only what the
//! page API and the page-content path need. The defaults are the seed's table grown to
//! the catalogue; anything not listed is refused with `NotAllowed`.

use crate::{Kind, ProcessKind};
use std::collections::{HashMap, HashSet};

/// The kinds one source may send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Allowed {
    /// Every kind (trusted sources).
    All,
    /// Only these kinds.
    Only(HashSet<Kind>),
}

impl Allowed {
    /// Whether `kind` is allowed.
    pub fn permits(&self, kind: Kind) -> bool {
        match self {
            Allowed::All => true,
            Allowed::Only(s) => s.contains(&kind),
        }
    }
}

/// Kinds every peer may send as part of the connection and stream machinery.
pub const CONTROL: &[Kind] = &[
    Kind::ERROR,
    Kind::CANCEL,
    Kind::PING,
    Kind::PONG,
    Kind::GOODBYE,
    Kind::SHM_RELEASE,
    Kind::STREAM_START,
    Kind::STREAM_DATA,
    Kind::STREAM_END,
    Kind::STREAM_ERROR,
    Kind::STREAM_CREDIT,
];

/// What a renderer may send besides [`CONTROL`].
pub const RENDERER: &[Kind] = &[
    Kind::AI_ANALYZE,
    Kind::NAVIGATION_REQUEST,
    Kind::NAVIGATION_COMPLETE,
    Kind::PAGE_CONTENT,
    Kind::API_SUBSCRIBE,
    Kind::PROFILE_QUERY,
];

/// What the AI worker may send besides [`CONTROL`].
pub const AI_WORKER: &[Kind] = &[
    Kind::AI_RESULT,
    Kind::AI_ANSWER,
    Kind::AI_STATUS,
    Kind::BATCH,
];

/// Allow-lists for every source kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowList {
    per_source: HashMap<ProcessKind, Allowed>,
}

impl Default for AllowList {
    fn default() -> Self {
        let only = |extra: &[Kind]| Allowed::Only(CONTROL.iter().chain(extra).copied().collect());
        AllowList {
            per_source: HashMap::from([
                (ProcessKind::Browser, Allowed::All),
                (ProcessKind::Ui, Allowed::All),
                (ProcessKind::Renderer, only(RENDERER)),
                (ProcessKind::AiWorker, only(AI_WORKER)),
            ]),
        }
    }
}

impl AllowList {
    /// Whether `source` may send `kind`.
    pub fn permits(&self, source: ProcessKind, kind: Kind) -> bool {
        self.per_source
            .get(&source)
            .is_some_and(|a| a.permits(kind))
    }

    /// Builder: replace one source's list.
    pub fn set(mut self, source: ProcessKind, allowed: Allowed) -> AllowList {
        self.per_source.insert(source, allowed);
        self
    }

    /// Builder: allow one more kind from `source`.
    pub fn allow(mut self, source: ProcessKind, kind: Kind) -> AllowList {
        match self
            .per_source
            .entry(source)
            .or_insert_with(|| Allowed::Only(HashSet::new()))
        {
            Allowed::All => {}
            Allowed::Only(s) => {
                s.insert(kind);
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renderer_may_send_only_what_it_must() {
        let a = AllowList::default();
        for k in [
            Kind::AI_ANALYZE,
            Kind::NAVIGATION_REQUEST,
            Kind::PAGE_CONTENT,
            Kind::STREAM_DATA,
            Kind::CANCEL,
        ] {
            assert!(a.permits(ProcessKind::Renderer, k), "{k}");
        }
        for k in [
            Kind::DATA_SYNC,
            Kind::UI_UPDATE,
            Kind::AI_RESULT,
            Kind::AI_CONFIGURE,
            Kind::TAB_CREATED,
            Kind(0x7777),
        ] {
            assert!(!a.permits(ProcessKind::Renderer, k), "{k}");
        }
        assert!(a.permits(ProcessKind::Browser, Kind::DATA_SYNC));
        assert!(!a.permits(ProcessKind::AiWorker, Kind::NAVIGATION_REQUEST));
        let a = a.allow(ProcessKind::Renderer, Kind::AI_QUESTION);
        assert!(a.permits(ProcessKind::Renderer, Kind::AI_QUESTION));
    }
}
