//! `cargo bench -p nexus-ai`: model load; analysis of 500 / 2,000 / 10,000-word pages (time
//! to the first streamed part and to `Complete`); a question on an analysed page; SmolLM2
//! load and 32 generated tokens. Pages are real prose: the evaluation set's pages joined.
//! Results and the machine they were measured on: ai/BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use nexus_ai::generate::smollm::SmolLm;
use nexus_ai::generate::{Message, Role, TextGenerator};
use nexus_ai::{CancelToken, Engine, ModelPaths};
use nexus_ipc::messages::ai::{AiAnalyze, AiQuestion};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The first `words` words of the evaluation pages, joined (repeated if needed).
fn prose(words: usize) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ai");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut texts = Vec::new();
    for f in files {
        let pages: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        for p in pages.as_array().unwrap() {
            texts.push(p["content"].as_str().unwrap().to_owned());
        }
    }
    let mut out = String::new();
    let mut n = 0;
    'fill: loop {
        for t in &texts {
            for line in t.split_inclusive('\n') {
                n += line.split_whitespace().count();
                out.push_str(line);
                if n >= words {
                    break 'fill;
                }
            }
            out.push_str("\n\n");
        }
    }
    out
}

static PAGE_ID: AtomicU64 = AtomicU64::new(0);

/// A page with a fresh URL, so the cache never answers.
fn page(content: &str) -> AiAnalyze {
    let id = PAGE_ID.fetch_add(1, Ordering::Relaxed);
    AiAnalyze {
        url: format!("https://bench.example/{id}"),
        title: "Benchmark page".into(),
        content: content.to_owned(),
        content_type: "text/html".into(),
        ..Default::default()
    }
}

fn benches(c: &mut Criterion) {
    let paths = ModelPaths::discover().expect("models root");
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("engine (MiniLM + prototypes)", |b| {
        b.iter(|| black_box(Engine::load(&paths).unwrap()))
    });
    g.bench_function("smollm2", |b| {
        b.iter(|| black_box(SmolLm::load(&paths).unwrap()))
    });
    g.finish();

    let engine = Engine::load(&paths).unwrap();
    // Load baseline (the machine is shared): ai-notes.md measured ~152 ms on an idle machine.
    let short: Vec<String> = (0..32)
        .map(|i| format!("Sentence number {i} is a short example of text."))
        .collect();
    let short: Vec<&str> = short.iter().map(String::as_str).collect();
    let mut g = c.benchmark_group("baseline");
    g.sample_size(10);
    g.bench_function("32 short sentences in one batch", |b| {
        b.iter(|| {
            black_box(
                engine
                    .embedder()
                    .embed(&short, &CancelToken::new())
                    .unwrap(),
            )
        })
    });
    g.finish();

    let mut g = c.benchmark_group("analyze");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for words in [500, 2000, 10_000] {
        let text = prose(words);
        g.bench_function(format!("first part/{words} words"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let req = page(&text);
                    let started = Instant::now();
                    let mut first = None;
                    engine
                        .analyze(&req, &CancelToken::new(), &mut |_| {
                            first.get_or_insert(started.elapsed());
                        })
                        .unwrap();
                    total += first.unwrap();
                }
                total
            })
        });
        g.bench_function(format!("complete/{words} words"), |b| {
            b.iter(|| {
                engine
                    .analyze(&page(&text), &CancelToken::new(), &mut |p| {
                        drop(black_box(p))
                    })
                    .unwrap()
            })
        });
    }
    g.finish();

    let text = prose(2000);
    let question = AiQuestion {
        url: "https://bench.example/question".into(),
        title: "Benchmark page".into(),
        content: text,
        question: "How much did the company raise from investors?".into(),
        history: vec![],
    };
    // The first question on an analysed page embeds every sentence (the analysis embedded
    // only the summary candidates).
    let mut g = c.benchmark_group("answer");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("first question, 2000 words analysed", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let req = page(&question.content);
                engine
                    .analyze(&req, &CancelToken::new(), &mut |_| {})
                    .unwrap();
                let q = AiQuestion {
                    url: req.url.clone(),
                    ..question.clone()
                };
                let started = Instant::now();
                engine.answer(&q, &CancelToken::new(), &mut |_| {}).unwrap();
                total += started.elapsed();
            }
            total
        })
    });
    g.finish();
    engine
        .answer(&question, &CancelToken::new(), &mut |_| {})
        .unwrap(); // index the page once
    c.bench_function("answer/2000 words, page cached", |b| {
        b.iter(|| {
            engine
                .answer(&question, &CancelToken::new(), &mut |a| drop(black_box(a)))
                .unwrap()
        })
    });

    let mut lm = SmolLm::load(&paths).unwrap();
    let msgs = vec![
        Message {
            role: Role::System,
            content: "Answer in one sentence.".into(),
        },
        Message {
            role: Role::User,
            content: "Why is the sky blue? Explain the physics briefly.".into(),
        },
    ];
    let mut g = c.benchmark_group("smollm2");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function("prompt + 32 tokens", |b| {
        b.iter(|| {
            let mut n = 0;
            lm.generate(&msgs, 32, &CancelToken::new(), &mut |_| n += 1)
                .unwrap();
            n
        })
    });
    g.finish();
}

criterion_group!(engine_benches, benches);
criterion_main!(engine_benches);
