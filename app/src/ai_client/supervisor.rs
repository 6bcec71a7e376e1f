//! The supervisor task: owns the worker process and its connection.

use super::{AiCommand, AiEvent, JOB_TIMEOUT, JobId, MAX_RESTARTS_PER_MINUTE, WorkerConfig};
use nexus_ipc::messages::Message;
use nexus_ipc::messages::ai::{AiAnswer, AiQuestion, AiResult, AiStatus};
use nexus_ipc::transport::{self, Peer};
use nexus_ipc::{ConnectionConfig, LaunchSecret, SocketDir};
use std::collections::HashMap;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;

struct Worker {
    peer: Peer,
    child: std::process::Child,
    _dir: SocketDir,
}

struct State {
    config: WorkerConfig,
    events: Sender<AiEvent>,
    wake: crate::cef::paint::Waker,
    worker: Option<Worker>,
    jobs: HashMap<JobId, JoinHandle<()>>,
    restarts: Vec<Instant>,
    gave_up: Option<String>,
    configure: Option<nexus_ipc::messages::ai::AiConfigure>,
}

impl State {
    fn emit(&self, event: AiEvent) {
        let _ = self.events.send(event);
        (self.wake)();
    }
}

/// Run until the command channel closes.
pub fn run(
    config: WorkerConfig,
    mut commands: UnboundedReceiver<AiCommand>,
    events: Sender<AiEvent>,
    wake: crate::cef::paint::Waker,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            let _ = events.send(AiEvent::Status(AiStatus::Failed {
                reason: format!("cannot start the AI client: {err}"),
            }));
            return;
        }
    };
    runtime.block_on(async move {
        let mut state = State {
            config,
            events,
            wake,
            worker: None,
            jobs: HashMap::new(),
            restarts: Vec::new(),
            gave_up: None,
            configure: None,
        };
        loop {
            let closed = async {
                match &state.worker {
                    Some(w) => w.peer.closed().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                command = commands.recv() => match command {
                    Some(command) => handle(&mut state, command).await,
                    None => break,
                },
                cause = closed => worker_died(&mut state, format!("{cause}")).await,
            }
        }
        stop(&mut state).await;
    });
}

async fn handle(state: &mut State, command: AiCommand) {
    reap_if_closed(state).await;
    match command {
        AiCommand::Analyze(job, request) => {
            if let Some(peer) = ensure_worker(state).await {
                let task = spawn_job(
                    peer,
                    job,
                    request,
                    "the analysis",
                    analysis_part,
                    state.events.clone(),
                    state.wake.clone(),
                );
                state.jobs.insert(job, task);
            } else {
                fail(state, job);
            }
        }
        AiCommand::Ask(job, question) => {
            if let Some(peer) = ensure_worker(state).await {
                let task = spawn_job(
                    peer,
                    job,
                    question,
                    "the answer",
                    answer_part,
                    state.events.clone(),
                    state.wake.clone(),
                );
                state.jobs.insert(job, task);
            } else {
                fail(state, job);
            }
        }
        AiCommand::Cancel(job) => {
            // Aborting the task drops its item stream, which cancels the request in the worker.
            if let Some(task) = state.jobs.remove(&job) {
                task.abort();
            }
        }
        AiCommand::Configure(configure) => {
            state.configure = Some(configure.clone());
            if let Some(w) = &state.worker {
                let _ = w.peer.notify(&configure).await;
            }
        }
        AiCommand::TestEndpoint(endpoint) => {
            let restore = state.configure.clone().unwrap_or_default();
            if let Some(peer) = ensure_worker(state).await {
                let events = state.events.clone();
                let wake = state.wake.clone();
                tokio::spawn(async move {
                    let (ok, message) = test_endpoint(&peer, endpoint, restore).await;
                    let _ = events.send(AiEvent::EndpointTested { ok, message });
                    wake();
                });
            } else {
                state.emit(AiEvent::EndpointTested {
                    ok: false,
                    message: "the AI worker is not running".into(),
                });
            }
        }
        AiCommand::Retry => {
            state.gave_up = None;
            state.restarts.clear();
            ensure_worker(state).await;
        }
    }
    state.jobs.retain(|_, t| !t.is_finished());
}

