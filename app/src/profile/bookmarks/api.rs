//! The bookmark methods of [`Store`]: what the star button, the bookmarks bar and the
//! bookmarks manager call.

use super::{
    Bookmark, BookmarkKind, BookmarkNode, COLUMNS, NewItem, TOOLBAR_GUID, all, announce,
    check_title, check_url, delete_tree, folder_id, from_row, get, insert, is_ancestor,
    position_for, user_item,
};
use crate::profile::changes::ChangeOrigin;
use crate::profile::error::{ProfileError, Result};
use crate::profile::store::{Durability, Store};
use nexus_ipc::messages::sync::SyncAction;
use rusqlite::params;

impl Store {
    /// Add a bookmark to folder `parent` at `index` (`None`: at the end).
    pub fn add_bookmark(
        &mut self,
        parent: &str,
        index: Option<usize>,
        url: &str,
        title: &str,
    ) -> Result<Bookmark> {
        let item = NewItem {
            guid: None,
            kind: BookmarkKind::Bookmark,
            title,
            url: Some(url),
            created_ms: None,
        };
        self.create(parent, index, item)
    }

    /// Add a folder to folder `parent` at `index` (`None`: at the end).
    pub fn add_folder(
        &mut self,
        parent: &str,
        index: Option<usize>,
        title: &str,
    ) -> Result<Bookmark> {
        let item = NewItem {
            guid: None,
            kind: BookmarkKind::Folder,
            title,
            url: None,
            created_ms: None,
        };
        self.create(parent, index, item)
    }

    fn create(
        &mut self,
        parent: &str,
        index: Option<usize>,
        item: NewItem<'_>,
    ) -> Result<Bookmark> {
        let guid = self.write(Durability::Full, |tx| insert(tx, parent, index, item))?;
        self.maybe_backup()?;
        self.bookmark(&guid)?.ok_or(ProfileError::NotFound {
            what: "bookmark",
            id: guid,
        })
    }

    /// Change a bookmark's or folder's title, and a bookmark's URL.
    pub fn update_bookmark(
        &mut self,
        guid: &str,
        title: Option<&str>,
        url: Option<&str>,
    ) -> Result<Bookmark> {
        self.write(Durability::Full, |tx| {
            let id = user_item(tx, guid)?;
            if let Some(t) = title {
                check_title(t)?;
                tx.execute("UPDATE bookmarks SET title = ?2 WHERE id = ?1", params![id, t])?;
            }
            if let Some(u) = url {
                check_url(u)?;
                let n = tx.execute("UPDATE bookmarks SET url = ?2 WHERE id = ?1 AND kind = 1", params![id, u])?;
                if n == 0 {
                    return Err(ProfileError::Invalid("a folder has no URL".into()));
                }
            }
            tx.execute(
                "UPDATE bookmarks SET modified_ms = max(?2, modified_ms + 1), modified_by = ?3, change_counter = change_counter + 1 WHERE id = ?1",
                params![id, tx.now, tx.device],
            )?;
            announce(tx, SyncAction::Update, guid, ChangeOrigin::Local)
        })?;
        self.maybe_backup()?;
        self.bookmark(guid)?.ok_or(ProfileError::NotFound {
            what: "bookmark",
            id: guid.into(),
        })
    }

    /// Move an item into folder `parent` at `index` (`None`: at the end).
    pub fn move_bookmark(
        &mut self,
        guid: &str,
        parent: &str,
        index: Option<usize>,
    ) -> Result<Bookmark> {
        self.write(Durability::Full, |tx| {
            let id = user_item(tx, guid)?;
            let parent_id = folder_id(&tx.tx, parent)?;
            if is_ancestor(&tx.tx, id, parent_id)? {
                return Err(ProfileError::Invalid("a folder cannot be moved into itself".into()));
            }
            let pos = position_for(tx, parent_id, index, Some(id))?;
            tx.execute(
                "UPDATE bookmarks SET parent_id = ?2, position = ?3, modified_ms = max(?4, modified_ms + 1), modified_by = ?5,
                 change_counter = change_counter + 1 WHERE id = ?1",
                params![id, parent_id, pos, tx.now, tx.device],
            )?;
            announce(tx, SyncAction::Update, guid, ChangeOrigin::Local)
        })?;
        self.maybe_backup()?;
        self.bookmark(guid)?.ok_or(ProfileError::NotFound {
            what: "bookmark",
            id: guid.into(),
        })
    }

