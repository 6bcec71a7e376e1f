//! nexus-ai
pub mod bm25;
pub mod cache;
pub mod cancel;
pub mod category;
pub mod embed;
pub mod engine;
pub mod entities;
pub mod generate;
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
