//! Request handling for the `nexus-ai-worker` binary, without the transport.
//!
//! The binary (phase 2) owns the nexus-ipc socket; everything it does with a decoded
//! message lives here so it can be tested without a socket: wrapping analysis parts into
//! [`AiResult`]s, turning a model error into the [`AiStatus`] the shell shows, and keeping
//! one running job per tab so that a new request for a tab cancels the old one.

use crate::cache;
use crate::cancel::CancelToken;
use crate::engine::{AnalyzeError, Engine};
use crate::models::{FIX_COMMAND, ModelError};
use nexus_ipc::messages::ai::{AiAnalyze, AiResult, AiStatus, AnalysisInfo};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Run an analysis, sending each part as an [`AiResult`] for the request's page.
pub fn analyze(
    engine: &Engine,
    req: &AiAnalyze,
    cancel: &CancelToken,
    send: &mut dyn FnMut(AiResult),
) -> Result<AnalysisInfo, AnalyzeError> {
    let content_hash = cache::content_hash(&req.url, &req.title, &req.content);
    engine.analyze(req, cancel, &mut |part| {
        send(AiResult {
            url: req.url.clone(),
            content_hash: content_hash.clone(),
            part,
        })
    })
}

/// The status to report when the engine cannot load.
pub fn status_for(error: &ModelError) -> AiStatus {
    match (error.is_fixable_by_setup(), error.path()) {
        (true, Some(path)) => AiStatus::ModelMissing {
            path: path.display().to_string(),
            fix: FIX_COMMAND.to_owned(),
        },
        _ => AiStatus::Failed {
            reason: error.to_string(),
        },
    }
}

/// Running jobs by key (a tab, or a tab and request kind): starting a job for a key
/// cancels the job that key had.
pub struct Jobs<K> {
    running: Mutex<HashMap<K, (u64, CancelToken)>>,
    next: Mutex<u64>,
}

/// A started job: its cancel token and its ticket for [`Jobs::finish`].
pub struct Job {
    /// Cancelled when a newer job for the same key starts (or on [`Jobs::cancel`]).
    pub cancel: CancelToken,
    ticket: u64,
}

impl<K: Eq + Hash + Clone> Default for Jobs<K> {
    fn default() -> Self {
        Jobs {
            running: Mutex::new(HashMap::new()),
            next: Mutex::new(0),
        }
    }
}

impl<K: Eq + Hash + Clone> Jobs<K> {
    /// No jobs.
    pub fn new() -> Jobs<K> {
        Jobs::default()
    }

    /// Start a job for `key`, cancelling the one it replaces.
    pub fn start(&self, key: K) -> Job {
        let ticket = {
            let mut n = self.next.lock().unwrap_or_else(|p| p.into_inner());
            *n += 1;
            *n
        };
        let cancel = CancelToken::new();
        let old = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, (ticket, cancel.clone()));
        if let Some((_, old)) = old {
            old.cancel();
        }
        Job { cancel, ticket }
    }

    /// The job ended; forget it unless a newer job for the key already replaced it.
    pub fn finish(&self, key: &K, job: &Job) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if running.get(key).is_some_and(|(t, _)| *t == job.ticket) {
            running.remove(key);
        }
    }

    /// Cancel the job for `key`, if any.
    pub fn cancel(&self, key: &K) {
        if let Some((_, c)) = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key)
        {
            c.cancel();
        }
    }

    /// Cancel every job (shut-down).
    pub fn cancel_all(&self) {
        for (_, (_, c)) in self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
        {
            c.cancel();
        }
    }

    /// Number of running jobs.
    pub fn len(&self) -> usize {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether no job runs.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_new_job_for_a_tab_cancels_the_old_one() {
        let jobs: Jobs<u32> = Jobs::new();
        let first = jobs.start(7);
        let other_tab = jobs.start(8);
        let second = jobs.start(7);
        assert!(first.cancel.is_cancelled());
        assert!(!second.cancel.is_cancelled() && !other_tab.cancel.is_cancelled());
        jobs.finish(&7, &first); // stale: must not forget the newer job
        assert_eq!(jobs.len(), 2);
        jobs.finish(&7, &second);
        assert_eq!(jobs.len(), 1);
        jobs.cancel_all();
        assert!(other_tab.cancel.is_cancelled() && jobs.is_empty());
    }

    #[test]
    fn missing_model_becomes_model_missing_status() {
        let err = ModelError::Missing {
            path: PathBuf::from("/m/x.gguf"),
            fix: FIX_COMMAND,
        };
        assert_eq!(
            status_for(&err),
            AiStatus::ModelMissing {
                path: "/m/x.gguf".into(),
                fix: FIX_COMMAND.into()
            }
        );
        let err = ModelError::Load {
            path: PathBuf::from("/m/x"),
            reason: "bad".into(),
        };
        assert!(matches!(status_for(&err), AiStatus::Failed { .. }));
    }
}
