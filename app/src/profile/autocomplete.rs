//! Address-bar suggestions from history and bookmarks, ranked by frecency.
//!
//! Three cheap candidate queries, each bounded by a `LIMIT`, then a merge in Rust:
//! 1. host prefix — "git" finds github.com: a range scan on the `pages_host` index over
//!    hosts stored lower-case without `www.`;
//! 2. words — every typed word must prefix a word of the title or URL. First a walk of the
//!    400 most frecent pages (the `pages_frecency` index) with a substring filter,
//!    checked word by word in Rust: a common word finds enough there and stops early. Only
//!    if it does not is the FTS5 index `pages_fts` asked (contentless, with 2- and
//!    3-character prefix indexes); its matches are then few, so joining and sorting them is
//!    cheap. Sorting *all* FTS matches of a common word by frecency was measured at ~8 ms
//!    on 20,000 matching pages, hence the walk first. For one or two typed characters the
//!    walk is unbounded: nearly every page matches and it stops at the limit at once;
//! 3. bookmarks — a substring scan of bookmark titles and URLs (bookmarks number in the
//!    thousands, not the hundreds of thousands).
//!
//! Candidates are scored with today's frecency, doubled for a host-prefix match, then for
//! bookmarks doubled again plus one (so a bookmark never visited still ranks like a page
//! visited once today), deduplicated by URL ignoring scheme, `www.` and a trailing slash.
//! `app/benches/profile_autocomplete.rs` measures this on 100,000 visits.

use super::error::Result;
use super::frecency;
use super::store::Store;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// How many rows each candidate query may return.
const CANDIDATES: i64 = 40;
/// How many of the most frecent pages the bounded walk looks at before using FTS5.
const TOP_WALK: i64 = 400;

/// Whether every typed word prefixes a word of the title or URL (the FTS5 rule, without
/// its accent folding), so the bounded walk's substring matches mean what FTS5's do.
fn words_match(url: &str, title: &str, tokens: &[&str]) -> bool {
    let text = format!("{} {}", url.to_lowercase(), title.to_lowercase());
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    tokens.iter().all(|t| {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .all(|p| words.iter().any(|w| w.starts_with(p)))
    })
}

/// One address-bar suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The address to open.
    pub url: String,
    /// The title to show.
    pub title: String,
    /// The ranking score (higher first).
    pub score: f64,
    /// Whether the URL is bookmarked (show a star).
    pub bookmarked: bool,
    /// Whether the typed text is a prefix of the host (the UI may complete it inline).
    pub host_match: bool,
}

/// Escape `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The typed text, lower-cased, without a scheme or a leading `www.`.
fn normalize(input: &str) -> String {
    let s = input.trim().to_lowercase();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    s.strip_prefix("www.").unwrap_or(s).to_string()
}

/// The URL without scheme, `www.` and trailing slash: two URLs with the same key are one
/// suggestion.
fn dedupe_key(url: &str) -> String {
    let n = normalize(url);
    n.strip_suffix('/').unwrap_or(&n).to_string()
}