fn fail(state: &State, job: JobId) {
    let reason = state
        .gave_up
        .clone()
        .unwrap_or_else(|| "the AI worker could not be started".into());
    state.emit(AiEvent::Failed {
        job,
        reason: format!("AI unavailable: {reason}"),
    });
}

/// The running worker's connection, starting the worker if needed.
async fn ensure_worker(state: &mut State) -> Option<Peer> {
    if let Some(w) = &state.worker {
        return Some(w.peer.clone());
    }
    if state.gave_up.is_some() {
        return None;
    }
    state.emit(AiEvent::Status(AiStatus::Loading {
        what: "Starting the AI worker".into(),
        progress: 0.0,
    }));
    match start_worker(&state.config).await {
        Ok(worker) => {
            let peer = worker.peer.clone();
            forward_status(&peer, state.events.clone(), state.wake.clone());
            if let Some(configure) = &state.configure {
                let _ = peer.notify(configure).await;
            }
            state.worker = Some(worker);
            Some(peer)
        }
        Err(reason) => {
            record_failure(state, reason);
            None
        }
    }
}

async fn start_worker(config: &WorkerConfig) -> Result<Worker, String> {
    if !config.executable.exists() {
        return Err(format!(
            "{} is missing; build it with `cargo xtask run` or reinstall Nexus",
            config.executable.display()
        ));
    }
    let dir =
        SocketDir::new().map_err(|e| format!("cannot create a private socket folder: {e}"))?;
    let path = dir.socket("ai.sock");
    let secret =
        LaunchSecret::generate().map_err(|e| format!("cannot make a launch secret: {e}"))?;
    let mut command = std::process::Command::new(&config.executable);
    command.arg(&path);
    for (k, v) in &config.env {
        command.env(k, v);
    }
    if let Some(log) = &config.log_file
        && let Ok(file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
    {
        command.stderr(file);
    }
    let mut child = secret
        .spawn_child(&mut command)
        .map_err(|e| format!("cannot start {}: {e}", config.executable.display()))?;
    match transport::connect_with_retry(
        &path,
        ConnectionConfig::client(secret),
        Duration::from_secs(15),
    )
    .await
    {
        Ok((peer, _incoming)) => Ok(Worker {
            peer,
            child,
            _dir: dir,
        }),
        Err(err) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(format!("the AI worker did not answer: {err}"))
        }
    }
}

fn forward_status(peer: &Peer, events: Sender<AiEvent>, wake: crate::cef::paint::Waker) {
    let mut statuses = peer.subscribe::<AiStatus>();
    tokio::spawn(async move {
        while let Some(status) = statuses.recv().await {
            let _ = events.send(AiEvent::Status(status));
            wake();
        }
    });
}

/// A job's own task can see the worker's connection close before the supervisor does:
/// handle the death first, so that a job sent right after (a retry) goes to a new worker
/// instead of failing on the dead one.
async fn reap_if_closed(state: &mut State) {
    let cause = state.worker.as_ref().and_then(|w| w.peer.close_cause());
    if let Some(cause) = cause {
        worker_died(state, format!("{cause}")).await;
    }
}

async fn worker_died(state: &mut State, cause: String) {
    if let Some(mut worker) = state.worker.take() {
        let code = match worker.child.try_wait() {
            Ok(Some(status)) => format!(" ({status})"),
            _ => {
                let _ = worker.child.kill();
                let _ = worker.child.wait();
                String::new()
            }
        };
        let reason = format!("the AI worker stopped{code}: {cause}");
        // A job's task may have seen the connection close first and reported its own
        // failure; only the ones stopped here are failed here, so each job ends exactly
        // once. Regression: both reported, and a job failed twice (found by killing the
        // worker at random points).
        let jobs: Vec<_> = state.jobs.drain().collect();
        for (job, task) in jobs {
            task.abort();
            if task.await.is_err_and(|e| e.is_cancelled()) {
                let _ = state.events.send(AiEvent::Failed {
                    job,
                    reason: reason.clone(),
                });
            }
        }
        (state.wake)();
        record_failure(state, reason);
        if state.gave_up.is_none() {
            let backoff = Duration::from_millis(250 * (1 << state.restarts.len().min(4)));
            tokio::time::sleep(backoff).await;
            ensure_worker(state).await;
        }
    }
}

