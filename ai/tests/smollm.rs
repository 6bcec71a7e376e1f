//! SmolLM2 with the real GGUF file: the rebuilt tokenizer and streamed generation.

use nexus_ai::generate::smollm::SmolLm;
use nexus_ai::generate::{Message, Role, TextGenerator};
use nexus_ai::{CancelToken, Engine, EngineOptions, ModelPaths};
use nexus_ipc::messages::ai::{AiAnswer, AiConfigure, AiQuestion, Generator};

#[test]
fn tokenizer_rebuilt_from_gguf_round_trips_and_knows_the_chat_tokens() {
    let lm = SmolLm::load(&ModelPaths::discover().unwrap()).unwrap();
    let text = "Hello, world! Prices rose 123% in 2024 — café ünïcode.";
    let ids = lm.encode(text).unwrap();
    assert_eq!(lm.decode(&ids).unwrap(), text);
    // Digits are split one by one (the "smollm" pre-tokenizer).
    assert_eq!(lm.encode("123").unwrap().len(), 3);
    // Control tokens are single tokens, not spelled out.
    assert_eq!(lm.encode("<|im_start|>").unwrap(), vec![1]);
    assert_eq!(lm.encode("<|im_end|>").unwrap(), vec![2]);
    // Common words are single tokens (merges applied), with the space attached.
    assert_eq!(lm.encode(" the").unwrap().len(), 1);
}

#[test]
fn generates_a_relevant_streamed_answer() {
    let mut lm = SmolLm::load(&ModelPaths::discover().unwrap()).unwrap();
    let msgs = vec![
        Message {
            role: Role::System,
            content: "You are a helpful assistant. Answer in one short sentence.".into(),
        },
        Message {
            role: Role::User,
            content: "What is the capital of France?".into(),
        },
    ];
    let mut pieces = Vec::new();
    lm.generate(&msgs, 20, &CancelToken::new(), &mut |t| {
        pieces.push(t.to_owned())
    })
    .unwrap();
    let answer = pieces.concat();
    assert!(pieces.len() > 1, "streamed in pieces: {pieces:?}");
    assert!(answer.contains("Paris"), "{answer:?}");
}

#[test]
fn engine_answers_with_the_local_generator() {
    let options = EngineOptions {
        max_generated_tokens: 24,
        ..EngineOptions::default()
    };
    let engine = Engine::load_with(&ModelPaths::discover().unwrap(), options).unwrap();
    engine
        .configure(&AiConfigure {
            generator: Generator::LocalSmolLm2,
        })
        .unwrap();
    let q = AiQuestion {
        url: "https://example.org/bakery".into(),
        title: "Bakery opens".into(),
        content:
            "A new bakery opened on Main Street on Friday. It sells sourdough bread for $6 a loaf. \
                  The owner, Anna Berg, trained in Paris for five years."
                .into(),
        question: "How much is the bread?".into(),
        history: vec![],
    };
    let mut parts = Vec::new();
    let info = engine
        .answer(&q, &CancelToken::new(), &mut |a| parts.push(a))
        .unwrap();
    assert!(matches!(parts[0], AiAnswer::Passages(_)));
    let tokens: String = parts
        .iter()
        .filter_map(|p| {
            if let AiAnswer::Token(t) = p {
                Some(t.as_str())
            } else {
                None
            }
        })
        .collect();
    assert!(!tokens.trim().is_empty());
    assert_eq!(
        info.generated_by.as_deref(),
        Some("SmolLM2-135M-Instruct (on this device)")
    );
    assert!(matches!(parts.last(), Some(AiAnswer::Done(_))));
    engine
        .configure(&AiConfigure {
            generator: Generator::Extractive,
        })
        .unwrap();
    assert_eq!(engine.generator_name(), None);
}
