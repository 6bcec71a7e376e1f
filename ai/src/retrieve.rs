//! Passages of a page that answer a question: hybrid embedding + BM25 retrieval.
//!
//! A passage is a window of up to [`WINDOW_SENTENCES`] consecutive sentences (at most
//! [`WINDOW_WORDS`] words), one window starting at every sentence, so an answer that spans
//! a sentence boundary still sits inside one passage. A passage's vector is the normalised
//! sum of its sentences' vectors (the sentences are embedded once per page, for the summary
//! too, and cached), so a question costs one embedding of the question, not of the page.
//! The score blends the cosine with BM25 normalised by the best BM25 score on the page.

use crate::bm25::Bm25;
use crate::embed::{self, Vector};
use crate::text;
use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::Passage;

/// Most sentences in a passage.
pub const WINDOW_SENTENCES: usize = 2;
/// Most words in a passage (a single longer sentence is still a passage).
pub const WINDOW_WORDS: usize = 60;
/// Weight of the embedding cosine in the hybrid score (the rest is BM25).
pub const EMBEDDING_WEIGHT: f32 = 0.5;

/// A page's passages, ready for questions.
pub struct PassageIndex {
    passages: Vec<(Span, Vector)>,
    bm25: Bm25,
}

impl PassageIndex {
    /// Build the passages from sentence spans and their embeddings (same order).
    pub fn new(content: &str, sentences: &[Span], vectors: &[Vector]) -> PassageIndex {
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
            let span = Span { start: sentences[i].start, end: sentences[end - 1].end };
            passages.push((span, embed::centroid(&vectors[i..end])));
        }
        let bm25 = Bm25::new(passages.iter().map(|(s, _)| text::slice(content, *s)));
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
    pub fn search(&self, content: &str, question: &str, question_vector: &Vector, k: usize) -> Vec<Passage> {
        let keyword = self.bm25.scores(question);
        let max_keyword = keyword.iter().copied().fold(0.0f32, f32::max);
        let mut scored: Vec<(usize, f32)> = self
            .passages
            .iter()
            .zip(&keyword)
            .enumerate()
            .map(|(i, ((_, v), &kw))| {
                let cos = embed::cosine(question_vector, v).max(0.0);
                let kw = if max_keyword > 0.0 { kw / max_keyword } else { 0.0 };
                (i, EMBEDDING_WEIGHT * cos + (1.0 - EMBEDDING_WEIGHT) * kw)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut out: Vec<Passage> = Vec::with_capacity(k);
        for (i, score) in scored {
            let span = self.passages[i].0;
            if out.iter().any(|p| p.span.start < span.end && span.start < p.span.end) {
                continue;
            }
            out.push(Passage { text: text::slice(content, span).to_owned(), span, score: score.clamp(0.0, 1.0) });
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
        let index = PassageIndex::new(content, &spans, &vectors);
        assert_eq!(index.len(), 4);
        let hits = index.search(content, "gamma", &axis(2), 3);
        assert!(hits[0].text.contains("Gamma three."), "{hits:?}");
        for (a, b) in hits.iter().zip(hits.iter().skip(1)) {
            assert!(a.score >= b.score);
            assert!(a.span.end <= b.span.start || b.span.end <= a.span.start);
        }
    }
}
