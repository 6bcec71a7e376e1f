//! `nexus-ai-worker`: the AI worker process the shell starts, supervises and talks to.
//!
//! Usage (by the shell, not by people): `nexus-ai-worker SOCKET_PATH`, with the launch
//! secret written to its standard input. It listens on the socket (in the shell's private
//! 0700 folder), proves the secret in the nexus-ipc handshake, loads the models and serves
//! `ai_analyze`, `ai_question` and `ai_configure` until the shell closes the connection.
//! It opens no network connection except to an endpoint the user configured.
//!
//! It runs below the browser's scheduling priority ([`WORKER_NICENESS`]): on a two-core
//! laptop an analysis would otherwise take CPU from the window and the page while they
//! draw.
//!
//! After an analysis it embeds the rest of the page for questions in the background (an
//! analysis embeds only the summary's candidates), so that the first question is answered
//! at once; any new request cancels that work.

use nexus_ai::cancel::CancelToken;
use nexus_ai::engine::Engine;
use nexus_ai::models::ModelPaths;
use nexus_ai::worker;
use nexus_ipc::messages::ai::{AiAnalyze, AiAnswer, AiConfigure, AiQuestion, AiResult, AiStatus};
use nexus_ipc::messages::control::ErrorCode;
use nexus_ipc::transport::{Inbound, IncomingRequest, Listener, Peer};
use nexus_ipc::{ConnectionConfig, Kind, LaunchSecret};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

/// The background question indexing of the last analysed page, if it is running.
type Background = Arc<Mutex<Option<CancelToken>>>;

/// How much lower than the browser the worker's scheduling priority is (Unix `nice`).
const WORKER_NICENESS: i32 = 5;

/// Lower this process's scheduling priority by [`WORKER_NICENESS`].
#[cfg(unix)]
#[allow(unsafe_code)]
fn run_below_the_browser() {
    // SAFETY: nice takes a plain integer and touches no memory of ours; it adds to this
    // process's nice value (relative to what the browser gave it). Raising it needs no
    // privilege; a failure only leaves the priority as it was, which the worker survives.
    let _ = unsafe { libc::nice(WORKER_NICENESS) };
}

#[cfg(not(unix))]
fn run_below_the_browser() {}

