//! The engine: loads the models once, then analyses pages and answers questions, streaming
//! each part as soon as it is ready.
//!
//! Order of an analysis, cheapest first so the sidebar fills quickly: one embedding of the
//! page's head (title, description, first ~256 tokens) gives the category and, with VADER
//! over every sentence, the sentiment (first result in well under 300 ms at any page size);
//! rules give the entities; then the likeliest summary sentences (at most
//! [`summary::MAX_EMBEDDED`], chosen by a cheap word-frequency score) are embedded for the
//! summary. Every sentence is embedded (the expensive step) only when the first question
//! about the page comes, and kept in the cache for the next. Pages longer than
//! [`EngineOptions::max_words`] are analysed up to that many words, and `Complete` says so.
//!
//! All methods take `&self`: the worker can run an analysis on one thread and cancel it,
//! or reconfigure, from another.

use crate::cache::{self, Cache, PageIndex};
use crate::cancel::CancelToken;
use crate::category::CategoryModel;
use crate::embed::{EmbedError, Embedder};
pub use crate::error::{AnalyzeError, AnswerError, ConfigureError};
use crate::generate::remote::RemoteChat;
use crate::generate::smollm::SmolLm;
use crate::generate::{TextGenerator, prompt};
use crate::models::{ModelError, ModelPaths};
use crate::retrieve::PassageIndex;
use crate::sentiment::SentimentModel;
use crate::summary::{self, Sentence};
use crate::{entities, text};
use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::{
    AiAnalyze, AiAnswer, AiConfigure, AiQuestion, AnalysisInfo, AnalysisPart, AnswerInfo,
    EntityKind, Feature, Generator, Passage, SummarySentence,
};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// Tunables of the engine.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Words of a page that are analysed; the rest is ignored (and `Complete` says so).
    pub max_words: usize,
    /// Pages kept in the result cache.
    pub cache_pages: usize,
    /// Passages returned for a question.
    pub passages: usize,
    /// Most tokens a generator may write for one answer or summary.
    pub max_generated_tokens: usize,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            max_words: 3000,
            cache_pages: 32,
            passages: 3,
            max_generated_tokens: 96,
        }
    }
}

