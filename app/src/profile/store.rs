//! Opening, guarding and closing the profile database.
//!
//! Why it is set up this way:
//! - WAL journal: readers never block the writer, and a commit is one append to the log.
//!   A process killed at any instant (kill -9, a crash) leaves every committed transaction
//!   in the file; SQLite rolls back the uncommitted tail on the next open.
//! - Two durability levels. Bookmarks, settings and imports commit with
//!   `synchronous=FULL` (fsync at every commit: they survive a power cut too). Visits and
//!   session snapshots, which arrive often and matter less, commit with `NORMAL`: safe
//!   against a crash of Nexus, possibly losing the last seconds on a power cut.
//! - A marker file `profile.running` exists while a browser has the profile open. Finding
//!   it at open means the last run did not close cleanly, so the file is checked
//!   (`PRAGMA quick_check`) before use. A damaged file is moved aside under a timestamped
//!   name and a fresh profile starts with the bookmarks of the newest automatic backup.
//! - A schema newer than this binary is refused before anything is written.

use super::changes::{Change, ChangeQueue};
use super::error::{ProfileError, Result};
use super::schema;
use super::util::{self, Clock};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file's name inside the profile folder.
pub const DB_FILE: &str = "profile.sqlite";
/// The marker that exists while a browser has the profile open.
pub const RUNNING_MARKER: &str = "profile.running";

/// How hard a commit insists on reaching the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// fsync on every commit: survives a crash of Nexus and a power cut.
    Full,
    /// Survives a crash of Nexus; a power cut may lose the last commits (never corrupts).
    Relaxed,
}

/// How to open a profile.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// Where the store reads the time.
    pub clock: Clock,
    /// How many automatic bookmark backups to keep.
    pub backups_to_keep: usize,
    /// Minimum time between two automatic bookmark backups while running (one is always
    /// written at close when bookmarks changed).
    pub backup_interval_ms: i64,
    /// Bound of the change-event queue (see [`Store::drain_changes`]).
    pub max_queued_changes: usize,
    /// Whether this is the browser itself (writes the running marker and checks the file
    /// after an unclean exit) or a short-lived tool such as `nexus bookmarks import`.
    pub browser: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            clock: Clock::system(),
            backups_to_keep: 10,
            backup_interval_ms: 10 * 60 * 1000,
            max_queued_changes: 10_000,
            browser: true,
        }
    }
}

/// The profile store: one SQLite database per profile folder.
pub struct Store {
    pub(crate) conn: Connection,
    dir: PathBuf,
    db_path: PathBuf,
    pub(crate) clock: Clock,
    pub(crate) device_id: String,
    pub(crate) options: OpenOptions,
    changes: ChangeQueue,
    notices: Vec<String>,
    durability: Durability,
    saw_corruption: Cell<bool>,
    closed: bool,
    pub(crate) bookmarks_dirty: bool,
    pub(crate) last_backup_ms: i64,
    pub(crate) session_rotated: bool,
    pub(crate) sync_keys: Option<super::sync::crypto::CachedKeys>,
}

/// The open write transaction handed to the store's modules.
pub(crate) struct Tx<'a> {
    pub tx: Transaction<'a>,
    /// The time of this write, in ms since the epoch.
    pub now: i64,
    /// This profile's device id (the writer of local changes).
    pub device: &'a str,
    /// Change events to publish if the transaction commits.
    pub changes: Vec<Change>,
}

