//! One sync pass: header and keys, read other logs, merge, append ours, record status.

use super::apply;
use super::crypto::{self, CachedKeys, Header};
use super::log::{Collection, MAGIC};
use super::logfile::{append_own, read_from, read_log};
use super::records::{self, Record};
use crate::profile::error::ProfileError;
use crate::profile::store::{Durability, Store};
use rusqlite::{OptionalExtension, params};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The header file's name in the sync folder.
pub const HEADER_FILE: &str = "nexus-sync.json";
/// The folder of device logs inside the sync folder.
pub const DEVICES_DIR: &str = "devices";
const LOG_EXT: &str = "nxlog";
/// The shortest passphrase accepted for a new sync folder.
pub const MIN_PASSPHRASE: usize = 8;

/// What sync needs from the user.
#[derive(Clone, Debug)]
pub struct SyncConfig {
    /// The shared folder.
    pub folder: PathBuf,
    /// The passphrase (the same on every device).
    pub passphrase: String,
    /// This device's name as the others will show it (stored encrypted).
    pub device_name: String,
    /// PBKDF2 iterations when this device creates the folder's header.
    pub new_folder_iterations: u32,
}

impl SyncConfig {
    /// A configuration with the default KDF strength.
    pub fn new(
        folder: impl Into<PathBuf>,
        passphrase: impl Into<String>,
        device_name: impl Into<String>,
    ) -> SyncConfig {
        SyncConfig {
            folder: folder.into(),
            passphrase: passphrase.into(),
            device_name: device_name.into(),
            new_folder_iterations: crypto::DEFAULT_ITERATIONS,
        }
    }
}

/// Why a sync pass could not run at all (nothing was changed).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The passphrase does not open the folder's header.
    #[error(
        "the passphrase does not match the one this sync folder ({folder}) was set up with; nothing was read or changed — enter the passphrase used on your other devices"
    )]
    WrongPassphrase {
        /// The sync folder.
        folder: PathBuf,
    },
    /// The folder is missing or cannot be read or written.
    #[error(
        "the sync folder {folder} cannot be used ({detail}); check that it exists and that the drive or share is connected"
    )]
    FolderUnavailable {
        /// The sync folder.
        folder: PathBuf,
        /// What failed.
        detail: String,
    },
    /// A new sync folder would be protected by a passphrase too short to resist guessing.
    #[error(
        "a sync passphrase needs at least {min} characters; choose a longer one (nothing was written to {folder})"
    )]
    WeakPassphrase {
        /// The sync folder.
        folder: PathBuf,
        /// The minimum length.
        min: usize,
    },
    /// The header file is damaged or from an unknown format.
    #[error(
        "the sync folder's header {path} is damaged or from a newer Nexus ({detail}); nothing was changed"
    )]
    BadHeader {
        /// The header file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The local profile failed.
    #[error(transparent)]
    Store(#[from] ProfileError),
}

/// A problem with one file or record that was skipped; the rest of the sync went on.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncIssue {
    /// The file concerned.
    pub file: Option<PathBuf>,
    /// What happened, for the user.
    pub message: String,
}

/// What a sync pass did.
#[derive(Debug, Default)]
pub struct SyncReport {
    /// Set when the pass could not run; then nothing was changed.
    pub error: Option<SyncError>,
    /// Records appended to this device's log.
    pub uploaded: usize,
    /// Records from other devices that changed something here.
    pub applied: usize,
    /// Records from other devices that were already known or older.
    pub stale: usize,
    /// Skipped files and records.
    pub issues: Vec<SyncIssue>,
    /// When the pass ended (ms since the epoch).
    pub finished_ms: i64,
}

/// What the settings panel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncStatus {
    /// The last completed sync (ms since the epoch).
    pub last_sync_ms: Option<i64>,
    /// Local changes not yet uploaded.
    pub pending_changes: i64,
    /// The last pass's error or skipped records, if any.
    pub last_problems: Vec<String>,
    /// Names of the other devices seen in the folder.
    pub other_devices: Vec<String>,
}

fn state_get(store: &Store, key: &str) -> Result<Option<String>, ProfileError> {
    store.read(|c| {
        Ok(
            c.query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?,
        )
    })
}

