//! Results per page, keyed by URL and content hash, least recently used out first.
//!
//! Re-opening a tab or asking a second question must not re-embed the page: the sidebar's
//! analysis parts and the page's sentence embeddings (for questions) are kept here. The key
//! includes a hash of the content, so a page whose text changed is analysed again.

use crate::retrieve::PassageIndex;
use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::{AnalysisInfo, AnalysisPart};
use std::collections::VecDeque;
use std::sync::Arc;

/// A page's sentences with their embeddings and passages, for questions.
pub struct PageIndex {
    /// Bytes of the content that were analysed (the page cap).
    pub analysed_end: usize,
    /// Sentence spans in the content.
    pub sentences: Vec<Span>,
    /// One embedding per sentence.
    pub vectors: Vec<crate::embed::Vector>,
    /// Passages for retrieval.
    pub passages: PassageIndex,
}

/// What is cached for one page.
#[derive(Default)]
pub struct Entry {
    /// The analysis parts, in streaming order, without `Complete`.
    pub parts: Vec<AnalysisPart>,
    /// Features the parts cover.
    pub features: Vec<nexus_ipc::messages::ai::Feature>,
    /// The analysis's `Complete` info.
    pub info: Option<AnalysisInfo>,
    /// The question index, once built.
    pub index: Option<Arc<PageIndex>>,
    /// Embeddings the summary made before the index existed (sentence number, vector), so
    /// building the index does not embed those sentences again.
    pub partial: Vec<(usize, crate::embed::Vector)>,
}

/// An LRU cache of page entries.
pub struct Cache {
    capacity: usize,
    entries: VecDeque<((String, String), Entry)>,
}

impl Cache {
    /// A cache holding at most `capacity` pages.
    pub fn new(capacity: usize) -> Cache {
        Cache {
            capacity: capacity.max(1),
            entries: VecDeque::new(),
        }
    }

    /// The entry for a page, marking it recently used.
    pub fn get(&mut self, url: &str, hash: &str) -> Option<&mut Entry> {
        let pos = self
            .entries
            .iter()
            .position(|((u, h), _)| u == url && h == hash)?;
        let item = self.entries.remove(pos)?;
        self.entries.push_back(item);
        self.entries.back_mut().map(|(_, e)| e)
    }

    /// The entry for a page, created if missing (evicting the least recently used).
    pub fn entry(&mut self, url: &str, hash: &str) -> &mut Entry {
        if self.get(url, hash).is_none() {
            if self.entries.len() == self.capacity {
                self.entries.pop_front();
            }
            self.entries
                .push_back(((url.to_owned(), hash.to_owned()), Entry::default()));
        }
        &mut self.entries.back_mut().expect("just pushed").1
    }

    /// Number of cached pages.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Hex sha-256 of a page's URL, title and content: the cache key with the URL.
pub fn content_hash(url: &str, title: &str, content: &str) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for part in [url, title, content] {
        ctx.update(&(part.len() as u64).to_le_bytes());
        ctx.update(part.as_bytes());
    }
    crate::models::hex(&ctx.finish().as_ref()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used() {
        let mut c = Cache::new(2);
        c.entry("a", "1").info = Some(AnalysisInfo::default());
        c.entry("b", "1");
        assert!(c.get("a", "1").is_some()); // a is now the most recent
        c.entry("c", "1");
        assert!(c.get("b", "1").is_none());
        assert!(c.get("a", "1").unwrap().info.is_some());
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn hash_depends_on_every_field_and_is_unambiguous() {
        let h = content_hash("u", "t", "c");
        assert_eq!(h.len(), 32);
        assert_ne!(h, content_hash("u", "t", "c2"));
        assert_ne!(content_hash("ab", "", "c"), content_hash("a", "b", "c"));
    }
}