/// The analysis engine.
pub struct Engine {
    paths: ModelPaths,
    options: EngineOptions,
    embedder: Embedder,
    category: CategoryModel,
    sentiment: SentimentModel,
    name_kinds: entities::typing::Examples,
    cache: Mutex<Cache>,
    generator: Mutex<Option<Box<dyn TextGenerator>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Engine {
    /// Load the embedding model (checked against its sha256) and embed the prototypes.
    pub fn load(paths: &ModelPaths) -> Result<Engine, ModelError> {
        Engine::load_with(paths, EngineOptions::default())
    }

    /// [`Engine::load`] with options.
    pub fn load_with(paths: &ModelPaths, options: EngineOptions) -> Result<Engine, ModelError> {
        let embedder = Embedder::load(paths)?;
        let proto_err = |e: EmbedError| ModelError::Load {
            path: paths.file(crate::models::MINILM_WEIGHTS),
            reason: format!("embedding the prototype sentences: {e}"),
        };
        let category = CategoryModel::new(&embedder).map_err(proto_err)?;
        let sentiment = SentimentModel::new(&embedder).map_err(proto_err)?;
        let name_kinds = entities::typing::prototypes(&embedder).map_err(proto_err)?;
        Ok(Engine {
            name_kinds,
            paths: paths.clone(),
            cache: Mutex::new(Cache::new(options.cache_pages)),
            options,
            embedder,
            category,
            sentiment,
            generator: Mutex::new(None),
        })
    }

    /// The embedder (for benchmarks and tools).
    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    /// The options in use.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// Choose the generator for answers and summaries. Loading SmolLM2 takes ~0.5 s.
    pub fn configure(&self, config: &AiConfigure) -> Result<(), ConfigureError> {
        let next: Option<Box<dyn TextGenerator>> = match &config.generator {
            Generator::Extractive => None,
            Generator::LocalSmolLm2 => Some(Box::new(SmolLm::load(&self.paths)?)),
            Generator::Remote(endpoint) => Some(Box::new(RemoteChat::new(endpoint.clone())?)),
        };
        *lock(&self.generator) = next;
        Ok(())
    }

    /// Name of the configured generator, `None` when answers are extractive.
    pub fn generator_name(&self) -> Option<String> {
        lock(&self.generator).as_ref().map(|g| g.name())
    }

    /// Analyse a page, calling `emit` with each part in order (category, sentiment,
    /// entities, summary, then `Complete`). Results are cached per URL and content.
    pub fn analyze(
        &self,
        req: &AiAnalyze,
        cancel: &CancelToken,
        emit: &mut dyn FnMut(AnalysisPart),
    ) -> Result<AnalysisInfo, AnalyzeError> {
        let started = Instant::now();
        let wanted = |f: Feature| req.features.is_empty() || req.features.contains(&f);
        let hash = cache::content_hash(&req.url, &req.title, &req.content);
        if let Some(info) = self.replay(&req.url, &hash, &wanted, started, emit) {
            return Ok(info);
        }
        let (end, total_words) = text::cap_words(&req.content, self.options.max_words);
        let page = &req.content[..end];
        let sentences = text::sentences(page);
        let mut parts = Vec::new();
        let mut send = |part: AnalysisPart, parts: &mut Vec<AnalysisPart>| {
            parts.push(part.clone());
            emit(part);
        };

        if wanted(Feature::Category) || wanted(Feature::Sentiment) {
            let head = CategoryModel::page_text(
                &req.url,
                &req.title,
                req.description.as_deref(),
                &req.headings,
                page,
            );
            let head_vector = self.embedder.embed(&[head.as_str()], cancel)?.remove(0);
            if wanted(Feature::Category) {
                let bonuses = crate::category::cues::bonuses(&req.url, page);
                send(
                    AnalysisPart::Category(self.category.classify(&head_vector, &bonuses)),
                    &mut parts,
                );
            }
            if wanted(Feature::Sentiment) {
                let texts: Vec<&str> = sentences.iter().map(|s| text::slice(page, *s)).collect();
                let vader = self.sentiment.vader(&texts);
                send(
                    AnalysisPart::Sentiment(self.sentiment.blend(vader, &head_vector)),
                    &mut parts,
                );
            }
        }
        cancel.check()?;
        if wanted(Feature::Entities) {
            send(AnalysisPart::Entities(self.entities(page)), &mut parts);
        }
        cancel.check()?;
        if wanted(Feature::Summary) {
            let chosen = self.summary(&req.url, &hash, &req.content, cancel)?;
            send(AnalysisPart::Summary(chosen), &mut parts);
        }
        let info = AnalysisInfo {
            analysed_words: total_words.min(self.options.max_words) as u32,
            total_words: total_words as u32,
            elapsed_ms: started.elapsed().as_millis() as u32,
            cached: false,
        };
        emit(AnalysisPart::Complete(info.clone()));
        let mut cache = lock(&self.cache);
        let entry = cache.entry(&req.url, &hash);
        entry.features = if req.features.is_empty() {
            vec![
                Feature::Category,
                Feature::Sentiment,
                Feature::Entities,
                Feature::Summary,
            ]
        } else {
            req.features.clone()
        };
        entry.parts = parts;
        entry.info = Some(info.clone());
        Ok(info)
    }

    /// Send a cached analysis, if it covers what is wanted.
    fn replay(
        &self,
        url: &str,
        hash: &str,
        wanted: &dyn Fn(Feature) -> bool,
        started: Instant,
        emit: &mut dyn FnMut(AnalysisPart),
    ) -> Option<AnalysisInfo> {
        let (parts, info) = {
            let mut cache = lock(&self.cache);
            let entry = cache.get(url, hash)?;
            let all = [
                Feature::Category,
                Feature::Sentiment,
                Feature::Entities,
                Feature::Summary,
            ];
            if !all
                .iter()
                .filter(|f| wanted(**f))
                .all(|f| entry.features.contains(f))
            {
                return None;
            }
            (entry.parts.clone(), entry.info.clone()?)
        };
        for part in parts {
            let feature = match &part {
                AnalysisPart::Category(_) => Feature::Category,
                AnalysisPart::Sentiment(_) => Feature::Sentiment,
                AnalysisPart::Entities(_) => Feature::Entities,
                AnalysisPart::Summary(_) => Feature::Summary,
                AnalysisPart::Complete(_) => continue,
            };
            if wanted(feature) {
                emit(part);
            }
        }
        let info = AnalysisInfo {
            elapsed_ms: started.elapsed().as_millis() as u32,
            cached: true,
            ..info
        };
        emit(AnalysisPart::Complete(info.clone()));
        Some(info)
    }

    /// Build the page's question index now (every analysed sentence embedded, passages
    /// indexed), so that the first question about it needs no embedding of the page. The
    /// worker runs this after an analysis, while the user reads the results.
    pub fn prepare_questions(
        &self,
        req: &AiAnalyze,
        cancel: &CancelToken,
    ) -> Result<(), EmbedError> {
        let hash = cache::content_hash(&req.url, &req.title, &req.content);
        self.page_index(&req.url, &hash, &req.content, cancel)
            .map(|_| ())
    }

    /// Whether questions about this page are answered from a ready index.
    pub fn is_ready_for_questions(&self, url: &str, title: &str, content: &str) -> bool {
        let hash = cache::content_hash(url, title, content);
        lock(&self.cache)
            .get(url, &hash)
            .is_some_and(|entry| entry.index.is_some())
    }

    /// The page's sentence embeddings and passages, from the cache or computed now (the
    /// entity mentions and the summary's sentence embeddings come from the cached analysis
    /// when there is one).
    fn page_index(
        &self,
        url: &str,
        hash: &str,
        content: &str,
        cancel: &CancelToken,
    ) -> Result<Arc<PageIndex>, EmbedError> {
        let mut mentions = None;
        let mut known = Vec::new();
        if let Some(entry) = lock(&self.cache).get(url, hash) {
            if let Some(index) = &entry.index {
                return Ok(index.clone());
            }
            mentions = entry.parts.iter().find_map(|p| match p {
                AnalysisPart::Entities(e) => Some(mention_list(e)),
                _ => None,
            });
            known = entry.partial.clone();
        }
        let (end, _) = text::cap_words(content, self.options.max_words);
        let sentences = text::sentences(&content[..end]);
        let texts: Vec<&str> = sentences.iter().map(|s| text::slice(content, *s)).collect();
        let mut vectors: Vec<Option<crate::embed::Vector>> = vec![None; texts.len()];
        for (i, v) in known {
            if let Some(slot) = vectors.get_mut(i) {
                *slot = Some(v);
            }
        }
        let missing: Vec<usize> = (0..texts.len()).filter(|&i| vectors[i].is_none()).collect();
        let missing_texts: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
        for (i, v) in missing
            .into_iter()
            .zip(self.embedder.embed(&missing_texts, cancel)?)
        {
            vectors[i] = Some(v);
        }
        let vectors: Vec<crate::embed::Vector> = vectors.into_iter().flatten().collect();
        let mentions = mentions.unwrap_or_else(|| mention_list(&self.entities(&content[..end])));
        let passages = PassageIndex::new(content, &sentences, &vectors, &mentions);
        let index = Arc::new(PageIndex {
            analysed_end: end,
            sentences,
            vectors,
            passages,
        });
        lock(&self.cache).entry(url, hash).index = Some(index.clone());
        Ok(index)
    }

    /// The page's extractive summary. Only the preselected sentences are embedded (or taken
    /// from the question index when it is already built, so both ways give the same summary).
    fn summary(
        &self,
        url: &str,
        hash: &str,
        content: &str,
        cancel: &CancelToken,
    ) -> Result<Vec<SummarySentence>, EmbedError> {
        let (end, _) = text::cap_words(content, self.options.max_words);
        let sentences = text::sentences(&content[..end]);
        let texts: Vec<&str> = sentences.iter().map(|s| text::slice(content, *s)).collect();
        let chosen = summary::preselect(&texts, summary::MAX_EMBEDDED);
        let index = lock(&self.cache)
            .get(url, hash)
            .and_then(|e| e.index.clone());
        let vectors = match index {
            Some(index) => chosen.iter().map(|&i| index.vectors[i].clone()).collect(),
            None => {
                let picked: Vec<&str> = chosen.iter().map(|&i| texts[i]).collect();
                let vectors = self.embedder.embed(&picked, cancel)?;
                lock(&self.cache).entry(url, hash).partial = chosen
                    .iter()
                    .copied()
                    .zip(vectors.iter().cloned())
                    .collect();
                vectors
            }
        };
        let n = sentences.len().max(1) as f32;
        let view: Vec<Sentence<'_>> = chosen
            .iter()
            .zip(&vectors)
            .map(|(&i, vector)| Sentence {
                text: texts[i],
                span: sentences[i],
                vector,
                position: i as f32 / n,
            })
            .collect();
        Ok(summary::summarize(&view))
    }

    /// Entities of a text, ambiguous names typed by the embedding model.
    pub fn entities(&self, text: &str) -> Vec<nexus_ipc::messages::ai::Entity> {
        let typer = entities::typing::NameTyper::new(&self.embedder, &self.name_kinds);
        entities::extract(text, Some(&typer))
    }

    /// Answer a question about a page: the best passages first, then generated tokens if a
    /// generator is configured, then `Done`.
    pub fn answer(
        &self,
        q: &AiQuestion,
        cancel: &CancelToken,
        emit: &mut dyn FnMut(AiAnswer),
    ) -> Result<AnswerInfo, AnswerError> {
        let started = Instant::now();
        if q.question.trim().is_empty() {
            return Err(AnswerError::EmptyQuestion);
        }
        let hash = cache::content_hash(&q.url, &q.title, &q.content);
        let index = self.page_index(&q.url, &hash, &q.content, cancel)?;
        let query = match q.history.last() {
            // A short follow-up ("and the price?") leans on the previous question.
            Some((previous, _)) if text::word_count(&q.question) <= 5 => {
                format!("{previous} {}", q.question)
            }
            _ => q.question.clone(),
        };
        let query_vector = self.embedder.embed(&[query.as_str()], cancel)?.remove(0);
        let passages =
            index
                .passages
                .search(&q.content, &query, &query_vector, self.options.passages);
        emit(AiAnswer::Passages(passages.clone()));
        let generated_by = self.generate(cancel, emit, || {
            let texts: Vec<&str> = passages.iter().map(|p| p.text.as_str()).collect();
            prompt::answer(&q.title, &texts, &q.question, &q.history)
        })?;
        let info = AnswerInfo {
            generated_by,
            elapsed_ms: started.elapsed().as_millis() as u32,
        };
        emit(AiAnswer::Done(info.clone()));
        Ok(info)
    }

    /// A summary as an answer stream: the extractive summary sentences as passages, then,
    /// if a generator is configured, a written summary of them as tokens, then `Done`.
    pub fn summarize(
        &self,
        req: &AiAnalyze,
        cancel: &CancelToken,
        emit: &mut dyn FnMut(AiAnswer),
    ) -> Result<AnswerInfo, AnswerError> {
        let started = Instant::now();
        let hash = cache::content_hash(&req.url, &req.title, &req.content);
        let chosen = self.summary(&req.url, &hash, &req.content, cancel)?;
        let passages: Vec<Passage> = chosen
            .iter()
            .map(|s| Passage {
                text: s.text.clone(),
                span: s.span,
                score: s.score,
            })
            .collect();
        emit(AiAnswer::Passages(passages));
        let generated_by = self.generate(cancel, emit, || {
            let texts: Vec<&str> = chosen.iter().map(|s| s.text.as_str()).collect();
            prompt::summary(&req.title, &texts)
        })?;
        let info = AnswerInfo {
            generated_by,
            elapsed_ms: started.elapsed().as_millis() as u32,
        };
        emit(AiAnswer::Done(info.clone()));
        Ok(info)
    }

    /// Run the configured generator, if any, streaming tokens; returns its name.
    fn generate(
        &self,
        cancel: &CancelToken,
        emit: &mut dyn FnMut(AiAnswer),
        messages: impl FnOnce() -> Vec<prompt::Message>,
    ) -> Result<Option<String>, AnswerError> {
        let mut slot = lock(&self.generator);
        let Some(generator) = slot.as_mut() else {
            return Ok(None);
        };
        let msgs = messages();
        generator.generate(&msgs, self.options.max_generated_tokens, cancel, &mut |t| {
            emit(AiAnswer::Token(t.to_owned()))
        })?;
        Ok(Some(generator.name()))
    }
}

/// Every mention of every entity, with its kind.
fn mention_list(entities: &[nexus_ipc::messages::ai::Entity]) -> Vec<(Span, EntityKind)> {
    entities
        .iter()
        .flat_map(|e| e.mentions.iter().map(move |m| (*m, e.kind)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_can_be_shared_across_threads() {
        // The worker runs an analysis on one thread and cancels or reconfigures from another.
        fn shareable<T: Send + Sync>() {}
        shareable::<Engine>();
    }
}
