//! The last session's windows and tabs, for restore after a restart or a crash.
//!
//! The shell calls [`Store::save_session`] whenever a window or tab changes. Saving is
//! cheap: an unchanged snapshot is not written at all, and a changed one is one row of
//! JSON committed with relaxed durability (safe against a crash of Nexus, which is what
//! session restore is for). The first save of a run moves the previous run's snapshot to
//! the `previous` slot, so [`Store::last_session`] still returns it after the new run has
//! started saving.

use super::error::{ProfileError, Result};
use super::store::{Durability, Store};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// One tab.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TabState {
    /// The page shown.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Pinned tabs stay at the left.
    pub pinned: bool,
    /// The tab's zoom level.
    pub zoom: f64,
    /// Back/forward entries (URLs), oldest first; `url` is at `history_index`.
    pub history: Vec<String>,
    /// Position of the current entry in `history`.
    pub history_index: usize,
}

/// One window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WindowState {
    /// Outer position and size in logical pixels: x, y, width, height.
    pub bounds: Option<[f32; 4]>,
    /// Maximized.
    pub maximized: bool,
    /// Tabs in order.
    pub tabs: Vec<TabState>,
    /// Index of the selected tab.
    pub active_tab: usize,
}

/// All windows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionState {
    /// Windows in z-order (last = front).
    pub windows: Vec<WindowState>,
    /// Index of the focused window.
    pub active_window: usize,
}

/// A stored session with its time.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedSession {
    /// The windows and tabs.
    pub state: SessionState,
    /// When it was saved (ms since the epoch).
    pub saved_ms: i64,
}

impl Store {
    /// Save the current windows and tabs. Returns whether anything was written.
    pub fn save_session(&mut self, state: &SessionState) -> Result<bool> {
        let json = serde_json::to_string(state)
            .map_err(|e| ProfileError::Invalid(format!("session not serializable: {e}")))?;
        let rotate = !self.session_rotated;
        let written = self.write(Durability::Relaxed, |tx| {
            if rotate {
                tx.execute("DELETE FROM session WHERE slot = 'previous'", [])?;
                tx.execute("UPDATE session SET slot = 'previous' WHERE slot = 'current'", [])?;
            }
            let same: Option<i64> = tx
                .query_row("SELECT 1 FROM session WHERE slot = 'current' AND json = ?1", [&json], |r| r.get(0))
                .optional()?;
            if same.is_some() {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO session (slot, json, saved_ms) VALUES ('current', ?1, ?2)
                 ON CONFLICT (slot) DO UPDATE SET json = excluded.json, saved_ms = excluded.saved_ms",
                params![json, tx.now],
            )?;
            Ok(true)
        })?;
        self.session_rotated = true;
        Ok(written)
    }

    /// The session of the previous run (what "restore session" reopens), if one was saved.
    /// A snapshot that cannot be read is reported as an error (start with a new window).
    pub fn last_session(&self) -> Result<Option<SavedSession>> {
        let slot = if self.session_rotated {
            "previous"
        } else {
            "current"
        };
        let row: Option<(String, i64)> = self.read(|c| {
            Ok(c.query_row(
                "SELECT json, saved_ms FROM session WHERE slot = ?1",
                [slot],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })?;
        row.map(|(json, saved_ms)| {
            serde_json::from_str(&json)
                .map(|state| SavedSession { state, saved_ms })
                .map_err(|e| {
                    ProfileError::Invalid(format!(
                        "the saved session cannot be read ({e}); start with a new window"
                    ))
                })
        })
        .transpose()
    }
}