fn main() -> ExitCode {
    run_below_the_browser();
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("nexus-ai-worker is started by Nexus; run `nexus` instead.");
        return ExitCode::from(2);
    };
    let secret = match LaunchSecret::read_from_stdin() {
        Ok(secret) => secret,
        Err(err) => {
            eprintln!("nexus-ai-worker: no launch secret on standard input: {err}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("nexus-ai-worker: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(path.into(), secret)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("nexus-ai-worker: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(path: std::path::PathBuf, secret: LaunchSecret) -> Result<(), String> {
    let listener =
        Listener::bind(&path).map_err(|e| format!("cannot listen on {}: {e}", path.display()))?;
    let (peer, mut incoming) = listener
        .accept(ConnectionConfig::server(secret))
        .await
        .map_err(|e| format!("the shell did not connect: {e}"))?;
    let engine = load_engine(&peer).await;
    let background = Background::default();
    while let Some(inbound) = incoming.recv().await {
        match inbound {
            Inbound::Request(request) => {
                // The new request gets the CPU; a question about the same page builds
                // (or finds) the index itself.
                if let Some(running) = lock(&background).take() {
                    running.cancel();
                }
                let engine = engine.clone();
                let background = background.clone();
                tokio::spawn(async move { answer(engine, request, background).await });
            }
            Inbound::Notification(envelope) if envelope.kind == Kind::AI_CONFIGURE => {
                if let (Some(engine), Ok(config)) = (&engine, envelope.body::<AiConfigure>()) {
                    configure(engine.clone(), config, &peer).await;
                }
            }
            Inbound::Notification(_) => {}
        }
    }
    Ok(())
}

/// Load the models off the connection's thread, reporting progress and failures.
async fn load_engine(peer: &Peer) -> Option<Arc<Engine>> {
    let _ = peer
        .notify(&AiStatus::Loading {
            what: "Loading the language model".into(),
            progress: 0.1,
        })
        .await;
    let loaded = tokio::task::spawn_blocking(|| {
        ModelPaths::discover().and_then(|paths| Engine::load(&paths))
    })
    .await;
    match loaded {
        Ok(Ok(engine)) => {
            let _ = peer.notify(&AiStatus::Ready).await;
            Some(Arc::new(engine))
        }
        Ok(Err(err)) => {
            eprintln!("nexus-ai-worker: {err}");
            let _ = peer.notify(&worker::status_for(&err)).await;
            None
        }
        Err(err) => {
            let _ = peer
                .notify(&AiStatus::Failed {
                    reason: format!("loading the models crashed: {err}"),
                })
                .await;
            None
        }
    }
}

async fn configure(engine: Arc<Engine>, config: AiConfigure, peer: &Peer) {
    let result = tokio::task::spawn_blocking(move || engine.configure(&config)).await;
    match result {
        Ok(Ok(())) => {
            let _ = peer.notify(&AiStatus::Ready).await;
        }
        Ok(Err(err)) => {
            let _ = peer
                .notify(&AiStatus::Failed {
                    reason: format!("the answer model could not be used: {err}"),
                })
                .await;
        }
        Err(err) => {
            let _ = peer
                .notify(&AiStatus::Failed {
                    reason: format!("configuring crashed: {err}"),
                })
                .await;
        }
    }
}

fn lock(background: &Background) -> std::sync::MutexGuard<'_, Option<CancelToken>> {
    background
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Embed the rest of `page` for questions, off the connection's thread, until done or
/// cancelled by the next request.
fn prepare_questions(engine: Arc<Engine>, page: AiAnalyze, background: &Background) {
    let cancel = CancelToken::new();
    if let Some(previous) = lock(background).replace(cancel.clone()) {
        previous.cancel();
    }
    tokio::task::spawn_blocking(move || {
        // Cancelled or failed: the first question builds the index instead.
        let _ = engine.prepare_questions(&page, &cancel);
    });
}

async fn answer(engine: Option<Arc<Engine>>, request: IncomingRequest, background: Background) {
    let kind = request.kind();
    let Some(engine) = engine else {
        let (_, responder) = request.into_parts();
        let _ = responder.error(
            ErrorCode::Unavailable,
            "the AI models could not be loaded; see the sidebar for the fix",
        );
        return;
    };
    match kind {
        Kind::AI_ANALYZE => match request.body::<AiAnalyze>() {
            Ok(page) => {
                let (_, responder) = request.into_parts();
                let Ok(stream) = responder.stream::<AiResult>().await else {
                    return;
                };
                let for_questions = (engine.clone(), page.clone());
                let finished = run_streamed(stream, move |cancel, emit| {
                    worker::analyze(&engine, &page, cancel, &mut |r| emit(r))
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
                .await;
                if finished {
                    let (engine, page) = for_questions;
                    prepare_questions(engine, page, &background);
                }
            }
            Err(err) => malformed(request, err),
        },
        Kind::AI_QUESTION => match request.body::<AiQuestion>() {
            Ok(question) => {
                let (_, responder) = request.into_parts();
                let Ok(stream) = responder.stream::<AiAnswer>().await else {
                    return;
                };
                run_streamed(stream, move |cancel, emit| {
                    engine
                        .answer(&question, cancel, &mut |a| emit(a))
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
                .await;
            }
            Err(err) => malformed(request, err),
        },
        other => {
            let (_, responder) = request.into_parts();
            let _ = responder.error(
                ErrorCode::UnknownKind,
                format!("the AI worker does not serve {other}"),
            );
        }
    }
}

fn malformed(request: IncomingRequest, err: nexus_ipc::DecodeError) {
    let (_, responder) = request.into_parts();
    let _ = responder.error(ErrorCode::Malformed, err.to_string());
}

/// Run a blocking job that emits items, forwarding each to `stream` as it comes; a cancel
/// from the shell (or the shell going away) cancels the job. True when the job finished.
async fn run_streamed<T, F>(mut stream: nexus_ipc::transport::StreamSender<T>, job: F) -> bool
where
    T: nexus_ipc::messages::Message + Send + 'static,
    F: FnOnce(&CancelToken, &mut dyn FnMut(T)) -> Result<(), String> + Send + 'static,
{
    let cancel = CancelToken::new();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let job_cancel = cancel.clone();
    let work = tokio::task::spawn_blocking(move || {
        let mut emit = |item: T| {
            let _ = tx.send(item);
        };
        job(&job_cancel, &mut emit)
    });
    loop {
        tokio::select! {
            item = rx.recv() => match item {
                Some(item) => {
                    if stream.send(&item).await.is_err() {
                        cancel.cancel();
                        return false;
                    }
                }
                None => break,
            },
            () = stream.cancelled() => {
                cancel.cancel();
                return false;
            }
        }
    }
    match work.await {
        Ok(Ok(())) => stream.end().is_ok(),
        Ok(Err(_)) if cancel.is_cancelled() => false,
        Ok(Err(reason)) => {
            let _ = stream.fail(reason);
            false
        }
        Err(err) => {
            let _ = stream.fail(format!("the AI worker failed: {err}"));
            false
        }
    }
}
