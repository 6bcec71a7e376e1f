//! Peak resident memory and CPU time of the engine (Linux), a load-robust companion to
//! `cargo bench`: on a shared machine wall-clock times stretch with other people's builds,
//! while CPU time (all threads, from /proc/self/stat) stays close to what an idle 2-core
//! machine needs. `cargo run --release -p nexus-ai --example memory`

use nexus_ai::{CancelToken, Engine, ModelPaths};
use nexus_ipc::messages::ai::{AiAnalyze, AiConfigure, AiQuestion, Generator};
use std::time::Instant;

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .map(str::to_owned)
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| format!("{} MB", kb / 1024))
        .unwrap_or_else(|| "n/a".into())
}

/// CPU seconds of this process so far (user + system, all threads).
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    // After the name: state, ppid, pgrp, session, tty, tpgid, flags, 4 fault counters,
    // then utime and stime in clock ticks (100 a second on Linux).
    let f: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    (field(11) + field(12)) as f64 / 100.0
}

fn report(stage: &str) {
    println!(
        "{stage:<52} RSS {:>7}  peak {:>7}",
        status("VmRSS:"),
        status("VmHWM:")
    );
}

/// The first `n` words of the evaluation set's pages, joined: real, varied prose.
fn words(n: usize) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ai");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/data/ai")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut out = String::new();
    let mut count = 0;
    while count < n {
        for f in &files {
            let pages: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
            for p in pages.as_array().unwrap() {
                for line in p["content"].as_str().unwrap().split_inclusive('\n') {
                    if count >= n {
                        return out;
                    }
                    count += line.split_whitespace().count();
                    out.push_str(line);
                }
                out.push_str("\n\n");
            }
        }
    }
    out
}

fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let (w, c) = (Instant::now(), cpu());
    let out = f();
    println!(
        "{label:<52} wall {:>7.0} ms  cpu {:>7.0} ms",
        w.elapsed().as_secs_f64() * 1e3,
        (cpu() - c) * 1e3
    );
    out
}

fn main() {
    report("start");
    let paths = ModelPaths::discover().expect("models root");
    let engine = timed("load MiniLM + embed prototypes", || {
        Engine::load(&paths).expect("engine")
    });
    report("MiniLM loaded");
    // Load baseline: ai-notes.md measured ~152 ms for this on an idle machine.
    let short: Vec<String> = (0..32)
        .map(|i| format!("Sentence number {i} is a short example of text."))
        .collect();
    let short: Vec<&str> = short.iter().map(String::as_str).collect();
    for _ in 0..3 {
        timed(
            "baseline: 32 short sentences in one batch (idle ~152 ms)",
            || {
                engine
                    .embedder()
                    .embed(&short, &CancelToken::new())
                    .expect("embed")
            },
        );
    }
    for n in [500, 2000, 10_000] {
        let req = AiAnalyze {
            url: format!("https://mem.example/{n}"),
            title: "Plan".into(),
            content: words(n),
            ..Default::default()
        };
        let (w, c) = (Instant::now(), cpu());
        let mut first = None;
        engine
            .analyze(&req, &CancelToken::new(), &mut |_| {
                first.get_or_insert((w.elapsed().as_secs_f64() * 1e3, (cpu() - c) * 1e3));
            })
            .expect("analysis");
        let (fw, fc) = first.unwrap();
        println!(
            "analyze {n:>6} words: first part wall {fw:>5.0} ms cpu {fc:>5.0} ms; complete wall {:>5.0} ms cpu {:>5.0} ms",
            w.elapsed().as_secs_f64() * 1e3,
            (cpu() - c) * 1e3
        );
    }
    report("after analysing 500, 2,000 and 10,000 words");
    // What the complete analysis cost before summary candidates were preselected, and what
    // the first question now pays instead: every sentence of 2,000 words embedded.
    let prose = words(2000);
    let sentences: Vec<&str> = nexus_ai::text::sentences(&prose)
        .into_iter()
        .map(|s| nexus_ai::text::slice(&prose, s))
        .collect();
    timed(
        &format!("embed all {} sentences of 2,000 words", sentences.len()),
        || {
            engine
                .embedder()
                .embed(&sentences, &CancelToken::new())
                .expect("embed")
        },
    );
    let q = AiQuestion {
        url: "https://mem.example/2000".into(),
        title: "Plan".into(),
        content: words(2000),
        question: "How much did the company raise from investors?".into(),
        history: vec![],
    };
    // The analysis embedded only the summary candidates: the first question embeds the rest.
    timed("first question on the analysed 2,000-word page", || {
        engine
            .answer(&q, &CancelToken::new(), &mut |_| {})
            .expect("answer")
    });
    timed("next question (sentence index cached)", || {
        engine
            .answer(&q, &CancelToken::new(), &mut |_| {})
            .expect("answer")
    });
    timed("load SmolLM2", || {
        engine
            .configure(&AiConfigure {
                generator: Generator::LocalSmolLm2,
            })
            .expect("SmolLM2")
    });
    report("SmolLM2 loaded");
    let mut tokens = 0;
    timed(
        "generated answer (3 passages + question, up to 96 tokens)",
        || {
            engine
                .answer(&q, &CancelToken::new(), &mut |a| {
                    tokens += matches!(a, nexus_ipc::messages::ai::AiAnswer::Token(_)) as u32
                })
                .expect("generated answer")
        },
    );
    println!("  ({tokens} token pieces streamed)");
    report("after a generated answer");
}
