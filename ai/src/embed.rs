//! Sentence embeddings with all-MiniLM-L6-v2 (candle BERT, fp32, CPU).
//!
//! Every model-based stage (category, sentiment prototypes, summary, retrieval, entity
//! typing) compares 384-dimensional unit vectors made here, so this module owns the two
//! details that silently ruin them when wrong (see `shared/reference/ai-notes.md`):
//! - the tokenizer.json ships fixed padding and truncation at 128; we override both
//!   (pad to the longest text of a batch, truncate at 256 tokens, the length the model was
//!   trained on) — long texts must be split into sentences by the caller;
//! - pooling is a mean over real tokens only (the attention mask), then an L2 norm.
//!
//! Texts are sorted by length and batched under a token budget, so short sentences are
//! not padded to the length of a long one; results come back in the caller's order.

use crate::cancel::{CancelToken, Cancelled};
use crate::models::{self, ModelError, ModelPaths};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// Dimensions of an embedding.
pub const DIM: usize = 384;

/// Longest input in tokens (MiniLM's `max_seq_length`).
pub const MAX_TOKENS: usize = 256;

/// Padded tokens per batch (batch size × longest text); bounds memory and wasted work.
const BATCH_TOKENS: usize = 4096;

/// A unit-length embedding.
pub type Vector = Vec<f32>;

/// Embedding failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmbedError {
    /// The tokenizer rejected a text.
    #[error("tokenizing text for the embedding model failed: {0}")]
    Tokenize(String),
    /// The model's forward pass failed.
    #[error("the embedding model failed: {0}")]
    Model(#[from] candle_core::Error),
    /// The caller cancelled.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
}

/// The loaded MiniLM model and its tokenizer.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
}

impl Embedder {
    /// Load and check the MiniLM files under `paths`.
    pub fn load(paths: &ModelPaths) -> Result<Embedder, ModelError> {
        let weights = read_verified(paths, models::MINILM_WEIGHTS)?;
        let tokenizer_json = read_verified(paths, models::MINILM_TOKENIZER)?;
        let config_json = read_verified(paths, models::MINILM_CONFIG)?;
        let load_err = |rel: &str, reason: String| ModelError::Load {
            path: paths.file(rel),
            reason,
        };

        let config: Config = serde_json::from_slice(&config_json)
            .map_err(|e| load_err(models::MINILM_CONFIG, e.to_string()))?;
        let mut tokenizer = Tokenizer::from_bytes(&tokenizer_json)
            .map_err(|e| load_err(models::MINILM_TOKENIZER, e.to_string()))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| load_err(models::MINILM_TOKENIZER, e.to_string()))?;

        let device = Device::Cpu;
        // Buffered (not mmapped) safetensors: safe code, and the buffer is freed once the
        // tensors are built, so resident memory stays at one copy of the weights.
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(|e| load_err(models::MINILM_WEIGHTS, e.to_string()))?;
        let model = BertModel::load(vb, &config)
            .map_err(|e| load_err(models::MINILM_WEIGHTS, e.to_string()))?;
        Ok(Embedder {
            model,
            tokenizer,
            device,
        })
    }

    /// Embed one text.
    pub fn embed_one(&self, text: &str) -> Result<Vector, EmbedError> {
        Ok(self.embed(&[text], &CancelToken::new())?.remove(0))
    }

    /// Embed texts (each truncated at [`MAX_TOKENS`]); one unit vector per text, in order.
    /// Checks `cancel` between batches.
    pub fn embed(&self, texts: &[&str], cancel: &CancelToken) -> Result<Vec<Vector>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        // Length estimate without tokenizing twice: bytes are a good proxy for ordering.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        let mut i = 0;
        while i < order.len() {
            cancel.check()?;
            // Batch from shortest to longest: the longest (last) member sets the padding.
            let mut end = i + 1;
            let est = |j: usize| texts[order[j]].len() / 4 + 3;
            while end < order.len() && (end - i + 1) * est(end).min(MAX_TOKENS) <= BATCH_TOKENS {
                end += 1;
            }
            let batch: Vec<&str> = order[i..end].iter().map(|&j| texts[j]).collect();
            for (k, v) in self.embed_batch(&batch)?.into_iter().enumerate() {
                out[order[i + k]] = v;
            }
            i = end;
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vector>, EmbedError> {
        let enc = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        let rows = enc.len();
        let cols = enc[0].get_ids().len();
        let flat = |f: &dyn Fn(&tokenizers::Encoding) -> &[u32]| -> Vec<u32> {
            enc.iter().flat_map(|e| f(e).iter().copied()).collect()
        };
        let ids = Tensor::from_vec(flat(&|e| e.get_ids()), (rows, cols), &self.device)?;
        let mask = Tensor::from_vec(
            flat(&|e| e.get_attention_mask()),
            (rows, cols),
            &self.device,
        )?;
        let types = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &types, Some(&mask))?; // (rows, cols, DIM)
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?; // (rows, cols, 1)
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?; // (rows, DIM)
        let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?; // (rows, 1)
        let mean = summed.broadcast_div(&counts)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        Ok(mean.broadcast_div(&norm)?.to_vec2::<f32>()?)
    }

    /// Tokens the model would see for `text` (after truncation), for budgeting.
    pub fn token_count(&self, text: &str) -> usize {
        self.tokenizer
            .encode(text, true)
            .map(|e| e.get_ids().len())
            .unwrap_or(0)
    }
}

/// Read a model file and check its sha256 against the table.
pub(crate) fn read_verified(paths: &ModelPaths, relative: &str) -> Result<Vec<u8>, ModelError> {
    let path = paths.file(relative);
    let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ModelError::Missing {
            path: path.clone(),
            fix: models::FIX_COMMAND,
        },
        _ => ModelError::Io {
            path: path.clone(),
            source: e,
        },
    })?;
    let row = models::MODEL_FILES.iter().find(|f| f.path == relative);
    if let Some(row) = row {
        let actual = models::hex(ring::digest::digest(&ring::digest::SHA256, &bytes).as_ref());
        if actual != row.sha256 {
            return Err(ModelError::Corrupt {
                path,
                expected: row.sha256,
                actual,
                fix: models::FIX_COMMAND,
            });
        }
    }
    Ok(bytes)
}

/// Cosine of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Unit-length mean of vectors (the zero vector for none).
pub fn centroid<'a>(vectors: impl IntoIterator<Item = &'a Vector>) -> Vector {
    let mut sum = vec![0f32; DIM];
    for v in vectors {
        sum.iter_mut().zip(v).for_each(|(s, x)| *s += x);
    }
    normalize(sum)
}

/// Scale a vector to unit length (the zero vector stays zero).
pub fn normalize(mut v: Vector) -> Vector {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 1e-12 {
        v.iter_mut().for_each(|x| *x /= n);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centroid_and_cosine_are_unit_scaled() {
        let mut a = vec![0f32; DIM];
        a[0] = 1.0;
        let mut b = vec![0f32; DIM];
        b[1] = 1.0;
        let c = centroid([&a, &b]);
        assert!((cosine(&c, &c) - 1.0).abs() < 1e-6);
        assert!((cosine(&a, &c) - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        assert_eq!(normalize(vec![0.0; 3]), vec![0.0; 3]);
    }
}
