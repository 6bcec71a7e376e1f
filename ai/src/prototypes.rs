//! Prototype sentences, parsed from the text files beside this module.
//!
//! Category, sentiment and entity-type decisions compare a page (or a name in context)
//! with the centroid of a few natural example sentences per class. The sentences live in
//! plain text files so they can be read and reviewed as prose; none is taken from the
//! evaluation set under `tests/data/ai`.

/// `[Heading]` sections of non-comment lines, in file order.
pub fn sections(source: &'static str) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for line in source.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push((name, Vec::new()));
        } else if let Some((_, lines)) = out.last_mut() {
            lines.push(line);
        }
    }
    out
}

/// Category prototypes.
pub const CATEGORIES: &str = include_str!("prototypes/categories.txt");
/// Sentiment prototypes.
pub const SENTIMENT: &str = include_str!("prototypes/sentiment.txt");
/// Example names per entity kind.
pub const NAME_KINDS: &str = include_str!("prototypes/name_kinds.txt");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_and_skips_comments() {
        let s = sections("# c\n[A]\none\n\ntwo\n[B]\n# x\nthree\n");
        assert_eq!(s, vec![("A", vec!["one", "two"]), ("B", vec!["three"])]);
    }

    #[test]
    fn every_file_has_sections_with_several_sentences() {
        for file in [CATEGORIES, SENTIMENT, NAME_KINDS] {
            let s = sections(file);
            assert!(s.len() >= 3);
            assert!(s.iter().all(|(_, lines)| lines.len() >= 5));
        }
    }
}