impl Tx<'_> {
    /// The modification time of a local change replacing a version made at `replaced_ms`:
    /// now, or just after the replaced version if this device's clock is behind the one
    /// that wrote it. Without this, last-writer-wins would let the older version win on
    /// the other devices while this one keeps its change: they would never converge.
    pub fn version_after(&self, replaced_ms: i64) -> i64 {
        self.now.max(replaced_ms.saturating_add(1))
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

impl Store {
    /// Open (or create) the profile in `dir` with default options.
    pub fn open(dir: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(dir, OpenOptions::default())
    }

    /// Open (or create) the profile in `dir`.
    ///
    /// A damaged database is moved aside and a fresh one started with the bookmarks of the
    /// last automatic backup; [`Store::notices`] then says what happened and where the old
    /// file went.
    pub fn open_with(dir: impl AsRef<Path>, options: OpenOptions) -> Result<Store> {
        let dir = dir.as_ref().to_path_buf();
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return Err(match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    ProfileError::ReadOnly { path: dir }
                }
                _ => ProfileError::io("create the profile folder", &dir, e),
            });
        }
        let db_path = dir.join(DB_FILE);
        let marker = dir.join(RUNNING_MARKER);
        let unclean = options.browser && marker.exists();
        let mut notices = Vec::new();
        let (conn, recovered) = match open_db(&db_path, unclean) {
            Ok(conn) => (conn, None),
            Err(ProfileError::Corrupt { detail, .. }) => {
                let moved = move_aside(&db_path, options.clock.now_ms())?;
                notices.push(format!(
                    "The profile database {} was damaged ({detail}). It was moved to {} and a \
                     new profile database was started.",
                    db_path.display(),
                    moved.display()
                ));
                (open_db(&db_path, false)?, Some(moved))
            }
            Err(e) => return Err(e),
        };
        if options.browser {
            std::fs::write(&marker, b"nexus\n").map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    ProfileError::ReadOnly { path: dir.clone() }
                }
                _ => ProfileError::io("write the running marker", &marker, e),
            })?;
        }
        let mut store = Store {
            conn,
            dir,
            db_path,
            changes: ChangeQueue::new(options.max_queued_changes),
            clock: options.clock.clone(),
            device_id: String::new(),
            options,
            notices,
            durability: Durability::Full,
            saw_corruption: Cell::new(false),
            closed: false,
            bookmarks_dirty: false,
            last_backup_ms: 0,
            session_rotated: false,
            sync_keys: None,
        };
        store.device_id = store.load_or_create_device_id()?;
        super::bookmarks::ensure_roots(&mut store)?;
        if recovered.is_some() {
            let note = super::backup::restore_latest(&mut store)?;
            store.notices.push(note);
        } else if store.options.browser && super::backup::daily_backup_due(&store)? {
            // Bookmarks that changed only through sync or a tool still get a backup a day.
            if let Err(e) = super::backup::write_backup(&mut store) {
                store.notices.push(format!(
                    "The daily bookmark backup could not be written: {e}."
                ));
            }
        }
        store.drain_changes();
        Ok(store)
    }

    /// The profile folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// This profile's device id (random, made at the profile's creation; used by sync).
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The clock the store reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Messages for the user about what happened at open (a damaged file recovered).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Take the change events committed since the last call, oldest first.
    pub fn drain_changes(&mut self) -> Vec<Change> {
        self.changes.drain()
    }

    /// Whether change events were dropped because nobody drained the queue in time (the
    /// UI should reload everything). Resets the flag.
    pub fn take_changes_overflowed(&mut self) -> bool {
        self.changes.take_overflowed()
    }

    /// `PRAGMA integrity_check`: "ok" or SQLite's list of problems.
    pub fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = self.read(|c| {
            let mut stmt = c.prepare("PRAGMA integrity_check")?;
            let rows = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })?;
        Ok(rows.join("\n"))
    }

    /// Close cleanly: write a bookmark backup if bookmarks changed, checkpoint the WAL and
    /// remove the running marker. Dropping the store does the same, ignoring errors.
    pub fn close(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        self.closed = true;
        let backup = if self.bookmarks_dirty {
            super::backup::write_backup(self).map(|_| ())
        } else {
            Ok(())
        };
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        if self.options.browser && !self.saw_corruption.get() {
            let _ = std::fs::remove_file(self.dir.join(RUNNING_MARKER));
        }
        backup
    }

    /// Run a read on the connection, classifying errors.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.conn).map_err(|e| self.fail(e))
    }

    /// Run `f` in one immediate write transaction; its change events are published only if
    /// it commits.
    pub(crate) fn write<T>(
        &mut self,
        durability: Durability,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        if let Err(e) = self.set_durability(durability) {
            return Err(self.fail(e));
        }
        let now = self.clock.now_ms();
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut ctx = Tx {
                tx,
                now,
                device: &self.device_id,
                changes: Vec::new(),
            };
            let out = f(&mut ctx)?;
            let Tx { tx, changes, .. } = ctx;
            tx.commit()?;
            Ok((out, changes))
        })();
        match result {
            Ok((out, changes)) => {
                let bookmarks = nexus_ipc::messages::sync::DataType::Bookmarks;
                if changes.iter().any(|c| c.data_type == bookmarks) {
                    self.bookmarks_dirty = true;
                }
                self.changes.extend(changes);
                Ok(out)
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Write a bookmark backup now if bookmarks changed and the last one is older than
    /// the backup interval. Called after bookmark writes; cheap when nothing is due.
    pub fn maybe_backup(&mut self) -> Result<Option<PathBuf>> {
        let due = self.clock.now_ms() - self.last_backup_ms >= self.options.backup_interval_ms;
        if self.bookmarks_dirty && due {
            return super::backup::write_backup(self).map(Some);
        }
        Ok(None)
    }

    fn set_durability(&mut self, d: Durability) -> Result<()> {
        if d != self.durability {
            let level = if d == Durability::Full {
                "FULL"
            } else {
                "NORMAL"
            };
            self.conn.pragma_update(None, "synchronous", level)?;
            self.durability = d;
        }
        Ok(())
    }

    fn fail(&self, e: ProfileError) -> ProfileError {
        let e = e.at(&self.db_path);
        if matches!(e, ProfileError::Corrupt { .. }) {
            // Keep the marker so the next start checks (and if need be recovers) the file.
            self.saw_corruption.set(true);
        }
        e
    }

    fn load_or_create_device_id(&mut self) -> Result<String> {
        self.write(Durability::Full, |tx| {
            let existing: Option<String> = tx
                .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
                    r.get(0)
                })
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?;
            if let Some(id) = existing {
                return Ok(id);
            }
            let mut raw = [0u8; 16];
            util::random_bytes(&mut raw);
            let id = util::hex(&raw);
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('device_id', ?1)",
                [&id],
            )?;
            Ok(id)
        })
    }

    #[doc(hidden)]
    /// Test hook: cap the database size in pages, so a test can make SQLite report a full
    /// disk (`SQLITE_FULL`) without filling a real one.
    pub fn set_max_page_count(&self, pages: i64) -> Result<i64> {
        self.read(|c| {
            Ok(
                c.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
                    r.get(0)
                })?,
            )
        })
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Open the database file, refuse a newer schema, set it up and migrate it.
fn open_db(path: &Path, check: bool) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let at = |e: rusqlite::Error| ProfileError::from_sqlite(e, path);
    let mut conn = Connection::open_with_flags(path, flags).map_err(at)?;
    if conn.is_readonly(rusqlite::MAIN_DB).map_err(at)? {
        return Err(ProfileError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    conn.busy_timeout(Duration::from_secs(5)).map_err(at)?;
    let found = schema::version(&conn).map_err(at)?;
    if found > schema::CURRENT_VERSION {
        return Err(ProfileError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: schema::CURRENT_VERSION,
        });
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(at)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(ProfileError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
        .map_err(at)?;
    if check {
        let verdict: String = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(at)?;
        if verdict != "ok" {
            return Err(ProfileError::Corrupt {
                path: path.to_path_buf(),
                detail: verdict,
            });
        }
    }
    schema::migrate_to(&mut conn, schema::CURRENT_VERSION).map_err(at)?;
    Ok(conn)
}

/// Rename a damaged database (and its WAL and shared-memory files) to
/// `profile.sqlite.corrupt-<UTC time>`; returns the new name of the database file.
fn move_aside(db: &Path, now_ms: i64) -> Result<PathBuf> {
    let stamp = util::file_stamp(now_ms);
    let name = db.file_name().and_then(|n| n.to_str()).unwrap_or(DB_FILE);
    let target = db.with_file_name(format!("{name}.corrupt-{stamp}"));
    std::fs::rename(db, &target).map_err(|e| ProfileError::io("move aside the damaged", db, e))?;
    for suffix in ["-wal", "-shm"] {
        let side = db.with_file_name(format!("{name}{suffix}"));
        if side.exists() {
            let to = target.with_file_name(format!("{name}.corrupt-{stamp}{suffix}"));
            std::fs::rename(&side, &to)
                .map_err(|e| ProfileError::io("move aside the damaged", &side, e))?;
        }
    }
    Ok(target)
}