fn record_failure(state: &mut State, reason: String) {
    let now = Instant::now();
    state
        .restarts
        .retain(|t| now.duration_since(*t) < Duration::from_secs(60));
    state.restarts.push(now);
    if state.restarts.len() >= MAX_RESTARTS_PER_MINUTE {
        state.gave_up = Some(reason.clone());
        state.emit(AiEvent::Status(AiStatus::Failed {
            reason: format!("AI unavailable: {reason}"),
        }));
    } else {
        state.emit(AiEvent::Status(AiStatus::Loading {
            what: format!("Restarting the AI worker ({reason})"),
            progress: 0.0,
        }));
    }
}

/// Run one streamed job on the worker: forward each item as the event `to_event` makes of
/// it; a transport error or [`JOB_TIMEOUT`] fails the job with the reason (`what` names
/// the job in it: "the analysis", "the answer").
fn spawn_job<M: Message + Send + Sync + 'static, T: Message + Send + 'static>(
    peer: Peer,
    job: JobId,
    request: M,
    what: &'static str,
    to_event: fn(JobId, T) -> AiEvent,
    events: Sender<AiEvent>,
    wake: crate::cef::paint::Waker,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let send = |event| {
            let _ = events.send(event);
            wake();
        };
        let work = async {
            let mut items = peer
                .request_stream::<M, T>(&request, None)
                .await
                .map_err(|e| e.to_string())?;
            while let Some(item) = items.next().await {
                send(to_event(job, item.map_err(|e| e.to_string())?));
            }
            Ok::<(), String>(())
        };
        match tokio::time::timeout(JOB_TIMEOUT, work).await {
            Ok(Ok(())) => {}
            Ok(Err(reason)) => send(AiEvent::Failed { job, reason }),
            Err(_) => send(AiEvent::Failed {
                job,
                reason: format!("{what} took longer than {JOB_TIMEOUT:?} and was stopped"),
            }),
        }
    })
}

fn analysis_part(job: JobId, result: AiResult) -> AiEvent {
    AiEvent::Part {
        job,
        url: result.url,
        content_hash: result.content_hash,
        part: result.part,
    }
}

fn answer_part(job: JobId, part: AiAnswer) -> AiEvent {
    AiEvent::Answer { job, part }
}

async fn test_endpoint(
    peer: &Peer,
    endpoint: nexus_ipc::messages::ai::RemoteEndpoint,
    restore: nexus_ipc::messages::ai::AiConfigure,
) -> (bool, String) {
    use nexus_ipc::messages::ai::{AiConfigure, Generator};
    let name = if endpoint.model.is_empty() {
        endpoint.base_url.clone()
    } else {
        endpoint.model.clone()
    };
    if let Err(err) = peer
        .notify(&AiConfigure {
            generator: Generator::Remote(endpoint),
        })
        .await
    {
        return (false, format!("could not reach the AI worker: {err}"));
    }
    let question = AiQuestion {
        url: "nexus://connection-test".into(),
        title: "Connection test".into(),
        content: "This is a connection test from Nexus.".into(),
        question: "Reply with the single word OK.".into(),
        history: Vec::new(),
    };
    let started = Instant::now();
    let result = async {
        let mut items = peer
            .request_stream::<_, AiAnswer>(&question, None)
            .await
            .map_err(|e| e.to_string())?;
        let mut text = String::new();
        let mut by = None;
        while let Some(item) = items.next().await {
            match item.map_err(|e| e.to_string())? {
                AiAnswer::Token(t) => text.push_str(&t),
                AiAnswer::Done(info) => by = info.generated_by,
                AiAnswer::Passages(_) => {}
            }
        }
        Ok::<_, String>((text, by))
    };
    let outcome = tokio::time::timeout(Duration::from_secs(30), result).await;
    let _ = peer.notify(&restore).await;
    match outcome {
        Ok(Ok((text, Some(_)))) if !text.trim().is_empty() => (
            true,
            format!("{name} answered in {} ms", started.elapsed().as_millis()),
        ),
        Ok(Ok(_)) => (false, format!("{name} did not write an answer")),
        Ok(Err(reason)) => (false, reason),
        Err(_) => (false, format!("{name} did not answer within 30 s")),
    }
}

async fn stop(state: &mut State) {
    for (_, task) in state.jobs.drain() {
        task.abort();
    }
    if let Some(mut worker) = state.worker.take() {
        worker.peer.close("Nexus is closing");
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = worker.child.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = worker.child.kill();
        let _ = worker.child.wait();
    }
}
