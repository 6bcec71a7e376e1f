//! Cross-process: the shell's AI client with the real `nexus-ai-worker` binary over the real
//! encrypted socket, with the real model files.

use nexus::ai_client::{AiClient, AiCommand, AiEvent, WorkerConfig};
use nexus_ipc::messages::ai::{AiAnalyze, AiAnswer, AiQuestion, AiStatus, AnalysisPart};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn worker_exe() -> PathBuf {
    let dir = std::env::var_os("NEXUS_BIN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let exe = std::env::current_exe().unwrap();
            exe.parent().and_then(|p| p.parent()).unwrap().to_path_buf()
        });
    let exe = dir.join("nexus-ai-worker");
    assert!(
        exe.exists(),
        "{} is missing: run the tests with `cargo xtask test`",
        exe.display()
    );
    exe
}

fn client_with(env: Vec<(String, String)>) -> AiClient {
    let config = WorkerConfig {
        executable: worker_exe(),
        log_file: None,
        env,
    };
    AiClient::start(config, Arc::new(|| {}))
}

fn client() -> AiClient {
    client_with(Vec::new())
}

const ARTICLE: &str = "The city council of Oslo voted on Tuesday to expand the tram network, adding twelve stops across the northern districts. \
Mayor Anna Berg said the project would cost 400 million kroner and would open in March 2028. \
Opponents, including the Taxpayers Association, argued that the budget had doubled since the first estimate. \
Construction is expected to begin next spring, with the first trams running in three years if the schedule holds. \
Residents of the northern districts have waited decades for a fast connection to the city centre.";

fn page(text: &str) -> AiAnalyze {
    AiAnalyze {
        url: "https://news.example/tram".into(),
        title: "Council backs tram expansion".into(),
        content: text.into(),
        content_type: "text/html".into(),
        ..Default::default()
    }
}

/// Collect events for `job` until `done` says so (or panic after `within`).
fn collect(
    ai: &AiClient,
    job: u64,
    within: Duration,
    mut done: impl FnMut(&AiEvent) -> bool,
) -> Vec<AiEvent> {
    let deadline = Instant::now() + within;
    let mut out = Vec::new();
    while Instant::now() < deadline {
        let Some(event) = ai.next_event(Duration::from_millis(100)) else {
            continue;
        };
        let mine = match &event {
            AiEvent::Part { job: j, .. }
            | AiEvent::Answer { job: j, .. }
            | AiEvent::Failed { job: j, .. } => *j == job,
            _ => false,
        };
        let finished = mine && done(&event);
        if mine {
            out.push(event);
        }
        if finished {
            return out;
        }
    }
    panic!("job {job} did not finish within {within:?}; got {out:?}");
}

fn is_complete(e: &AiEvent) -> bool {
    matches!(
        e,
        AiEvent::Part {
            part: AnalysisPart::Complete(_),
            ..
        } | AiEvent::Failed { .. }
    )
}

#[test]
fn analysis_streams_category_and_sentiment_first_and_completes() {
    let ai = client();
    ai.send(AiCommand::Analyze(1, page(ARTICLE)));
    let events = collect(&ai, 1, Duration::from_secs(120), is_complete);
    let parts: Vec<&AnalysisPart> = events
        .iter()
        .filter_map(|e| match e {
            AiEvent::Part { part, .. } => Some(part),
            _ => None,
        })
        .collect();
    assert!(matches!(parts[0], AnalysisPart::Category(_)), "{parts:?}");
    assert!(matches!(parts[1], AnalysisPart::Sentiment(_)), "{parts:?}");
    assert!(
        matches!(parts.last(), Some(AnalysisPart::Complete(_))),
        "{parts:?}"
    );
    let entities = parts
        .iter()
        .find_map(|p| match p {
            AnalysisPart::Entities(e) => Some(e),
            _ => None,
        })
        .expect("entities");
    assert!(
        entities.iter().any(|e| e.text.contains("Anna Berg")),
        "{entities:?}"
    );
    let summary = parts
        .iter()
        .find_map(|p| match p {
            AnalysisPart::Summary(s) => Some(s),
            _ => None,
        })
        .expect("summary");
    assert!((3..=7).contains(&summary.len()), "{summary:?}");
    for s in summary {
        assert_eq!(
            &ARTICLE[s.span.start as usize..s.span.end as usize],
            s.text,
            "summary spans point into the page"
        );
    }
}

#[test]
fn a_question_gets_passages_then_done() {
    let ai = client();
    let q = AiQuestion {
        url: "https://news.example/tram".into(),
        title: "Tram".into(),
        content: ARTICLE.into(),
        question: "How much will the project cost?".into(),
        history: Vec::new(),
    };
    ai.send(AiCommand::Ask(2, q));
    let events = collect(&ai, 2, Duration::from_secs(120), |e| {
        matches!(
            e,
            AiEvent::Answer {
                part: AiAnswer::Done(_),
                ..
            } | AiEvent::Failed { .. }
        )
    });
    let passages = events
        .iter()
        .find_map(|e| match e {
            AiEvent::Answer {
                part: AiAnswer::Passages(p),
                ..
            } => Some(p),
            _ => None,
        })
        .expect("passages");
    assert!(
        passages[0].text.contains("400 million kroner"),
        "{passages:?}"
    );
}

