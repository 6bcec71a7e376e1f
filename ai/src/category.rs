//! Page category: the nearest category centroid, with a calibrated confidence.
//!
//! Each category is the centroid of the embeddings of its prototype sentences
//! (`prototypes/categories.txt`). A page is embedded from its title, meta description and
//! the beginning of its text (one pass of at most 256 tokens, so the category can be the
//! first result streamed). Cosines become probabilities by a softmax with a temperature
//! ([`TEMPERATURE`]); the page is `Uncertain` when the best probability or its lead over the
//! runner-up is too small. The temperature and thresholds were chosen on the `dev` half of
//! the evaluation set (see `ai/BENCHMARKS.md`).

use crate::embed::{self, EmbedError, Embedder, Vector};
use crate::prototypes;
use nexus_ipc::messages::ai::{Category, CategoryResult};

/// Softmax temperature over cosines.
pub const TEMPERATURE: f32 = 0.05;
/// Below this probability the answer is `Uncertain`.
pub const MIN_CONFIDENCE: f32 = 0.35;
/// Below this lead of the best probability over the runner-up the answer is `Uncertain`.
pub const MIN_MARGIN: f32 = 0.05;

/// Category centroids.
pub struct CategoryModel {
    centroids: Vec<(Category, Vector)>,
}

impl CategoryModel {
    /// Embed the prototype sentences.
    pub fn new(embedder: &Embedder) -> Result<CategoryModel, EmbedError> {
        let sections = prototypes::sections(prototypes::CATEGORIES);
        let mut centroids = Vec::with_capacity(Category::ALL.len());
        for category in Category::ALL {
            let lines = sections
                .iter()
                .find(|(name, _)| *name == category.label())
                .map(|(_, l)| l.as_slice())
                .unwrap_or_default();
            let vectors = embedder.embed(lines, &Default::default())?;
            centroids.push((category, embed::centroid(&vectors)));
        }
        Ok(CategoryModel { centroids })
    }

    /// The text the page is classified by: title, description, headings, then the content.
    pub fn page_text(title: &str, description: Option<&str>, headings: &[String], content: &str) -> String {
        let mut s = String::new();
        for part in [title, description.unwrap_or("")].into_iter().chain(headings.iter().take(3).map(String::as_str)) {
            let part = part.trim();
            if !part.is_empty() {
                s.push_str(part);
                s.push_str(if part.ends_with(['.', '!', '?']) { " " } else { ". " });
            }
        }
        // The embedder truncates at 256 tokens; ~1,200 bytes of text is more than that.
        let cut = content.char_indices().map(|(i, _)| i).take_while(|&i| i <= 1200).last().unwrap_or(0);
        let cut = if content.len() <= 1200 { content.len() } else { cut };
        s.push_str(&content[..cut]);
        s
    }

    /// Classify a page embedding.
    pub fn classify(&self, page: &Vector) -> CategoryResult {
        let cosines: Vec<f32> = self.centroids.iter().map(|(_, c)| embed::cosine(page, c)).collect();
        let probs = softmax(&cosines, TEMPERATURE);
        let mut scores: Vec<(Category, f32)> =
            self.centroids.iter().map(|(c, _)| *c).zip(probs).collect();
        scores.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (best, confidence) = scores[0];
        let margin = confidence - scores.get(1).map_or(0.0, |s| s.1);
        let category = if confidence < MIN_CONFIDENCE || margin < MIN_MARGIN { Category::Uncertain } else { best };
        CategoryResult { category, confidence, scores }
    }
}

/// Softmax of `xs / temperature`.
pub fn softmax(xs: &[f32], temperature: f32) -> Vec<f32> {
    let max = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = xs.iter().map(|x| ((x - max) / temperature).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_sums_to_one_and_keeps_order() {
        let p = softmax(&[0.5, 0.4, 0.1], 0.05);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(p[0] > p[1] && p[1] > p[2]);
    }

    #[test]
    fn page_text_joins_parts_and_caps_content() {
        let t = CategoryModel::page_text("Title", Some("Desc!"), &["H1".into()], &"é".repeat(1000));
        assert!(t.starts_with("Title. Desc! H1. é"));
        assert!(t.len() < 1300);
    }

    #[test]
    fn every_category_has_prototypes() {
        let sections = prototypes::sections(prototypes::CATEGORIES);
        for c in Category::ALL {
            assert!(sections.iter().any(|(n, l)| *n == c.label() && l.len() >= 5), "{c:?}");
        }
    }
}
