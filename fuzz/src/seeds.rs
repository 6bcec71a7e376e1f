//! Starting inputs for each target, written in the target's own input layout (see each
//! target's use of [`crate::input::Input`]): well-formed messages, frames, handshakes,
//! logs and bookmark files, so the fuzzer starts from the interesting region instead of
//! having to discover the formats. `cargo run -p nexus-fuzz --example seeds` writes them
//! into `fuzz/corpus/TARGET/` (the committed corpora grew from these).

use nexus_ipc::envelope::encode_batch;
use nexus_ipc::messages::ai::{
    AiAnalyze, AiResult, AnalysisInfo, AnalysisPart, Category, CategoryResult,
};
use nexus_ipc::messages::control::{
    Cancel, ErrorCode, ErrorReply, Goodbye, Hello, Ping, ShmRelease,
};
use nexus_ipc::messages::navigation::{NavigationComplete, NavigationRequest};
use nexus_ipc::messages::page::{ApiSubscribe, PageContent, ProfileQuery};
use nexus_ipc::messages::stream::{StreamCredit, StreamData, StreamEnd, StreamError, StreamStart};
use nexus_ipc::messages::sync::{DataSync, DataType, SyncAction};
use nexus_ipc::{CATALOGUE, Envelope, Flags, Kind};

fn catalogue_index(kind: Kind) -> u8 {
    CATALOGUE
        .iter()
        .position(|(k, _)| *k == kind)
        .expect("known kind") as u8
}

fn u16le(n: usize) -> [u8; 2] {
    (n as u16).to_le_bytes()
}

fn frame(bytes: &[u8]) -> Vec<u8> {
    let mut v = (bytes.len() as u32).to_le_bytes().to_vec();
    v.extend_from_slice(bytes);
    v
}

/// Well-formed envelopes of every family renderers, the worker and the shell exchange.
pub fn envelopes() -> Vec<Envelope> {
    let nav = NavigationRequest {
        url: "https://example.org/".into(),
        tab_id: 0,
        new_window: false,
        incognito: false,
    };
    let analyze = AiAnalyze {
        url: "https://news.example/a".into(),
        title: "A title".into(),
        content: "Some readable text of the page. ".repeat(8),
        headings: vec!["Heading".into()],
        ..Default::default()
    };
    let result = AiResult {
        url: "https://news.example/a".into(),
        content_hash: "abc".into(),
        part: AnalysisPart::Category(CategoryResult {
            category: Category::News,
            confidence: 0.75,
            scores: vec![(Category::News, 0.75)],
        }),
    };
    let complete = AiResult {
        url: "u".into(),
        content_hash: "h".into(),
        part: AnalysisPart::Complete(AnalysisInfo::default()),
    };
    let sync = DataSync {
        data_type: DataType::Bookmarks,
        action: SyncAction::Add,
        data_json:
            r#"{"guid":"abc","title":"T","url":"https://a.example/","children":[[1,2],{"x":null}]}"#
                .into(),
    };
    let content = PageContent {
        url: "https://a.example/".into(),
        title: "T".into(),
        text: "Body text.".into(),
        content_type: "text/html".into(),
        ..Default::default()
    };
    let start = StreamStart {
        stream_id: 1,
        item_kind: Some(Kind::PAGE_CONTENT),
        total_len: Some(64),
        initial_credits: 4,
    };
    let data = StreamData {
        stream_id: 1,
        seq: 0,
        item: nexus_ipc::envelope::encode_body(&content),
    };
    let items = vec![Envelope::new(1, &Ping {}), Envelope::new(2, &complete)];
    vec![
        Envelope::new(1, &nav).with_flags(Flags::REQUEST),
        Envelope::new(2, &analyze).with_flags(Flags::REQUEST),
        Envelope::new(3, &result)
            .correlate(2)
            .with_flags(Flags::RESPONSE),
        Envelope::new(4, &sync),
        Envelope::new(
            5,
            &ApiSubscribe {
                name: "data_sync".into(),
            },
        ),
        Envelope::new(
            6,
            &ProfileQuery {
                list: "bookmarks".into(),
                limit: 12,
            },
        )
        .with_flags(Flags::REQUEST),
        Envelope::new(
            7,
            &NavigationComplete {
                url: "https://a.example/".into(),
                tab_id: 1,
                http_status: 200,
                title: "T".into(),
            },
        ),
        Envelope::new(8, &content).correlate(3),
        Envelope::new(9, &start).correlate(3),
        Envelope::new(10, &data).correlate(3),
        Envelope::new(
            11,
            &StreamEnd {
                stream_id: 1,
                items: 1,
            },
        )
        .correlate(3),
        Envelope::new(
            12,
            &StreamError {
                stream_id: 1,
                message: "failed".into(),
            },
        ),
        Envelope::new(
            13,
            &StreamCredit {
                stream_id: 1,
                credits: 8,
            },
        ),
        Envelope::new(
            14,
            &ErrorReply {
                code: ErrorCode::NotAllowed,
                message: "no".into(),
            },
        )
        .correlate(1)
        .with_flags(Flags::RESPONSE),
        Envelope::new(15, &Cancel {}).correlate(2),
        Envelope::new(
            16,
            &Goodbye {
                reason: "bye".into(),
            },
        ),
        Envelope::new(17, &ShmRelease { region: 1 }),
        Envelope::raw(Kind::BATCH, 18, encode_batch(&items)).with_flags(Flags::BATCH),
    ]
}