fn state_set(conn: &rusqlite::Connection, key: &str, value: &str) -> Result<(), ProfileError> {
    conn.execute(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The panel's view of sync.
pub fn sync_status(store: &Store) -> Result<SyncStatus, ProfileError> {
    let pending_changes = store.read(records::pending_count)?;
    let last_sync_ms = state_get(store, "last_sync_ms")?.and_then(|v| v.parse().ok());
    let last_problems = state_get(store, "last_problems")?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default();
    let other_devices = store.read(|c| {
        let mut stmt = c.prepare(
            "SELECT value FROM sync_state WHERE key LIKE 'device_name:%' ORDER BY value",
        )?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })?;
    Ok(SyncStatus {
        last_sync_ms,
        pending_changes,
        last_problems,
        other_devices,
    })
}

/// Run one sync pass. Never panics on bad folder contents; see [`SyncReport`].
pub fn sync_now(store: &mut Store, config: &SyncConfig) -> SyncReport {
    let mut report = SyncReport::default();
    if let Err(e) = run(store, config, &mut report) {
        report.error = Some(e);
    }
    report.finished_ms = store.clock.now_ms();
    let mut problems: Vec<String> = report.error.iter().map(|e| e.to_string()).collect();
    problems.extend(report.issues.iter().map(|i| i.message.clone()));
    let completed = report.error.is_none();
    let _ = store.write(Durability::Full, |tx| {
        state_set(
            &tx.tx,
            "last_problems",
            &serde_json::to_string(&problems).unwrap_or_default(),
        )?;
        if completed {
            state_set(&tx.tx, "last_sync_ms", &report.finished_ms.to_string())?;
        }
        Ok(())
    });
    report
}

fn unavailable(folder: &Path, e: impl std::fmt::Display) -> SyncError {
    SyncError::FolderUnavailable {
        folder: folder.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Read the header (creating it if the folder is new) and derive or reuse the keys.
fn open_folder(store: &mut Store, config: &SyncConfig) -> Result<(), SyncError> {
    let folder = &config.folder;
    if !folder.is_dir() {
        return Err(unavailable(
            folder,
            "it is not a folder that can be reached",
        ));
    }
    let path = folder.join(HEADER_FILE);
    let header: Header = match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| SyncError::BadHeader {
            path: path.clone(),
            detail: e.to_string(),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if config.passphrase.chars().count() < MIN_PASSPHRASE {
                return Err(SyncError::WeakPassphrase {
                    folder: folder.clone(),
                    min: MIN_PASSPHRASE,
                });
            }
            let (header, keys) = Header::create(
                &config.passphrase,
                config.new_folder_iterations.max(crypto::MIN_ITERATIONS),
            );
            let json = serde_json::to_vec_pretty(&header).expect("header serializes");
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    f.write_all(&json)
                        .and_then(|_| f.sync_all())
                        .map_err(|e| unavailable(folder, e))?;
                    let salt = header.salt_bytes().expect("fresh salt");
                    let fingerprint =
                        crypto::fingerprint(&salt, header.iterations, &config.passphrase);
                    store.sync_keys = Some(CachedKeys { fingerprint, keys });
                    return Ok(());
                }
                // Another device created it meanwhile: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return open_folder(store, config);
                }
                Err(e) => return Err(unavailable(folder, e)),
            }
        }
        Err(e) => return Err(unavailable(folder, e)),
    };
    if !header.is_supported() {
        return Err(SyncError::BadHeader {
            path,
            detail: format!(
                "format {:?}, kdf {:?}, {} iterations",
                header.format, header.kdf, header.iterations
            ),
        });
    }
    let salt = header.salt_bytes().expect("checked by is_supported");
    let fingerprint = crypto::fingerprint(&salt, header.iterations, &config.passphrase);
    if store
        .sync_keys
        .as_ref()
        .is_some_and(|k| k.fingerprint == fingerprint)
    {
        return Ok(());
    }
    let keys = crypto::derive(&config.passphrase, &salt, header.iterations);
    if !header.accepts(&keys) {
        return Err(SyncError::WrongPassphrase {
            folder: folder.clone(),
        });
    }
    store.sync_keys = Some(CachedKeys { fingerprint, keys });
    Ok(())
}

