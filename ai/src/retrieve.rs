//! Passages of a page that answer a question: hybrid embedding + BM25 retrieval.
//!
//! A passage is a window of up to [`WINDOW_SENTENCES`] consecutive sentences (at most
//! [`WINDOW_WORDS`] words), one window starting at every sentence, so an answer that spans
//! a sentence boundary still sits inside one passage. A passage's vector is the normalised
//! sum of its sentences' vectors (the sentences are embedded once per page, for the summary
//! too, and cached), so a question costs one embedding of the question, not of the page.
//! The score blends the cosine with BM25 normalised by the best BM25 score on the page,
//! plus a small bonus when a passage holds what the question asks for: a person for "who",
//! a date for "when", a place for "where", money for "how much does it cost", a number for
//! "how many/long/far" (the answer-type cue classic QA systems use).

use crate::bm25::Bm25;
use crate::embed::{self, Vector};
use crate::text;
use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::{EntityKind, Passage};

/// Most sentences in a passage.
pub const WINDOW_SENTENCES: usize = 2;
/// Most words in a passage (a single longer sentence is still a passage).
pub const WINDOW_WORDS: usize = 60;
/// Weight of the embedding cosine in the hybrid score (the rest is BM25).
pub const EMBEDDING_WEIGHT: f32 = 0.5;
/// Added to the score of a passage that holds the kind of thing the question asks for.
pub const ANSWER_TYPE_BONUS: f32 = 0.2;

/// What a question asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Kind(EntityKind),
    Number,
}

fn expected(question: &str) -> Option<Expect> {
    let q = question.to_lowercase();
    let first = q.split_whitespace().next().unwrap_or("");
    let has = |w: &str| q.split(|c: char| !c.is_alphanumeric()).any(|t| t == w);
    let money = [
        "cost", "costs", "price", "pay", "paid", "fee", "fees", "charge", "worth", "raise",
        "raised", "spend",
    ];
    if matches!(first, "who" | "whom" | "whose") {
        Some(Expect::Kind(EntityKind::Person))
    } else if first == "when"
        || q.starts_with("what time")
        || q.starts_with("what date")
        || q.starts_with("until when")
    {
        Some(Expect::Kind(EntityKind::Date))
    } else if first == "where" {
        Some(Expect::Kind(EntityKind::Place))
    } else if (q.starts_with("how much") && money.iter().any(|w| has(w)))
        || money.iter().take(3).any(|w| has(w)) && first == "what"
    {
        Some(Expect::Kind(EntityKind::Money))
    } else if q.starts_with("how many")
        || q.starts_with("how long")
        || q.starts_with("how far")
        || q.starts_with("how much")
    {
        Some(Expect::Number)
    } else {
        None
    }
}

/// A passage: where it is, its vector, and what kinds of entity it mentions.
struct Entry {
    span: Span,
    vector: Vector,
    kinds: Vec<EntityKind>,
    has_number: bool,
}

/// A page's passages, ready for questions.
pub struct PassageIndex {
    passages: Vec<Entry>,
    bm25: Bm25,
}

impl PassageIndex {
    /// Build the passages from sentence spans and their embeddings (same order).
    /// `mentions` are the page's entity mentions (for answer types).
    pub fn new(
        content: &str,
        sentences: &[Span],
        vectors: &[Vector],
        mentions: &[(Span, EntityKind)],
    ) -> PassageIndex {
        let mut passages = Vec::with_capacity(sentences.len());
        for i in 0..sentences.len() {
            let mut end = i + 1;
            let mut words = text::word_count(text::slice(content, sentences[i]));
            while end < sentences.len() && end - i < WINDOW_SENTENCES {
                let w = text::word_count(text::slice(content, sentences[end]));
                if words + w > WINDOW_WORDS {
                    break;
                }
                words += w;
                end += 1;
            }
            let span = Span {
                start: sentences[i].start,
                end: sentences[end - 1].end,
            };
            let mut kinds: Vec<EntityKind> = mentions
                .iter()
                .filter(|(m, _)| span.start <= m.start && m.end <= span.end)
                .map(|(_, k)| *k)
                .collect();
            kinds.sort();
            kinds.dedup();
            let has_number = text::slice(content, span)
                .chars()
                .any(|c| c.is_ascii_digit());
            passages.push(Entry {
                span,
                vector: embed::centroid(&vectors[i..end]),
                kinds,
                has_number,
            });
        }
        let bm25 = Bm25::new(passages.iter().map(|p| text::slice(content, p.span)));
        PassageIndex { passages, bm25 }
    }

