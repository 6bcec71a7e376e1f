//! Windows.

use std::path::Path;

/// Open a file or folder with the default application.
pub fn open_path(path: &Path) {
    if let Err(err) = std::process::Command::new("explorer").arg(path).spawn() {
        tracing::warn!("could not open {}: {err}", path.display());
    }
}
