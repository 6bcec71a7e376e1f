//! Plain-text helpers shared by every analysis: sentence spans, word counts, the page cap.
//!
//! Every later stage works on byte spans into the page's `content`, so the UI can jump to a
//! summary sentence or an answer passage; this module is where those spans are made. The
//! sentence splitter is rule-based (no model): a sentence ends at `.`, `!` or `?` followed by
//! white space and a capital, digit or quote — unless the word before is a known
//! abbreviation or an initial — and at every blank line or line that looks like a heading.

use nexus_ipc::messages::Span;

/// Abbreviations after which a full stop does not end a sentence (lower-case, no dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "inc", "ltd", "co",
    "corp", "no", "vol", "fig", "gen", "gov", "sen", "rep", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est", "e.g", "i.e", "u.s",
    "u.k", "a.m", "p.m", "ph.d", "capt", "col", "lt", "sgt", "rev", "ave", "blvd",
];

/// Sentences of `text` as trimmed byte spans, in order. Never empty spans.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for (line_start, line) in lines(text) {
        split_line(text, line_start, line, &mut out);
    }
    out
}

/// Lines of `text` with their byte offsets (`\n` separated; `\r` is trimmed later).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |l| {
        let s = start;
        start += l.len();
        (s, l)
    })
}

fn split_line(text: &str, base: usize, line: &str, out: &mut Vec<Span>) {
    let bytes = line.as_bytes();
    let mut sent_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            // Swallow runs of terminators and closing quotes/brackets: `?!`, `."`, `.)`.
            let mut end = i + 1;
            while end < bytes.len()
                && matches!(bytes[end], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']')
            {
                end += 1;
            }
            if ends_sentence(line, sent_start, i, end) {
                push_trimmed(text, base + sent_start, base + end, out);
                sent_start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, base + sent_start, base + line.len(), out);
}

/// Whether the terminator at `dot..end` closes the sentence that began at `start`.
fn ends_sentence(line: &str, start: usize, dot: usize, end: usize) -> bool {
    let rest = &line[end..];
    let Some(next) = rest.chars().next() else {
        return true;
    };
    if !next.is_whitespace() {
        return false; // "3.5", "example.com", "U.S."
    }
    let after = rest.trim_start();
    let Some(first) = after.chars().next() else {
        return true;
    };
    if !(first.is_uppercase()
        || first.is_ascii_digit()
        || matches!(first, '"' | '\'' | '(' | '“' | '‘'))
    {
        return false;
    }
    if line.as_bytes()[dot] != b'.' {
        return true;
    }
    let word = line[start..dot]
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    !(is_initial || ABBREVIATIONS.contains(&lower.as_str()))
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if trimmed.chars().any(char::is_alphanumeric) {
        out.push(Span::new(start + lead, start + lead + trimmed.len()));
    }
}

/// The text of a span.
pub fn slice(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

/// Number of white-space separated words.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The byte offset where the first `max_words` words of `text` end, and the total word count.
/// The prefix `&text[..end]` is what a capped analysis reads.
pub fn cap_words(text: &str, max_words: usize) -> (usize, usize) {
    let mut total = 0;
    let mut end = text.len();
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word && total == max_words {
                end = end.min(i);
            }
            in_word = false;
        } else if !in_word {
            in_word = true;
            total += 1;
        }
    }
    if total <= max_words {
        end = text.len();
    }
    (end, total)
}

/// Lower-case word tokens (letters and digits) with their byte offsets, for BM25 and rules.
pub fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        sentences(t).into_iter().map(|s| slice(t, s)).collect()
    }

    #[test]
    fn splits_on_terminators_but_not_abbreviations_or_numbers() {
        let t = "Dr. Smith paid $3.50 for it. Was it worth it? Yes! He met J. K. Rowling in the U.S. on Monday.";
        assert_eq!(
            texts(t),
            vec![
                "Dr. Smith paid $3.50 for it.",
                "Was it worth it?",
                "Yes!",
                "He met J. K. Rowling in the U.S. on Monday."
            ]
        );
    }

    #[test]
    fn lines_are_hard_breaks_and_spans_are_trimmed() {
        let t = "  Heading without stop\n\nFirst sentence. \"Quoted one.\" Then\n  more ";
        assert_eq!(
            texts(t),
            vec![
                "Heading without stop",
                "First sentence.",
                "\"Quoted one.\"",
                "Then",
                "more"
            ]
        );
    }

    #[test]
    fn multibyte_text_keeps_char_boundaries() {
        let t = "Café au lait coûte 3 €. Über alles? Ja — sehr gut.";
        assert_eq!(
            texts(t),
            vec!["Café au lait coûte 3 €.", "Über alles?", "Ja — sehr gut."]
        );
    }

    #[test]
    fn cap_counts_all_words_and_cuts_after_n() {
        assert_eq!(cap_words("one two  three four", 2), (7, 4));
        assert_eq!(cap_words("one two", 5), (7, 2));
        assert_eq!(cap_words("", 5), (0, 0));
        assert_eq!(word_count(" a b\tc\n"), 3);
    }

    #[test]
    fn tokens_have_offsets() {
        let t = "Hello, world—wide 42";
        assert_eq!(
            tokens(t),
            vec![(0, "Hello"), (7, "world"), (15, "wide"), (20, "42")]
        );
    }
}
