//! Bookmarks: a tree of folders and bookmarks under fixed roots.
//!
//! Like every browser, the tree has a hidden root holding two user-visible roots: the
//! bookmarks bar ([`TOOLBAR_GUID`]) and "Other bookmarks" ([`OTHER_GUID`]); their GUIDs are
//! the same on every device (Firefox's), so sync can address them. Order inside a folder is
//! a real-valued sort key: inserting between two items takes the midpoint and touches only
//! the new item, so a reorder on one device does not rewrite (and clobber, under
//! last-writer-wins) its siblings on others. Ties sort by GUID, identically everywhere.
//!
//! This file holds the records and the operations sync and import share; `api.rs` the
//! methods the browser calls.

use super::changes::{Change, ChangeOrigin};
use super::error::{ProfileError, Result};
use super::store::{Durability, Store, Tx};
use super::tombstones;
use super::util::{new_guid, url_parts};
use nexus_ipc::messages::sync::{DataType, SyncAction};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

/// The hidden root of the tree.
pub const ROOT_GUID: &str = "root________";
/// The bookmarks bar.
pub const TOOLBAR_GUID: &str = "toolbar_____";
/// "Other bookmarks".
pub const OTHER_GUID: &str = "unfiled_____";

/// Longest accepted title, in bytes.
const MAX_TITLE: usize = 4096;
/// Longest accepted URL, in bytes.
pub(crate) const MAX_URL: usize = 65_536;

/// A bookmark or a folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BookmarkKind {
    /// A link.
    Bookmark,
    /// A folder.
    Folder,
}

/// One item of the bookmark tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bookmark {
    /// Stable id, the same on every device.
    pub guid: String,
    /// Bookmark or folder.
    pub kind: BookmarkKind,
    /// The parent folder's GUID (`None` only for the hidden root).
    pub parent: Option<String>,
    /// Sort key inside the parent (ascending; ties by GUID).
    pub position: f64,
    /// Title as the user sees it.
    pub title: String,
    /// The link (bookmarks only).
    pub url: Option<String>,
    /// When it was added (ms since the epoch).
    pub created_ms: i64,
    /// When it last changed (ms since the epoch).
    pub modified_ms: i64,
}

/// A folder with its children, for views and exports.
#[derive(Clone, Debug, PartialEq)]
pub struct BookmarkNode {
    /// The item itself.
    pub item: Bookmark,
    /// Children in display order (empty for bookmarks).
    pub children: Vec<BookmarkNode>,
}

const COLUMNS: &str =
    "b.guid, b.kind, p.guid, b.position, b.title, b.url, b.created_ms, b.modified_ms";

pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Bookmark> {
    let kind: i64 = r.get(1)?;
    Ok(Bookmark {
        guid: r.get(0)?,
        kind: if kind == 2 {
            BookmarkKind::Folder
        } else {
            BookmarkKind::Bookmark
        },
        parent: r.get(2)?,
        position: r.get(3)?,
        title: r.get(4)?,
        url: r.get(5)?,
        created_ms: r.get(6)?,
        modified_ms: r.get(7)?,
    })
}

/// Look up one item by GUID.
pub(crate) fn get(conn: &Connection, guid: &str) -> Result<Option<Bookmark>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM bookmarks b LEFT JOIN bookmarks p ON p.id = b.parent_id WHERE b.guid = ?1"
    );
    Ok(conn.query_row(&sql, [guid], from_row).optional()?)
}

