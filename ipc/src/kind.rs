//! Message kinds: the stable numeric code every envelope carries, and its name.
//!
//! Codes are grouped by family in the high byte (0x00 control, 0x01 navigation, 0x02 AI,
//! 0x03 UI, 0x04 sync, 0x05 events, 0x06 streams, 0x07 page content, 0x08 page API).
//! A peer that receives a code it does not know keeps the envelope intact and answers a
//! request with an `error` reply ("unknown message kind"); new kinds therefore never break
//! old peers. Codes are never reused.

use serde::{Deserialize, Serialize};

/// The kind of an envelope: a stable `u16` code on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Kind(pub u16);

macro_rules! kinds {
    ($( $(#[$doc:meta])* $konst:ident = $code:literal, $name:literal; )*) => {
        impl Kind {
            $( $(#[$doc])* pub const $konst: Kind = Kind($code); )*
        }
        /// Every kind this build knows, with its name, in code order.
        pub const CATALOGUE: &[(Kind, &str)] = &[ $( (Kind::$konst, $name), )* ];
    };
}

kinds! {
    /// Handshake, first flight (plaintext): versions offered, ephemeral key.
    HELLO = 0x0001, "hello";
    /// Handshake, second flight (plaintext): version chosen, ephemeral key.
    HELLO_REPLY = 0x0002, "hello_reply";
    /// Handshake, key confirmation bound to the launch secret.
    FINISHED = 0x0003, "finished";
    /// A failed request: the reply to a request that could not be served.
    ERROR = 0x0004, "error";
    /// The requester no longer wants the reply to a request (correlation id names it).
    CANCEL = 0x0005, "cancel";
    /// Keepalive probe.
    PING = 0x0006, "ping";
    /// Keepalive answer.
    PONG = 0x0007, "pong";
    /// Several fire-and-forget envelopes in one (flag BATCH).
    BATCH = 0x0008, "batch";
    /// Orderly goodbye before closing a connection.
    GOODBYE = 0x0009, "goodbye";
    /// The receiver finished with a shared-memory region; the sender may reuse it.
    SHM_RELEASE = 0x000a, "shm_release";

    /// Open a URL in a tab (renderer or UI -> shell).
    NAVIGATION_REQUEST = 0x0101, "navigation_request";
    /// A navigation finished (renderer -> shell).
    NAVIGATION_COMPLETE = 0x0102, "navigation_complete";

    /// Analyse a page (shell -> AI worker, page -> shell).
    AI_ANALYZE = 0x0201, "ai_analyze";
    /// (Part of) the analysis of a page (AI worker -> shell -> page/sidebar).
    AI_RESULT = 0x0202, "ai_result";
    /// A question about a page (shell -> AI worker).
    AI_QUESTION = 0x0203, "ai_question";
    /// (Part of) an answer to a question (AI worker -> shell).
    AI_ANSWER = 0x0204, "ai_answer";
    /// New AI settings (shell -> AI worker).
    AI_CONFIGURE = 0x0205, "ai_configure";
    /// Worker state: loading models, ready, failed (AI worker -> shell).
    AI_STATUS = 0x0206, "ai_status";

    /// Set a property of a DOM element, as data (shell -> renderer).
    UI_UPDATE = 0x0301, "ui_update";

    /// A bookmark/history/settings record changed (shell -> renderers and peers).
    DATA_SYNC = 0x0401, "data_sync";

    /// A tab was created (event).
    TAB_CREATED = 0x0501, "tab_created";
    /// A tab was closed (event).
    TAB_CLOSED = 0x0502, "tab_closed";
    /// The active tab changed (event).
    TAB_ACTIVATED = 0x0503, "tab_activated";
    /// A named event for the page API's `nexus.on(name, cb)` (shell -> renderer).
    PAGE_EVENT = 0x0504, "page_event";

    /// A stream opens (its items are bodies of `item_kind`).
    STREAM_START = 0x0601, "stream_start";
    /// One item of a stream.
    STREAM_DATA = 0x0602, "stream_data";
    /// The stream finished normally.
    STREAM_END = 0x0603, "stream_end";
    /// The stream failed; no more items follow.
    STREAM_ERROR = 0x0604, "stream_error";
    /// The receiver grants the sender more items (credit-based backpressure).
    STREAM_CREDIT = 0x0605, "stream_credit";

    /// Ask a renderer for the page's readable content (shell -> renderer).
    PAGE_CONTENT_REQUEST = 0x0701, "page_content_request";
    /// The page's readable content (renderer -> shell).
    PAGE_CONTENT = 0x0702, "page_content";

    /// Which page-API features a frame may use (shell -> renderer).
    API_PERMISSION = 0x0801, "api_permission";
    /// A page subscribed to an event through `nexus.on` (renderer -> shell).
    API_SUBSCRIBE = 0x0802, "api_subscribe";
    /// A built-in page asks for profile data, e.g. bookmarks (renderer -> shell).
    PROFILE_QUERY = 0x0803, "profile_query";
    /// The answer to a `profile_query` (shell -> renderer).
    PROFILE_RESULT = 0x0804, "profile_result";
}

impl Kind {
    /// The kind's catalogue name, or `None` for a code this build does not know.
    pub fn name(self) -> Option<&'static str> {
        CATALOGUE.iter().find(|(k, _)| *k == self).map(|(_, n)| *n)
    }

    /// Look a kind up by its catalogue name (the name a CEF process message carries).
    pub fn from_name(name: &str) -> Option<Kind> {
        CATALOGUE.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }

    /// Whether this build knows the kind.
    pub fn is_known(self) -> bool {
        self.name().is_some()
    }

    /// Whether `name` is what a CEF process message carrying this kind is called: its
    /// catalogue name, or for a code this build does not know its `Display` form
    /// (`unknown(0x7abc)`), which is what the CEF adapter names it.
    pub fn is_named(self, name: &str) -> bool {
        match self.name() {
            Some(n) => n == name,
            None => name == self.to_string(),
        }
    }
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "unknown(0x{:04x})", self.0),
        }
    }
}

/// The kind of process at the other end of a connection. Policy (allow-lists, rate
/// limits) is chosen by this, and it comes from how the connection was made, never from
/// a field inside a message.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub enum ProcessKind {
    /// The shell (browser process): the only trusted process.
    Browser,
    /// A CEF renderer process: runs web content, hostile by assumption.
    Renderer,
    /// The AI worker process.
    AiWorker,
    /// The shell's own UI (same process, through the in-memory transport).
    Ui,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique() {
        for (i, (k, n)) in CATALOGUE.iter().enumerate() {
            for (k2, n2) in &CATALOGUE[i + 1..] {
                assert_ne!(k, k2, "duplicate code for {n} and {n2}");
                assert_ne!(n, n2, "duplicate name {n}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for (k, n) in CATALOGUE {
            assert_eq!(Kind::from_name(n), Some(*k));
            assert_eq!(k.name(), Some(*n));
        }
        assert_eq!(Kind(0x7fff).name(), None);
        assert_eq!(Kind(0x7fff).to_string(), "unknown(0x7fff)");
    }
}