fn frame_decoder() -> Vec<Vec<u8>> {
    let mut wire = Vec::new();
    for e in envelopes() {
        wire.extend(frame(&e.encode()));
    }
    (0..5u8)
        .map(|cap| {
            let mut s = vec![cap, 7];
            s.extend_from_slice(&wire);
            s
        })
        .collect()
}

fn envelope() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for e in envelopes() {
        for compressed in [0u8, 1] {
            let name = e.kind.to_string();
            let mut s = vec![compressed];
            s.extend_from_slice(&u16le(name.len()));
            s.extend_from_slice(name.as_bytes());
            s.extend_from_slice(&e.encode());
            out.push(s);
        }
    }
    // A compressed body (zstd frame with its size).
    let big = Envelope::raw(Kind::PAGE_CONTENT, 1, vec![b'a'; 4096]);
    let mut z = nexus_ipc::codec::Zstd::new(nexus_ipc::codec::Compression::above(16));
    let mut packed = big.clone();
    z.maybe_compress(&mut packed);
    let mut s = vec![1, 0, 0];
    s.extend_from_slice(&packed.encode());
    out.push(s);
    out
}

fn handshake() -> Vec<Vec<u8>> {
    let hello = Hello {
        min_version: 1,
        max_version: 1,
        public_key: [9; 32],
        nonce: [1; 32],
        encrypt: true,
        stream_window: 16,
    };
    let reply = nexus_ipc::messages::control::HelloReply {
        version: 1,
        public_key: [9; 32],
        nonce: [2; 32],
        encrypt: true,
        stream_window: 16,
    };
    let fin = nexus_ipc::messages::control::Finished { mac: [3; 32] };
    let mut out = Vec::new();
    for (server, first) in [
        (1u8, Envelope::new(0, &hello)),
        (0u8, Envelope::new(0, &reply)),
    ] {
        for encrypt in [1u8, 0] {
            let mut s = vec![server, encrypt];
            for env in [&first, &Envelope::new(0, &fin)] {
                let f = frame(&env.encode());
                s.extend_from_slice(&u16le(f.len()));
                s.extend_from_slice(&f);
                s.push(1);
            }
            out.push(s);
        }
    }
    out
}

/// An op of `sealed_channel` / a payload of `cef_hub`: envelope fields in input order
/// (catalogue flag and index, flags, id, body, correlation flag and byte).
fn envelope_fields(e: &Envelope, with_corr_byte: bool) -> Vec<u8> {
    let mut s = vec![1, catalogue_index(e.kind), e.flags.bits()];
    s.extend_from_slice(&e.id.to_le_bytes());
    s.extend_from_slice(&u16le(e.body.len()));
    s.extend_from_slice(&e.body);
    match e.correlation {
        Some(c) if with_corr_byte => {
            s.push(1);
            s.push(c as u8);
        }
        Some(c) => {
            s.push(1);
            s.extend_from_slice(&(c - 1).to_le_bytes());
        }
        None => s.push(0),
    }
    s
}

fn sealed_channel() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for policy in [0u8, 1] {
        let mut all = vec![policy];
        for e in envelopes() {
            let mut one = vec![policy, 0];
            one.extend(envelope_fields(&e, false));
            out.push(one);
            all.push(0);
            all.extend(envelope_fields(&e, false));
        }
        // Time passes, a replay, a tampered frame.
        all.extend([5, 100, 0, 3, 2]);
        all.extend(envelope_fields(&envelopes()[0], false));
        all.extend([7, 0, 3]);
        out.push(all);
    }
    out
}

