//! Sync records: what a local change looks like in the change log, and collecting them.
//!
//! A record is a collection, an id (a GUID, or a setting's key), a version (modification
//! time plus the writing device, which is the log's owner) and either the data or a
//! deletion. Local changes are the rows whose change counter is above zero; after their
//! records are safely appended to this device's log the counters go back to zero.

use super::log::Collection;
use crate::profile::bookmarks::{OTHER_GUID, ROOT_GUID, TOOLBAR_GUID};
use crate::profile::error::Result;
use crate::profile::settings;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Visits carried per history record (the most recent).
pub const MAX_VISITS: usize = 100;

/// One record, as encrypted into a frame (collection and version travel in the header).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The collection (not serialized: it is in the frame header).
    #[serde(skip, default = "default_collection")]
    pub collection: Collection,
    /// GUID, or a setting's key.
    pub id: String,
    /// The version's time (not serialized: it is in the frame header).
    #[serde(skip)]
    pub modified_ms: i64,
    /// A deletion.
    #[serde(default)]
    pub deleted: bool,
    /// The record's fields (null for a deletion).
    #[serde(default)]
    pub data: Value,
}

fn default_collection() -> Collection {
    Collection::Bookmarks
}

/// The fields of a bookmark record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookmarkData {
    /// 1 bookmark, 2 folder.
    pub kind: i64,
    /// The parent folder's GUID.
    pub parent: String,
    /// Sort key in the parent.
    pub position: f64,
    /// Title.
    pub title: String,
    /// URL (bookmarks only).
    pub url: Option<String>,
    /// When it was added.
    pub created_ms: i64,
}

/// The fields of a history record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageData {
    /// The address.
    pub url: String,
    /// The title.
    pub title: String,
    /// The most recent visits, newest first: (time, transition code).
    pub visits: Vec<(i64, i64)>,
    /// Time ranges `[from, to)` whose visits the user removed.
    #[serde(default)]
    pub removed: Vec<(i64, i64)>,
}

fn is_root(guid: &str) -> bool {
    [ROOT_GUID, TOOLBAR_GUID, OTHER_GUID].contains(&guid)
}

/// Every pending local change, as records (upserts first, then deletions).
pub fn collect_local(conn: &Connection) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT b.guid, b.kind, p.guid, b.position, b.title, b.url, b.created_ms, b.modified_ms
         FROM bookmarks b JOIN bookmarks p ON p.id = b.parent_id WHERE b.change_counter > 0 ORDER BY b.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let data = BookmarkData {
            kind: r.get(1)?,
            parent: r.get(2)?,
            position: r.get(3)?,
            title: r.get(4)?,
            url: r.get(5)?,
            created_ms: r.get(6)?,
        };
        Ok((r.get::<_, String>(0)?, data, r.get::<_, i64>(7)?))
    })?;
    for row in rows {
        let (id, data, modified_ms) = row?;
        if !is_root(&id) {
            out.push(Record {
                collection: Collection::Bookmarks,
                id,
                modified_ms,
                deleted: false,
                data: json!(data),
            });
        }
    }
    let mut stmt = conn.prepare(
        "SELECT id, guid, url, title, modified_ms FROM pages WHERE change_counter > 0 ORDER BY id",
    )?;
    let mut visits = conn.prepare("SELECT visited_ms, transition FROM visits WHERE page_id = ?1 ORDER BY visited_ms DESC LIMIT ?2")?;
    let mut removals = conn.prepare(
        "SELECT from_ms, to_ms FROM visit_removals WHERE url_key = ?1 ORDER BY to_ms DESC LIMIT 50",
    )?;
    let pages: Vec<(i64, String, String, String, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (page_id, id, url, title, modified_ms) in pages {
        let v: Vec<(i64, i64)> = visits
            .query_map(params![page_id, MAX_VISITS as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let removed: Vec<(i64, i64)> = removals
            .query_map([crate::profile::history::url_key(&url)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let data = PageData {
            url,
            title,
            visits: v,
            removed,
        };
        out.push(Record {
            collection: Collection::History,
            id,
            modified_ms,
            deleted: false,
            data: json!(data),
        });
    }
    let mut stmt = conn.prepare(
        "SELECT key, value, modified_ms FROM settings WHERE change_counter > 0 ORDER BY key",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (key, value, modified_ms) = row?;
        if settings::definition(&key).is_some_and(|d| d.synced) {
            let value: Value = serde_json::from_str(&value).unwrap_or(Value::Null);
            out.push(Record {
                collection: Collection::Settings,
                id: key,
                modified_ms,
                deleted: false,
                data: json!({ "value": value }),
            });
        }
    }
    let mut stmt = conn.prepare("SELECT collection, guid, deleted_ms FROM tombstones WHERE change_counter > 0 ORDER BY rowid")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (collection, id, modified_ms) = row?;
        let collection = match collection.as_str() {
            "bookmarks" => Collection::Bookmarks,
            "history" => Collection::History,
            "settings" => Collection::Settings,
            _ => continue,
        };
        out.push(Record {
            collection,
            id,
            modified_ms,
            deleted: true,
            data: Value::Null,
        });
    }
    Ok(out)
}

/// Mark records as uploaded: their rows are no longer pending.
pub fn mark_uploaded(conn: &Connection, records: &[Record]) -> Result<()> {
    for r in records {
        let sql = match (r.deleted, r.collection) {
            (true, c) => {
                conn.execute(
                    "UPDATE tombstones SET change_counter = 0 WHERE collection = ?1 AND guid = ?2",
                    params![c.name(), r.id],
                )?;
                continue;
            }
            (false, Collection::Bookmarks) => {
                "UPDATE bookmarks SET change_counter = 0 WHERE guid = ?1 AND modified_ms = ?2"
            }
            (false, Collection::History) => {
                "UPDATE pages SET change_counter = 0 WHERE guid = ?1 AND modified_ms = ?2"
            }
            (false, Collection::Settings) => {
                "UPDATE settings SET change_counter = 0 WHERE key = ?1 AND modified_ms = ?2"
            }
            (false, Collection::Device) => continue,
        };
        conn.execute(sql, params![r.id, r.modified_ms])?;
    }
    Ok(())
}

/// How many local changes wait for the next sync.
pub fn pending_count(conn: &Connection) -> Result<i64> {
    let synced: Vec<&str> = settings::DEFINITIONS
        .iter()
        .filter(|d| d.synced)
        .map(|d| d.key)
        .collect();
    let in_list = synced
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT (SELECT count(*) FROM bookmarks WHERE change_counter > 0 AND parent_id IS NOT NULL AND guid NOT IN (?1, ?2))
              + (SELECT count(*) FROM pages WHERE change_counter > 0)
              + (SELECT count(*) FROM settings WHERE change_counter > 0 AND key IN ({in_list}))
              + (SELECT count(*) FROM tombstones WHERE change_counter > 0)"
    );
    Ok(conn.query_row(&sql, params![TOOLBAR_GUID, OTHER_GUID], |r| r.get(0))?)
}