    /// Delete an item (a folder with everything in it); returns how many items were deleted.
    pub fn delete_bookmark(&mut self, guid: &str) -> Result<usize> {
        let n = self.write(Durability::Full, |tx| {
            user_item(tx, guid)?;
            delete_tree(tx, guid, ChangeOrigin::Local)
        })?;
        self.maybe_backup()?;
        Ok(n)
    }

    /// One item by GUID.
    pub fn bookmark(&self, guid: &str) -> Result<Option<Bookmark>> {
        self.read(|c| get(c, guid))
    }

    /// The children of a folder, in display order.
    pub fn bookmark_children(&self, parent: &str) -> Result<Vec<Bookmark>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {COLUMNS} FROM bookmarks b JOIN bookmarks p ON p.id = b.parent_id
                 WHERE p.guid = ?1 ORDER BY b.position, b.guid"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt
                .query_map([parent], from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }

    /// The tree under `guid` (use [`ROOT_GUID`] for everything).
    pub fn bookmark_tree(&self, guid: &str) -> Result<BookmarkNode> {
        let item = self.bookmark(guid)?.ok_or(ProfileError::NotFound {
            what: "bookmark",
            id: guid.into(),
        })?;
        let children = if item.kind == BookmarkKind::Folder {
            self.bookmark_children(guid)?
                .into_iter()
                .map(|c| self.bookmark_tree(&c.guid))
                .collect::<Result<_>>()?
        } else {
            Vec::new()
        };
        Ok(BookmarkNode { item, children })
    }

    /// Every user item (not the roots), parents before children.
    pub fn all_bookmarks(&self) -> Result<Vec<Bookmark>> {
        self.read(all)
    }

    /// The bookmarks pointing at `url`.
    pub fn bookmarks_for_url(&self, url: &str) -> Result<Vec<Bookmark>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {COLUMNS} FROM bookmarks b LEFT JOIN bookmarks p ON p.id = b.parent_id
                 WHERE b.url = ?1 ORDER BY b.created_ms"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt
                .query_map([url], from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }

    /// Whether any bookmark points at `url` (the star button's state).
    pub fn is_bookmarked(&self, url: &str) -> Result<bool> {
        Ok(!self.bookmarks_for_url(url)?.is_empty())
    }

    /// The star button: bookmark `url` on the bookmarks bar (where people look for what
    /// they just starred, as in every mainstream browser) if it is not bookmarked, else
    /// remove every bookmark of it. Returns whether the page is bookmarked afterwards.
    pub fn toggle_bookmark(&mut self, url: &str, title: &str) -> Result<bool> {
        let existing = self.bookmarks_for_url(url)?;
        if existing.is_empty() {
            self.add_bookmark(TOOLBAR_GUID, None, url, title)?;
            return Ok(true);
        }
        self.write(Durability::Full, |tx| {
            for b in &existing {
                delete_tree(tx, &b.guid, ChangeOrigin::Local)?;
            }
            Ok(())
        })?;
        self.maybe_backup()?;
        Ok(false)
    }

    /// Bookmarks whose title or URL contains `text` (case-insensitive for ASCII), newest first.
    pub fn search_bookmarks(&self, text: &str, limit: usize) -> Result<Vec<Bookmark>> {
        let pattern = format!("%{}%", crate::profile::autocomplete::escape_like(text));
        self.read(|c| {
            let sql = format!(
                "SELECT {COLUMNS} FROM bookmarks b LEFT JOIN bookmarks p ON p.id = b.parent_id
                 WHERE b.kind = 1 AND (b.title LIKE ?1 ESCAPE '\\' OR b.url LIKE ?1 ESCAPE '\\')
                 ORDER BY b.created_ms DESC LIMIT ?2"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt
                .query_map(params![pattern, limit as i64], from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }
}
