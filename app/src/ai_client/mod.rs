//! The AI worker, from the shell's side: start it on demand, talk to it over nexus-ipc
//! (encrypted, authenticated local socket), supervise it.
//!
//! The worker is a separate process so that a model crash, a hang or a memory spike never
//! takes the browser down. This client runs on its own thread with a small tokio runtime;
//! the owner sends [`AiCommand`]s and receives [`AiEvent`]s (and is woken). When the worker
//! dies, every pending job fails at once with the reason, and the worker is restarted
//! with backoff; after [`MAX_RESTARTS_PER_MINUTE`] failures in a minute the client gives up
//! and reports "unavailable" until asked to retry.

mod supervisor;

use nexus_ipc::messages::ai::{
    AiAnalyze, AiAnswer, AiConfigure, AiQuestion, AiStatus, AnalysisPart, RemoteEndpoint,
};
use nexus_ipc::messages::page::PageContent;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// Identifies a job (an analysis or a question) of the owner's.
pub type JobId = u64;

/// Restarts allowed in a minute before giving up.
pub const MAX_RESTARTS_PER_MINUTE: usize = 5;
/// The longest an analysis or answer may take.
pub const JOB_TIMEOUT: Duration = Duration::from_secs(60);

/// What the owner asks.
#[derive(Debug)]
pub enum AiCommand {
    /// Analyse a page; parts arrive as [`AiEvent::Part`].
    Analyze(JobId, AiAnalyze),
    /// Answer a question; pieces arrive as [`AiEvent::Answer`].
    Ask(JobId, AiQuestion),
    /// Stop a job.
    Cancel(JobId),
    /// New settings for the worker.
    Configure(AiConfigure),
    /// Start again after "unavailable".
    Retry,
    /// Try an OpenAI-compatible endpoint with a tiny question; the result arrives as
    /// [`AiEvent::EndpointTested`]. The worker's own settings are restored afterwards.
    TestEndpoint(RemoteEndpoint),
}

/// What the worker (or the supervisor) reports.
#[derive(Debug, Clone)]
pub enum AiEvent {
    /// The worker's state (including the supervisor's: starting, unavailable).
    Status(AiStatus),
    /// A part of an analysis.
    Part {
        /// The job.
        job: JobId,
        /// The analysed page.
        url: String,
        /// The content's hash.
        content_hash: String,
        /// The part.
        part: AnalysisPart,
    },
    /// A piece of an answer.
    Answer {
        /// The job.
        job: JobId,
        /// The piece.
        part: AiAnswer,
    },
    /// The result of [`AiCommand::TestEndpoint`].
    EndpointTested {
        /// Whether it answered.
        ok: bool,
        /// What happened, for the settings page.
        message: String,
    },
    /// A job failed; nothing more comes for it.
    Failed {
        /// The job.
        job: JobId,
        /// Why, in words a user understands.
        reason: String,
    },
}

/// Where the worker is and how to start it.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// The `nexus-ai-worker` executable.
    pub executable: PathBuf,
    /// Where its stderr goes.
    pub log_file: Option<PathBuf>,
    /// Extra environment (e.g. `NEXUS_MODEL_DIR`).
    pub env: Vec<(String, String)>,
}

impl WorkerConfig {
    /// The worker next to the running executable.
    pub fn beside_executable() -> WorkerConfig {
        let exe = crate::cef::runtime::exe_dir()
            .join(format!("nexus-ai-worker{}", std::env::consts::EXE_SUFFIX));
        WorkerConfig {
            executable: exe,
            log_file: None,
            env: Vec::new(),
        }
    }
}

/// The analysis request for a page's content, as the renderer extracted it.
pub fn analyze_request(content: PageContent) -> AiAnalyze {
    AiAnalyze {
        url: content.url,
        title: content.title,
        content: content.text,
        content_type: content.content_type,
        language: content.language,
        description: content.description,
        headings: content.headings,
        features: Vec::new(),
    }
}

/// The owner's handle.
pub struct AiClient {
    commands: tokio::sync::mpsc::UnboundedSender<AiCommand>,
    events: mpsc::Receiver<AiEvent>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl AiClient {
    /// Start the supervisor (the worker starts with the first command); `wake` is called
    /// after each event.
    pub fn start(config: WorkerConfig, wake: crate::cef::paint::Waker) -> AiClient {
        let (commands, command_rx) = tokio::sync::mpsc::unbounded_channel();
        let (event_tx, events) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("nexus-ai-client".into())
            .spawn(move || supervisor::run(config, command_rx, event_tx, wake))
            .expect("spawn the AI client thread");
        AiClient {
            commands,
            events,
            thread: Some(thread),
        }
    }

    /// Send a command.
    pub fn send(&self, command: AiCommand) {
        let _ = self.commands.send(command);
    }

    /// Events since the last call.
    pub fn take_events(&self) -> Vec<AiEvent> {
        self.events.try_iter().collect()
    }

    /// Wait for the next event (headless and CLI use).
    pub fn next_event(&self, timeout: Duration) -> Option<AiEvent> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Drop for AiClient {
    fn drop(&mut self) {
        // Closing the command channel stops the supervisor, which stops the worker.
        let (closed, _) = tokio::sync::mpsc::unbounded_channel();
        self.commands = closed;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