#[test]
fn a_cancelled_analysis_stops_and_the_next_one_works() {
    let ai = client();
    let long = ARTICLE.repeat(200);
    ai.send(AiCommand::Analyze(3, page(&long)));
    std::thread::sleep(Duration::from_millis(300));
    ai.send(AiCommand::Cancel(3));
    ai.send(AiCommand::Analyze(4, page(ARTICLE)));
    let events = collect(&ai, 4, Duration::from_secs(120), is_complete);
    assert!(
        matches!(
            events.last(),
            Some(AiEvent::Part {
                part: AnalysisPart::Complete(_),
                ..
            })
        ),
        "{events:?}"
    );
}

/// The worker processes started with `tag` in their environment (tests run in parallel in
/// one process, so the parent pid alone does not tell their workers apart).
fn worker_pids(tag: &str) -> Vec<u32> {
    let marker = format!("NEXUS_TEST_TAG={tag}");
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            stat.contains("(nexus-ai-worke")
                && environ
                    .split(|b| *b == 0)
                    .any(|entry| entry == marker.as_bytes())
        })
        .collect()
}

#[test]
fn a_killed_worker_fails_the_pending_job_within_a_second_and_comes_back() {
    let tag = format!("killed-worker-{}", std::process::id());
    let ai = client_with(vec![("NEXUS_TEST_TAG".into(), tag.clone())]);
    // Warm up: the worker is running and its models are loaded.
    ai.send(AiCommand::Analyze(5, page(ARTICLE)));
    collect(&ai, 5, Duration::from_secs(120), is_complete);
    let pids = worker_pids(&tag);
    assert_eq!(
        pids.len(),
        1,
        "one worker process for this client: {pids:?}"
    );

    ai.send(AiCommand::Analyze(6, page(&ARTICLE.repeat(300))));
    std::thread::sleep(Duration::from_millis(200));
    let killed_at = Instant::now();
    std::process::Command::new("kill")
        .args(["-9", &pids[0].to_string()])
        .status()
        .unwrap();
    let events = collect(&ai, 6, Duration::from_secs(10), is_complete);
    let failed_after = killed_at.elapsed();
    assert!(
        matches!(events.last(), Some(AiEvent::Failed { .. })),
        "{events:?}"
    );
    assert!(
        failed_after < Duration::from_secs(1),
        "the pending job failed only after {failed_after:?}"
    );

    // The supervisor restarts the worker; the next request succeeds.
    ai.send(AiCommand::Analyze(7, page(ARTICLE)));
    let events = collect(&ai, 7, Duration::from_secs(120), is_complete);
    assert!(
        matches!(
            events.last(),
            Some(AiEvent::Part {
                part: AnalysisPart::Complete(_),
                ..
            })
        ),
        "{events:?}"
    );
    let now = worker_pids(&tag);
    assert_eq!(now.len(), 1);
    assert_ne!(now[0], pids[0], "a new worker process");
}

#[test]
fn a_corrupt_model_file_is_named_with_the_fix() {
    let source = std::env::var_os("NEXUS_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap()).join(".local/share/nexus/models")
        });
    let dir = std::env::temp_dir().join(format!("nexus-corrupt-models-{}", std::process::id()));
    let minilm = dir.join("all-minilm-l6-v2");
    std::fs::create_dir_all(minilm.join("1_Pooling")).unwrap();
    for f in [
        "tokenizer.json",
        "config.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
    ] {
        std::fs::copy(source.join("all-minilm-l6-v2").join(f), minilm.join(f)).unwrap();
    }
    std::fs::write(minilm.join("model.safetensors"), b"not really a model").unwrap();
    let ai = client_with(vec![("NEXUS_MODEL_DIR".into(), dir.display().to_string())]);
    ai.send(AiCommand::Analyze(8, page(ARTICLE)));
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut named = None;
    let mut failed = None;
    while Instant::now() < deadline && (named.is_none() || failed.is_none()) {
        match ai.next_event(Duration::from_millis(100)) {
            Some(AiEvent::Status(AiStatus::ModelMissing { path, fix })) => {
                named = Some((path, fix))
            }
            Some(AiEvent::Failed { job: 8, reason }) => failed = Some(reason),
            _ => {}
        }
    }
    let (path, fix) = named.expect("the worker reports the damaged file");
    assert!(path.ends_with("model.safetensors"), "{path}");
    assert_eq!(fix, "cargo xtask setup");
    assert!(
        failed
            .expect("the request fails")
            .contains("could not be loaded")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_oversized_page_is_capped_not_a_crash() {
    let ai = client();
    let huge = ARTICLE.repeat(2000); // ~1 MB, ~170,000 words
    ai.send(AiCommand::Analyze(9, page(&huge)));
    let events = collect(&ai, 9, Duration::from_secs(180), is_complete);
    match events.last() {
        Some(AiEvent::Part {
            part: AnalysisPart::Complete(info),
            ..
        }) => {
            assert!(info.analysed_words < info.total_words, "{info:?}");
            assert!(info.total_words > 100_000, "{info:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_worker_runs_below_the_browser_s_priority() {
    let tag = format!("niceness-{}", std::process::id());
    let ai = client_with(vec![("NEXUS_TEST_TAG".into(), tag.clone())]);
    ai.send(AiCommand::Analyze(9, page(ARTICLE)));
    collect(&ai, 9, Duration::from_secs(120), is_complete);
    let pids = worker_pids(&tag);
    assert_eq!(pids.len(), 1, "{pids:?}");
    let nice_of = |pid: u32| -> i64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        // Fields after the command name: state is the 3rd field, nice the 19th.
        let after = stat.rsplit_once(") ").unwrap().1;
        after.split(' ').nth(16).unwrap().parse().unwrap()
    };
    assert_eq!(nice_of(pids[0]), nice_of(std::process::id()) + 5);
}
