//! The Netscape bookmark file: the HTML every browser imports and exports.
//!
//! It is not well-formed HTML (`<DT>` and `<p>` are never closed), so it is read the way
//! browsers read it: a forgiving tag scanner, where `<H3>` names the folder that the next
//! `<DL>` opens, `<A>` is a bookmark, `</DL>` closes a folder, and everything else
//! (`<DD>` descriptions, `<HR>` separators, icons) is skipped. Titles are unescaped
//! (named and numeric character references) and written back escaped, so any Unicode and
//! any `& < > " '` survive a round trip. `ADD_DATE` is in seconds since the epoch.

use crate::html_escape::escape_html;

/// Folders nested deeper than this are flattened into their ancestor at this depth.
pub const MAX_DEPTH: usize = 64;

/// A bookmark or folder read from a bookmark file.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A folder.
    Folder {
        /// Its title.
        title: String,
        /// When it was added (ms since the epoch), if the file says.
        added_ms: Option<i64>,
        /// Marked `PERSONAL_TOOLBAR_FOLDER="true"`: the bookmarks bar.
        toolbar: bool,
        /// Marked `UNFILED_BOOKMARKS_FOLDER="true"`: "Other bookmarks".
        unfiled: bool,
        /// Its children, in order.
        children: Vec<Node>,
    },
    /// A bookmark.
    Link {
        /// Its title.
        title: String,
        /// Its address.
        url: String,
        /// When it was added (ms since the epoch), if the file says.
        added_ms: Option<i64>,
    },
}

/// Replace character references (`&amp;`, `&#233;`, `&#x1F600;`, ...) by the characters.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|j| j + 1);
        let (name, consumed) = match end {
            Some(j) if rest[j..].starts_with(';') => (&rest[1..j], j + 1),
            _ => ("", 0),
        };
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[consumed..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A scanned piece of the file.
#[derive(Debug)]
enum Token<'a> {
    /// `<NAME attr=...>` (or `</NAME>` when `close`), name upper-cased.
    Tag {
        name: String,
        close: bool,
        attrs: Vec<(String, String)>,
    },
    /// Text between tags, still escaped.
    Text(&'a str),
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        if start == i {
            break;
        }
        let name = s[start..i].to_ascii_uppercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vstart = i + 1;
                let vend = s[vstart..].find(q as char).map_or(s.len(), |j| vstart + j);
                value = unescape(&s[vstart..vend]);
                i = (vend + 1).min(b.len());
            } else {
                let vstart = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = unescape(&s[vstart..i]);
            }
        }
        attrs.push((name, value));
    }
    attrs
}

