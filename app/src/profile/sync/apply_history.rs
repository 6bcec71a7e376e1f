//! Merging history pages from other devices.
//!
//! A page's title follows last-writer-wins like every record. Its visits do not: two
//! devices visiting the same page between syncs must both keep both visits, so visits
//! merge as a set (union: idempotent and order-independent, hence convergent). Removal
//! travels explicitly instead: a record carries the time ranges the user cleared on a page
//! that kept other visits, and a removed page is a tombstone whose time also drops older
//! visits if a newer record brings the page back. A page's GUID is derived from its URL,
//! so every device names the same page alike; should two GUIDs still meet for one URL
//! (records from an older version), the smaller names the merged page everywhere.

use super::apply::{Version, newer};
use super::records::{MAX_VISITS, PageData, Record};
use crate::profile::bookmarks;
use crate::profile::changes::ChangeOrigin;
use crate::profile::error::Result;
use crate::profile::frecency::Transition;
use crate::profile::history;
use crate::profile::store::Tx;
use crate::profile::tombstones;
use crate::profile::util::{host_key, valid_guid};
use nexus_ipc::messages::sync::SyncAction;
use rusqlite::{OptionalExtension, params};

/// Merge one page record; returns whether anything changed here.
pub(super) fn upsert_page(
    tx: &mut Tx<'_>,
    r: &Record,
    version: &Version,
    problems: &mut Vec<String>,
) -> Result<bool> {
    let Ok(d) = serde_json::from_value::<PageData>(r.data.clone()) else {
        problems.push(format!("history record {} has unreadable fields", r.id));
        return Ok(false);
    };
    if d.url.is_empty()
        || d.url.len() > bookmarks::MAX_URL
        || !valid_guid(&r.id)
        || d.visits.len() > MAX_VISITS
    {
        problems.push(format!("history record {} is not a valid page", r.id));
        return Ok(false);
    }
    let tombstone = tombstones::get(&tx.tx, tombstones::HISTORY, &r.id)?;
    if tombstone.is_some() && !newer(version, tombstone.clone()) {
        return Ok(false);
    }
    let drop_until = tombstone.map(|t| t.0);
    let by_guid: Option<i64> = tx
        .query_row("SELECT id FROM pages WHERE guid = ?1", [&r.id], |row| {
            row.get(0)
        })
        .optional()?;
    let (page_id, created) = match by_guid {
        Some(id) => (id, false),
        None => match history::page_id(&tx.tx, &d.url)? {
            Some(id) => {
                let local: String =
                    tx.query_row("SELECT guid FROM pages WHERE id = ?1", [id], |row| {
                        row.get(0)
                    })?;
                if r.id < local {
                    tx.execute(
                        "UPDATE pages SET guid = ?2 WHERE id = ?1",
                        params![id, r.id],
                    )?;
                }
                (id, false)
            }
            None => {
                let (id, _) = history::ensure_page(tx, &d.url, Some(&r.id), &d.title)?;
                (id, true)
            }
        },
    };
    let mut changed = created;
    let local_version: Version = tx.query_row(
        "SELECT modified_ms, modified_by FROM pages WHERE id = ?1",
        [page_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    if created || newer(version, Some(local_version)) {
        let n = tx.execute(
            "UPDATE pages SET title = ?2, modified_ms = ?3, modified_by = ?4 WHERE id = ?1",
            params![page_id, d.title, version.0, version.1],
        )?;
        changed |= n > 0;
    }
    let key = history::url_key(&d.url);
    for (from, to) in &d.removed {
        if tx.execute(
            "INSERT OR IGNORE INTO visit_removals (url_key, from_ms, to_ms) VALUES (?1, ?2, ?3)",
            params![key, from, to],
        )? > 0
        {
            tx.execute(
                "DELETE FROM visits WHERE page_id = ?1 AND visited_ms >= ?2 AND visited_ms < ?3",
                params![page_id, from, to],
            )?;
            changed = true;
        }
    }
    {
        let mut removed = tx.prepare_cached(
            "SELECT 1 FROM visit_removals WHERE url_key = ?1 AND from_ms <= ?2 AND ?2 < to_ms LIMIT 1",
        )?;
        let mut exists = tx.prepare_cached("SELECT 1 FROM visits WHERE page_id = ?1 AND visited_ms = ?2 AND transition = ?3 LIMIT 1")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO visits (page_id, visited_ms, transition) VALUES (?1, ?2, ?3)",
        )?;
        for (t, code) in &d.visits {
            let code = Transition::from_code(*code).code();
            if drop_until.is_some_and(|until| *t <= until)
                || removed.exists(params![key, t])?
                || exists.exists(params![page_id, t, code])?
            {
                continue;
            }
            insert.execute(params![page_id, t, code])?;
            changed = true;
        }
    }
    if !changed {
        return Ok(false);
    }
    tx.execute(
        "UPDATE pages SET host_key = ?2 WHERE id = ?1",
        params![page_id, host_key(&d.url)],
    )?;
    history::recompute(&tx.tx, page_id)?;
    let guid: String = tx.query_row("SELECT guid FROM pages WHERE id = ?1", [page_id], |row| {
        row.get(0)
    })?;
    let action = if created {
        SyncAction::Add
    } else {
        SyncAction::Update
    };
    history::announce(tx, action, page_id, &guid, ChangeOrigin::Sync)?;
    Ok(true)
}

/// A page removed on another device at `version.0`. If the page changed here since (a
/// newer visit), it stays, but every visit up to the removal goes, recorded as a removal
/// range so that all devices end with the same visits whichever order they learn things in.
pub(super) fn delete_page(tx: &mut Tx<'_>, r: &Record, version: &Version) -> Result<bool> {
    let page: Option<(i64, i64, String, String)> = tx
        .query_row(
            "SELECT id, modified_ms, modified_by, url FROM pages WHERE guid = ?1",
            [&r.id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let known = tombstones::get(&tx.tx, tombstones::HISTORY, &r.id)?;
    let mut changed = false;
    if let Some((id, ms, by, url)) = page {
        if newer(version, Some((ms, by))) {
            tx.execute("DELETE FROM pages WHERE id = ?1", [id])?;
            history::announce(tx, SyncAction::Delete, id, &r.id, ChangeOrigin::Sync)?;
            changed = true;
        } else {
            let until = version.0.saturating_add(1);
            if tx.execute("INSERT OR IGNORE INTO visit_removals (url_key, from_ms, to_ms) VALUES (?1, ?2, ?3)", params![history::url_key(&url), i64::MIN, until])? > 0 {
                tx.execute("DELETE FROM visits WHERE page_id = ?1 AND visited_ms < ?2", params![id, until])?;
                history::recompute(&tx.tx, id)?;
                history::announce(tx, SyncAction::Update, id, &r.id, ChangeOrigin::Sync)?;
                changed = true;
            }
        }
    }
    if newer(version, known) {
        tombstones::add_remote(&tx.tx, tombstones::HISTORY, &r.id, version.0, &version.1)?;
        changed = true;
    }
    Ok(changed)
}
