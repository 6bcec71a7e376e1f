//! Structural validation: the body decodes into the declared kind (every byte used), and
//! its strings, lists, numbers and embedded JSON stay within limits.
//!
//! Decoding already bounds allocation by the body's size; these limits bound what a
//! handler downstream must cope with (a 5 MB "title", a million headings, a NaN score, a
//! JSON document nested ten thousand deep that would blow a recursive parser's stack).

use crate::Kind;
use crate::envelope::decode_strict;
use crate::error::DecodeError;
use crate::messages::{Span, ai, control, events, navigation, page, stream, sync, ui};

/// Size limits for message fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// URLs (Chromium's own cap is 2 MB; real URLs are far shorter).
    pub max_url: usize,
    /// Short text: titles, names, ids, labels, headings, questions.
    pub max_short: usize,
    /// Long text: page content, answers, JSON payloads.
    pub max_text: usize,
    /// Items in any list.
    pub max_list: usize,
    /// Nesting depth of embedded JSON.
    pub max_json_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_url: 64 * 1024,
            max_short: 4096,
            max_text: 8 * 1024 * 1024,
            max_list: 4096,
            max_json_depth: 32,
        }
    }
}

/// Why a body failed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// The body did not decode (or had trailing bytes).
    Decode(DecodeError),
    /// A field broke a limit.
    Field(String),
    /// The kind has no body type in this build.
    UnknownKind,
}

type Check = Result<(), String>;

fn text(name: &str, s: &str, max: usize) -> Check {
    if s.len() > max {
        Err(format!("{name} is {} bytes (limit {max})", s.len()))
    } else {
        Ok(())
    }
}

fn list<T>(name: &str, v: &[T], l: &Limits) -> Check {
    if v.len() > l.max_list {
        Err(format!(
            "{name} has {} items (limit {})",
            v.len(),
            l.max_list
        ))
    } else {
        Ok(())
    }
}

fn unit(name: &str, x: f32) -> Check {
    if x.is_finite() && (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(format!("{name} = {x} is not within 0..1"))
    }
}

fn span(name: &str, s: &Span) -> Check {
    if s.start <= s.end {
        Ok(())
    } else {
        Err(format!("{name} ends before it starts"))
    }
}