/// An FTS5 query requiring every word as a prefix, or `None` if no word has a letter or digit.
fn fts_query(tokens: &[&str]) -> Option<String> {
    let parts: Vec<String> = tokens
        .iter()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .map(|t| format!("\"{}\"*", t.replace('"', "\"\"")))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

#[derive(Default)]
struct Candidate {
    url: String,
    title: String,
    frecency: Option<f64>,
    host_match: bool,
    bookmarked: bool,
}

type Row3 = (String, String, Option<f64>);

fn collect(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Row3>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(args, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn candidates(conn: &Connection, query: &str, wanted: usize) -> Result<HashMap<String, Candidate>> {
    let tokens: Vec<&str> = query.split_whitespace().take(8).collect();
    let mut found: HashMap<String, Candidate> = HashMap::new();
    let mut add = |rows: Vec<Row3>, host: bool, bookmark: bool| {
        for (url, title, frecency) in rows {
            let c = found.entry(url.clone()).or_insert_with(|| Candidate {
                url,
                ..Default::default()
            });
            if c.title.is_empty() {
                c.title = title;
            }
            c.frecency = c.frecency.or(frecency);
            c.host_match |= host;
            c.bookmarked |= bookmark;
        }
    };
    if tokens.len() == 1 && !tokens[0].contains('/') {
        let upper = format!("{}\u{10FFFF}", tokens[0]);
        add(
            collect(
                conn,
                "SELECT url, title, frecency FROM pages WHERE host_key >= ?1 AND host_key < ?2
                 AND frecency IS NOT NULL ORDER BY frecency DESC LIMIT ?3",
                params![tokens[0], upper, CANDIDATES],
            )?,
            true,
            false,
        );
    }
    let patterns: Vec<String> = tokens
        .iter()
        .map(|t| format!("%{}%", escape_like(t)))
        .collect();
    let mut like = String::new();
    for i in 1..=patterns.len() {
        like.push_str(&format!(
            " AND (url LIKE ?{i} ESCAPE '\\' OR title LIKE ?{i} ESCAPE '\\')"
        ));
    }
    if query.chars().count() < 3 {
        // Nearly everything matches: walk by frecency and stop at the limit.
        let sql = format!(
            "SELECT url, title, frecency FROM pages INDEXED BY pages_frecency
             WHERE frecency IS NOT NULL{like} ORDER BY frecency DESC LIMIT {CANDIDATES}"
        );
        add(
            collect(conn, &sql, rusqlite::params_from_iter(patterns.iter()))?,
            false,
            false,
        );
    } else {
        // Common words: the most frecent pages hold enough matches, found by a bounded walk.
        let sql = format!(
            "SELECT url, title, frecency FROM (SELECT url, title, frecency FROM pages INDEXED BY pages_frecency
                 WHERE frecency IS NOT NULL ORDER BY frecency DESC LIMIT {TOP_WALK})
             WHERE 1{like} LIMIT {CANDIDATES}"
        );
        let top: Vec<Row3> = collect(conn, &sql, rusqlite::params_from_iter(patterns.iter()))?
            .into_iter()
            .filter(|(url, title, _)| words_match(url, title, &tokens))
            .collect();
        let enough = top.len() >= wanted;
        add(top, false, false);
        // Rarer words (and accents folded): the FTS5 index, whose matches are then few.
        if !enough && let Some(fts) = fts_query(&tokens) {
            add(
                collect(
                    conn,
                    "SELECT p.url, p.title, p.frecency FROM pages_fts f JOIN pages p ON p.id = f.rowid
                     WHERE pages_fts MATCH ?1 AND p.frecency IS NOT NULL ORDER BY p.frecency DESC LIMIT ?2",
                    params![fts, CANDIDATES],
                )?,
                false,
                false,
            );
        }
    }
    // Bookmarks: every word somewhere in the title or URL.
    let mut sql = String::from(
        "SELECT b.url, b.title, p.frecency FROM bookmarks b LEFT JOIN pages p ON p.url = b.url WHERE b.kind = 1",
    );
    for i in 1..=patterns.len() {
        sql.push_str(&format!(
            " AND (b.url LIKE ?{i} ESCAPE '\\' OR b.title LIKE ?{i} ESCAPE '\\')"
        ));
    }
    sql.push_str(" LIMIT 200");
    add(
        collect(conn, &sql, rusqlite::params_from_iter(patterns.iter()))?,
        false,
        true,
    );
    // A visited page found by the history queries may be bookmarked too.
    let mut is_bookmarked =
        conn.prepare_cached("SELECT 1 FROM bookmarks WHERE url = ?1 LIMIT 1")?;
    for c in found.values_mut().filter(|c| !c.bookmarked) {
        c.bookmarked = is_bookmarked.exists([&c.url])?;
    }
    Ok(found)
}

impl Store {
    /// Suggestions for the address bar as the user types `input`, best first.
    pub fn autocomplete(&self, input: &str, limit: usize) -> Result<Vec<Suggestion>> {
        let query = normalize(input);
        if query.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let now = self.clock.now_ms();
        let found = self.read(|c| candidates(c, &query, limit))?;
        let mut best: HashMap<String, Suggestion> = HashMap::new();
        for c in found.into_values() {
            let mut score = frecency::current_score(c.frecency, now);
            if c.host_match {
                score *= 2.0;
            }
            if c.bookmarked {
                score = score * 2.0 + 1.0;
            }
            let s = Suggestion {
                url: c.url,
                title: c.title,
                score,
                bookmarked: c.bookmarked,
                host_match: c.host_match,
            };
            let key = dedupe_key(&s.url);
            match best.get(&key) {
                Some(old) if old.score >= s.score => {}
                _ => {
                    best.insert(key, s);
                }
            }
        }
        let mut out: Vec<Suggestion> = best.into_values().collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.url.len().cmp(&b.url.len()))
                .then(a.url.cmp(&b.url))
        });
        out.truncate(limit);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_is_normalized_and_escaped() {
        assert_eq!(normalize("  HTTPS://WWW.GitHub.com "), "github.com");
        assert_eq!(escape_like("100%_a\\"), "100\\%\\_a\\\\");
        assert_eq!(
            dedupe_key("http://www.example.com/"),
            dedupe_key("https://example.com")
        );
        assert_eq!(
            fts_query(&["rust", "lang\"x"]).unwrap(),
            "\"rust\"* AND \"lang\"\"x\"*"
        );
        assert_eq!(fts_query(&["/", "--"]), None);
    }
}
