//! The downloads list: what was downloaded, where to, and how it ended.
//!
//! The shell updates a row as bytes arrive (throttle this to a few times a second: each
//! update is a small relaxed-durability commit). After a crash, rows still "in progress"
//! are marked interrupted by [`Store::interrupt_unfinished_downloads`] at start-up.

use super::error::{ProfileError, Result};
use super::store::{Durability, Store};
use super::util::new_guid;
use rusqlite::{Row, params};

/// Where a download stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DownloadState {
    /// Bytes are arriving.
    InProgress,
    /// Done.
    Complete,
    /// The user cancelled it.
    Cancelled,
    /// It failed (see `error`).
    Failed,
    /// Nexus stopped (or crashed) while it ran.
    Interrupted,
}

impl DownloadState {
    fn as_str(self) -> &'static str {
        match self {
            DownloadState::InProgress => "in_progress",
            DownloadState::Complete => "complete",
            DownloadState::Cancelled => "cancelled",
            DownloadState::Failed => "failed",
            DownloadState::Interrupted => "interrupted",
        }
    }

    fn parse(s: &str) -> DownloadState {
        match s {
            "in_progress" => DownloadState::InProgress,
            "complete" => DownloadState::Complete,
            "cancelled" => DownloadState::Cancelled,
            "failed" => DownloadState::Failed,
            _ => DownloadState::Interrupted,
        }
    }
}

/// One download.
#[derive(Clone, Debug, PartialEq)]
pub struct Download {
    /// Stable id.
    pub guid: String,
    /// Where it came from.
    pub url: String,
    /// Where it is saved.
    pub target_path: String,
    /// Its MIME type, if known.
    pub mime_type: String,
    /// Its size, if known.
    pub total_bytes: Option<i64>,
    /// Bytes received so far.
    pub received_bytes: i64,
    /// Where it stands.
    pub state: DownloadState,
    /// Why it failed.
    pub error: Option<String>,
    /// Start time (ms since the epoch).
    pub started_ms: i64,
    /// End time, once it ended.
    pub ended_ms: Option<i64>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Download> {
    Ok(Download {
        guid: r.get(0)?,
        url: r.get(1)?,
        target_path: r.get(2)?,
        mime_type: r.get(3)?,
        total_bytes: r.get(4)?,
        received_bytes: r.get(5)?,
        state: DownloadState::parse(&r.get::<_, String>(6)?),
        error: r.get(7)?,
        started_ms: r.get(8)?,
        ended_ms: r.get(9)?,
    })
}

const COLUMNS: &str = "guid, url, target_path, mime_type, total_bytes, received_bytes, state, error, started_ms, ended_ms";

impl Store {
    /// A download started; returns its record.
    pub fn add_download(
        &mut self,
        url: &str,
        target_path: &str,
        mime_type: &str,
        total_bytes: Option<i64>,
    ) -> Result<Download> {
        let guid = new_guid();
        self.write(Durability::Full, |tx| {
            tx.execute(
                "INSERT INTO downloads (guid, url, target_path, mime_type, total_bytes, state, started_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'in_progress', ?6)",
                params![guid, url, target_path, mime_type, total_bytes, tx.now],
            )?;
            Ok(())
        })?;
        self.download(&guid)
    }

    /// Bytes arrived.
    pub fn update_download_progress(
        &mut self,
        guid: &str,
        received_bytes: i64,
        total_bytes: Option<i64>,
    ) -> Result<()> {
        self.write(Durability::Relaxed, |tx| {
            let n = tx.execute(
                "UPDATE downloads SET received_bytes = ?2, total_bytes = coalesce(?3, total_bytes) WHERE guid = ?1",
                params![guid, received_bytes, total_bytes],
            )?;
            if n == 0 {
                return Err(ProfileError::NotFound { what: "download", id: guid.into() });
            }
            Ok(())
        })
    }

    /// The download ended as `state` (with `error` when it failed).
    pub fn finish_download(
        &mut self,
        guid: &str,
        state: DownloadState,
        error: Option<&str>,
    ) -> Result<()> {
        if state == DownloadState::InProgress {
            return Err(ProfileError::Invalid(
                "a finished download cannot be in progress".into(),
            ));
        }
        self.write(Durability::Full, |tx| {
            let n = tx.execute(
                "UPDATE downloads SET state = ?2, error = ?3, ended_ms = ?4 WHERE guid = ?1",
                params![guid, state.as_str(), error, tx.now],
            )?;
            if n == 0 {
                return Err(ProfileError::NotFound {
                    what: "download",
                    id: guid.into(),
                });
            }
            Ok(())
        })
    }

    /// One download.
    pub fn download(&self, guid: &str) -> Result<Download> {
        self.read(|c| {
            c.query_row(
                &format!("SELECT {COLUMNS} FROM downloads WHERE guid = ?1"),
                [guid],
                from_row,
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => ProfileError::NotFound {
                    what: "download",
                    id: guid.into(),
                },
                e => e.into(),
            })
        })
    }

    /// The downloads list, newest first.
    pub fn downloads(&self) -> Result<Vec<Download>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {COLUMNS} FROM downloads ORDER BY started_ms DESC, id DESC"
            ))?;
            let rows = stmt
                .query_map([], from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }

    /// Remove one entry from the list (not the file). Returns whether it existed.
    pub fn remove_download(&mut self, guid: &str) -> Result<bool> {
        self.write(Durability::Full, |tx| {
            Ok(tx.execute("DELETE FROM downloads WHERE guid = ?1", [guid])? > 0)
        })
    }

    /// Remove every finished entry from the list. Returns how many went.
    pub fn clear_downloads(&mut self) -> Result<usize> {
        self.write(Durability::Full, |tx| {
            Ok(tx.execute("DELETE FROM downloads WHERE state != 'in_progress'", [])?)
        })
    }

    /// At browser start: downloads left "in progress" by the previous run are interrupted.
    pub fn interrupt_unfinished_downloads(&mut self) -> Result<usize> {
        self.write(Durability::Full, |tx| {
            Ok(tx.execute(
                "UPDATE downloads SET state = 'interrupted', ended_ms = ?1 WHERE state = 'in_progress'",
                [tx.now],
            )?)
        })
    }
}
