//! Optional generated answers and summaries: a local SmolLM2 or a remote OpenAI-compatible
//! endpoint, behind one trait.
//!
//! Generation is off by default (answers are extracted passages). When the user turns it
//! on, the model sees only the best passages (a 135M model cannot read a whole page, and a
//! 1,000-token prefill takes ~11 s on 2 cores), inside an untrusted-text block (`prompt`).

pub mod gguf_tokenizer;
pub mod prompt;
pub mod remote;
pub mod smollm;
mod sse;

use crate::cancel::{CancelToken, Cancelled};
pub use prompt::{Message, Role};

/// Generation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The local model failed while running.
    #[error("the local model failed: {0}")]
    Model(String),
    /// The remote endpoint could not be reached or answered with an error.
    #[error("the AI endpoint {endpoint} failed: {reason}")]
    Remote {
        /// Base URL of the endpoint.
        endpoint: String,
        /// What went wrong, including the HTTP status when there is one.
        reason: String,
    },
    /// The endpoint settings are unusable (bad URL, unsupported scheme).
    #[error("the AI endpoint settings are invalid: {0}")]
    Config(String),
    /// The caller cancelled.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
}

/// Something that writes text from chat messages, streaming it piece by piece.
pub trait TextGenerator: Send {
    /// Who writes ("SmolLM2-135M-Instruct (on this device)", "llama3 at localhost:11434").
    fn name(&self) -> String;

    /// Generate at most `max_tokens` tokens, calling `on_text` with each new piece.
    fn generate(
        &mut self,
        messages: &[Message],
        max_tokens: usize,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<(), GenerateError>;
}
