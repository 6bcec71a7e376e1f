//! Names: capitalised spans, typed as person, organisation, place or product.
//!
//! No model of this kind is available here (ai-notes.md), so names are found by shape —
//! runs of capitalised words, joined by "of", "for", "de", "von", "&" and the like — and
//! typed by evidence: their own words (a known place, a given name, "University", "Inc",
//! a model number), the words before them ("Dr", "coach", "in"), and the words after
//! ("said"). Words capitalised only because they start a sentence are dropped unless the
//! page also capitalises them elsewhere. Precision and recall on the labelled set are in
//! `ai/BENCHMARKS.md`.

use super::lexicon::*;
use nexus_ipc::messages::ai::EntityKind;

/// Words that may join two capitalised words inside one name.
const CONNECTORS: &[&str] = &[
    "of", "for", "de", "da", "do", "dos", "das", "del", "della", "di", "von", "van", "der", "den",
    "la", "le", "du", "&", "y",
];

/// A word of the text with its byte range (punctuation around it trimmed).
#[derive(Clone, Copy, Debug)]
struct Word<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    /// Punctuation right after the word ends a name (",", ".", ":", ...).
    closes: bool,
    /// The word starts a sentence or a line.
    sentence_start: bool,
    /// Punctuation right before the word ("(", a quote) starts a new name.
    opens: bool,
}

/// A name found in the text: its byte range, its type, and how strong the evidence for the
/// type is (0: none, the type is a default; 1: one weak cue; more: own words or context).
pub type Name = (usize, usize, EntityKind, i32);

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut at_start = true;
    let mut pos = 0;
    for piece in text.split_inclusive(char::is_whitespace) {
        let raw = piece.trim_end();
        let newline = piece.ends_with('\n');
        let lead = raw.len()
            - raw
                .trim_start_matches(['"', '\'', '(', '[', '“', '‘', '*', '-', '–', '—', '•'])
                .len();
        let core = raw[lead..].trim_end_matches([
            '"', '\'', ')', ']', '”', '’', '.', ',', ';', ':', '!', '?', '*',
        ]);
        // Keep the dot of an initial or abbreviation ("N.", "Bros.") inside the word.
        let is_initial = core.len() <= 2 && core.chars().all(char::is_alphabetic);
        let core = if raw[lead..].len() > core.len()
            && is_initial
            && raw[lead + core.len()..].starts_with('.')
        {
            &raw[lead..lead + core.len() + 1]
        } else {
            core
        };
        if !core.is_empty() {
            let start = pos + lead;
            let trailing = &raw[lead + core.len()..];
            let closes =
                !trailing.is_empty() || newline || core.ends_with("'s") || core.ends_with("’s");
            out.push(Word {
                start,
                end: start + core.len(),
                text: core,
                closes,
                sentence_start: at_start,
                opens: lead > 0,
            });
            at_start = trailing.contains(['.', '!', '?', ':']) || newline;
        } else if newline {
            at_start = true;
        }
        pos += piece.len();
    }
    out
}

fn is_capitalised(w: &str) -> bool {
    let mut chars = w.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => true,
        // "iPhone", "visionOS", "eBay": lower-case start with a capital inside.
        Some(c) if c.is_lowercase() => {
            w.chars().skip(1).any(char::is_uppercase) && w.chars().all(char::is_alphanumeric)
        }
        // "7-Eleven".
        Some(c) if c.is_ascii_digit() => w.contains('-') && w.chars().any(char::is_uppercase),
        _ => false,
    }
}

fn is_model_number(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_digit())
        && w.len() <= 5
        && !w.contains([',', ':', '%'])
}