fn cef_hub() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for prompts in [0u8, 1] {
        for frame_index in 0..4u8 {
            let mut s = vec![prompts];
            for e in envelopes() {
                // tab, op 0 (message), catalogue name, payload as an envelope.
                s.extend([frame_index % 3, 0, 1, catalogue_index(e.kind), 2]);
                let mut fields = envelope_fields(&e, true);
                // The payload layout puts flags after the body.
                let flags = fields.remove(2);
                let corr_at = fields.len() - if e.correlation.is_some() { 2 } else { 1 };
                fields.insert(corr_at, flags);
                s.extend(fields);
                s.extend([frame_index, 0, 1]);
            }
            // A permission decision, a content request, a tab closed, a data_sync.
            s.extend([0, 4, 3, 1, 0, 5, 0, 16, 0, 6, 1, 0, 7, 1, 2, 0, b'{', b'}']);
            out.push(s);
        }
    }
    out
}

fn sync_log() -> Vec<Vec<u8>> {
    let records: [(u8, &str); 6] = [
        (
            0,
            r#"{"id":"bm-guid-1","deleted":false,"data":{"kind":1,"parent":"toolbar_____","position":1.5,"title":"Example","url":"https://example.org/","created_ms":1000}}"#,
        ),
        (
            0,
            r#"{"id":"folder-guid","deleted":false,"data":{"kind":2,"parent":"unfiled_____","position":0.0,"title":"Folder","url":null,"created_ms":5}}"#,
        ),
        (0, r#"{"id":"bm-guid-1","deleted":true,"data":null}"#),
        (
            1,
            r#"{"id":"page-guid","deleted":false,"data":{"url":"https://a.example/","title":"A","visits":[[1000,1],[2000,2]],"removed":[[0,500]]}}"#,
        ),
        (
            2,
            r#"{"id":"home_page","deleted":false,"data":{"value":"https://start.example/"}}"#,
        ),
        (
            3,
            r#"{"id":"device","deleted":false,"data":{"name":"Laptop"}}"#,
        ),
    ];
    let mut out = Vec::new();
    let mut all = vec![0u8, 0];
    for (collection, json) in records {
        let op = |s: &mut Vec<u8>| {
            s.extend([0, collection, 0]);
            s.extend_from_slice(&5000u64.to_le_bytes());
            s.extend_from_slice(&u16le(json.len()));
            s.extend_from_slice(json.as_bytes());
            s.extend([0, 0]);
        };
        let mut one = vec![1u8, 0];
        op(&mut one);
        out.push(one);
        op(&mut all);
    }
    out.push(all);
    out
}

fn bookmarks_html() -> Vec<Vec<u8>> {
    vec![
        br#"<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3 ADD_DATE="1700000000" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks bar</H3>
    <DL><p>
        <DT><A HREF="https://example.org/" ADD_DATE="1700000001">Example &amp; co &#233;&#x1F600;</A>
        <DT><H3>Nested</H3>
        <DL><p>
            <DT><A HREF='https://b.example/?q=1&amp;r=2'>B</A>
            <DD>A description
        </DL><p>
        <HR>
    </DL><p>
    <DT><H3 UNFILED_BOOKMARKS_FOLDER="true">Other</H3>
    <DL><p>
        <DT><A HREF="javascript:alert(1)">js</A>
    </DL><p>
</DL><p>
"#
        .to_vec(),
        b"<DL><DT><A HREF=https://x.example/ ADD_DATE=1700000000000>ms date</A><DT><H3>Empty</H3></DL>"
            .to_vec(),
        b"<!-- comment --><dl><dt><h3 add_date=\"-5\">lower &nbsp;case</h3><dl><dt><a href=\"https://y.example/\" add_date=\"99999999999999999\">y</a></dl></dl>"
            .to_vec(),
    ]
}

/// The seeds of `target`.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    match target {
        "frame_decoder" => frame_decoder(),
        "envelope" => envelope(),
        "handshake" => handshake(),
        "sealed_channel" => sealed_channel(),
        "cef_hub" => cef_hub(),
        "sync_log" => sync_log(),
        "bookmarks_html" => bookmarks_html(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_seeds_and_passes_them() {
        for (name, target) in crate::TARGETS {
            let seeds = seeds(name);
            assert!(!seeds.is_empty(), "{name}");
            for s in seeds {
                target(&s);
            }
        }
    }
}
