//! Tombstones: the memory of deleted synced records.
//!
//! Deleting a bookmark, a page or a setting leaves a row here so the next sync can tell the
//! other devices. A record re-created with the same GUID (from sync or a restore) removes
//! its tombstone.

use super::error::Result;
use super::store::Tx;
use rusqlite::{Connection, OptionalExtension, params};

/// The collection names used in tombstones and sync records.
pub(crate) const BOOKMARKS: &str = "bookmarks";
pub(crate) const HISTORY: &str = "history";
pub(crate) const SETTINGS: &str = "settings";

/// Record that `guid` of `collection`, last modified at `replaced_ms`, was deleted now by
/// this device (a local change). Like every local change its version is newer than the
/// one it replaces even if this device's clock is behind (see `store::Tx::version_after`).
pub(crate) fn add(tx: &Tx<'_>, collection: &str, guid: &str, replaced_ms: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO tombstones (collection, guid, deleted_ms, deleted_by, change_counter)
         VALUES (?1, ?2, ?3, ?4, 1)
         ON CONFLICT (collection, guid) DO UPDATE SET deleted_ms = max(excluded.deleted_ms, deleted_ms + 1),
             deleted_by = excluded.deleted_by, change_counter = change_counter + 1",
        params![collection, guid, tx.version_after(replaced_ms), tx.device],
    )?;
    Ok(())
}

/// Record a deletion that arrived from another device (not a pending local change).
pub(crate) fn add_remote(
    conn: &Connection,
    collection: &str,
    guid: &str,
    deleted_ms: i64,
    deleted_by: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO tombstones (collection, guid, deleted_ms, deleted_by, change_counter)
         VALUES (?1, ?2, ?3, ?4, 0)
         ON CONFLICT (collection, guid) DO UPDATE SET deleted_ms = excluded.deleted_ms,
             deleted_by = excluded.deleted_by, change_counter = 0",
        params![collection, guid, deleted_ms, deleted_by],
    )?;
    Ok(())
}

/// Forget the tombstone of a re-created record.
pub(crate) fn remove(conn: &Connection, collection: &str, guid: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM tombstones WHERE collection = ?1 AND guid = ?2",
        params![collection, guid],
    )?;
    Ok(())
}

/// The tombstone of `guid`, if any: (deleted_ms, deleted_by).
pub(crate) fn get(
    conn: &Connection,
    collection: &str,
    guid: &str,
) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT deleted_ms, deleted_by FROM tombstones WHERE collection = ?1 AND guid = ?2",
            params![collection, guid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
