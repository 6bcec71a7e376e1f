//! Extractive summary: central sentences, chosen for variety, returned in page order.
//!
//! A sentence's relevance is its cosine to the centroid of all sentence embeddings (what
//! the page is mostly about), with a small bonus for appearing early (pages front-load
//! their point). Maximal marginal relevance then picks sentences one at a time, trading
//! relevance against similarity to what is already picked, so the summary does not repeat
//! itself. Headings, captions and fragments are not candidates.

use crate::embed::{self, Vector};
use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::SummarySentence;

/// Fewest sentences in a summary (when the page has that many candidates).
pub const MIN_SENTENCES: usize = 3;
/// Most sentences in a summary.
pub const MAX_SENTENCES: usize = 7;
/// MMR trade-off: 1.0 is relevance only, 0.0 is variety only.
const LAMBDA: f32 = 0.7;
/// Largest bonus for the first sentence (falls linearly to 0 at the end of the page).
const LEAD_BONUS: f32 = 0.06;

/// A sentence of the page with its embedding.
pub struct Sentence<'a> {
    /// The text.
    pub text: &'a str,
    /// Where it is in the content.
    pub span: Span,
    /// Its embedding.
    pub vector: &'a Vector,
}

/// Whether a sentence can be in a summary: a real sentence, not a heading or a fragment.
pub fn is_candidate(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (6..=80).contains(&words) && text.trim_end().ends_with(['.', '!', '?', '"', '”', ')'])
}

/// How many sentences to pick for a page with `candidates` candidate sentences.
pub fn target_len(candidates: usize) -> usize {
    candidates
        .div_ceil(6)
        .clamp(MIN_SENTENCES, MAX_SENTENCES)
        .min(candidates)
}

/// Pick the summary.
pub fn summarize(sentences: &[Sentence<'_>]) -> Vec<SummarySentence> {
    let candidates: Vec<&Sentence<'_>> =
        sentences.iter().filter(|s| is_candidate(s.text)).collect();
    let pool: Vec<&Sentence<'_>> = if candidates.len() >= MIN_SENTENCES {
        candidates
    } else {
        sentences.iter().collect()
    };
    if pool.is_empty() {
        return Vec::new();
    }
    let centroid = embed::centroid(pool.iter().map(|s| s.vector));
    let n = pool.len() as f32;
    let relevance: Vec<f32> = pool
        .iter()
        .enumerate()
        .map(|(i, s)| embed::cosine(s.vector, &centroid) + LEAD_BONUS * (1.0 - i as f32 / n))
        .collect();
    let k = target_len(pool.len());
    let mut chosen: Vec<usize> = Vec::with_capacity(k);
    while chosen.len() < k {
        let best = (0..pool.len())
            .filter(|i| !chosen.contains(i))
            .map(|i| {
                let redundancy = chosen
                    .iter()
                    .map(|&j| embed::cosine(pool[i].vector, pool[j].vector))
                    .fold(0.0f32, f32::max);
                (i, LAMBDA * relevance[i] - (1.0 - LAMBDA) * redundancy)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, _)) => chosen.push(i),
            None => break,
        }
    }
    chosen.sort_unstable();
    chosen
        .into_iter()
        .map(|i| SummarySentence {
            text: pool[i].text.to_owned(),
            span: pool[i].span,
            score: relevance[i].clamp(0.0, 1.0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(i: usize, j: usize, w: f32) -> Vector {
        let mut v = vec![0f32; embed::DIM];
        v[i] = 1.0;
        v[j] += w;
        embed::normalize(v)
    }

    #[test]
    fn picks_central_sentences_without_repeating_and_keeps_page_order() {
        // Four sentences about topic 0 (two of them identical), one off-topic.
        let vs = [
            unit(0, 1, 0.8),
            unit(0, 2, 0.8),
            unit(0, 1, 0.8),
            unit(5, 6, 0.0),
            unit(0, 3, 0.8),
        ];
        let text = "This is a sentence of the page.";
        let s: Vec<Sentence<'_>> = vs
            .iter()
            .enumerate()
            .map(|(i, v)| Sentence {
                text,
                span: Span::new(i * 10, i * 10 + 5),
                vector: v,
            })
            .collect();
        let out = summarize(&s);
        let starts: Vec<u32> = out.iter().map(|s| s.span.start).collect();
        assert_eq!(out.len(), 3);
        assert!(
            !starts.contains(&30),
            "off-topic sentence chosen: {starts:?}"
        );
        assert!(
            !(starts.contains(&0) && starts.contains(&20)),
            "duplicate chosen: {starts:?}"
        );
        assert!(starts.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn candidates_are_real_sentences() {
        assert!(is_candidate("The council approved the plan on Monday."));
        assert!(!is_candidate("Key features"));
        assert!(!is_candidate("Too short."));
        assert_eq!(target_len(2), 2);
        assert_eq!(target_len(10), 3);
        assert_eq!(target_len(100), 7);
    }
}
