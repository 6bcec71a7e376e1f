//! Merging records from other devices into the store.
//!
//! Per record, last writer wins: a record replaces the local one only if its version
//! (modification time, then writing device id as the tie-break) is greater. Applying a
//! record twice, or an older one, changes nothing, so re-reading a log is harmless.
//! Deletions are tombstones and win or lose by the same rule. History pages are the
//! exception for their visits, which merge as a set (see `apply_history.rs`).
//!
//! Bookmarks need two more rules to stay a tree on every device:
//! - a bookmark whose folder has not arrived yet waits in "Other bookmarks" (remembered in
//!   `sync_orphans`) and moves in when the folder arrives;
//! - items left in a folder that another device deleted (added here meanwhile), or moved
//!   into their own subtree by crossing moves, go to "Other bookmarks" as a local change,
//!   which then syncs like any other. Every device applies the same rules, so all converge.

use super::apply_history;
use super::log::Collection;
use super::records::{BookmarkData, Record};
use crate::profile::bookmarks::{self, OTHER_GUID, ROOT_GUID, TOOLBAR_GUID};
use crate::profile::changes::{Change, ChangeOrigin};
use crate::profile::error::Result;
use crate::profile::settings;
use crate::profile::store::Tx;
use crate::profile::tombstones;
use nexus_ipc::messages::sync::{DataType, SyncAction};
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

/// A record read from another device's log.
pub struct Incoming {
    /// The record.
    pub record: Record,
    /// The writing device (the log's owner).
    pub device: String,
}

/// What applying a batch did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Records that changed something.
    pub applied: usize,
    /// Records older than (or equal to) what was already here.
    pub stale: usize,
    /// Records that could not be used, with why.
    pub problems: Vec<String>,
}

pub(super) type Version = (i64, String);

pub(super) fn newer(remote: &Version, local: Option<Version>) -> bool {
    local.is_none_or(|l| (remote.0, remote.1.as_str()) > (l.0, l.1.as_str()))
}

