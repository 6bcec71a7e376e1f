//! History: pages and their visits, with frecency kept current on every visit.
//!
//! A page is one URL (with its latest title); a visit is one time the user reached it, with
//! the transition that got them there. Recording a visit is one small transaction with
//! relaxed durability (see `store.rs`): visits are frequent, and losing the last second of
//! them on a power cut is acceptable where losing a bookmark is not.

use super::bookmarks::MAX_URL;
use super::changes::{Change, ChangeOrigin};
use super::error::{ProfileError, Result};
use super::frecency::{self, Transition};
use super::store::{Durability, Store, Tx};
use super::tombstones;
use super::util::host_key;
use nexus_ipc::messages::sync::{DataType, SyncAction};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// A page in history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page {
    /// Stable id, the same on every device.
    pub guid: String,
    /// The address.
    pub url: String,
    /// The latest title seen.
    pub title: String,
    /// How many visits are stored.
    pub visit_count: i64,
    /// The latest visit (ms since the epoch; 0 if none).
    pub last_visit_ms: i64,
}

/// One visit, for the history view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// The page's GUID.
    pub page_guid: String,
    /// The address.
    pub url: String,
    /// The page's title.
    pub title: String,
    /// When (ms since the epoch).
    pub visited_ms: i64,
    /// How the page was reached.
    pub transition: Transition,
}

/// What the history view asks for.
#[derive(Clone, Debug, Default)]
pub struct HistoryQuery {
    /// Only visits to pages whose title or URL contains this text.
    pub text: Option<String>,
    /// Only visits at or after this time.
    pub from_ms: Option<i64>,
    /// Only visits before this time.
    pub to_ms: Option<i64>,
    /// At most this many (0 means 100).
    pub limit: usize,
    /// Skip this many (paging).
    pub offset: usize,
}

/// The GUID of the page of `url`: derived from the URL, so the same page has the same GUID
/// on every device (a deletion on one device names the page the others have, and a page
/// deleted and visited again keeps its identity).
pub(crate) fn page_guid(url: &str) -> String {
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        format!("nexus-page\0{url}").as_bytes(),
    );
    crate::profile::util::guid_from_bytes(digest.as_ref()[..9].try_into().expect("9 bytes"))
}

/// The key of a URL in `visit_removals`: its SHA-256, so no URL outlives its history.
pub(crate) fn url_key(url: &str) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, url.as_bytes())
        .as_ref()
        .to_vec()
}

pub(crate) fn page_id(conn: &Connection, url: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM pages WHERE url = ?1", [url], |r| r.get(0))
        .optional()?)
}