/// Every item except the hidden root and the two fixed roots, parents before children.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Bookmark>> {
    let sql = format!(
        "WITH RECURSIVE t(id, depth) AS (
             SELECT id, 0 FROM bookmarks WHERE parent_id IS NULL
             UNION ALL SELECT b.id, t.depth + 1 FROM bookmarks b JOIN t ON b.parent_id = t.id)
         SELECT {COLUMNS} FROM t JOIN bookmarks b ON b.id = t.id
         LEFT JOIN bookmarks p ON p.id = b.parent_id
         WHERE t.depth >= 2 ORDER BY t.depth, b.position, b.guid"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn id_and_kind(conn: &Connection, guid: &str) -> Result<Option<(i64, i64)>> {
    Ok(conn
        .query_row(
            "SELECT id, kind FROM bookmarks WHERE guid = ?1",
            [guid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The id of a folder that may hold user items (not the hidden root).
fn folder_id(conn: &Connection, guid: &str) -> Result<i64> {
    match id_and_kind(conn, guid)? {
        Some((id, 2)) if guid != ROOT_GUID => Ok(id),
        Some(_) => Err(ProfileError::Invalid(format!(
            "bookmark {guid} is not a folder that can hold bookmarks"
        ))),
        None => Err(ProfileError::NotFound {
            what: "bookmark folder",
            id: guid.into(),
        }),
    }
}

/// The sort key that puts an item at `index` among the children of `parent_id` (at the end
/// when `index` is `None` or past the end), ignoring `moving` itself. Reads at most two
/// neighbours, so inserting into a large folder stays cheap.
fn position_for(
    tx: &Tx<'_>,
    parent_id: i64,
    index: Option<usize>,
    moving: Option<i64>,
) -> Result<f64> {
    for attempt in 0..2 {
        let neighbours = |offset: usize, count: usize| -> Result<Vec<f64>> {
            let mut stmt = tx.prepare_cached(
                "SELECT position FROM bookmarks WHERE parent_id = ?1 AND id IS NOT ?2
                 ORDER BY position, guid LIMIT ?3 OFFSET ?4",
            )?;
            let rows = stmt
                .query_map(
                    params![parent_id, moving, count as i64, offset as i64],
                    |r| r.get(0),
                )?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        };
        let (before, after) = match index {
            None => (None, None),
            Some(0) => (None, neighbours(0, 1)?.first().copied()),
            Some(i) => {
                let n = neighbours(i - 1, 2)?;
                (n.first().copied(), n.get(1).copied())
            }
        };
        let before = match (index, before) {
            (None, _) | (Some(_), None) if after.is_none() => tx
                .query_row(
                    "SELECT position FROM bookmarks WHERE parent_id = ?1 AND id IS NOT ?2
                     ORDER BY position DESC LIMIT 1",
                    params![parent_id, moving],
                    |r| r.get::<_, f64>(0),
                )
                .optional()?,
            (_, b) => b,
        };
        let pos = match (before, after) {
            (None, None) => 1.0,
            (Some(b), None) => b.floor() + 1.0,
            (None, Some(a)) => a - 1.0,
            (Some(b), Some(a)) => b + (a - b) / 2.0,
        };
        let clashes = before.is_some_and(|b| b >= pos) || after.is_some_and(|a| a <= pos);
        if !clashes || attempt == 1 {
            return Ok(pos);
        }
        // Out of precision between two neighbours (after ~50 inserts at one spot):
        // spread the folder out once, 1.0 apart.
        let ids: Vec<i64> = {
            let mut stmt = tx.prepare(
                "SELECT id FROM bookmarks WHERE parent_id = ?1 AND id IS NOT ?2 ORDER BY position, guid",
            )?;
            stmt.query_map(params![parent_id, moving], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (n, id) in ids.iter().enumerate() {
            tx.execute(
                "UPDATE bookmarks SET position = ?2, modified_ms = max(?3, modified_ms + 1), modified_by = ?4,
                 change_counter = change_counter + 1 WHERE id = ?1",
                params![id, n as f64 + 1.0, tx.now, tx.device],
            )?;
        }
    }
    unreachable!("the second attempt always returns")
}

pub(crate) fn announce(
    tx: &mut Tx<'_>,
    action: SyncAction,
    guid: &str,
    origin: ChangeOrigin,
) -> Result<()> {
    let record = match action {
        SyncAction::Delete => serde_json::json!({ "guid": guid }),
        _ => match get(&tx.tx, guid)? {
            Some(b) => serde_json::to_value(b).unwrap_or_default(),
            None => return Ok(()),
        },
    };
    tx.changes.push(Change {
        data_type: DataType::Bookmarks,
        action,
        record,
        origin,
    });
    Ok(())
}

fn check_title(title: &str) -> Result<()> {
    if title.len() > MAX_TITLE {
        return Err(ProfileError::Invalid(format!(
            "a bookmark title may be at most {MAX_TITLE} bytes long"
        )));
    }
    Ok(())
}

pub(crate) fn check_url(url: &str) -> Result<()> {
    if url.is_empty() || url.len() > MAX_URL || url_parts(url).is_none() {
        return Err(ProfileError::Invalid(format!(
            "\"{}\" is not a URL that can be bookmarked (it needs a scheme such as https: and at most {MAX_URL} bytes)",
            url.chars().take(80).collect::<String>()
        )));
    }
    Ok(())
}

/// Create the fixed roots if they are missing (a new profile).
pub(crate) fn ensure_roots(store: &mut Store) -> Result<()> {
    store.write(Durability::Full, |tx| {
        tx.execute(
            "INSERT OR IGNORE INTO bookmarks (guid, kind, parent_id, position, title, created_ms, modified_ms, change_counter)
             VALUES (?1, 2, NULL, 0, '', ?2, ?2, 0)",
            params![ROOT_GUID, tx.now],
        )?;
        for (n, (guid, title)) in [(TOOLBAR_GUID, "Bookmarks bar"), (OTHER_GUID, "Other bookmarks")].iter().enumerate() {
            tx.execute(
                "INSERT OR IGNORE INTO bookmarks (guid, kind, parent_id, position, title, created_ms, modified_ms, change_counter)
                 VALUES (?1, 2, (SELECT id FROM bookmarks WHERE guid = ?2), ?3, ?4, ?5, ?5, 0)",
                params![guid, ROOT_GUID, n as f64, title, tx.now],
            )?;
        }
        Ok(())
    })
}

/// What to create: used by the API, imports and backups.
#[derive(Clone, Debug)]
pub(crate) struct NewItem<'a> {
    pub guid: Option<&'a str>,
    pub kind: BookmarkKind,
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub created_ms: Option<i64>,
}

/// Insert one item under `parent` at `index`; returns its GUID. A local change.
pub(crate) fn insert(
    tx: &mut Tx<'_>,
    parent: &str,
    index: Option<usize>,
    item: NewItem<'_>,
) -> Result<String> {
    check_title(item.title)?;
    if let Some(url) = item.url {
        check_url(url)?;
    }
    let parent_id = folder_id(&tx.tx, parent)?;
    let pos = position_for(tx, parent_id, index, None)?;
    let guid = item.guid.map(str::to_string).unwrap_or_else(new_guid);
    let kind = if item.kind == BookmarkKind::Folder {
        2
    } else {
        1
    };
    // Re-creating a deleted GUID (a restore) must out-date its tombstone.
    let modified = match tombstones::get(&tx.tx, tombstones::BOOKMARKS, &guid)? {
        Some((deleted_ms, _)) => tx.version_after(deleted_ms),
        None => tx.now,
    };
    tx.execute(
        "INSERT INTO bookmarks (guid, kind, parent_id, position, title, url, created_ms, modified_ms, modified_by, change_counter)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
        params![guid, kind, parent_id, pos, item.title, item.url, item.created_ms.unwrap_or(tx.now), modified, tx.device],
    )?;
    tombstones::remove(&tx.tx, tombstones::BOOKMARKS, &guid)?;
    announce(tx, SyncAction::Add, &guid, ChangeOrigin::Local)?;
    Ok(guid)
}

/// Delete `guid` and everything under it, leaving tombstones; returns how many items went.
pub(crate) fn delete_tree(tx: &mut Tx<'_>, guid: &str, origin: ChangeOrigin) -> Result<usize> {
    let doomed: Vec<(i64, String, i64)> = {
        let mut stmt = tx.prepare(
            "WITH RECURSIVE t(id, depth) AS (
                 SELECT id, 0 FROM bookmarks WHERE guid = ?1
                 UNION ALL SELECT b.id, t.depth + 1 FROM bookmarks b JOIN t ON b.parent_id = t.id)
             SELECT b.id, b.guid, b.modified_ms FROM t JOIN bookmarks b ON b.id = t.id ORDER BY t.depth DESC",
        )?;
        stmt.query_map([guid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (id, g, modified_ms) in &doomed {
        tx.execute("DELETE FROM bookmarks WHERE id = ?1", [id])?;
        if origin == ChangeOrigin::Local {
            tombstones::add(tx, tombstones::BOOKMARKS, g, *modified_ms)?;
        }
        announce(tx, SyncAction::Delete, g, origin)?;
    }
    Ok(doomed.len())
}

/// Whether `ancestor` is `node` or one of its ancestors.
pub(crate) fn is_ancestor(conn: &Connection, ancestor: i64, node: i64) -> Result<bool> {
    let found: Option<i64> = conn
        .query_row(
            "WITH RECURSIVE up(id) AS (SELECT ?2 UNION ALL SELECT b.parent_id FROM bookmarks b JOIN up ON b.id = up.id
                 WHERE b.parent_id IS NOT NULL)
             SELECT id FROM up WHERE id = ?1 LIMIT 1",
            params![ancestor, node],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

fn user_item(tx: &Tx<'_>, guid: &str) -> Result<i64> {
    if [ROOT_GUID, TOOLBAR_GUID, OTHER_GUID].contains(&guid) {
        return Err(ProfileError::Invalid(
            "the bookmark bar and the top-level folders cannot be changed".into(),
        ));
    }
    id_and_kind(&tx.tx, guid)?
        .map(|(id, _)| id)
        .ok_or_else(|| ProfileError::NotFound {
            what: "bookmark",
            id: guid.into(),
        })
}

mod api;
