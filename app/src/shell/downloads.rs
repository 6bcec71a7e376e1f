//! The downloads list: what CEF reports, as the UI shows it.

use crate::cef::events::{DownloadControl, DownloadUpdate};
use nexus_ui::model::{DownloadId, DownloadState, DownloadView};
use std::path::PathBuf;

/// One download.
pub struct Download {
    /// What the UI shows.
    pub view: DownloadView,
    /// Where it is saved.
    pub path: PathBuf,
    /// Cancels it while running.
    pub control: Option<DownloadControl>,
}

/// Every download of this session, newest first.
#[derive(Default)]
pub struct Downloads {
    items: Vec<Download>,
}

impl Downloads {
    /// Apply a progress report from CEF.
    pub fn update(&mut self, update: DownloadUpdate) {
        let id = DownloadId(update.id as u64);
        let path = PathBuf::from(&update.path);
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| {
                update
                    .url
                    .rsplit('/')
                    .next()
                    .unwrap_or("download")
                    .to_string()
            });
        let state = if update.complete {
            DownloadState::Complete
        } else if update.failed {
            match self
                .items
                .iter()
                .find(|d| d.view.id == id)
                .map(|d| &d.view.state)
            {
                Some(DownloadState::Cancelled) => DownloadState::Cancelled,
                _ => DownloadState::Failed("The download was interrupted.".into()),
            }
        } else {
            DownloadState::InProgress {
                received: update.received.max(0) as u64,
                total: update.total.map(|t| t.max(0) as u64),
                speed: (update.speed > 0).then_some(update.speed as u64),
            }
        };
        let view = DownloadView {
            id,
            file_name,
            url: update.url,
            state,
        };
        let finished = !matches!(view.state, DownloadState::InProgress { .. });
        match self.items.iter_mut().find(|d| d.view.id == id) {
            Some(existing) => {
                existing.view = view;
                if !update.path.is_empty() {
                    existing.path = path;
                }
                if finished {
                    existing.control = None;
                } else if update.control.is_some() {
                    existing.control = update.control;
                }
            }
            None => self.items.insert(
                0,
                Download {
                    view,
                    path,
                    control: update.control,
                },
            ),
        }
    }

    /// The list for the UI.
    pub fn views(&self) -> Vec<DownloadView> {
        self.items.iter().map(|d| d.view.clone()).collect()
    }

    /// A download by id.
    pub fn get(&self, id: DownloadId) -> Option<&Download> {
        self.items.iter().find(|d| d.view.id == id)
    }

    /// Cancel a running download.
    pub fn cancel(&mut self, id: DownloadId) {
        if let Some(d) = self.items.iter_mut().find(|d| d.view.id == id) {
            if let Some(control) = d.control.take() {
                control.cancel();
            }
            d.view.state = DownloadState::Cancelled;
        }
    }

    /// Drop finished, failed and cancelled downloads from the list.
    pub fn clear_finished(&mut self) {
        self.items
            .retain(|d| matches!(d.view.state, DownloadState::InProgress { .. }));
    }
}
