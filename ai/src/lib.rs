//! `nexus-ai`: Nexus's page-analysis engine — what the AI sidebar shows about the page you
//! are on, computed offline on the CPU.
//!
//! For a page (URL, title, readable text) the [`Engine`] streams, in order: a category with
//! a confidence (or "uncertain"), the tone (VADER blended with embedding prototypes),
//! entities with their mentions, an extractive summary with offsets, then `Complete`. It
//! answers questions about the page with the best passages (embeddings + BM25), and, when
//! the user turns it on, a generated answer from SmolLM2-135M on this device or from an
//! OpenAI-compatible endpoint the user configured. Results are cached per URL and content;
//! every call can be cancelled; long pages are capped ([`EngineOptions::max_words`]).
//!
//! It is a library with no I/O of its own beyond reading model files and, only when the
//! user configured one, calling a remote endpoint. It is not the worker process: the
//! `nexus-ai-worker` binary (phase 2) reads nexus-ipc messages and calls
//! [`Engine::analyze`], [`Engine::answer`] and [`Engine::configure`]; [`worker`] holds its
//! request handling. Model files are listed once, in [`models::MODEL_FILES`], which
//! `cargo xtask setup` also reads.
//!
//! ```no_run
//! use nexus_ai::{CancelToken, Engine, ModelPaths};
//! use nexus_ipc::messages::ai::AiAnalyze;
//!
//! let engine = Engine::load(&ModelPaths::discover()?)?;
//! let page = AiAnalyze { url: "https://example.org".into(), content: "Some text.".into(), ..Default::default() };
//! engine.analyze(&page, &CancelToken::new(), &mut |part| println!("{part:?}"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bm25;
pub mod cache;
pub mod cancel;
pub mod category;
pub mod embed;
pub mod engine;
pub mod entities;
pub mod error;
pub mod generate;
pub mod model_files;
pub mod models;
pub mod prototypes;
pub mod retrieve;
pub mod sentiment;
pub mod summary;
pub mod text;
pub mod worker;

pub use cancel::{CancelToken, Cancelled};
pub use engine::{AnalyzeError, AnswerError, ConfigureError, Engine, EngineOptions};
pub use models::{MODEL_FILES, ModelError, ModelFile, ModelId, ModelPaths};
