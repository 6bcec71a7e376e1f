//! Fault injection: the real `nexus-ai-worker`, killed with SIGKILL at random points while
//! it streams analyses and answers to the shell's AI client.
//!
//! Each round starts two analyses (one large enough to travel through shared memory) and
//! a question, waits a random 0–600 ms, kills the worker and checks: every job still
//! pending fails within 1 s of the kill; no job both completes and fails; the supervisor
//! brings a worker back (after repeated crashes it gives up as designed, and `Retry`
//! revives it); no hang. At the end this process (the shell's side) holds no more file
//! descriptors, memfd regions, sockets, socket folders or worker processes than before.
//!
//! `cargo xtask test` runs 10 rounds; `cargo xtask soak` runs 100
//! (`NEXUS_SOAK_KILLS=100`). The seed is printed; `NEXUS_SOAK_SEED` replays a run.

use nexus::ai_client::{AiClient, AiCommand, AiEvent, WorkerConfig};
use nexus_ipc::messages::ai::{AiAnalyze, AiAnswer, AiQuestion, AiStatus, AnalysisPart};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ARTICLE: &str = "The city council of Oslo voted on Tuesday to expand the tram network, adding twelve stops across the northern districts. \
Mayor Anna Berg said the project would cost 400 million kroner and would open in March 2028. \
Opponents, including the Taxpayers Association, argued that the budget had doubled since the first estimate. \
Construction is expected to begin next spring, with the first trams running in three years if the schedule holds. ";

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

fn page(repeat: usize) -> AiAnalyze {
    AiAnalyze {
        url: "https://news.example/tram".into(),
        title: "Council backs tram expansion".into(),
        content: ARTICLE.repeat(repeat),
        content_type: "text/html".into(),
        ..Default::default()
    }
}

fn question() -> AiQuestion {
    AiQuestion {
        url: "https://news.example/tram".into(),
        title: "Tram".into(),
        content: ARTICLE.repeat(40),
        question: "How much will the project cost?".into(),
        history: Vec::new(),
    }
}

/// Processes whose parent is this test and whose name is `nexus-ai-worker`, with whether
/// each is a zombie.
fn workers() -> Vec<(u32, bool)> {
    let me = std::process::id().to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (name, after) = stat.rsplit_once(") ")?;
            let mut fields = after.split(' ');
            let state = fields.next()?;
            let parent = fields.next()?;
            (name.contains("(nexus-ai-worke") && parent == me).then_some((pid, state == "Z"))
        })
        .collect()
}

/// What this process holds: (all fds, memfd regions, sockets).
fn handles() -> (usize, usize, usize) {
    let links: Vec<String> = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .map(|p| p.display().to_string())
        .collect();
    (
        links.len(),
        links.iter().filter(|l| l.starts_with("/memfd:")).count(),
        links.iter().filter(|l| l.starts_with("socket:")).count(),
    )
}

/// Socket folders this process made (`nexus-ipc-<pid>-*`) that still exist.
fn socket_dirs() -> usize {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    let prefix = format!("nexus-ipc-{}-", std::process::id());
    std::fs::read_dir(base)
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .count()
        })
        .unwrap_or(0)
}

/// Entries in /dev/shm that name Nexus (it uses unnamed memfds; a named one would leak).
fn named_shm() -> usize {
    std::fs::read_dir("/dev/shm")
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().contains("nexus-ipc"))
                .count()
        })
        .unwrap_or(0)
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[derive(Debug, Default)]
struct Job {
    parts: usize,
    finished: Option<Instant>,
    failed: Option<(Instant, String)>,
}

fn job_of(event: &AiEvent) -> Option<u64> {
    match event {
        AiEvent::Part { job, .. } | AiEvent::Answer { job, .. } | AiEvent::Failed { job, .. } => {
            Some(*job)
        }
        _ => None,
    }
}

/// Feed one event into the job table; panics on a job that fails after finishing.
fn track(jobs: &mut HashMap<u64, Job>, event: &AiEvent) {
    let Some(id) = job_of(event) else {
        return;
    };
    let job = jobs.entry(id).or_default();
    match event {
        AiEvent::Failed { reason, .. } => {
            assert!(
                job.finished.is_none(),
                "job {id} failed ({reason}) after it had completed"
            );
            assert!(job.failed.is_none(), "job {id} failed twice");
            job.failed = Some((Instant::now(), reason.clone()));
        }
        AiEvent::Part {
            part: AnalysisPart::Complete(_),
            ..
        }
        | AiEvent::Answer {
            part: AiAnswer::Done(_),
            ..
        } => {
            assert!(job.failed.is_none(), "job {id} completed after failing");
            job.finished = Some(Instant::now());
        }
        _ => job.parts += 1,
    }
}

