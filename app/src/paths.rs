//! Where Nexus keeps things on this machine.

use std::path::PathBuf;

/// The default profile folder: `$XDG_DATA_HOME/nexus/profile` (Linux),
/// `~/Library/Application Support/Nexus/profile` (macOS), `%APPDATA%\Nexus\profile`.
pub fn default_profile_dir() -> PathBuf {
    data_dir().join("profile")
}

/// Nexus's data folder.
pub fn data_dir() -> PathBuf {
    let home = || {
        std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."))
    };
    if cfg!(target_os = "macos") {
        return home().join("Library/Application Support/Nexus");
    }
    if cfg!(windows)
        && let Some(appdata) = std::env::var_os("APPDATA")
    {
        return PathBuf::from(appdata).join("Nexus");
    }
    match std::env::var_os("XDG_DATA_HOME") {
        Some(dir) => PathBuf::from(dir).join("nexus"),
        None => home().join(".local/share/nexus"),
    }
}
