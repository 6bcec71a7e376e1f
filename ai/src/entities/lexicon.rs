//! Word lists that type a capitalised name by its own words and by the words around it.
//!
//! General English cues (titles, organisation and place suffixes, reporting verbs), plus
//! two gazetteers in `data/` (well-known places, common given names). All were written for
//! Nexus from general knowledge, not from the evaluation set.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Well-known place names.
pub static PLACES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("data/places.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Common given names.
pub static GIVEN_NAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("data/given_names.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
});

/// The lists in `data/cues.txt`, by section name.
static CUES: LazyLock<Vec<(&'static str, Vec<&'static str>)>> =
    LazyLock::new(|| crate::prototypes::sections(include_str!("data/cues.txt")));

/// A word list from `data/cues.txt`.
pub struct Cue(&'static str);

impl Cue {
    /// Whether the list holds `word` (exact, case-sensitive).
    pub fn contains(&self, word: &str) -> bool {
        CUES.iter()
            .find(|(n, _)| *n == self.0)
            .is_some_and(|(_, l)| l.contains(&word))
    }
}

/// Last words of organisation names.
pub const ORG_SUFFIXES: Cue = Cue("ORG_SUFFIXES");
/// Last words of place names.
pub const PLACE_SUFFIXES: Cue = Cue("PLACE_SUFFIXES");
/// First words of organisation names ("Bank of ...", "University of ...").
pub const ORG_PREFIXES: Cue = Cue("ORG_PREFIXES");
/// Titles and roles written before a person's name.
pub const PERSON_TITLES: Cue = Cue("PERSON_TITLES");
/// Words after a name that show a person speaks or acts.
pub const PERSON_VERBS: Cue = Cue("PERSON_VERBS");
/// Words before a name that point to a place.
pub const PLACE_PREPOSITIONS: Cue = Cue("PLACE_PREPOSITIONS");
/// Words that are capitalised only because they start a sentence or a heading; never names
/// on their own.
pub const COMMON_CAPITALISED: Cue = Cue("COMMON_CAPITALISED");
/// All-capital words that are not organisations.
pub const NOT_ACRONYMS: Cue = Cue("NOT_ACRONYMS");
/// Nationality, language and other adjectives that are capitalised but name no entity.
pub const DEMONYMS: Cue = Cue("DEMONYMS");
/// Nouns that describe an organisation next to its name ("the agency Ruter").
pub const ORG_DESCRIPTORS: Cue = Cue("ORG_DESCRIPTORS");
/// Nouns that describe a place next to its name ("the district of Grorud").
pub const PLACE_DESCRIPTORS: Cue = Cue("PLACE_DESCRIPTORS");
/// Nouns that describe a product or a work next to its name ("the app Strava").
pub const PRODUCT_DESCRIPTORS: Cue = Cue("PRODUCT_DESCRIPTORS");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_present_and_not_empty() {
        for cue in [
            ORG_SUFFIXES,
            PLACE_SUFFIXES,
            ORG_PREFIXES,
            PERSON_TITLES,
            PERSON_VERBS,
            PLACE_PREPOSITIONS,
            COMMON_CAPITALISED,
            NOT_ACRONYMS,
            DEMONYMS,
            ORG_DESCRIPTORS,
            PLACE_DESCRIPTORS,
            PRODUCT_DESCRIPTORS,
        ] {
            assert!(
                CUES.iter().any(|(n, l)| *n == cue.0 && !l.is_empty()),
                "{}",
                cue.0
            );
        }
        assert!(ORG_SUFFIXES.contains("University") && !ORG_SUFFIXES.contains("university"));
        assert!(PLACES.contains("Lisbon") && GIVEN_NAMES.contains("Maria"));
    }
}