fn tokens(input: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |j| &after[j + 3..]);
            continue;
        }
        if rest.starts_with('<') {
            let Some(end) = find_tag_end(rest) else {
                out.push(Token::Text(rest));
                break;
            };
            let inner = &rest[1..end];
            rest = &rest[end + 1..];
            let (close, inner) = match inner.strip_prefix('/') {
                Some(i) => (true, i),
                None => (false, inner),
            };
            let name_end = inner
                .find(|c: char| c.is_ascii_whitespace() || c == '/')
                .unwrap_or(inner.len());
            let name = inner[..name_end].to_ascii_uppercase();
            out.push(Token::Tag {
                name,
                close,
                attrs: parse_attrs(&inner[name_end..]),
            });
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Token::Text(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// The `>` closing the tag at the start of `s`, skipping quoted attribute values.
fn find_tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The latest `ADD_DATE` kept, in ms (about the year 5138): later ones are dropped. Its
/// seconds are the largest value read back as seconds, so what Nexus exports imports as
/// the same date. Regression: a date in µs past it was exported as seconds over 10^11,
/// which read back as ms, a thousand times earlier (found by the bookmarks_html fuzzer).
pub const MAX_DATE_MS: i64 = 100_000_000_000_000;

/// An `ADD_DATE` in ms; exporters write seconds, a few write ms or µs. Dates past
/// [`MAX_DATE_MS`] are nonsense and dropped.
fn date_ms(attrs: &[(String, String)]) -> Option<i64> {
    let v: i64 = attrs
        .iter()
        .find(|(k, _)| k == "ADD_DATE")?
        .1
        .trim()
        .parse()
        .ok()?;
    let ms = match v {
        v if v > 100_000_000_000_000 => v / 1000,
        v if v > 100_000_000_000 => v,
        v => v.saturating_mul(1000),
    };
    (ms <= MAX_DATE_MS).then_some(ms)
}

fn flag(attrs: &[(String, String)], name: &str) -> bool {
    attrs
        .iter()
        .any(|(k, v)| k == name && v.eq_ignore_ascii_case("true"))
}

/// Parse a bookmark file into its top-level items. `Err` says why the text is not one.
pub fn parse(input: &str) -> Result<Vec<Node>, String> {
    let head = input
        .get(..input.len().min(4096))
        .unwrap_or(input)
        .to_ascii_uppercase();
    if !head.contains("NETSCAPE-BOOKMARK-FILE-1") && !head.contains("<DL") {
        return Err("it has neither the NETSCAPE-Bookmark-file-1 doctype nor a <DL> list".into());
    }
    // stack[0] collects the top level; `opened` records per <DL> whether it opened a folder.
    let mut stack: Vec<Node> = vec![Node::Folder {
        title: String::new(),
        added_ms: None,
        toolbar: false,
        unfiled: false,
        children: Vec::new(),
    }];
    let mut opened: Vec<bool> = Vec::new();
    let mut pending: Option<Node> = None;
    let toks = tokens(input);
    let mut i = 0;
    let text_until = |i: &mut usize, close: &str| -> String {
        let mut text = String::new();
        while *i < toks.len() {
            match &toks[*i] {
                Token::Text(t) => text.push_str(t),
                Token::Tag {
                    name, close: true, ..
                } if name == close => break,
                Token::Tag { name, .. }
                    if name == "DL" || name == "DT" || name == "H3" || name == "A" =>
                {
                    *i -= 1;
                    break;
                }
                _ => {}
            }
            *i += 1;
        }
        // Trimmed after unescaping: an escaped space or &nbsp; at an end is trimmed as the
        // same character written out would be, so export and import agree (regression,
        // bookmarks_html fuzzer: a title ending in &nbsp; lost it on the way back).
        unescape(&text).trim().to_string()
    };
    while i < toks.len() {
        if let Token::Tag { name, close, attrs } = &toks[i] {
            match (name.as_str(), close) {
                ("H3", false) => {
                    i += 1;
                    let title = text_until(&mut i, "H3");
                    pending = Some(Node::Folder {
                        title,
                        added_ms: date_ms(attrs),
                        toolbar: flag(attrs, "PERSONAL_TOOLBAR_FOLDER"),
                        unfiled: flag(attrs, "UNFILED_BOOKMARKS_FOLDER"),
                        children: Vec::new(),
                    });
                }
                ("A", false) => {
                    i += 1;
                    let title = text_until(&mut i, "A");
                    let url = attrs
                        .iter()
                        .find(|(k, _)| k == "HREF")
                        .map(|(_, v)| v.trim().to_string())
                        .unwrap_or_default();
                    if !url.is_empty()
                        && let Some(Node::Folder { children, .. }) = stack.last_mut()
                    {
                        children.push(Node::Link {
                            title,
                            url,
                            added_ms: date_ms(attrs),
                        });
                    }
                }
                ("DL", false) => match pending.take() {
                    // Deeper folders than any person makes (a hostile file) are flattened
                    // into their ancestor, so nothing downstream recurses without bound.
                    Some(_) if stack.len() > MAX_DEPTH => opened.push(false),
                    Some(folder) => {
                        stack.push(folder);
                        opened.push(true);
                    }
                    None => opened.push(false),
                },
                ("DL", true) => {
                    let closes_folder = opened.pop() == Some(true);
                    if closes_folder && stack.len() > 1 {
                        let done = stack.pop().expect("checked above");
                        if let Some(Node::Folder { children, .. }) = stack.last_mut() {
                            children.push(done);
                        }
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    // A folder heading without a list is an empty folder; unclosed lists close at the end.
    // Past the depth limit it is dropped, as it would be with its list. Regression
    // (bookmarks_html fuzzer): it was kept one level too deep, and dropped when the export,
    // which always writes the list, was imported again.
    let room = stack.len() <= MAX_DEPTH;
    if let (Some(folder), Some(Node::Folder { children, .. }), true) =
        (pending.take(), stack.last_mut(), room)
    {
        children.push(folder);
    }
    while stack.len() > 1 {
        let done = stack.pop().expect("len > 1");
        if let Some(Node::Folder { children, .. }) = stack.last_mut() {
            children.push(done);
        }
    }
    match stack.pop() {
        Some(Node::Folder { children, .. }) => Ok(children),
        _ => Ok(Vec::new()),
    }
}

/// Write `items` (top level) as a bookmark file.
pub fn write(items: &[Node]) -> String {
    let mut out = String::from(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<!-- This is an automatically generated file.\n     \
         It will be read and overwritten.\n     DO NOT EDIT! -->\n\
         <META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n\
         <TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n",
    );
    fn date(ms: &Option<i64>) -> String {
        ms.map(|m| format!(" ADD_DATE=\"{}\"", m.div_euclid(1000)))
            .unwrap_or_default()
    }
    fn walk(out: &mut String, items: &[Node], depth: usize) {
        let pad = "    ".repeat(depth);
        for item in items {
            match item {
                Node::Link {
                    title,
                    url,
                    added_ms,
                } => {
                    out.push_str(&format!(
                        "{pad}<DT><A HREF=\"{}\"{}>{}</A>\n",
                        escape_html(url),
                        date(added_ms),
                        escape_html(title)
                    ));
                }
                Node::Folder {
                    title,
                    added_ms,
                    toolbar,
                    unfiled,
                    children,
                } => {
                    let mut attrs = date(added_ms);
                    if *toolbar {
                        attrs.push_str(" PERSONAL_TOOLBAR_FOLDER=\"true\"");
                    }
                    if *unfiled {
                        attrs.push_str(" UNFILED_BOOKMARKS_FOLDER=\"true\"");
                    }
                    out.push_str(&format!(
                        "{pad}<DT><H3{attrs}>{}</H3>\n{pad}<DL><p>\n",
                        escape_html(title)
                    ));
                    walk(out, children, depth + 1);
                    out.push_str(&format!("{pad}</DL><p>\n"));
                }
            }
        }
    }
    walk(&mut out, items, 1);
    out.push_str("</DL><p>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_unescape_and_escape_back() {
        assert_eq!(
            unescape("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &#233;&#x1F600; &bogus; & x"),
            "a & b <c> \"d\" 'e' é😀 &bogus; & x"
        );
        let s = "Tom & Jerry <3 \"quotes\" 'apos' — ünïcödé 日本語 😀";
        assert_eq!(unescape(&escape_html(s)), s);
    }

    #[test]
    fn text_without_a_bookmark_list_is_refused() {
        assert!(parse("hello world").is_err());
        assert_eq!(parse("<DL><p></DL>").unwrap(), vec![]);
    }

    #[test]
    fn random_fragments_never_panic() {
        const PIECES: &[&str] = &[
            "<DL>",
            "</DL>",
            "<DT>",
            "<H3 ADD_DATE=\"1\">",
            "</H3>",
            "<A HREF=\"https://x/\">",
            "</A>",
            "<p>",
            "&amp;",
            "&#x1F600;",
            "&#99999999;",
            "&",
            "\"",
            "'",
            "<!--",
            "-->",
            "<",
            ">",
            "é",
            "日本",
            " ",
            "HREF=",
            "<A HREF='",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..5_000 {
            let mut text = String::from("<DL>");
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            let _ = parse(&text);
            let _ = unescape(&text);
        }
    }

    #[test]
    fn absurd_nesting_is_flattened_not_recursed() {
        let html = "<DL>".to_string()
            + &"<DT><H3>f</H3><DL>".repeat(100_000)
            + "<DT><A HREF=\"https://deep.example/\">deep</A>";
        let top = parse(&html).unwrap();
        let mut depth = 0;
        let mut node = &top[0];
        while let Node::Folder { children, .. } = node {
            depth += 1;
            node = children.last().unwrap();
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(
            node,
            &Node::Link {
                title: "deep".into(),
                url: "https://deep.example/".into(),
                added_ms: None
            }
        );
    }

    #[test]
    fn a_date_too_far_ahead_is_dropped_so_export_and_import_agree() {
        // Regression (bookmarks_html fuzzer): 170000001700000000 µs became 1.7e14 ms,
        // exported as 1.7e11 s, which imports as ms.
        let html = "<DL><p><DT><A HREF=\"https://a.example/\" ADD_DATE=\"170000001700000000\">A</A>\
                    <DT><A HREF=\"https://b.example/\" ADD_DATE=\"99999999999\">B</A></DL>";
        let nodes = parse(html).unwrap();
        let dates: Vec<_> = nodes
            .iter()
            .map(|n| match n {
                Node::Link { added_ms, .. } => *added_ms,
                Node::Folder { .. } => panic!("a link"),
            })
            .collect();
        assert_eq!(dates, [None, Some(99_999_999_999_000)]);
        assert_eq!(parse(&write(&nodes)).unwrap(), nodes);
    }

    #[test]
    fn nesting_and_unclosed_tags_parse_like_browsers() {
        let html = "<DL><p><DT><H3>F</H3><DL><p><DT><A HREF=\"https://a.example/?x=1&amp;y=2\" ADD_DATE=\"1700000000\">A</A>\
                    <DT><H3>Empty</H3><DL><p></DL><p></DL><p><DT><A HREF=b:>B</A></DL>";
        let top = parse(html).unwrap();
        assert_eq!(top.len(), 2);
        let Node::Folder {
            title, children, ..
        } = &top[0]
        else {
            panic!("folder expected")
        };
        assert_eq!(title, "F");
        assert_eq!(
            children[0],
            Node::Link {
                title: "A".into(),
                url: "https://a.example/?x=1&y=2".into(),
                added_ms: Some(1_700_000_000_000)
            }
        );
        assert!(
            matches!(&children[1], Node::Folder { title, children, .. } if title == "Empty" && children.is_empty())
        );
        assert_eq!(
            top[1],
            Node::Link {
                title: "B".into(),
                url: "b:".into(),
                added_ms: None
            }
        );
    }
}
