//! Pattern entities: e-mail addresses, URLs, amounts of money and dates.
//!
//! These have a regular shape, so regular expressions find them with high precision; the
//! few checks a regex cannot express (a bare year must not be a quantity, a bare "May" must
//! look like the month) are made in code on the match.

use nexus_ipc::messages::ai::EntityKind;
use regex::Regex;
use std::sync::LazyLock;

const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";
const MONTHS_SHORT: &str = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
const CURRENCY_WORDS: &str =
    "dollars?|euros?|pounds?|yen|yuan|rupees?|rupiah|francs?|pesos?|kronor|krona|won";
const SCALE: &str = "thousand|million|billion|trillion|bn|m|k";

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b").unwrap()
});
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+"#).unwrap());
static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    let num = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?";
    Regex::new(&format!(
        r"(?:(?:US|A|C|NZ|HK)?[$€£¥₹]\s?(?:{num})(?:\s?(?:{SCALE})\b)?|\b(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|CNY|INR)\s?(?:{num})(?:\s?(?:{SCALE})\b)?|\b(?:{num})(?:\s(?:{SCALE}))?\s(?:{CURRENCY_WORDS})\b)"
    ))
    .unwrap()
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let day = r"\d{1,2}(?:st|nd|rd|th)?";
    let year = r"(?:1[5-9]\d\d|20\d\d)";
    let month = format!("(?:{MONTHS})");
    let month_any = format!("(?:{MONTHS}|(?:{MONTHS_SHORT})\\.?)");
    let wd = format!("(?:{WEEKDAYS})");
    Regex::new(&format!(
        r"\b(?:(?:{wd},?\s+)?(?:{day}\s+{month_any}(?:,?\s+{year})?|{month_any}\s+{day}(?:,?\s+{year})?\b)|{month}\s+{year}|{wd}|{month}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|{year})\b"
    ))
    .unwrap()
});

/// Words before a bare month name that show it is the month ("in May", "until June").
const MONTH_CUES: &[&str] = &[
    "in", "since", "until", "till", "by", "from", "to", "of", "on", "during", "before", "after",
    "early", "late", "mid", "last", "next", "this", "every", "each", "between", "and", "or",
    "through",
];

/// Whether a capitalised word is a month or weekday name (a date, never a name).
pub fn is_calendar_word(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    MONTHS
        .split('|')
        .chain(MONTHS_SHORT.split('|'))
        .chain(WEEKDAYS.split('|'))
        .any(|m| m == w)
}

/// Words before a bare number that show it is a year ("since 1987", "its 2025 edition").
const YEAR_CUES: &[&str] = &[
    "in", "since", "of", "from", "until", "till", "by", "for", "year", "around", "before", "after",
    "early", "late", "mid", "the", "its", "their", "between", "and", "to", "during", "circa", "c",
    "summer", "spring", "autumn", "winter", "fall", "season", "class", "born", "died", "founded",
];

/// A pattern entity: byte range and kind.
pub type Hit = (usize, usize, EntityKind);

/// Every pattern entity in `text`, possibly overlapping across kinds (the caller resolves).
pub fn find(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for m in EMAIL.find_iter(text) {
        out.push((m.start(), m.end(), EntityKind::Email));
        taken.push((m.start(), m.end()));
    }
    for m in URL.find_iter(text) {
        let s = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
        let end = m.start() + s.len();
        if !overlaps(&taken, m.start(), end) {
            out.push((m.start(), end, EntityKind::Url));
            taken.push((m.start(), end));
        }
    }
    for m in MONEY.find_iter(text) {
        if !overlaps(&taken, m.start(), m.end()) {
            out.push((m.start(), m.end(), EntityKind::Money));
            taken.push((m.start(), m.end()));
        }
    }
    for m in DATE.find_iter(text) {
        if !overlaps(&taken, m.start(), m.end()) && plausible_date(text, m.start(), m.end()) {
            out.push((m.start(), m.end(), EntityKind::Date));
        }
    }
    out.sort_by_key(|h| h.0);
    out
}

fn overlaps(taken: &[(usize, usize)], start: usize, end: usize) -> bool {
    taken.iter().any(|&(s, e)| s < end && start < e)
}

/// Checks a regex cannot make: a bare year is not a quantity or part of an identifier; a bare
/// "May"/"March" is the month, not the verb.
fn plausible_date(text: &str, start: usize, end: usize) -> bool {
    let s = &text[start..end];
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        if matches!(before, Some('-' | '/' | '.' | '#')) || matches!(after, Some('/' | '-' | '%')) {
            return false; // identifiers and ranges: "CVE-2024-3080", "2024/25"
        }
        // A bare number is a year after a word like "in"/"since", or closing a clause;
        // otherwise it is a quantity ("2000 people", "1600 W").
        let prev_word = text[..start]
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .to_lowercase();
        let prev_word = prev_word.trim_matches(|c: char| !c.is_alphanumeric());
        let closes = after.is_none_or(|c| matches!(c, '.' | ',' | ')' | ';' | ':' | '\n'));
        return YEAR_CUES.contains(&prev_word) || closes;
    }
    if matches!(s, "May" | "March") {
        let prev_word = text[..start]
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .to_lowercase();
        let next_is_year_or_day = text[end..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit());
        return next_is_year_or_day || MONTH_CUES.contains(&prev_word.as_str());
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, EntityKind)> {
        find(text)
            .into_iter()
            .map(|(s, e, k)| (&text[s..e], k))
            .collect()
    }

    #[test]
    fn emails_and_urls_without_trailing_punctuation() {
        let t = "Write to help@shop.example.com or see https://shop.example.com/a?b=1. Also www.example.org, ok.";
        assert_eq!(
            kinds(t),
            vec![
                ("help@shop.example.com", EntityKind::Email),
                ("https://shop.example.com/a?b=1", EntityKind::Url),
                ("www.example.org", EntityKind::Url)
            ]
        );
    }

    #[test]
    fn money_in_its_usual_shapes() {
        let t =
            "It costs $1,299.99, or €50 million, £3.5bn, CHF 90 and 400,000 rupiah; 20 dollars.";
        let m: Vec<&str> = kinds(t)
            .into_iter()
            .filter(|(_, k)| *k == EntityKind::Money)
            .map(|(s, _)| s)
            .collect();
        assert_eq!(
            m,
            vec![
                "$1,299.99",
                "€50 million",
                "£3.5bn",
                "CHF 90",
                "400,000 rupiah",
                "20 dollars"
            ]
        );
    }

    #[test]
    fn dates_and_what_is_not_a_date() {
        let t = "On Sunday 14 January, 2 May 2024 and Apr 15, 2024 (since 1987) in May; you may go. \
                 It has 1600 W, 2000 people, CVE-2024-3080, the 2024/25 year and March 2023.";
        let d: Vec<&str> = kinds(t)
            .into_iter()
            .filter(|(_, k)| *k == EntityKind::Date)
            .map(|(s, _)| s)
            .collect();
        assert_eq!(
            d,
            vec![
                "Sunday 14 January",
                "2 May 2024",
                "Apr 15, 2024",
                "1987",
                "May",
                "March 2023"
            ]
        );
    }
}
