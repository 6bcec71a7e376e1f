//! Why an engine call failed: one enum per call, each variant saying what to do.

use crate::cancel::Cancelled;
use crate::embed::EmbedError;
use crate::generate::GenerateError;
use crate::models::ModelError;

/// An analysis did not finish.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnalyzeError {
    /// The caller cancelled (a newer request for the tab, a timeout, shut-down).
    #[error("analysis cancelled")]
    Cancelled,
    /// The embedding model failed.
    #[error(transparent)]
    Embed(EmbedError),
}

/// A question was not answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerError {
    /// The question is empty.
    #[error("the question is empty")]
    EmptyQuestion,
    /// The caller cancelled.
    #[error("answer cancelled")]
    Cancelled,
    /// The embedding model failed.
    #[error(transparent)]
    Embed(EmbedError),
    /// The generator failed (the passages were already sent).
    #[error(transparent)]
    Generate(GenerateError),
}

/// The generator settings could not be applied; the previous generator stays in use.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigureError {
    /// The local model's file is missing, corrupt or unloadable.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The remote endpoint settings are invalid.
    #[error(transparent)]
    Generate(#[from] GenerateError),
}

impl From<EmbedError> for AnalyzeError {
    fn from(e: EmbedError) -> Self {
        match e {
            EmbedError::Cancelled(_) => AnalyzeError::Cancelled,
            e => AnalyzeError::Embed(e),
        }
    }
}

impl From<Cancelled> for AnalyzeError {
    fn from(_: Cancelled) -> Self {
        AnalyzeError::Cancelled
    }
}

impl From<EmbedError> for AnswerError {
    fn from(e: EmbedError) -> Self {
        match e {
            EmbedError::Cancelled(_) => AnswerError::Cancelled,
            e => AnswerError::Embed(e),
        }
    }
}

impl From<GenerateError> for AnswerError {
    fn from(e: GenerateError) -> Self {
        match e {
            GenerateError::Cancelled(_) => AnswerError::Cancelled,
            e => AnswerError::Generate(e),
        }
    }
}