/// Whether the page also writes `word` in lower case (so it is a common word, capitalised
/// here only because it starts a sentence).
fn lower_case_elsewhere(ws: &[Word<'_>], word: &str) -> bool {
    let lower = word.to_lowercase();
    lower != word && ws.iter().any(|w| w.text == lower)
}

/// Find and type the names in `text`, skipping the byte ranges in `taken` (pattern hits).
pub fn find(text: &str, taken: &[(usize, usize)]) -> Vec<Name> {
    let ws = words(text);
    let free = |w: &Word<'_>| !taken.iter().any(|&(s, e)| s < w.end && w.start < e);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        if !(is_capitalised(ws[i].text) && free(&ws[i])) || skip_word(ws[i].text) {
            i += 1;
            continue;
        }
        // Extend: capitalised words, model numbers after a capitalised word, connectors
        // between capitalised words; stop after a word followed by punctuation.
        let mut j = i + 1;
        let mut last = i;
        while !ws[last].closes && j < ws.len() && free(&ws[j]) && !ws[j].opens {
            let w = ws[j].text;
            if (is_capitalised(w) && !skip_word(w)) || is_model_number(w) {
                last = j;
                j += 1;
            } else if CONNECTORS.contains(&w) && !ws[j].closes {
                // "of the" may chain only after an institution or state word ("Democratic
                // Republic of the Congo"), not after a person's name.
                let head_word = ws[last].text;
                let institution = ORG_SUFFIXES.contains(head_word)
                    || ORG_PREFIXES.contains(head_word)
                    || PLACE_SUFFIXES.contains(head_word)
                    || matches!(
                        head_word,
                        "Republic" | "Kingdom" | "Isle" | "Duke" | "Order"
                    );
                let of_the =
                    w == "of" && ws.get(j + 1).is_some_and(|n| n.text == "the" && !n.closes);
                let k = if of_the { j + 2 } else { j + 1 };
                // "John Dunlosky of Kent State University" is a person, then an
                // organisation; "Max Planck Institute for Astronomy" is one name.
                let person_before = ws[i..=last].iter().any(|x| GIVEN_NAMES.contains(x.text));
                let joins = k < ws.len()
                    && is_capitalised(ws[k].text)
                    && !ws[k].opens
                    && (!of_the || institution)
                    && (!person_before || institution);
                if !joins {
                    break;
                }
                j = k;
            } else {
                break;
            }
        }
        let mut span: Vec<Word<'_>> = ws[i..=last].to_vec();
        // Drop sentence-initial common words ("The", "After", and any word the page also
        // writes in lower case: "About 60%", "Strong earthquake") from the front.
        while span.len() > 1
            && (COMMON_CAPITALISED.contains(span[0].text)
                || span[0].sentence_start && lower_case_elsewhere(&ws, span[0].text))
        {
            span.remove(0);
        }
        while span.len() > 1 && CONNECTORS.contains(&span[0].text) {
            span.remove(0);
        }
        // A title before the name is evidence, not part of it: "Dr Alan Marsh".
        let mut titled = false;
        while span.len() > 1
            && PERSON_TITLES.contains(span[0].text.trim_end_matches('.').to_lowercase().as_str())
        {
            span.remove(0);
            titled = true;
        }
        if let Some(name) = type_name(text, &ws, i, &span, titled) {
            out.push(name);
        }
        i = last + 1;
    }
    out
}

fn skip_word(w: &str) -> bool {
    w.starts_with(['@', '#'])
        || w.contains('_')
        || w.starts_with("u/")
        || w.starts_with("r/")
        || w.starts_with("I'")
        || w.starts_with("I’")
        || w.ends_with("-born")
        || DEMONYMS.contains(w)
        || crate::entities::patterns::is_calendar_word(w)
}