/// Check `json` is well-formed JSON nested at most `max_depth` deep, without recursion.
pub fn json(name: &str, json: &str, l: &Limits) -> Check {
    text(name, json, l.max_text)?;
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    for b in json.bytes() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > l.max_json_depth {
                    return Err(format!("{name} nests deeper than {}", l.max_json_depth));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    serde_json::from_str::<serde::de::IgnoredAny>(json)
        .map(|_| ())
        .map_err(|e| format!("{name} is not valid JSON: {e}"))
}

/// A message that can check its own fields.
pub trait Validate {
    /// Check every field against `l`.
    fn validate(&self, l: &Limits) -> Check;
}

macro_rules! trivially_valid {
    ($($ty:ty),*) => { $( impl Validate for $ty { fn validate(&self, _: &Limits) -> Check { Ok(()) } } )* };
}
trivially_valid!(
    control::Hello,
    control::HelloReply,
    control::Finished,
    control::Cancel,
    control::Ping,
    control::Pong,
    control::ShmRelease,
    events::TabClosed,
    events::TabActivated,
    stream::StreamEnd,
    stream::StreamCredit,
    page::PageContentRequest,
    ai::AiConfigure
);

impl Validate for control::ErrorReply {
    fn validate(&self, l: &Limits) -> Check {
        text("message", &self.message, l.max_short)
    }
}
impl Validate for control::Goodbye {
    fn validate(&self, l: &Limits) -> Check {
        text("reason", &self.reason, l.max_short)
    }
}
impl Validate for navigation::NavigationRequest {
    fn validate(&self, l: &Limits) -> Check {
        text("url", &self.url, l.max_url)
    }
}
impl Validate for navigation::NavigationComplete {
    fn validate(&self, l: &Limits) -> Check {
        text("url", &self.url, l.max_url)?;
        text("title", &self.title, l.max_short)
    }
}
impl Validate for ai::AiAnalyze {
    fn validate(&self, l: &Limits) -> Check {
        text("url", &self.url, l.max_url)?;
        text("title", &self.title, l.max_short)?;
        text("content", &self.content, l.max_text)?;
        text("content_type", &self.content_type, l.max_short)?;
        text(
            "language",
            self.language.as_deref().unwrap_or(""),
            l.max_short,
        )?;
        text(
            "description",
            self.description.as_deref().unwrap_or(""),
            l.max_short,
        )?;
        list("headings", &self.headings, l)?;
        self.headings
            .iter()
            .try_for_each(|h| text("heading", h, l.max_short))?;
        list("features", &self.features, l)
    }
}
impl Validate for ai::AiResult {
    fn validate(&self, l: &Limits) -> Check {
        text("url", &self.url, l.max_url)?;
        text("content_hash", &self.content_hash, l.max_short)?;
        match &self.part {
            ai::AnalysisPart::Category(c) => {
                unit("confidence", c.confidence)?;
                list("scores", &c.scores, l)?;
                c.scores.iter().try_for_each(|(_, s)| unit("score", *s))
            }
            ai::AnalysisPart::Sentiment(s) => {
                unit("positive", s.positive)?;
                unit("negative", s.negative)?;
                unit("neutral", s.neutral)
            }
            ai::AnalysisPart::Entities(es) => {
                list("entities", es, l)?;
                es.iter().try_for_each(|e| {
                    text("entity", &e.text, l.max_short)?;
                    list("mentions", &e.mentions, l)?;
                    e.mentions.iter().try_for_each(|m| span("mention", m))
                })
            }
            ai::AnalysisPart::Summary(ss) => {
                list("summary", ss, l)?;
                ss.iter().try_for_each(|s| {
                    text("sentence", &s.text, l.max_text)?;
                    span("span", &s.span)?;
                    unit("score", s.score)
                })
            }
            ai::AnalysisPart::Complete(_) => Ok(()),
        }
    }
}
impl Validate for ai::AiQuestion {
    fn validate(&self, l: &Limits) -> Check {
        text("url", &self.url, l.max_url)?;
        text("title", &self.title, l.max_short)?;
        text("content", &self.content, l.max_text)?;
        text("question", &self.question, l.max_short)?;
        list("history", &self.history, l)?;
        self.history.iter().try_for_each(|(q, a)| {
            text("history question", q, l.max_short)?;
            text("history answer", a, l.max_text)
        })
    }
}
impl Validate for ai::AiAnswer {
    fn validate(&self, l: &Limits) -> Check {
        match self {
            ai::AiAnswer::Passages(ps) => {
                list("passages", ps, l)?;
                ps.iter().try_for_each(|p| {
                    text("passage", &p.text, l.max_text)?;
                    span("span", &p.span)?;
                    unit("score", p.score)
                })
            }
            ai::AiAnswer::Token(t) => text("token", t, l.max_short),
            ai::AiAnswer::Done(d) => text(
                "generated_by",
                d.generated_by.as_deref().unwrap_or(""),
                l.max_short,
            ),
        }
    }
}
impl Validate for ai::AiStatus {
    fn validate(&self, l: &Limits) -> Check {
        match self {
            ai::AiStatus::Loading { what, progress } => {
                text("what", what, l.max_short)?;
                unit("progress", *progress)
            }
            ai::AiStatus::Ready => Ok(()),
            ai::AiStatus::ModelMissing { path, fix } => {
                text("path", path, l.max_short)?;
                text("fix", fix, l.max_short)
            }
            ai::AiStatus::Failed { reason } => text("reason", reason, l.max_short),
        }
    }
}
impl Validate for ui::UiUpdate {
    fn validate(&self, l: &Limits) -> Check {
        text("element_id", &self.element_id, l.max_short)?;
        text("value", &self.value, l.max_text)
    }
}
impl Validate for sync::DataSync {
    fn validate(&self, l: &Limits) -> Check {
        json("data_json", &self.data_json, l)
    }
}
impl Validate for events::TabCreated {
    fn validate(&self, l: &Limits) -> Check {
        text("url", &self.url, l.max_url)
    }
}
impl Validate for events::PageEvent {
    fn validate(&self, l: &Limits) -> Check {
        text("name", &self.name, l.max_short)?;
        json("payload_json", &self.payload_json, l)
    }
}
impl Validate for stream::StreamStart {
    fn validate(&self, _: &Limits) -> Check {
        Ok(())
    }
}
impl Validate for stream::StreamData {
    fn validate(&self, l: &Limits) -> Check {
        if self.item.len() > l.max_text {
            Err(format!("stream item is {} bytes", self.item.len()))
        } else {
            Ok(())
        }
    }
}
impl Validate for stream::StreamError {
    fn validate(&self, l: &Limits) -> Check {
        text("message", &self.message, l.max_short)
    }
}
impl Validate for page::PageContent {
    fn validate(&self, l: &Limits) -> Check {
        text("url", &self.url, l.max_url)?;
        text("title", &self.title, l.max_short)?;
        text(
            "language",
            self.language.as_deref().unwrap_or(""),
            l.max_short,
        )?;
        text(
            "description",
            self.description.as_deref().unwrap_or(""),
            l.max_short,
        )?;
        list("headings", &self.headings, l)?;
        self.headings
            .iter()
            .try_for_each(|h| text("heading", h, l.max_short))?;
        text("text", &self.text, l.max_text)?;
        text("content_type", &self.content_type, l.max_short)
    }
}
impl Validate for page::ApiPermission {
    fn validate(&self, l: &Limits) -> Check {
        text("origin", &self.origin, l.max_url)
    }
}
impl Validate for page::ApiSubscribe {
    fn validate(&self, l: &Limits) -> Check {
        text("name", &self.name, l.max_short)
    }
}

impl Validate for page::ProfileQuery {
    fn validate(&self, l: &Limits) -> Check {
        text("list", &self.list, l.max_short)?;
        if self.limit > l.max_list as u32 {
            return Err(format!("limit {} is over {}", self.limit, l.max_list));
        }
        Ok(())
    }
}
impl Validate for page::ProfileResult {
    fn validate(&self, l: &Limits) -> Check {
        json("items_json", &self.items_json, l)
    }
}

macro_rules! dispatch {
    ($kind:expr, $body:expr, $l:expr; $($ty:ty),* $(,)?) => {{
        $( if $kind == <$ty as crate::messages::Message>::KIND {
            let m: $ty = decode_strict($kind, $body).map_err(Invalid::Decode)?;
            return m.validate($l).map_err(Invalid::Field);
        } )*
    }};
}

/// Decode `body` as `kind` (strictly) and check its fields. Batches are checked item by
/// item by the caller, not here.
pub fn validate_body(kind: Kind, body: &[u8], l: &Limits) -> Result<(), Invalid> {
    dispatch!(kind, body, l;
        control::Hello, control::HelloReply, control::Finished, control::ErrorReply, control::Cancel,
        control::Ping, control::Pong, control::Goodbye, control::ShmRelease,
        navigation::NavigationRequest, navigation::NavigationComplete,
        ai::AiAnalyze, ai::AiResult, ai::AiQuestion, ai::AiAnswer, ai::AiConfigure, ai::AiStatus,
        ui::UiUpdate, sync::DataSync,
        events::TabCreated, events::TabClosed, events::TabActivated, events::PageEvent,
        stream::StreamStart, stream::StreamData, stream::StreamEnd, stream::StreamError, stream::StreamCredit,
        page::PageContentRequest, page::PageContent, page::ApiPermission, page::ApiSubscribe,
        page::ProfileQuery, page::ProfileResult,
    );
    Err(Invalid::UnknownKind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::encode_body;
    use crate::messages::sync::{DataSync, DataType, SyncAction};

    fn sync(json: &str) -> Vec<u8> {
        encode_body(&DataSync {
            data_type: DataType::Bookmarks,
            action: SyncAction::Add,
            data_json: json.into(),
        })
    }

    #[test]
    fn data_sync_json_must_be_well_formed_and_shallow() {
        let l = Limits::default();
        assert_eq!(
            validate_body(
                Kind::DATA_SYNC,
                &sync(r#"{"title":"a ]] {{ b","n":[1,2]}"#),
                &l
            ),
            Ok(())
        );
        assert!(matches!(
            validate_body(Kind::DATA_SYNC, &sync("{\"a\":"), &l),
            Err(Invalid::Field(_))
        ));
        let deep = format!("{}{}", "[".repeat(33), "]".repeat(33));
        let err = validate_body(Kind::DATA_SYNC, &sync(&deep), &l).unwrap_err();
        assert!(
            matches!(&err, Invalid::Field(m) if m.contains("deeper")),
            "{err:?}"
        );
        let ok = format!("{}{}", "[".repeat(32), "]".repeat(32));
        assert_eq!(validate_body(Kind::DATA_SYNC, &sync(&ok), &l), Ok(()));
    }

    #[test]
    fn nan_and_out_of_range_scores_are_rejected() {
        let r = |confidence: f32| ai::AiResult {
            url: "u".into(),
            content_hash: "h".into(),
            part: ai::AnalysisPart::Category(ai::CategoryResult {
                category: ai::Category::News,
                confidence,
                scores: vec![],
            }),
        };
        let l = Limits::default();
        assert_eq!(
            validate_body(Kind::AI_RESULT, &encode_body(&r(0.5)), &l),
            Ok(())
        );
        for bad in [f32::NAN, -0.1, 1.5, f32::INFINITY] {
            assert!(
                matches!(
                    validate_body(Kind::AI_RESULT, &encode_body(&r(bad)), &l),
                    Err(Invalid::Field(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn limits_and_strict_decoding_apply() {
        let l = Limits {
            max_list: 2,
            ..Limits::default()
        };
        let a = ai::AiAnalyze {
            headings: vec!["a".into(); 3],
            ..Default::default()
        };
        assert!(matches!(
            validate_body(Kind::AI_ANALYZE, &encode_body(&a), &l),
            Err(Invalid::Field(_))
        ));
        let mut b = encode_body(&ai::AiAnalyze::default());
        assert_eq!(validate_body(Kind::AI_ANALYZE, &b, &l), Ok(()));
        b.push(0);
        assert!(matches!(
            validate_body(Kind::AI_ANALYZE, &b, &l),
            Err(Invalid::Decode(DecodeError::TrailingBytes { .. }))
        ));
        // A navigation body declared as ai_analyze does not decode.
        let nav = encode_body(&navigation::NavigationRequest {
            url: "x".into(),
            tab_id: 1,
            new_window: false,
            incognito: false,
        });
        assert!(validate_body(Kind::AI_ANALYZE, &nav, &l).is_err());
        assert_eq!(
            validate_body(Kind(0x7777), &[], &l),
            Err(Invalid::UnknownKind)
        );
    }
}
