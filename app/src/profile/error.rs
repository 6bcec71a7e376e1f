//! The one error type of the profile store.
//!
//! Every message is written for the person using the browser: what failed, which file, and
//! what to do next. SQLite's own codes are classified once, in [`ProfileError::from_sqlite`],
//! so a full disk, a read-only folder or a damaged file reads the same wherever it happens.

use std::path::{Path, PathBuf};

/// What went wrong in the profile store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The disk (or the size limit) holding the profile is full; the change being made was
    /// rolled back, everything committed before it is intact.
    #[error(
        "the disk holding the profile {path} is full, so the last change was not saved \
         (everything saved before it is safe); free some disk space and try again"
    )]
    DiskFull {
        /// The database file.
        path: PathBuf,
    },
    /// The profile folder or its database cannot be written: a read-only file system,
    /// permissions, or a locked-down home folder.
    #[error(
        "the profile {path} is read-only, so Nexus cannot save bookmarks, history or settings \
         there; make the folder writable, or start Nexus with --profile DIR pointing at a \
         writable folder"
    )]
    ReadOnly {
        /// The database file or profile folder.
        path: PathBuf,
    },
    /// SQLite found the database damaged while using it.
    #[error(
        "the profile database {path} is damaged ({detail}); restart Nexus: it moves the \
         damaged file aside and restores your bookmarks from the last automatic backup"
    )]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// The database was written by a newer Nexus whose schema this binary does not know.
    #[error(
        "the profile {path} was written by a newer version of Nexus (schema version {found}; \
         this version knows up to {supported}); it was left untouched: update Nexus, or start \
         with --profile DIR for another profile"
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this binary knows.
        supported: i64,
    },
    /// The operating system failed to read or write the database file (a disk error, or
    /// the file system turned read-only underneath a running browser).
    #[error(
        "reading or writing the profile database {path} failed at the disk level ({detail}); \
         check that the disk works and the folder is writable (nothing saved before was lost)"
    )]
    DiskError {
        /// The database file.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// Another process kept the database locked for longer than the busy timeout.
    #[error(
        "the profile {path} is busy: another Nexus process is using it; close the other \
         Nexus or start with --profile DIR for another profile"
    )]
    Busy {
        /// The database file.
        path: PathBuf,
    },
    /// A file next to the database (backup, import or export file) could not be read or written.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done, e.g. "write the bookmark backup".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A value the caller passed is not acceptable (empty URL, unknown setting, bad range).
    #[error("{0}")]
    Invalid(String),
    /// A record the caller named does not exist.
    #[error("there is no {what} with id {id}")]
    NotFound {
        /// The kind of record ("bookmark", "download", ...).
        what: &'static str,
        /// The id that was asked for.
        id: String,
    },
    /// An import file is not in the format it should be.
    #[error("{path} is not a valid {format} file: {detail}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The expected format, e.g. "Netscape bookmark HTML".
        format: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// Any other SQLite failure (a bug, or something unexpected in the file).
    #[error("the profile database {path} failed: {source}")]
    Sqlite {
        /// The database file (empty until the store attaches it).
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
}

impl From<rusqlite::Error> for ProfileError {
    fn from(source: rusqlite::Error) -> Self {
        ProfileError::from_sqlite(source, Path::new(""))
    }
}

impl ProfileError {
    /// Classify an SQLite error for the database at `path`.
    pub fn from_sqlite(source: rusqlite::Error, path: &Path) -> ProfileError {
        use rusqlite::ErrorCode as C;
        let path = path.to_path_buf();
        match source.sqlite_error_code() {
            Some(C::DiskFull) => ProfileError::DiskFull { path },
            Some(C::ReadOnly) | Some(C::PermissionDenied) | Some(C::CannotOpen) => {
                ProfileError::ReadOnly { path }
            }
            Some(C::DatabaseCorrupt) | Some(C::NotADatabase) => ProfileError::Corrupt {
                path,
                detail: source.to_string(),
            },
            Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => ProfileError::Busy { path },
            Some(C::SystemIoFailure) => ProfileError::DiskError {
                path,
                detail: source.to_string(),
            },
            _ => ProfileError::Sqlite { path, source },
        }
    }

    /// Attach the database path to an error created without one (through `?` on a
    /// rusqlite call), re-classifying it.
    pub(crate) fn at(self, db: &Path) -> ProfileError {
        match self {
            ProfileError::Sqlite { path, source } if path.as_os_str().is_empty() => {
                ProfileError::from_sqlite(source, db)
            }
            ProfileError::DiskFull { path } if path.as_os_str().is_empty() => {
                ProfileError::DiskFull { path: db.into() }
            }
            ProfileError::ReadOnly { path } if path.as_os_str().is_empty() => {
                ProfileError::ReadOnly { path: db.into() }
            }
            ProfileError::Corrupt { path, detail } if path.as_os_str().is_empty() => {
                ProfileError::Corrupt {
                    path: db.into(),
                    detail,
                }
            }
            ProfileError::DiskError { path, detail } if path.as_os_str().is_empty() => {
                ProfileError::DiskError {
                    path: db.into(),
                    detail,
                }
            }
            ProfileError::Busy { path } if path.as_os_str().is_empty() => {
                ProfileError::Busy { path: db.into() }
            }
            other => other,
        }
    }

    /// An I/O error on `path` while doing `action`.
    pub(crate) fn io(action: &'static str, path: &Path, source: std::io::Error) -> ProfileError {
        ProfileError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Results of the profile store.
pub type Result<T, E = ProfileError> = std::result::Result<T, E>;
