//! BM25 keyword scoring over a page's passages.
//!
//! Embeddings find passages that mean the same as the question; BM25 finds passages that
//! share its rare words (names, numbers, terms), which embeddings of a 6-layer model often
//! miss ("Who opposed the project?" in ai-notes.md). The retriever blends both.

use std::collections::HashMap;

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation.
const B: f32 = 0.75;

/// Words too common to carry meaning in a question.
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "has", "have",
    "had", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "this", "that",
    "these", "those", "it", "its", "i", "you", "he", "she", "we", "they", "my", "your", "his",
    "her", "our", "their", "me", "him", "them", "us", "as", "if", "so", "than", "then", "there",
    "about", "into", "can", "could", "should", "would", "will", "shall", "may", "might", "must",
    "much", "many", "not", "no", "any", "some", "all", "s", "t",
];

/// Normalised terms of a text: lower case, no stop words, a crude plural strip.
pub fn terms(text: &str) -> Vec<String> {
    crate::text::tokens(text)
        .into_iter()
        .map(|(_, w)| w.to_lowercase())
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect()
}

/// Strip the most common English inflections so "costs"/"cost", "injured"/"injure" meet.
fn stem(word: &str) -> String {
    let stripped = strip_suffix(word);
    match stripped.strip_suffix('e') {
        Some(s) if s.chars().count() >= 3 => s.to_owned(),
        _ => stripped,
    }
}

fn strip_suffix(word: &str) -> String {
    let n = word.chars().count();
    if n > 4 {
        // Longest first; "ition"/"ation" meet the verb ("opposition"/"opposed" -> "oppos").
        for suffix in [
            "itions", "ations", "ition", "ation", "ings", "ies", "ied", "ing", "ed", "es", "ly",
            "s",
        ] {
            if let Some(stem) = word.strip_suffix(suffix)
                && stem.chars().count() >= 3
                && !(matches!(suffix, "s" | "es") && stem.ends_with('s'))
            {
                return if matches!(suffix, "ies" | "ied") {
                    format!("{stem}y")
                } else {
                    stem.to_owned()
                };
            }
        }
    }
    word.to_owned()
}

/// A BM25 index over documents (passages).
pub struct Bm25 {
    docs: Vec<HashMap<String, u32>>,
    lengths: Vec<f32>,
    avg_len: f32,
    df: HashMap<String, u32>,
}

impl Bm25 {
    /// Index documents.
    pub fn new<'a>(docs: impl IntoIterator<Item = &'a str>) -> Bm25 {
        let mut index = Bm25 {
            docs: Vec::new(),
            lengths: Vec::new(),
            avg_len: 0.0,
            df: HashMap::new(),
        };
        for doc in docs {
            let mut tf: HashMap<String, u32> = HashMap::new();
            let terms = terms(doc);
            index.lengths.push(terms.len() as f32);
            for t in terms {
                *tf.entry(t).or_default() += 1;
            }
            for t in tf.keys() {
                *index.df.entry(t.clone()).or_default() += 1;
            }
            index.docs.push(tf);
        }
        let n = index.lengths.len().max(1) as f32;
        index.avg_len = (index.lengths.iter().sum::<f32>() / n).max(1.0);
        index
    }

    /// BM25 score of every document for a query.
    pub fn scores(&self, query: &str) -> Vec<f32> {
        let mut q = terms(query);
        q.sort();
        q.dedup();
        let n = self.docs.len() as f32;
        self.docs
            .iter()
            .zip(&self.lengths)
            .map(|(tf, &len)| {
                q.iter()
                    .filter_map(|t| {
                        let f = *tf.get(t)? as f32;
                        let df = *self.df.get(t)? as f32;
                        let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                        Some(idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * len / self.avg_len)))
                    })
                    .sum()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_shared_words_win() {
        let docs = [
            "The council approved the plan on Monday.",
            "Opposition councillor Alan Lamb argued that shops would lose trade.",
            "The plan costs a lot of money for the council.",
        ];
        let index = Bm25::new(docs);
        let s = index.scores("Who argued against the plan? Lamb?");
        assert!(s[1] > s[0] && s[1] > s[2], "{s:?}");
        assert_eq!(index.scores("zebra"), vec![0.0; 3]);
    }

    #[test]
    fn stems_meet() {
        assert_eq!(
            terms("Costs injured batteries the"),
            vec!["cost", "injur", "battery"]
        );
        assert_eq!(
            terms("cost injure battery"),
            terms("Costs injured batteries")
        );
        assert_eq!(terms("prices price"), vec!["pric", "pric"]);
        assert_eq!(terms("opposed"), terms("opposition"));
    }
}
