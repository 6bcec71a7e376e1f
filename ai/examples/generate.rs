//! SmolLM2 speed on this machine: prompt (prefill) tokens per second, then generated tokens
//! per second, read from the stream's timing. Build with and without
//! `RUSTFLAGS="-C target-cpu=x86-64-v3"` (in a separate CARGO_TARGET_DIR) to compare.
//! `cargo run --release -p nexus-ai --example generate`

use nexus_ai::generate::smollm::SmolLm;
use nexus_ai::generate::{Message, Role, TextGenerator, prompt};
use nexus_ai::{CancelToken, ModelPaths};
use std::time::Instant;

fn main() {
    let mut lm = SmolLm::load(&ModelPaths::discover().expect("models root")).expect("SmolLM2");
    let passage = "The city council approved a new transport plan after a long debate on Monday evening. \
                   Opposition members argued that the cost of 40 million euros was too high for residents. ";
    for (label, passages) in [("short prompt", 1), ("answer-sized prompt", 3)] {
        let texts: Vec<String> = (0..passages).map(|_| passage.repeat(2)).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let msgs: Vec<Message> = prompt::answer(
            "Transport plan",
            &texts,
            "How much does the plan cost?",
            &[],
        );
        let prompt_tokens = lm.encode(&SmolLm::render(&msgs)).expect("encode").len();
        let started = Instant::now();
        let mut stamps = Vec::new();
        lm.generate(&msgs, 48, &CancelToken::new(), &mut |_| {
            stamps.push(started.elapsed())
        })
        .expect("generate");
        let first = stamps.first().map_or(0.0, |d| d.as_secs_f64());
        let last = stamps.last().map_or(0.0, |d| d.as_secs_f64());
        let gen_rate = if stamps.len() > 1 {
            (stamps.len() - 1) as f64 / (last - first)
        } else {
            0.0
        };
        println!(
            "{label}: {prompt_tokens} prompt tokens, first token after {first:.2} s ({:.0} prompt tok/s), then {gen_rate:.1} tok/s over {} pieces",
            prompt_tokens as f64 / first.max(1e-9),
            stamps.len()
        );
    }
    let _ = Role::User;
}