fn run(store: &mut Store, config: &SyncConfig, report: &mut SyncReport) -> Result<(), SyncError> {
    open_folder(store, config)?;
    let devices = config.folder.join(DEVICES_DIR);
    std::fs::create_dir_all(&devices).map_err(|e| unavailable(&config.folder, e))?;
    let keys = &store
        .sync_keys
        .as_ref()
        .expect("open_folder sets the keys")
        .keys;
    let own = store.device_id().to_string();

    // 1. Read what the other devices appended.
    let mut batch = Vec::new();
    let mut positions = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&devices)
        .map_err(|e| unavailable(&config.folder, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == LOG_EXT))
        .collect();
    files.sort();
    for file in files {
        let Some(device) = file
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if device == own {
            continue;
        }
        if device.len() != 32 || !device.bytes().all(|b| b.is_ascii_hexdigit()) {
            report.issues.push(SyncIssue {
                file: Some(file.clone()),
                message: format!("{} is not a Nexus device log; skipped", file.display()),
            });
            continue;
        }
        let name = format!("{device}.{LOG_EXT}");
        let (offset, next_seq): (usize, u64) = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT offset, next_seq FROM sync_remote WHERE file = ?1",
                    [&name],
                    |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as u64)),
                )
                .optional()?)
            })?
            .unwrap_or((MAGIC.len(), 0));
        let (magic, data, offset) = match read_from(&file, offset) {
            Ok(d) => d,
            Err(e) => {
                report.issues.push(SyncIssue {
                    file: Some(file.clone()),
                    message: format!(
                        "{} could not be read ({e}); it will be tried again",
                        file.display()
                    ),
                });
                continue;
            }
        };
        if magic.len() < MAGIC.len() {
            continue; // still being copied
        }
        if magic != MAGIC {
            report.issues.push(SyncIssue {
                file: Some(file.clone()),
                message: format!("{} is not a Nexus device log; skipped", file.display()),
            });
            continue;
        }
        let (new_offset, new_seq) = read_log(
            keys, &device, &file, &data, offset, next_seq, &mut batch, report,
        );
        positions.push((name, new_offset, new_seq));
    }

    // 2. Merge, and advance the read positions, in one transaction.
    let applied = store.write(Durability::Full, |tx| {
        let out = apply::apply_all(tx, batch)?;
        for (name, offset, seq) in &positions {
            tx.execute(
                "INSERT INTO sync_remote (file, offset, next_seq) VALUES (?1, ?2, ?3)
                 ON CONFLICT (file) DO UPDATE SET offset = excluded.offset, next_seq = excluded.next_seq",
                params![name, *offset as i64, *seq as i64],
            )?;
        }
        Ok(out)
    })?;
    report.applied = applied.applied;
    report.stale = applied.stale;
    report
        .issues
        .extend(applied.problems.into_iter().map(|message| SyncIssue {
            file: None,
            message,
        }));

    // 3. Append this device's pending changes (and its name, when it changed).
    let mut out = store.read(records::collect_local)?;
    if state_get(store, "uploaded_device_name")?.as_deref() != Some(config.device_name.as_str()) {
        let data = serde_json::json!({ "name": config.device_name });
        out.push(Record {
            collection: Collection::Device,
            id: own.clone(),
            modified_ms: store.clock.now_ms(),
            deleted: false,
            data,
        });
    }
    if !out.is_empty() {
        let keys = &store.sync_keys.as_ref().expect("set above").keys;
        let known = (
            state_get(store, "own_log_len")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            state_get(store, "own_next_seq")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        );
        let (len, seq) = append_own(
            keys,
            &devices.join(format!("{own}.{LOG_EXT}")),
            &own,
            &out,
            known,
        )
        .map_err(|e| unavailable(&config.folder, e))?;
        store.write(Durability::Full, |tx| {
            records::mark_uploaded(&tx.tx, &out)?;
            state_set(&tx.tx, "own_log_len", &len.to_string())?;
            state_set(&tx.tx, "own_next_seq", &seq.to_string())?;
            state_set(&tx.tx, "uploaded_device_name", &config.device_name)
        })?;
        report.uploaded = out.len();
    }
    Ok(())
}
