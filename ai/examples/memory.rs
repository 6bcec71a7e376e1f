//! Peak resident memory of the engine (Linux): after loading MiniLM, after analysing a
//! 2,000-word page and a question, and after loading SmolLM2 and generating an answer.
//! `cargo run --release -p nexus-ai --example memory`

use nexus_ai::{CancelToken, Engine, ModelPaths};
use nexus_ipc::messages::ai::{AiAnalyze, AiConfigure, AiQuestion, Generator};

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_owned())
        })
        .map(|kb| format!("{} MB", kb.parse::<u64>().map(|k| k / 1024).unwrap_or(0)))
        .unwrap_or_else(|| "n/a (not Linux)".into())
}

fn report(stage: &str) {
    println!(
        "{stage:<45} RSS {:>8}  peak {:>8}",
        status("VmRSS:"),
        status("VmHWM:")
    );
}

fn main() {
    report("start");
    let engine = Engine::load(&ModelPaths::discover().expect("models root")).expect("engine");
    report("MiniLM loaded, prototypes embedded");
    let content =
        "The council approved the plan after a long debate on Monday evening. ".repeat(180);
    let req = AiAnalyze {
        url: "https://mem.example/".into(),
        title: "Plan".into(),
        content: content.clone(),
        ..Default::default()
    };
    engine
        .analyze(&req, &CancelToken::new(), &mut |_| {})
        .expect("analysis");
    let q = AiQuestion {
        url: req.url.clone(),
        title: req.title.clone(),
        content,
        question: "When was the plan approved?".into(),
        history: vec![],
    };
    engine
        .answer(&q, &CancelToken::new(), &mut |_| {})
        .expect("answer");
    report("after a 2,000-word analysis and a question");
    engine
        .configure(&AiConfigure {
            generator: Generator::LocalSmolLm2,
        })
        .expect("SmolLM2");
    report("SmolLM2 loaded");
    engine
        .answer(&q, &CancelToken::new(), &mut |_| {})
        .expect("generated answer");
    report("after a generated answer");
}
