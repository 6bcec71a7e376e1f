//! SmolLM2-135M-Instruct on this device: candle's quantized llama over the Q4_1 GGUF.
//!
//! Loaded only when the user picks the local generator. Decoding is greedy with a mild
//! repetition penalty (deterministic, and a 135M model drifts when sampled). The prompt is
//! cut to [`MAX_PROMPT_TOKENS`] so prefill stays a few seconds on 2 cores. Note that candle
//! picks its quantized SIMD kernels at compile time: build with
//! `-C target-cpu=x86-64-v3` for ~4x faster generation (see BENCHMARKS.md).

use super::{GenerateError, Message, TextGenerator, gguf_tokenizer};
use crate::cancel::CancelToken;
use crate::models::{self, ModelError, ModelPaths};
use candle_core::quantized::gguf_file;
use candle_core::{Device, Tensor};
use candle_transformers::generation::{LogitsProcessor, Sampling};
use candle_transformers::models::quantized_llama::ModelWeights;
use tokenizers::Tokenizer;

/// Longest prompt fed to the model, in tokens.
pub const MAX_PROMPT_TOKENS: usize = 448;
/// Repetition penalty over the last [`REPEAT_WINDOW`] tokens.
const REPEAT_PENALTY: f32 = 1.15;
const REPEAT_WINDOW: usize = 64;

/// The loaded model.
pub struct SmolLm {
    model: ModelWeights,
    tokenizer: Tokenizer,
    stop: Vec<u32>,
}

impl SmolLm {
    /// Check and load the GGUF file.
    pub fn load(paths: &ModelPaths) -> Result<SmolLm, ModelError> {
        let path = paths.file(models::SMOLLM_GGUF);
        let row = models::MODEL_FILES
            .iter()
            .find(|f| f.path == models::SMOLLM_GGUF)
            .expect("in the table");
        paths.verify_file(row)?;
        let load = |reason: String| ModelError::Load {
            path: path.clone(),
            reason,
        };
        let mut file = std::fs::File::open(&path).map_err(|e| ModelError::Io {
            path: path.clone(),
            source: e,
        })?;
        let content = gguf_file::Content::read(&mut file).map_err(|e| load(e.to_string()))?;
        let tokenizer = gguf_tokenizer::from_gguf(&content).map_err(load)?;
        let stop: Vec<u32> = ["<|im_end|>", "<|endoftext|>"]
            .iter()
            .filter_map(|t| tokenizer.token_to_id(t))
            .collect();
        if stop.is_empty() {
            return Err(load("the tokenizer has no <|im_end|> token".to_owned()));
        }
        let model = ModelWeights::from_gguf(content, &mut file, &Device::Cpu)
            .map_err(|e| load(e.to_string()))?;
        Ok(SmolLm {
            model,
            tokenizer,
            stop,
        })
    }

    /// The chat template stored in the GGUF (ChatML).
    pub fn render(messages: &[Message]) -> String {
        let mut s = String::new();
        for m in messages {
            s.push_str(&format!(
                "<|im_start|>{}\n{}<|im_end|>\n",
                m.role.as_str(),
                m.content
            ));
        }
        s.push_str("<|im_start|>assistant\n");
        s
    }

    /// Token ids of a text (special tokens in it are recognised).
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, GenerateError> {
        Ok(self
            .tokenizer
            .encode(text, false)
            .map_err(|e| GenerateError::Model(e.to_string()))?
            .get_ids()
            .to_vec())
    }

    /// Text of token ids.
    pub fn decode(&self, ids: &[u32]) -> Result<String, GenerateError> {
        self.tokenizer
            .decode(ids, true)
            .map_err(|e| GenerateError::Model(e.to_string()))
    }
}

fn model_err(e: candle_core::Error) -> GenerateError {
    GenerateError::Model(e.to_string())
}

impl TextGenerator for SmolLm {
    fn name(&self) -> String {
        "SmolLM2-135M-Instruct (on this device)".to_owned()
    }

    fn generate(
        &mut self,
        messages: &[Message],
        max_tokens: usize,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<(), GenerateError> {
        let mut prompt = self.encode(&SmolLm::render(messages))?;
        if prompt.len() > MAX_PROMPT_TOKENS {
            // Keep the start (system message) and the end (question and the assistant turn);
            // the middle is page text, best passages first, so the cut loses the weakest.
            let tail = MAX_PROMPT_TOKENS / 2;
            let cut_from = MAX_PROMPT_TOKENS - tail;
            prompt.drain(cut_from..prompt.len() - tail);
        }
        self.model.clear_kv_cache();
        let mut sampler = LogitsProcessor::from_sampling(0, Sampling::ArgMax);
        let device = Device::Cpu;
        let mut input = Tensor::new(prompt.as_slice(), &device)
            .and_then(|t| t.unsqueeze(0))
            .map_err(model_err)?;
        let mut pos = 0;
        let mut generated: Vec<u32> = Vec::new();
        let mut emitted = 0usize; // bytes of decoded text already sent
        for _ in 0..max_tokens {
            cancel.check()?;
            let seq_len = input.dim(1).map_err(model_err)?;
            let logits = self
                .model
                .forward(&input, pos)
                .and_then(|l| l.squeeze(0))
                .map_err(model_err)?;
            pos += seq_len;
            let start = generated.len().saturating_sub(REPEAT_WINDOW);
            let logits = candle_transformers::utils::apply_repeat_penalty(
                &logits,
                REPEAT_PENALTY,
                &generated[start..],
            )
            .map_err(model_err)?;
            let next = sampler.sample(&logits).map_err(model_err)?;
            if self.stop.contains(&next) {
                break;
            }
            generated.push(next);
            // Decode everything so far and send what is new, holding back an incomplete
            // UTF-8 sequence (shown as U+FFFD until its last byte arrives).
            let text = self.decode(&generated)?;
            if let Some(new) = text.get(emitted..)
                && !new.is_empty()
                && !text.ends_with('\u{FFFD}')
            {
                on_text(new);
                emitted = text.len();
            }
            input = Tensor::new(&[next], &device)
                .and_then(|t| t.unsqueeze(0))
                .map_err(model_err)?;
        }
        Ok(())
    }
}