fn local_version(tx: &Tx<'_>, c: Collection, id: &str) -> Result<Option<Version>> {
    let sql = match c {
        Collection::Bookmarks => "SELECT modified_ms, modified_by FROM bookmarks WHERE guid = ?1",
        Collection::History => "SELECT modified_ms, modified_by FROM pages WHERE guid = ?1",
        Collection::Settings => "SELECT modified_ms, modified_by FROM settings WHERE key = ?1",
        Collection::Device => return Ok(None),
    };
    let row: Option<Version> = tx
        .query_row(sql, [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.or(tombstones::get(&tx.tx, c.name(), id)?))
}

/// Apply a batch read from all other devices in one transaction.
pub(crate) fn apply_all(tx: &mut Tx<'_>, batch: Vec<Incoming>) -> Result<Applied> {
    let mut out = Applied::default();
    let mut doomed: HashMap<String, Version> = HashMap::new();
    for i in batch
        .iter()
        .filter(|i| i.record.deleted && i.record.collection == Collection::Bookmarks)
    {
        let v = (i.record.modified_ms, i.device.clone());
        let slot = doomed
            .entry(i.record.id.clone())
            .or_insert_with(|| v.clone());
        if newer(&v, Some(slot.clone())) {
            *slot = v;
        }
    }
    let (bookmark_upserts, rest): (Vec<Incoming>, Vec<Incoming>) = batch
        .into_iter()
        .partition(|i| i.record.collection == Collection::Bookmarks && !i.record.deleted);
    // Folders before their contents, whatever order the logs had.
    let mut waiting = bookmark_upserts;
    loop {
        let before = waiting.len();
        let mut still = Vec::new();
        for inc in waiting {
            match upsert_bookmark(tx, &inc, false, &mut out)? {
                true => {}
                false => still.push(inc),
            }
        }
        waiting = still;
        if waiting.is_empty() || waiting.len() == before {
            break;
        }
    }
    for inc in waiting {
        upsert_bookmark(tx, &inc, true, &mut out)?;
    }
    for inc in rest {
        let version = (inc.record.modified_ms, inc.device.clone());
        let r = &inc.record;
        // History pages merge their visits whatever the versions say (apply_history.rs).
        if r.collection == Collection::History {
            let changed = if r.deleted {
                apply_history::delete_page(tx, r, &version)?
            } else {
                apply_history::upsert_page(tx, r, &version, &mut out.problems)?
            };
            match changed {
                true => out.applied += 1,
                false => out.stale += 1,
            }
            continue;
        }
        if r.collection == Collection::Device {
            let name = r.data.get("name").and_then(|n| n.as_str()).unwrap_or("");
            let key = format!("device_name:{}", inc.device);
            let n = tx.execute(
                "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value",
                params![key, name],
            )?;
            if n > 0 {
                out.applied += 1
            } else {
                out.stale += 1
            }
            continue;
        }
        if !newer(&version, local_version(tx, r.collection, &r.id)?) {
            out.stale += 1;
            continue;
        }
        let ok = match (r.collection, r.deleted) {
            (Collection::Bookmarks, true) => delete_bookmark(tx, r, &version, &doomed)?,
            (Collection::Settings, false) => upsert_setting(tx, r, &version, &mut out)?,
            (Collection::Settings, true) => delete_setting(tx, r, &version)?,
            (Collection::Bookmarks, false) | (Collection::History, _) | (Collection::Device, _) => {
                unreachable!("handled above")
            }
        };
        if ok {
            out.applied += 1;
        }
    }
    Ok(out)
}

fn folder_id(tx: &Tx<'_>, guid: &str) -> Result<Option<i64>> {
    Ok(bookmarks::id_and_kind(&tx.tx, guid)?
        .filter(|(_, k)| *k == 2 && guid != ROOT_GUID)
        .map(|(id, _)| id))
}

/// Returns false if the record must wait for its folder (and `force` is not set).
fn upsert_bookmark(
    tx: &mut Tx<'_>,
    inc: &Incoming,
    force: bool,
    out: &mut Applied,
) -> Result<bool> {
    let r = &inc.record;
    if [ROOT_GUID, TOOLBAR_GUID, OTHER_GUID].contains(&r.id.as_str())
        || !crate::profile::util::valid_guid(&r.id)
    {
        out.problems
            .push(format!("a bookmark record with id {:?} was ignored", r.id));
        return Ok(true);
    }
    let version = (r.modified_ms, inc.device.clone());
    if !newer(&version, local_version(tx, Collection::Bookmarks, &r.id)?) {
        out.stale += 1;
        return Ok(true);
    }
    let Ok(d) = serde_json::from_value::<BookmarkData>(r.data.clone()) else {
        out.problems
            .push(format!("bookmark record {} has unreadable fields", r.id));
        return Ok(true);
    };
    if (d.kind == 1) != d.url.is_some()
        || !(1..=2).contains(&d.kind)
        || d.url
            .as_deref()
            .is_some_and(|u| bookmarks::check_url(u).is_err())
    {
        out.problems.push(format!(
            "bookmark record {} is not a valid bookmark or folder",
            r.id
        ));
        return Ok(true);
    }
    let other = folder_id(tx, OTHER_GUID)?.expect("roots exist");
    let mut local_fix = false;
    let parent_id = match folder_id(tx, &d.parent)? {
        Some(id) => id,
        None if !force => return Ok(false),
        None => {
            // The folder is gone here (deleted) or has not arrived (wait for it).
            if tombstones::get(&tx.tx, "bookmarks", &d.parent)?.is_some() {
                local_fix = true;
            } else {
                tx.execute(
                    "INSERT INTO sync_orphans (guid, parent_guid) VALUES (?1, ?2)
                     ON CONFLICT (guid) DO UPDATE SET parent_guid = excluded.parent_guid",
                    params![r.id, d.parent],
                )?;
            }
            other
        }
    };
    let existing = bookmarks::id_and_kind(&tx.tx, &r.id)?;
    let parent_id = match existing {
        Some((id, _)) if bookmarks::is_ancestor(&tx.tx, id, parent_id)? => {
            local_fix = true;
            other
        }
        _ => parent_id,
    };
    if let Some((_, kind)) = existing
        && kind != d.kind
    {
        out.problems.push(format!(
            "bookmark record {} changes a folder into a bookmark or back; ignored",
            r.id
        ));
        return Ok(true);
    }
    let (modified_ms, modified_by, counter) = if local_fix {
        (tx.now.max(r.modified_ms + 1), tx.device.to_string(), 1)
    } else {
        (r.modified_ms, inc.device.clone(), 0)
    };
    let action = if existing.is_some() {
        tx.execute(
            "UPDATE bookmarks SET parent_id = ?2, position = ?3, title = ?4, url = ?5, created_ms = ?6,
               modified_ms = ?7, modified_by = ?8, change_counter = ?9 WHERE guid = ?1",
            params![r.id, parent_id, d.position, d.title, d.url, d.created_ms, modified_ms, modified_by, counter],
        )?;
        SyncAction::Update
    } else {
        tx.execute(
            "INSERT INTO bookmarks (guid, kind, parent_id, position, title, url, created_ms, modified_ms, modified_by, change_counter)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![r.id, d.kind, parent_id, d.position, d.title, d.url, d.created_ms, modified_ms, modified_by, counter],
        )?;
        tombstones::remove(&tx.tx, "bookmarks", &r.id)?;
        SyncAction::Add
    };
    if parent_id != other || local_fix {
        tx.execute("DELETE FROM sync_orphans WHERE guid = ?1", [&r.id])?;
    }
    bookmarks::announce(tx, action, &r.id, ChangeOrigin::Sync)?;
    if d.kind == 2 {
        adopt_orphans(tx, &r.id)?;
    }
    out.applied += 1;
    Ok(true)
}

/// Move bookmarks that were waiting for folder `guid` into it.
fn adopt_orphans(tx: &mut Tx<'_>, guid: &str) -> Result<()> {
    let kids: Vec<String> = {
        let mut stmt = tx.prepare("SELECT guid FROM sync_orphans WHERE parent_guid = ?1")?;
        stmt.query_map([guid], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let folder = folder_id(tx, guid)?.expect("just written");
    for kid in kids {
        tx.execute(
            "UPDATE bookmarks SET parent_id = ?2 WHERE guid = ?1 AND parent_id = (SELECT id FROM bookmarks WHERE guid = ?3)",
            params![kid, folder, OTHER_GUID],
        )?;
        tx.execute("DELETE FROM sync_orphans WHERE guid = ?1", [&kid])?;
        bookmarks::announce(tx, SyncAction::Update, &kid, ChangeOrigin::Sync)?;
    }
    Ok(())
}

fn delete_bookmark(
    tx: &mut Tx<'_>,
    r: &Record,
    version: &Version,
    doomed: &HashMap<String, Version>,
) -> Result<bool> {
    if [ROOT_GUID, TOOLBAR_GUID, OTHER_GUID].contains(&r.id.as_str()) {
        return Ok(false);
    }
    remove_synced(tx, &r.id, version, doomed, 0)?;
    Ok(true)
}

/// Delete `guid` as another device did. Children that device deleted too (a tombstone in
/// this batch newer than the child here) go with it, whatever order the tombstones came
/// in; children it did not know, or changed here since, move to "Other bookmarks" as a
/// local change, so the other devices keep them too.
fn remove_synced(
    tx: &mut Tx<'_>,
    guid: &str,
    version: &Version,
    doomed: &HashMap<String, Version>,
    depth: usize,
) -> Result<()> {
    if let Some((id, _)) = bookmarks::id_and_kind(&tx.tx, guid)? {
        let kids: Vec<String> = {
            let mut stmt = tx.prepare(
                "SELECT guid FROM bookmarks WHERE parent_id = ?1 ORDER BY position, guid",
            )?;
            stmt.query_map([id], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        for kid in kids {
            let here = local_version(tx, Collection::Bookmarks, &kid)?;
            match doomed.get(&kid) {
                Some(theirs) if depth < 64 && newer(theirs, here) => {
                    remove_synced(tx, &kid, theirs, doomed, depth + 1)?
                }
                _ => {
                    let other = folder_id(tx, OTHER_GUID)?.expect("roots exist");
                    let pos: f64 = tx.query_row(
                        "SELECT coalesce(max(position), 0) + 1 FROM bookmarks WHERE parent_id = ?1",
                        [other],
                        |row| row.get(0),
                    )?;
                    tx.execute(
                        "UPDATE bookmarks SET parent_id = ?2, position = ?3, modified_ms = max(?4, modified_ms + 1), modified_by = ?5,
                           change_counter = change_counter + 1 WHERE guid = ?1",
                        params![kid, other, pos, tx.now.max(version.0 + 1), tx.device],
                    )?;
                    bookmarks::announce(tx, SyncAction::Update, &kid, ChangeOrigin::Local)?;
                }
            }
        }
        tx.execute("DELETE FROM bookmarks WHERE id = ?1", [id])?;
        bookmarks::announce(tx, SyncAction::Delete, guid, ChangeOrigin::Sync)?;
    }
    tx.execute("DELETE FROM sync_orphans WHERE guid = ?1", [guid])?;
    tombstones::add_remote(&tx.tx, tombstones::BOOKMARKS, guid, version.0, &version.1)
}

fn upsert_setting(
    tx: &mut Tx<'_>,
    r: &Record,
    version: &Version,
    out: &mut Applied,
) -> Result<bool> {
    let Some(def) = settings::definition(&r.id).filter(|d| d.synced) else {
        out.problems.push(format!(
            "setting record {:?} is not a synced setting of this version; ignored",
            r.id
        ));
        return Ok(false);
    };
    let value = r.data.get("value").cloned().unwrap_or_default();
    if let Err(why) = settings::validate(def.kind, &value) {
        out.problems
            .push(format!("setting \"{}\" from sync {why}; ignored", r.id));
        return Ok(false);
    }
    let existed = tx.execute(
        "UPDATE settings SET value = ?2, modified_ms = ?3, modified_by = ?4, change_counter = 0 WHERE key = ?1",
        params![r.id, value.to_string(), version.0, version.1],
    )? > 0;
    if !existed {
        tx.execute(
            "INSERT INTO settings (key, value, modified_ms, modified_by, change_counter) VALUES (?1, ?2, ?3, ?4, 0)",
            params![r.id, value.to_string(), version.0, version.1],
        )?;
        tombstones::remove(&tx.tx, "settings", &r.id)?;
    }
    let action = if existed {
        SyncAction::Update
    } else {
        SyncAction::Add
    };
    let record = serde_json::json!({ "key": r.id, "value": value });
    tx.changes.push(Change {
        data_type: DataType::Settings,
        action,
        record,
        origin: ChangeOrigin::Sync,
    });
    Ok(true)
}

fn delete_setting(tx: &mut Tx<'_>, r: &Record, version: &Version) -> Result<bool> {
    if tx.execute("DELETE FROM settings WHERE key = ?1", [&r.id])? > 0 {
        let default = settings::definition(&r.id)
            .map(|d| serde_json::from_str::<serde_json::Value>(d.default).unwrap_or_default());
        let record = serde_json::json!({ "key": r.id, "value": default });
        tx.changes.push(Change {
            data_type: DataType::Settings,
            action: SyncAction::Delete,
            record,
            origin: ChangeOrigin::Sync,
        });
    }
    tombstones::add_remote(&tx.tx, "settings", &r.id, version.0, &version.1)?;
    Ok(true)
}