    /// Number of passages.
    pub fn len(&self) -> usize {
        self.passages.len()
    }

    /// Whether the page has no passages.
    pub fn is_empty(&self) -> bool {
        self.passages.is_empty()
    }

    /// The `k` best passages that do not overlap, best first.
    pub fn search(
        &self,
        content: &str,
        question: &str,
        question_vector: &Vector,
        k: usize,
    ) -> Vec<Passage> {
        let keyword = self.bm25.scores(question);
        let max_keyword = keyword.iter().copied().fold(0.0f32, f32::max);
        let expect = expected(question);
        let mut scored: Vec<(usize, f32)> = self
            .passages
            .iter()
            .zip(&keyword)
            .enumerate()
            .map(|(i, (p, &kw))| {
                let cos = embed::cosine(question_vector, &p.vector).max(0.0);
                let kw = if max_keyword > 0.0 {
                    kw / max_keyword
                } else {
                    0.0
                };
                let typed = match expect {
                    Some(Expect::Kind(k)) => p.kinds.contains(&k),
                    Some(Expect::Number) => p.has_number,
                    None => false,
                };
                let bonus = if typed { ANSWER_TYPE_BONUS } else { 0.0 };
                (
                    i,
                    (EMBEDDING_WEIGHT * cos + (1.0 - EMBEDDING_WEIGHT) * kw + bonus)
                        / (1.0 + ANSWER_TYPE_BONUS),
                )
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut out: Vec<Passage> = Vec::with_capacity(k);
        for (i, score) in scored {
            let span = self.passages[i].span;
            if out
                .iter()
                .any(|p| p.span.start < span.end && span.start < p.span.end)
            {
                continue;
            }
            out.push(Passage {
                text: text::slice(content, span).to_owned(),
                span,
                score: score.clamp(0.0, 1.0),
            });
            if out.len() == k {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(i: usize) -> Vector {
        let mut v = vec![0f32; embed::DIM];
        v[i] = 1.0;
        v
    }

    #[test]
    fn windows_respect_limits_and_results_do_not_overlap() {
        let content = "Alpha one. Beta two. Gamma three. Delta four.";
        let spans = text::sentences(content);
        let vectors: Vec<Vector> = (0..spans.len()).map(axis).collect();
        let index = PassageIndex::new(content, &spans, &vectors, &[]);
        assert_eq!(index.len(), 4);
        let hits = index.search(content, "gamma", &axis(2), 3);
        assert!(hits[0].text.contains("Gamma three."), "{hits:?}");
        for (a, b) in hits.iter().zip(hits.iter().skip(1)) {
            assert!(a.score >= b.score);
            assert!(a.span.end <= b.span.start || b.span.end <= a.span.start);
        }
    }

    #[test]
    fn answer_types() {
        assert_eq!(
            expected("Who opposed it?"),
            Some(Expect::Kind(EntityKind::Person))
        );
        assert_eq!(
            expected("When does it open?"),
            Some(Expect::Kind(EntityKind::Date))
        );
        assert_eq!(
            expected("How much does it cost?"),
            Some(Expect::Kind(EntityKind::Money))
        );
        assert_eq!(expected("How much does it weigh?"), Some(Expect::Number));
        assert_eq!(expected("Why?"), None);
    }
}
