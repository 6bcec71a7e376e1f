//! Extractive summary: central sentences, chosen for variety, returned in page order.
//!
//! A sentence's relevance is its cosine to the centroid of all sentence embeddings (what
//! the page is mostly about), with a small bonus for appearing early (pages front-load
//! their point). Maximal marginal relevance then picks sentences one at a time, trading
//! relevance against similarity to what is already picked, so the summary does not repeat
//! itself. Headings, captions and fragments are not candidates.
//!
//! Embedding every sentence of a long page is most of an analysis's time, so only the
//! [`MAX_EMBEDDED`] likeliest candidates are embedded for the summary ([`preselect`]): those
//! whose words the page repeats most (a cheap stand-in for the embedding centroid), with
//! the same lead bonus. The rest of the page is embedded when the first question needs it.

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
/// Most sentences embedded for a summary during an analysis.
pub const MAX_EMBEDDED: usize = 32;

/// A sentence of the page with its embedding.
pub struct Sentence<'a> {
    /// The text.
    pub text: &'a str,
    /// Where it is in the content.
    pub span: Span,
    /// Its embedding.
    pub vector: &'a Vector,
    /// Where it is in the page: 0.0 for the first sentence, towards 1.0 for the last.
    pub position: f32,
}

/// The sentences worth embedding for a summary, at most `max`, as indices into `texts` in
/// page order. Candidates (see [`is_candidate`]) score by how often the page uses their
/// words (the mean, over a sentence's distinct terms, of the log of how many sentences
/// contain the term) plus a lead bonus; a page with fewer than [`MIN_SENTENCES`]
/// candidates offers its first `max` sentences instead, as [`summarize`] would use them all.
pub fn preselect(texts: &[&str], max: usize) -> Vec<usize> {
    let candidates: Vec<usize> = (0..texts.len())
        .filter(|&i| is_candidate(texts[i]))
        .collect();
    if candidates.len() < MIN_SENTENCES {
        return (0..texts.len().min(max)).collect();
    }
    if candidates.len() <= max {
        return candidates;
    }
    let terms: Vec<Vec<String>> = texts
        .iter()
        .map(|t| {
            let mut v = crate::bm25::terms(t);
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let mut df: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    for t in terms.iter().flatten() {
        *df.entry(t.as_str()).or_default() += 1;
    }
    let n = texts.len() as f32;
    let score = |i: usize| {
        let t = &terms[i];
        let centrality =
            t.iter().map(|w| (df[w.as_str()] as f32).ln()).sum::<f32>() / t.len().max(1) as f32;
        centrality + LEAD_BONUS * 10.0 * (1.0 - i as f32 / n)
    };
    let mut ranked: Vec<(usize, f32)> = candidates.iter().map(|&i| (i, score(i))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut chosen: Vec<usize> = ranked.into_iter().take(max).map(|(i, _)| i).collect();
    chosen.sort_unstable();
    chosen
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
    let relevance: Vec<f32> = pool
        .iter()
        .map(|s| embed::cosine(s.vector, &centroid) + LEAD_BONUS * (1.0 - s.position))
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
                position: i as f32 / vs.len() as f32,
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
    fn preselect_keeps_sentences_that_share_the_page_s_words() {
        let mut texts = vec!["The tram line opens in the city next year, the council said."; 3];
        texts.push("Short.");
        texts.push("A recipe for banana bread needs flour, eggs and ripe bananas.");
        texts.push("The council said the tram line will cost the city more.");
        let chosen = preselect(&texts, 4);
        assert_eq!(chosen, vec![0, 1, 2, 5]);
        // Few candidates: everything up to the cap.
        assert_eq!(preselect(&["A", "B", "C"], 2), vec![0, 1]);
        assert_eq!(preselect(&texts, 10), vec![0, 1, 2, 4, 5]);
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