fn page_by_id(conn: &Connection, id: i64) -> Result<Option<Page>> {
    Ok(conn
        .query_row(
            "SELECT guid, url, title, visit_count, last_visit_ms FROM pages WHERE id = ?1",
            [id],
            |r| {
                Ok(Page {
                    guid: r.get(0)?,
                    url: r.get(1)?,
                    title: r.get(2)?,
                    visit_count: r.get(3)?,
                    last_visit_ms: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Recompute a page's visit count, last visit and frecency from its visits.
pub(crate) fn recompute(conn: &Connection, page_id: i64) -> Result<()> {
    let visits: Vec<(i64, Transition)> = {
        let mut stmt =
            conn.prepare_cached("SELECT visited_ms, transition FROM visits WHERE page_id = ?1")?;
        stmt.query_map([page_id], |r| {
            Ok((r.get(0)?, Transition::from_code(r.get(1)?)))
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    let last = visits.iter().map(|v| v.0).max().unwrap_or(0);
    conn.execute(
        "UPDATE pages SET visit_count = ?2, last_visit_ms = ?3, frecency = ?4 WHERE id = ?1",
        params![
            page_id,
            visits.len() as i64,
            last,
            frecency::of_visits(visits.iter().copied())
        ],
    )?;
    Ok(())
}

pub(crate) fn announce(
    tx: &mut Tx<'_>,
    action: SyncAction,
    page_id: i64,
    guid: &str,
    origin: ChangeOrigin,
) -> Result<()> {
    let record = match action {
        SyncAction::Delete => serde_json::json!({ "guid": guid }),
        _ => match page_by_id(&tx.tx, page_id)? {
            Some(p) => serde_json::to_value(p).unwrap_or_default(),
            None => return Ok(()),
        },
    };
    tx.changes.push(Change {
        data_type: DataType::History,
        action,
        record,
        origin,
    });
    Ok(())
}

/// Create the page row for `url` if needed; returns (id, created).
pub(crate) fn ensure_page(
    tx: &Tx<'_>,
    url: &str,
    guid: Option<&str>,
    title: &str,
) -> Result<(i64, bool)> {
    if let Some(id) = page_id(&tx.tx, url)? {
        return Ok((id, false));
    }
    let guid = guid.map(str::to_string).unwrap_or_else(|| page_guid(url));
    tx.execute(
        "INSERT INTO pages (guid, url, title, host_key, modified_ms, modified_by, change_counter)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
        params![guid, url, title, host_key(url), tx.now, tx.device],
    )?;
    Ok((tx.last_insert_rowid(), true))
}

/// Delete pages by id, leaving tombstones for local deletions.
fn delete_pages(tx: &mut Tx<'_>, ids: &[i64]) -> Result<()> {
    for &id in ids {
        let Some((guid, modified_ms)): Option<(String, i64)> = tx
            .query_row(
                "SELECT guid, modified_ms FROM pages WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
        else {
            continue;
        };
        tx.execute("DELETE FROM pages WHERE id = ?1", [id])?;
        tombstones::add(tx, tombstones::HISTORY, &guid, modified_ms)?;
        announce(tx, SyncAction::Delete, id, &guid, ChangeOrigin::Local)?;
    }
    Ok(())
}

impl Store {
    /// Record a visit to `url` now. `title`, when given, becomes the page's title. Returns
    /// the page, or `None` if the user cleared this time from history on another device
    /// (whose clock ran ahead) so the visit is not kept.
    pub fn record_visit(
        &mut self,
        url: &str,
        title: Option<&str>,
        transition: Transition,
    ) -> Result<Option<Page>> {
        if url.is_empty() || url.len() > MAX_URL {
            return Err(ProfileError::Invalid(format!(
                "a history URL must be 1 to {MAX_URL} bytes long"
            )));
        }
        let id = self.write(Durability::Relaxed, |tx| {
            // Another device may have cleared this time for this page (its clock ahead of
            // ours): the visit is then not kept, exactly as that device will not keep it.
            let cleared = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM visit_removals WHERE url_key = ?1 AND from_ms <= ?2 AND ?2 < to_ms)
                     OR EXISTS (SELECT 1 FROM tombstones WHERE collection = 'history' AND guid = ?3 AND deleted_ms >= ?2)",
                params![url_key(url), tx.now, page_guid(url)],
                |r| r.get::<_, bool>(0),
            )?;
            if cleared {
                return Ok(None);
            }
            let (id, created) = ensure_page(tx, url, None, title.unwrap_or(""))?;
            tx.execute(
                "INSERT INTO visits (page_id, visited_ms, transition) VALUES (?1, ?2, ?3)",
                params![id, tx.now, transition.code()],
            )?;
            let added = frecency::visit_log_score(tx.now, transition);
            let old: Option<f64> = tx.query_row("SELECT frecency FROM pages WHERE id = ?1", [id], |r| r.get(0))?;
            tx.execute(
                "UPDATE pages SET visit_count = visit_count + 1, last_visit_ms = max(last_visit_ms, ?2),
                   frecency = ?3, title = coalesce(?4, title), modified_ms = max(?2, modified_ms + 1), modified_by = ?5,
                   change_counter = change_counter + 1
                 WHERE id = ?1",
                params![id, tx.now, frecency::log_add(old, added), title, tx.device],
            )?;
            let action = if created { SyncAction::Add } else { SyncAction::Update };
            let guid: String = tx.query_row("SELECT guid FROM pages WHERE id = ?1", [id], |r| r.get(0))?;
            announce(tx, action, id, &guid, ChangeOrigin::Local)?;
            Ok(Some(id))
        })?;
        match id {
            Some(id) => self.read(|c| page_by_id(c, id)),
            None => Ok(None),
        }
    }

    /// Set the title of a page already in history (a page's title often arrives after the
    /// visit). Does nothing for a URL not in history.
    pub fn set_page_title(&mut self, url: &str, title: &str) -> Result<()> {
        self.write(Durability::Relaxed, |tx| {
            let Some(id) = page_id(&tx.tx, url)? else { return Ok(()) };
            let n = tx.execute(
                "UPDATE pages SET title = ?2, modified_ms = max(?3, modified_ms + 1), modified_by = ?4, change_counter = change_counter + 1
                 WHERE id = ?1 AND title IS NOT ?2",
                params![id, title, tx.now, tx.device],
            )?;
            if n > 0 {
                let guid: String = tx.query_row("SELECT guid FROM pages WHERE id = ?1", [id], |r| r.get(0))?;
                announce(tx, SyncAction::Update, id, &guid, ChangeOrigin::Local)?;
            }
            Ok(())
        })
    }

    /// The history page of `url`, if visited.
    pub fn page(&self, url: &str) -> Result<Option<Page>> {
        self.read(|c| match page_id(c, url)? {
            Some(id) => page_by_id(c, id),
            None => Ok(None),
        })
    }

    /// Today's frecency score of `url` (0 if never visited).
    pub fn frecency_score(&self, url: &str) -> Result<f64> {
        let stored: Option<Option<f64>> = self.read(|c| {
            Ok(
                c.query_row("SELECT frecency FROM pages WHERE url = ?1", [url], |r| {
                    r.get(0)
                })
                .optional()?,
            )
        })?;
        Ok(frecency::current_score(
            stored.flatten(),
            self.clock.now_ms(),
        ))
    }

    /// The most frecent pages (for the new-tab page's top sites).
    pub fn top_pages(&self, limit: usize) -> Result<Vec<Page>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT guid, url, title, visit_count, last_visit_ms FROM pages
                 WHERE frecency IS NOT NULL ORDER BY frecency DESC LIMIT ?1",
            )?;
            let rows = stmt
                .query_map([limit as i64], |r| {
                    Ok(Page {
                        guid: r.get(0)?,
                        url: r.get(1)?,
                        title: r.get(2)?,
                        visit_count: r.get(3)?,
                        last_visit_ms: r.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }

    /// Visits for the history view, newest first.
    pub fn history(&self, q: &HistoryQuery) -> Result<Vec<HistoryEntry>> {
        let pattern = q
            .text
            .as_deref()
            .map(|t| format!("%{}%", super::autocomplete::escape_like(t)));
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT p.guid, p.url, p.title, v.visited_ms, v.transition FROM visits v JOIN pages p ON p.id = v.page_id
                 WHERE v.visited_ms >= ?1 AND v.visited_ms < ?2
                   AND (?3 IS NULL OR p.title LIKE ?3 ESCAPE '\\' OR p.url LIKE ?3 ESCAPE '\\')
                 ORDER BY v.visited_ms DESC, v.id DESC LIMIT ?4 OFFSET ?5",
            )?;
            let limit = if q.limit == 0 { 100 } else { q.limit } as i64;
            let rows = stmt
                .query_map(
                    params![q.from_ms.unwrap_or(i64::MIN), q.to_ms.unwrap_or(i64::MAX), pattern, limit, q.offset as i64],
                    |r| {
                        Ok(HistoryEntry {
                            page_guid: r.get(0)?,
                            url: r.get(1)?,
                            title: r.get(2)?,
                            visited_ms: r.get(3)?,
                            transition: Transition::from_code(r.get(4)?),
                        })
                    },
                )?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }

    /// Remove a page and all its visits from history. Returns whether it was there.
    pub fn delete_page(&mut self, url: &str) -> Result<bool> {
        self.write(Durability::Full, |tx| match page_id(&tx.tx, url)? {
            Some(id) => delete_pages(tx, &[id]).map(|_| true),
            None => Ok(false),
        })
    }

    /// Remove the visits in `[from_ms, to_ms)` ("clear the last hour"); pages left without
    /// visits go too. Returns how many visits were removed.
    pub fn delete_history_between(&mut self, from_ms: i64, to_ms: i64) -> Result<usize> {
        if from_ms > to_ms {
            return Err(ProfileError::Invalid(
                "the start of the time range is after its end".into(),
            ));
        }
        self.write(Durability::Full, |tx| {
            let touched: Vec<i64> = {
                let mut stmt = tx.prepare("SELECT DISTINCT page_id FROM visits WHERE visited_ms >= ?1 AND visited_ms < ?2")?;
                stmt.query_map(params![from_ms, to_ms], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
            };
            let removed = tx.execute("DELETE FROM visits WHERE visited_ms >= ?1 AND visited_ms < ?2", params![from_ms, to_ms])?;
            let mut empty = Vec::new();
            for id in touched {
                recompute(&tx.tx, id)?;
                let left: i64 = tx.query_row("SELECT visit_count FROM pages WHERE id = ?1", [id], |r| r.get(0))?;
                if left == 0 {
                    empty.push(id);
                } else {
                    tx.execute(
                        "UPDATE pages SET modified_ms = max(?2, modified_ms + 1), modified_by = ?3, change_counter = change_counter + 1 WHERE id = ?1",
                        params![id, tx.now, tx.device],
                    )?;
                    // Remembered and synced, so the other devices remove these visits too.
                    let url: String = tx.query_row("SELECT url FROM pages WHERE id = ?1", [id], |r| r.get(0))?;
                    tx.execute(
                        "INSERT OR IGNORE INTO visit_removals (url_key, from_ms, to_ms) VALUES (?1, ?2, ?3)",
                        params![url_key(&url), from_ms, to_ms],
                    )?;
                    let guid: String = tx.query_row("SELECT guid FROM pages WHERE id = ?1", [id], |r| r.get(0))?;
                    announce(tx, SyncAction::Update, id, &guid, ChangeOrigin::Local)?;
                }
            }
            delete_pages(tx, &empty)?;
            Ok(removed)
        })
    }

    /// Remove all history. Returns how many visits were removed.
    pub fn clear_history(&mut self) -> Result<usize> {
        let n = self.delete_history_between(i64::MIN, i64::MAX)?;
        // Pages without any visit (e.g. only a title arrived) go as well.
        self.write(Durability::Full, |tx| {
            let ids: Vec<i64> = {
                let mut stmt = tx.prepare("SELECT id FROM pages")?;
                stmt.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            delete_pages(tx, &ids)
        })?;
        Ok(n)
    }
}
