//! JSON rendering of envelopes for logs and `nexus --ipc-log`.
//!
//! The header renders always; the body only when asked (pages are private), and then by
//! decoding it into its catalogue type and re-serialising that with serde_json.

use super::Envelope;
use crate::Kind;
use crate::error::DecodeError;
use crate::messages::{ai, control, events, navigation, page, stream, sync, ui};
use serde_json::{Value, json};

impl Envelope {
    /// The header as JSON: version, id, kind (name or code), correlation, flags, body size.
    pub fn header_json(&self) -> Value {
        json!({
            "v": self.version,
            "id": self.id,
            "kind": self.kind.to_string(),
            "correlation": self.correlation,
            "flags": self.flags.names(),
            "body_len": self.body.len(),
        })
    }

    /// The header plus, if `with_body`, the decoded body (or the decode error as text).
    pub fn to_json(&self, with_body: bool) -> Value {
        let mut v = self.header_json();
        if with_body {
            v["body"] = match body_to_json(self.kind, &self.body) {
                Ok(b) => b,
                Err(e) => Value::String(format!("<{e}>")),
            };
        }
        v
    }
}

macro_rules! render {
    ($kind:expr, $body:expr; $($ty:ty),* $(,)?) => {{
        $( if $kind == <$ty as crate::messages::Message>::KIND {
            let m: $ty = postcard::from_bytes($body)
                .map_err(|e| DecodeError::Body { kind: $kind, reason: e.to_string() })?;
            return Ok(serde_json::to_value(&m).unwrap_or(Value::Null));
        } )*
    }};
}

/// Decode a plain (not compressed, not shared-memory) body of `kind` and render it as JSON.
pub fn body_to_json(kind: Kind, body: &[u8]) -> Result<Value, DecodeError> {
    render!(kind, body;
        control::Hello, control::HelloReply, control::Finished, control::ErrorReply,
        control::Cancel, control::ShmRelease, control::Ping, control::Pong, control::Goodbye,
        navigation::NavigationRequest, navigation::NavigationComplete,
        ai::AiAnalyze, ai::AiResult, ai::AiQuestion, ai::AiAnswer, ai::AiConfigure, ai::AiStatus,
        ui::UiUpdate, sync::DataSync,
        events::TabCreated, events::TabClosed, events::TabActivated, events::PageEvent,
        stream::StreamStart, stream::StreamData, stream::StreamEnd, stream::StreamError,
        stream::StreamCredit,
        page::PageContentRequest, page::PageContent, page::ApiPermission, page::ApiSubscribe,
        page::ProfileQuery, page::ProfileResult,
    );
    if kind == Kind::BATCH {
        let items = super::decode_batch(body)?;
        return Ok(Value::Array(
            items.iter().map(|e| e.to_json(true)).collect(),
        ));
    }
    Err(DecodeError::Body {
        kind,
        reason: "no body type for this kind".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::events::TabCreated;

    #[test]
    fn header_never_shows_the_body_unless_asked() {
        let e = Envelope::new(
            5,
            &TabCreated {
                tab_id: 3,
                url: "https://secret.example/".into(),
            },
        );
        let h = e.to_json(false).to_string();
        assert!(h.contains("\"kind\":\"tab_created\""), "{h}");
        assert!(!h.contains("secret"), "{h}");
        let full = e.to_json(true);
        assert_eq!(full["body"]["url"], "https://secret.example/");
    }

    #[test]
    fn every_catalogue_kind_except_batch_has_a_renderer() {
        for (kind, name) in crate::CATALOGUE {
            if *kind == Kind::BATCH {
                continue;
            }
            // An empty body fails to decode for most kinds, but must not say "no body type".
            if let Err(DecodeError::Body { reason, .. }) = body_to_json(*kind, &[]) {
                assert_ne!(reason, "no body type for this kind", "{name}");
            }
        }
    }
}