/// Type a candidate, or reject it.
fn type_name(
    text: &str,
    ws: &[Word<'_>],
    first: usize,
    span: &[Word<'_>],
    titled: bool,
) -> Option<Name> {
    let (start, mut end) = (span[0].start, span[span.len() - 1].end);
    let mut name = &text[start..end];
    // A possessive ends the name: "Alcaraz's" -> "Alcaraz".
    if let Some(stripped) = name.strip_suffix("'s").or_else(|| name.strip_suffix("’s")) {
        end -= name.len() - stripped.len();
        name = stripped;
    }
    let tokens: Vec<&str> = name.split_whitespace().collect();
    let single = tokens.len() == 1;
    if single && (COMMON_CAPITALISED.contains(name) || NOT_ACRONYMS.contains(name)) {
        return None;
    }
    if name.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    let at_sentence_start = span[0].sentence_start;
    // A lone sentence-initial word is a name only if the page capitalises it elsewhere
    // mid-sentence, or it is a known place or given name.
    if single && at_sentence_start && !PLACES.contains(name) && !GIVEN_NAMES.contains(name) {
        let elsewhere = ws.iter().any(|w| w.text == name && !w.sentence_start);
        let lower = name.to_lowercase();
        if !elsewhere || ws.iter().any(|w| w.text == lower) {
            return None;
        }
    }
    let before = |n: usize| -> String {
        let idx = ws.iter().position(|w| w.start == start).unwrap_or(first);
        if idx >= n {
            ws[idx - n].text.to_lowercase()
        } else {
            String::new()
        }
    };
    let after_idx = ws.iter().position(|w| w.start >= end);
    let after = |n: usize| -> String {
        after_idx
            .and_then(|i| ws.get(i + n))
            .map(|w| w.text.to_lowercase())
            .unwrap_or_default()
    };
    let last = *tokens.last().unwrap_or(&"");
    let first_tok = tokens[0];

    let mut person = 0i32;
    let mut org = 0i32;
    let mut place = 0i32;
    let mut product = 0i32;
    if PLACES.contains(name) {
        place += 5;
    }
    if ORG_SUFFIXES.contains(last) || (ORG_PREFIXES.contains(first_tok) && tokens.len() > 2) {
        org += 4;
    }
    if PLACE_SUFFIXES.contains(last) && !single {
        place += 4;
    }
    if GIVEN_NAMES.contains(first_tok) && (2..=3).contains(&tokens.len()) {
        person += 3;
    } else if GIVEN_NAMES.contains(first_tok) && single {
        person += 2;
    }
    let b1 = before(1);
    if PERSON_TITLES.contains(b1.trim_end_matches('.'))
        || PERSON_TITLES.contains(before(2).as_str()) && b1 == "the"
    {
        person += 2;
    }
    if titled {
        person += 3;
    }
    // "X said": people speak, but so do companies; only a full name counts as a person.
    if PERSON_VERBS.contains(after(0).as_str()) && !single {
        person += 2;
    }
    if text[end..].starts_with(", ")
        && text[end + 2..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    {
        person += 2; // "Emily Carter, 21,"
    }
    if PLACE_PREPOSITIONS.contains(b1.as_str()) {
        place += 1;
    }
    // "between Storo and Grorud", "from Oslo to Bergen": both ends are places more often
    // than not.
    if b1 == "between" || (b1 == "and" && before(3) == "between") || b1 == "from" {
        place += 1;
    }
    // A describing noun right before the name ("the transport agency Ruter", "developer
    // Kingsgate Homes", "the Norwegian capital Oslo", "the app Strava"), or before "of"
    // ("the town of Odda", "the city council of Oslo").
    let b2 = before(2);
    if b1 == "of" {
        if PLACE_DESCRIPTORS.contains(b2.as_str())
            || matches!(
                b2.as_str(),
                "council"
                    | "mayor"
                    | "government"
                    | "residents"
                    | "people"
                    | "outskirts"
                    | "centre"
                    | "center"
                    | "heart"
                    | "north"
                    | "south"
                    | "east"
                    | "west"
            )
        {
            place += 3;
        }
    } else if ORG_DESCRIPTORS.contains(b1.as_str()) {
        org += 3;
    } else if PLACE_DESCRIPTORS.contains(b1.as_str()) {
        place += 3;
    } else if PRODUCT_DESCRIPTORS.contains(b1.as_str()) {
        product += 3;
    }
    // An apposition after the name: "Nordserve, an outsourcing firm that ...", "Kastrup, a
    // suburb of ...", "Høgh, the striker, ...".
    if let Some(rest) = text[end..].strip_prefix(", ") {
        let mut it = rest.split_whitespace();
        if matches!(it.next(), Some("a" | "an" | "the")) {
            for w in it.take(3) {
                let w = w.trim_end_matches([',', '.', ';', ':', ')']).to_lowercase();
                if ORG_DESCRIPTORS.contains(&w) {
                    org += 3;
                    break;
                } else if PLACE_DESCRIPTORS.contains(&w) {
                    place += 3;
                    break;
                } else if PRODUCT_DESCRIPTORS.contains(&w) {
                    product += 3;
                    break;
                } else if PERSON_TITLES.contains(&w) {
                    person += 2;
                    break;
                }
            }
        }
    }
    // A name alone at the start of a byline or masthead line, before " · " and the date or
    // section ("Athens Daily · Updated 23 July", "Riverdale Public Schools · District news"),
    // is the publisher. An author's line starts with "By", or with a given name.
    let line_start = text[..start]
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.trim().is_empty());
    if line_start && text[end..].starts_with(" · ") && !GIVEN_NAMES.contains(first_tok) {
        org += 3;
    }
    if text[end..].starts_with("-based") {
        place += 3;
    }
    let acronym = single
        && name.len() <= 6
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && name.len() >= 2;
    if acronym {
        org += 2;
    }
    if name.contains('&') {
        org += 2;
    }
    if tokens.iter().skip(1).any(|t| is_model_number(t)) {
        product += 3;
    }
    if tokens
        .iter()
        .any(|t| t.chars().next().is_some_and(char::is_lowercase))
    {
        product += 2; // iPhone, visionOS
    }
    if matches!(b1.as_str(), "the" | "new" | "buy" | "bought")
        && matches!(
            after(0).as_str(),
            "costs"
                | "runs"
                | "ships"
                | "supports"
                | "headset"
                | "phone"
                | "app"
                | "comes"
                | "weighs"
                | "is"
        )
        && !single
    {
        product += 1;
    }
    if matches!(b1.as_str(), "shares" | "company") || after(0) == "shares" {
        org += 2;
    }
    let plain_words = tokens.iter().all(|t| {
        t.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.')
    });
    if (2..=3).contains(&tokens.len()) && plain_words && org == 0 && place == 0 && product == 0 {
        person += 1;
    }
    let scores = [
        (EntityKind::Person, person),
        (EntityKind::Organization, org),
        (EntityKind::Place, place),
        (EntityKind::Product, product),
    ];
    let best = scores
        .iter()
        .max_by_key(|s| s.1)
        .copied()
        .unwrap_or((EntityKind::Organization, 0));
    let kind = if best.1 > 0 {
        best.0
    } else {
        EntityKind::Organization
    };
    Some((start, end, kind, best.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(&str, EntityKind)> {
        find(text, &[])
            .into_iter()
            .map(|(s, e, k, _)| (&text[s..e], k))
            .collect()
    }

    #[test]
    fn a_name_opening_a_byline_line_is_the_publisher() {
        let t =
            "Storm hits the coast\n\nHarbour Gazette · 3 May 2025\n\nBy Emma Stone · 3 May 2025";
        let n = names(t);
        assert!(
            n.contains(&("Harbour Gazette", EntityKind::Organization)),
            "{n:?}"
        );
        assert!(n.contains(&("Emma Stone", EntityKind::Person)), "{n:?}");
    }

    #[test]
    fn types_by_own_words_and_context() {
        let t = "Dr Alan Marsh said the University of Leeds and Harlow & Finch Ltd will open an office in Lisbon. \
                 The new Pixel 9 Pro costs more. Marsh, 54, agreed.";
        let n = names(t);
        assert!(n.contains(&("Alan Marsh", EntityKind::Person)), "{n:?}");
        assert!(
            n.contains(&("University of Leeds", EntityKind::Organization)),
            "{n:?}"
        );
        assert!(
            n.contains(&("Harlow & Finch Ltd", EntityKind::Organization)),
            "{n:?}"
        );
        assert!(n.contains(&("Lisbon", EntityKind::Place)), "{n:?}");
        assert!(n.contains(&("Pixel 9 Pro", EntityKind::Product)), "{n:?}");
        assert!(!n.iter().any(|(s, _)| *s == "The"), "{n:?}");
    }

    #[test]
    fn sentence_initial_common_words_are_not_names() {
        let n = names("Shares fell. Investors sold shares. After the vote, Qualys said so.");
        assert_eq!(n, vec![("Qualys", EntityKind::Organization)]);
    }

    #[test]
    fn possessives_and_punctuation_end_names() {
        let n = names("We met Carlos Alcaraz's coach, Juan Ferrero, in Spain.");
        let texts: Vec<&str> = n.iter().map(|x| x.0).collect();
        assert_eq!(texts, vec!["Carlos Alcaraz", "Juan Ferrero", "Spain"]);
    }
}

#[cfg(test)]
mod of_tests {
    use super::*;

    #[test]
    fn of_joins_institutions_not_people() {
        let t = "It was presented by lead author Dr Michael Lincoff of the Cleveland Clinic at a conference. \
                 Chile leads the Democratic Republic of the Congo and the Max Planck Institute for Astronomy.";
        let n: Vec<&str> = find(t, &[])
            .into_iter()
            .map(|(s, e, _, _)| &t[s..e])
            .collect();
        assert!(
            n.contains(&"Michael Lincoff") && n.contains(&"Cleveland Clinic"),
            "{n:?}"
        );
        assert!(n.contains(&"Democratic Republic of the Congo"), "{n:?}");
        assert!(n.contains(&"Max Planck Institute for Astronomy"), "{n:?}");
    }
}