/// Run `job` to completion on a live worker, reviving the client if it gave up.
fn until_served(ai: &AiClient, jobs: &mut HashMap<u64, Job>, next: &mut u64) {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        assert!(
            Instant::now() < deadline,
            "no worker came back within 180 s"
        );
        *next += 1;
        let id = *next;
        ai.send(AiCommand::Analyze(id, page(1)));
        let mut gave_up = false;
        while jobs
            .get(&id)
            .is_none_or(|j| j.finished.is_none() && j.failed.is_none())
        {
            assert!(Instant::now() < deadline, "job {id} hung");
            if let Some(event) = ai.next_event(Duration::from_millis(50)) {
                if let AiEvent::Status(AiStatus::Failed { reason }) = &event {
                    gave_up |= reason.contains("AI unavailable");
                }
                track(jobs, &event);
            }
        }
        if jobs[&id].finished.is_some() {
            return;
        }
        if gave_up
            || jobs[&id]
                .failed
                .as_ref()
                .is_some_and(|(_, r)| r.contains("unavailable"))
        {
            ai.send(AiCommand::Retry);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_worker_killed_at_random_points_fails_pending_jobs_within_a_second_and_comes_back() {
    let rounds: usize = std::env::var("NEXUS_SOAK_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let seed: u64 = std::env::var("NEXUS_SOAK_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("ai worker kills: {rounds} rounds, seed {seed} (NEXUS_SOAK_SEED replays it)");
    let mut rng = Rng(seed);
    let before = (handles(), socket_dirs(), named_shm());
    let ai = AiClient::start(
        WorkerConfig {
            executable: worker_exe(),
            log_file: None,
            env: Vec::new(),
        },
        Arc::new(|| {}),
    );
    let mut jobs: HashMap<u64, Job> = HashMap::new();
    let mut next = 0u64;
    until_served(&ai, &mut jobs, &mut next);
    let warm = handles();
    let mut worst = Duration::ZERO;
    let (mut failed_jobs, mut completed_before_kill, mut retries) = (0, 0, 0);
    for round in 0..rounds {
        let live = workers();
        assert_eq!(live.len(), 1, "round {round}: one worker: {live:?}");
        let round_jobs = [next + 1, next + 2, next + 3];
        next += 3;
        let big = if rng.below(3) == 0 { 2000 } else { 60 }; // 2000: ~1.4 MB, shared memory
        ai.send(AiCommand::Analyze(round_jobs[0], page(big)));
        ai.send(AiCommand::Analyze(
            round_jobs[1],
            page(1 + rng.below(200) as usize),
        ));
        ai.send(AiCommand::Ask(round_jobs[2], question()));
        let wait = Duration::from_millis(rng.below(600));
        let until = Instant::now() + wait;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            if let Some(event) = ai.next_event(left.min(Duration::from_millis(20))) {
                track(&mut jobs, &event);
            }
        }
        let pending: Vec<u64> = round_jobs
            .iter()
            .copied()
            .filter(|j| jobs.get(j).is_none_or(|j| j.finished.is_none()))
            .collect();
        completed_before_kill += 3 - pending.len();
        let killed_at = Instant::now();
        let status = std::process::Command::new("kill")
            .args(["-9", &live[0].0.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        // Every job pending at the kill fails within a second.
        let deadline = killed_at + Duration::from_secs(5);
        while pending.iter().any(|j| {
            jobs.get(j)
                .is_none_or(|j| j.finished.is_none() && j.failed.is_none())
        }) {
            assert!(
                Instant::now() < deadline,
                "round {round}: jobs {pending:?} still pending 5 s after the kill: {:?}",
                pending.iter().map(|j| jobs.get(j)).collect::<Vec<_>>()
            );
            if let Some(event) = ai.next_event(Duration::from_millis(10)) {
                track(&mut jobs, &event);
            }
        }
        for j in &pending {
            let job = &jobs[j];
            if let Some((at, reason)) = &job.failed {
                let after = at.duration_since(killed_at);
                worst = worst.max(after);
                failed_jobs += 1;
                assert!(
                    after < Duration::from_secs(1),
                    "round {round}: job {j} failed {after:?} after the kill ({reason})"
                );
            }
        }
        // The worker comes back (reviving the client if it gave up after many crashes).
        let before_retry = next;
        until_served(&ai, &mut jobs, &mut next);
        retries += (next - before_retry - 1) as usize;
    }
    let end = handles();
    let workers_left = workers();
    eprintln!(
        "ai worker kills: {rounds} kills; {failed_jobs} pending jobs failed, slowest {worst:?} \
         after its kill; {completed_before_kill} jobs had completed before their kill; {retries} \
         extra attempts while the worker came back; fds/memfds/sockets before {:?}, warm \
         {warm:?}, end {end:?}; socket folders {}, named shm {}",
        before.0,
        socket_dirs(),
        named_shm(),
    );
    assert_eq!(workers_left.len(), 1, "{workers_left:?}");
    assert!(
        workers_left.iter().all(|(_, zombie)| !zombie),
        "{workers_left:?}"
    );
    // The live connection holds the same handles as after warm-up: nothing leaked per kill.
    assert!(end.0 <= warm.0 + 2, "fds grew from {warm:?} to {end:?}");
    assert!(
        end.1 <= warm.1,
        "memfd regions grew from {warm:?} to {end:?}"
    );
    assert!(end.2 <= warm.2, "sockets grew from {warm:?} to {end:?}");
    assert_eq!(socket_dirs(), 1, "one socket folder, the live worker's");
    assert_eq!(named_shm(), before.2);
    drop(ai);
    // Closing the client ends the worker and removes everything it used.
    let closed = Instant::now() + Duration::from_secs(10);
    while !workers().is_empty() && Instant::now() < closed {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(workers().is_empty(), "the worker outlived its client");
    assert_eq!(socket_dirs(), before.1);
    let after = handles();
    assert!(after.0 <= before.0.0 + 2, "fds {before:?} -> {after:?}");
    assert_eq!(after.1, before.0.1, "memfds");
}
