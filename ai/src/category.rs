//! Page category: the nearest prototype sentences, with a softmax confidence and "uncertain".
//!
//! Each category has a dozen prototype sentences (`prototypes/categories.txt`); a page's
//! score for a category is its mean cosine to the [`NEAREST`] closest of them (on the dev
//! half this beat the centroid of all of them, 100% vs 92%: categories are broad, and a
//! page resembles some of their kinds of page, not the average). A page is embedded from its
//! title, meta description, URL words, headings and the first [`HEAD_BYTES`] of its text
//! (one short pass, so the category can be the first result streamed). Cosines become probabilities by a softmax with a temperature
//! ([`TEMPERATURE`]); the page is `Uncertain` when the best probability or its lead over the
//! runner-up is too small. Layout cues ([`cues`]: "Posted by u/…", "Add to basket",
//! "SYNOPSIS") add a small bonus to a category's cosine before the softmax. The temperature
//! and thresholds were chosen on the `dev` pages of the evaluation set (see
//! `ai/BENCHMARKS.md`).

pub mod cues;

use crate::embed::{self, EmbedError, Embedder, Vector};
use crate::prototypes;
use nexus_ipc::messages::ai::{Category, CategoryResult};

/// Softmax temperature over cosines.
pub const TEMPERATURE: f32 = 0.05;
/// Below this probability the answer is `Uncertain`. Chosen on the dev pages scored with the
/// prototypes as they were before those pages were used to add any (so the dev pages stood
/// in for unseen ones): at 0.35, 5 of 72 were held back as uncertain, one of them rightly
/// guessed; at 0.30, one, wrongly guessed; below that, none.
pub const MIN_CONFIDENCE: f32 = 0.30;
/// Below this lead of the best probability over the runner-up the answer is `Uncertain`.
pub const MIN_MARGIN: f32 = 0.03;

/// Bytes of content that follow the title, description, URL words and headings in the text
/// a page is classified by.
pub const HEAD_BYTES: usize = 1200;

/// Category prototypes, embedded.
pub struct CategoryModel {
    prototypes: Vec<(Category, Vec<Vector>)>,
}

/// How many of a category's nearest prototypes are averaged.
pub const NEAREST: usize = 3;

/// Mean cosine of `page` to its `k` nearest vectors in `vs`.
fn nearest_mean(page: &Vector, vs: &[Vector], k: usize) -> f32 {
    let mut c: Vec<f32> = vs.iter().map(|v| embed::cosine(page, v)).collect();
    c.sort_by(|a, b| b.total_cmp(a));
    let k = k.min(c.len()).max(1);
    c.iter().take(k).sum::<f32>() / k as f32
}

impl CategoryModel {
    /// Embed the prototype sentences.
    pub fn new(embedder: &Embedder) -> Result<CategoryModel, EmbedError> {
        CategoryModel::with_prototypes(embedder, prototypes::CATEGORIES)
    }

    /// Embed the prototype sentences of `source` (the format of `prototypes/categories.txt`;
    /// for tuning tools).
    pub fn with_prototypes(
        embedder: &Embedder,
        source: &'static str,
    ) -> Result<CategoryModel, EmbedError> {
        let sections = prototypes::sections(source);
        let mut prototypes = Vec::with_capacity(Category::ALL.len());
        for category in Category::ALL {
            let lines = sections
                .iter()
                .find(|(name, _)| *name == category.label())
                .map(|(_, l)| l.as_slice())
                .unwrap_or_default();
            prototypes.push((category, embedder.embed(lines, &Default::default())?));
        }
        Ok(CategoryModel { prototypes })
    }

