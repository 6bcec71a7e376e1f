//! Where things live: the workspace, the download cache, the models folder.

use std::path::PathBuf;

/// The repository root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits one level below the workspace root")
        .to_path_buf()
}

/// The cache for downloads and unpacked runtimes: `$NEXUS_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/nexus`, else `~/.cache/nexus`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("NEXUS_CACHE_DIR") {
        return dir.into();
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("nexus");
    }
    home().join(".cache").join("nexus")
}

/// The models folder the AI worker reads: `$NEXUS_MODEL_DIR`, else the platform's data dir.
/// Must agree with `nexus_ai::models` (the worker's lookup).
pub fn model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("NEXUS_MODEL_DIR") {
        return dir.into();
    }
    if cfg!(target_os = "macos") {
        return home().join("Library/Application Support/Nexus/models");
    }
    if cfg!(windows)
        && let Some(appdata) = std::env::var_os("APPDATA")
    {
        return PathBuf::from(appdata).join("Nexus").join("models");
    }
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(dir).join("nexus").join("models");
    }
    home().join(".local/share/nexus/models")
}

/// The link the workspace's `.cargo/config.toml` points `CEF_PATH` at.
pub fn cef_runtime_link() -> PathBuf {
    workspace_root().join(".nexus-cache").join("cef-runtime")
}

/// The cargo target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}
