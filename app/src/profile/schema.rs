//! The database schema and its migrations.
//!
//! The schema version lives in SQLite's `PRAGMA user_version`. Each migration moves the
//! file up by exactly one version inside its own transaction, so a crash mid-migration
//! leaves the previous version intact and the next start simply runs it again. A file whose
//! version is newer than [`CURRENT_VERSION`] is refused before anything is written: an old
//! binary must never "repair" a newer profile into damage.
//!
//! Versions:
//! 1. the core records: bookmarks, pages and visits, settings, permissions, downloads,
//!    session, tombstones — every synced table already has GUIDs, modification times,
//!    the writer's device and a change counter;
//! 2. address-bar search: a normalized host key with an index for host-prefix matches and
//!    an FTS5 word index over titles and URLs, kept current by triggers;
//! 3. sync bookkeeping: how far each other device's change log has been read, synced
//!    bookmarks waiting for their folder, and removed visit ranges to propagate.

use rusqlite::{Connection, Transaction};

/// The newest schema version this binary knows.
pub const CURRENT_VERSION: i64 = 3;

/// `PRAGMA application_id` of a Nexus profile ("NXP1").
pub const APPLICATION_ID: i64 = 0x4E58_5031;

type Migration = fn(&Transaction<'_>) -> rusqlite::Result<()>;

const MIGRATIONS: [Migration; CURRENT_VERSION as usize] = [v1_core, v2_autocomplete, v3_sync];

/// The schema version stored in the file (0 for a new, empty file).
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Migrate the file up to `target` (at most [`CURRENT_VERSION`]), one transaction per step.
/// Returns the versions applied.
pub fn migrate_to(conn: &mut Connection, target: i64) -> rusqlite::Result<Vec<i64>> {
    let mut applied = Vec::new();
    loop {
        let v = version(conn)?;
        if v >= target.min(CURRENT_VERSION) {
            return Ok(applied);
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Re-read inside the write lock: another process may have migrated meanwhile.
        let v = version(&tx)?;
        if v < target.min(CURRENT_VERSION) {
            MIGRATIONS[v as usize](&tx)?;
            tx.pragma_update(None, "user_version", v + 1)?;
            if v == 0 {
                tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            }
            applied.push(v + 1);
        }
        tx.commit()?;
    }
}

fn v1_core(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        r#"
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

        -- kind: 1 = bookmark, 2 = folder. Roots have no parent.
        CREATE TABLE bookmarks (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
            parent_id INTEGER REFERENCES bookmarks(id) ON DELETE RESTRICT,
            position REAL NOT NULL DEFAULT 0,
            title TEXT NOT NULL DEFAULT '',
            url TEXT,
            created_ms INTEGER NOT NULL,
            modified_ms INTEGER NOT NULL,
            modified_by TEXT NOT NULL DEFAULT '',
            change_counter INTEGER NOT NULL DEFAULT 1,
            CHECK ((kind = 1) = (url IS NOT NULL))
        );
        CREATE INDEX bookmarks_parent ON bookmarks(parent_id, position);
        CREATE INDEX bookmarks_url ON bookmarks(url);
        CREATE INDEX bookmarks_changed ON bookmarks(change_counter) WHERE change_counter > 0;

        -- frecency: natural log of the decayed visit score, expressed at FRECENCY_EPOCH
        -- (see history/frecency.rs); NULL for a page without scored visits.
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            visit_count INTEGER NOT NULL DEFAULT 0,
            last_visit_ms INTEGER NOT NULL DEFAULT 0,
            frecency REAL,
            modified_ms INTEGER NOT NULL,
            modified_by TEXT NOT NULL DEFAULT '',
            change_counter INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX pages_frecency ON pages(frecency);
        CREATE INDEX pages_changed ON pages(change_counter) WHERE change_counter > 0;

        CREATE TABLE visits (
            id INTEGER PRIMARY KEY,
            page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
            visited_ms INTEGER NOT NULL,
            transition INTEGER NOT NULL
        );
        CREATE INDEX visits_page ON visits(page_id, visited_ms);
        CREATE INDEX visits_time ON visits(visited_ms);

        -- value: JSON text.
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            modified_ms INTEGER NOT NULL,
            modified_by TEXT NOT NULL DEFAULT '',
            change_counter INTEGER NOT NULL DEFAULT 1
        ) WITHOUT ROWID;

        -- nexus_api: NULL = ask, 1 = allowed, 0 = denied.
        CREATE TABLE site_permissions (
            origin TEXT PRIMARY KEY,
            nexus_api INTEGER CHECK (nexus_api IN (0, 1)),
            modified_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE never_analyze (host TEXT PRIMARY KEY, added_ms INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE site_zoom (
            host TEXT PRIMARY KEY,
            level REAL NOT NULL CHECK (level > 0),
            modified_ms INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE downloads (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            url TEXT NOT NULL,
            target_path TEXT NOT NULL,
            mime_type TEXT NOT NULL DEFAULT '',
            total_bytes INTEGER,
            received_bytes INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            error TEXT,
            started_ms INTEGER NOT NULL,
            ended_ms INTEGER
        );
        CREATE INDEX downloads_started ON downloads(started_ms);

        -- slot: 'current' (this run, saved on change) or 'previous' (the run before).
        CREATE TABLE session (
            slot TEXT PRIMARY KEY,
            json TEXT NOT NULL,
            saved_ms INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- Deleted synced records, so a deletion reaches the other devices. A rowid table:
        -- sync uploads in insertion order, which puts a folder's contents before it.
        CREATE TABLE tombstones (
            collection TEXT NOT NULL,
            guid TEXT NOT NULL,
            deleted_ms INTEGER NOT NULL,
            deleted_by TEXT NOT NULL DEFAULT '',
            change_counter INTEGER NOT NULL DEFAULT 1,
            UNIQUE (collection, guid)
        );
        CREATE INDEX tombstones_changed ON tombstones(change_counter) WHERE change_counter > 0;
        "#,
    )
}

fn v2_autocomplete(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        r#"
        ALTER TABLE pages ADD COLUMN host_key TEXT NOT NULL DEFAULT '';
        CREATE INDEX pages_host ON pages(host_key);

        -- Contentless: the words live in `pages`; the index only maps words to page ids.
        CREATE VIRTUAL TABLE pages_fts USING fts5(
            title, url, content = '', contentless_delete = 1,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
        );
        CREATE TRIGGER pages_fts_insert AFTER INSERT ON pages BEGIN
            INSERT INTO pages_fts(rowid, title, url)
            VALUES (new.id, new.title, substr(new.url, instr(new.url, ':') + 1));
        END;
        CREATE TRIGGER pages_fts_update AFTER UPDATE OF title, url ON pages BEGIN
            DELETE FROM pages_fts WHERE rowid = old.id;
            INSERT INTO pages_fts(rowid, title, url)
            VALUES (new.id, new.title, substr(new.url, instr(new.url, ':') + 1));
        END;
        CREATE TRIGGER pages_fts_delete AFTER DELETE ON pages BEGIN
            DELETE FROM pages_fts WHERE rowid = old.id;
        END;
        INSERT INTO pages_fts(rowid, title, url)
            SELECT id, title, substr(url, instr(url, ':') + 1) FROM pages;
        "#,
    )?;
    // The host key needs URL parsing, which is easier in Rust than in SQL.
    let rows: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, url FROM pages")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare("UPDATE pages SET host_key = ?2 WHERE id = ?1")?;
    for (id, url) in rows {
        update.execute(rusqlite::params![id, super::util::host_key(&url)])?;
    }
    Ok(())
}

fn v3_sync(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        r#"
        CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        -- One row per other device's log file: bytes consumed and the next sequence number.
        CREATE TABLE sync_remote (
            file TEXT PRIMARY KEY,
            offset INTEGER NOT NULL,
            next_seq INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- Bookmarks from sync whose folder has not arrived yet: kept in "Other bookmarks"
        -- until it does (then moved in, still at the remote version).
        -- Time ranges of visits the user removed from a page that keeps other visits:
        -- synced with the page so the removal reaches the other devices. Keyed by a hash
        -- of the URL (not the page row, which sync may delete and re-create; not the URL
        -- itself, which must not outlive a cleared history).
        CREATE TABLE visit_removals (
            url_key BLOB NOT NULL,
            from_ms INTEGER NOT NULL,
            to_ms INTEGER NOT NULL,
            PRIMARY KEY (url_key, from_ms, to_ms)
        ) WITHOUT ROWID;
        CREATE TABLE sync_orphans (
            guid TEXT PRIMARY KEY,
            parent_guid TEXT NOT NULL
        ) WITHOUT ROWID;
        "#,
    )
}