    /// The text the page is classified by: title, description, the words of the URL
    /// ("docs", "forum", "products", the site's name), headings, then the content.
    pub fn page_text(
        url: &str,
        title: &str,
        description: Option<&str>,
        headings: &[String],
        content: &str,
    ) -> String {
        let mut s = String::new();
        let url_words = url_words(url);
        for part in [title, description.unwrap_or(""), url_words.as_str()]
            .into_iter()
            .chain(headings.iter().take(3).map(String::as_str))
        {
            let part = part.trim();
            if !part.is_empty() {
                s.push_str(part);
                s.push_str(if part.ends_with(['.', '!', '?']) {
                    " "
                } else {
                    ". "
                });
            }
        }
        // The embedder truncates at 256 tokens; ~1,200 bytes of text is about that. A shorter
        // head would make the first streamed result faster, but at 600 bytes the dev pages'
        // sentiment (which reads the same vector) fell from 64% to 60%, and the category
        // moved only by noise (400 / 600 / 800 / 1,200 bytes: 94 / 96 / 92 / 94%).
        let cut = content
            .char_indices()
            .map(|(i, _)| i)
            .take_while(|&i| i <= HEAD_BYTES)
            .last()
            .unwrap_or(0);
        let cut = if content.len() <= HEAD_BYTES {
            content.len()
        } else {
            cut
        };
        s.push_str(&content[..cut]);
        s
    }

    /// Classify a page embedding; `bonuses` (from [`cues::bonuses`]) are added to the
    /// cosines of their categories.
    pub fn classify(&self, page: &Vector, bonuses: &[(Category, f32)]) -> CategoryResult {
        let cosines: Vec<f32> = self
            .prototypes
            .iter()
            .map(|(c, vs)| {
                let bonus: f32 = bonuses.iter().filter(|b| b.0 == *c).map(|b| b.1).sum();
                nearest_mean(page, vs, NEAREST) + bonus
            })
            .collect();
        let probs = softmax(&cosines, TEMPERATURE);
        let mut scores: Vec<(Category, f32)> =
            self.prototypes.iter().map(|(c, _)| *c).zip(probs).collect();
        scores.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (best, confidence) = scores[0];
        let margin = confidence - scores.get(1).map_or(0.0, |s| s.1);
        let category = if confidence < MIN_CONFIDENCE || margin < MIN_MARGIN {
            Category::Uncertain
        } else {
            best
        };
        CategoryResult {
            category,
            confidence,
            scores,
        }
    }
}

/// Words of a URL's host and path, without scheme, common prefixes and suffixes, numbers
/// and file extensions: "https://www.shop.example.com/products/blue-kettle.html" ->
/// "shop example products blue kettle".
pub fn url_words(url: &str) -> String {
    const NOISE: &[&str] = &[
        "http", "https", "www", "com", "org", "net", "co", "uk", "de", "fr", "io", "eu", "html",
        "htm", "php", "aspx", "index", "en", "amp", "t", "s", "p", "r",
    ];
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.len() > 1
                && !w.chars().all(|c| c.is_ascii_digit())
                && !NOISE.contains(&w.to_lowercase().as_str())
        })
        .take(12)
        .collect::<Vec<_>>()
        .join(" ")
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
        let t = CategoryModel::page_text(
            "https://news.org/a",
            "Title",
            Some("Desc!"),
            &["H1".into()],
            &"é".repeat(1000),
        );
        assert!(t.starts_with("Title. Desc! news. H1. é"), "{t}");
        assert!(t.len() < HEAD_BYTES + 100);
    }

    #[test]
    fn url_words_keep_what_names_the_site_and_page() {
        assert_eq!(
            url_words("https://www.shop.example.com/products/blue-kettle.html?x=1"),
            "shop example products blue kettle"
        );
        assert_eq!(url_words("https://forum.site.net/t/12345"), "forum site");
    }

    #[test]
    fn every_category_has_prototypes() {
        let sections = prototypes::sections(prototypes::CATEGORIES);
        for c in Category::ALL {
            assert!(
                sections
                    .iter()
                    .any(|(n, l)| *n == c.label() && l.len() >= 5),
                "{c:?}"
            );
        }
    }
}
