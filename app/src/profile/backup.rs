//! Automatic bookmark backups, and restoring from them after the database is lost.
//!
//! SQLite protects against crashes, not against a disk that damages the file. So bookmarks
//! — the data people are most upset to lose — are also written as a JSON file in the
//! profile's `backups/` folder: at close when they changed, and while running at most once
//! per backup interval after a change. Each file is written to a temporary name, synced and
//! renamed, so a backup is either complete or absent; the newest N are kept. When a damaged
//! database is replaced, the newest backup that parses is restored into the fresh one.

use super::bookmarks::{
    self, Bookmark, BookmarkKind, NewItem, OTHER_GUID, ROOT_GUID, TOOLBAR_GUID,
};
use super::error::{ProfileError, Result};
use super::store::{Durability, Store};
use super::util::file_stamp;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The backups folder inside the profile.
pub const BACKUP_DIR: &str = "backups";
const FORMAT: &str = "nexus-bookmarks-backup/1";

#[derive(Serialize, Deserialize)]
struct BackupFile {
    format: String,
    saved_ms: i64,
    /// Parents before children, each folder's children in order.
    items: Vec<Bookmark>,
}

/// Backup files in `profile_dir`, newest first.
pub fn list_backups(profile_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(profile_dir.join(BACKUP_DIR))
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("bookmarks-") && n.ends_with(".json"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.reverse();
    files
}

/// Write `bytes` to `path` atomically: temporary file, fsync, rename, fsync the folder.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], action: &'static str) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent() {
            // Make the rename durable; not possible on every platform, so best effort.
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        ProfileError::io(action, path, e)
    })
}

/// Write a backup of all bookmarks now and prune old ones; returns the file written.
pub(crate) fn write_backup(store: &mut Store) -> Result<PathBuf> {
    let now = store.clock.now_ms();
    let items = store.all_bookmarks()?;
    let dir = store.dir().join(BACKUP_DIR);
    std::fs::create_dir_all(&dir)
        .map_err(|e| ProfileError::io("create the backup folder", &dir, e))?;
    let file = BackupFile {
        format: FORMAT.into(),
        saved_ms: now,
        items,
    };
    let json =
        serde_json::to_vec_pretty(&file).map_err(|e| ProfileError::Invalid(e.to_string()))?;
    let path = dir.join(format!(
        "bookmarks-{}-{:03}.json",
        file_stamp(now),
        now.rem_euclid(1000)
    ));
    write_atomically(&path, &json, "write the bookmark backup")?;
    store.bookmarks_dirty = false;
    store.last_backup_ms = now;
    for old in list_backups(store.dir())
        .into_iter()
        .skip(store.options.backups_to_keep.max(1))
    {
        let _ = std::fs::remove_file(old);
    }
    Ok(path)
}

/// Whether there are bookmarks and no backup younger than a day.
pub(crate) fn daily_backup_due(store: &Store) -> Result<bool> {
    let newest_age = list_backups(store.dir())
        .first()
        .and_then(|p| std::fs::metadata(p).ok()?.modified().ok()?.elapsed().ok());
    if newest_age.is_some_and(|age| age < std::time::Duration::from_secs(86_400)) {
        return Ok(false);
    }
    let count: i64 = store.read(|c| {
        Ok(c.query_row(
            "SELECT count(*) FROM bookmarks WHERE parent_id IS NOT NULL AND guid NOT IN (?1, ?2)",
            [TOOLBAR_GUID, OTHER_GUID],
            |r| r.get(0),
        )?)
    })?;
    Ok(count > 0)
}

fn read_backup(path: &Path) -> Option<BackupFile> {
    let bytes = std::fs::read(path).ok()?;
    let file: BackupFile = serde_json::from_slice(&bytes).ok()?;
    (file.format == FORMAT).then_some(file)
}

/// Insert `items` (parents before children) keeping GUIDs, titles, dates and order.
/// Items whose parent is unknown go to "Other bookmarks". Returns how many were added.
pub(crate) fn restore_items(store: &mut Store, items: &[Bookmark]) -> Result<usize> {
    store.write(Durability::Full, |tx| {
        let mut known: HashSet<String> = [ROOT_GUID, TOOLBAR_GUID, OTHER_GUID]
            .map(String::from)
            .into();
        let mut added = 0;
        for b in items {
            if known.contains(&b.guid) || bookmarks::id_and_kind(&tx.tx, &b.guid)?.is_some() {
                continue;
            }
            let parent = match b.parent.as_deref() {
                Some(p) if known.contains(p) && p != ROOT_GUID => p,
                _ => OTHER_GUID,
            };
            let url = if b.kind == BookmarkKind::Bookmark {
                b.url.as_deref()
            } else {
                None
            };
            if b.kind == BookmarkKind::Bookmark && url.is_none() {
                continue;
            }
            let item = NewItem {
                guid: Some(&b.guid),
                kind: b.kind,
                title: &b.title,
                url,
                created_ms: Some(b.created_ms),
            };
            bookmarks::insert(tx, parent, None, item)?;
            known.insert(b.guid.clone());
            added += 1;
        }
        Ok(added)
    })
}

/// Restore the newest readable backup into a fresh store; returns a sentence for the user.
pub(crate) fn restore_latest(store: &mut Store) -> Result<String> {
    for path in list_backups(store.dir()) {
        if let Some(file) = read_backup(&path) {
            let n = restore_items(store, &file.items)?;
            return Ok(format!(
                "{n} bookmarks were restored from the automatic backup {} (saved {}). History, \
                 settings and site permissions of the damaged file could not be recovered.",
                path.display(),
                file_stamp(file.saved_ms)
            ));
        }
    }
    Ok(format!(
        "No bookmark backup was found in {}, so the new profile starts without bookmarks.",
        store.dir().join(BACKUP_DIR).display()
    ))
}
