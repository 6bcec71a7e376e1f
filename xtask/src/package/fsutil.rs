//! File-tree helpers for laying out packages: copies that keep the executable bit, modes,
//! sizes.

use anyhow::{Context, Result};
use std::path::Path;

/// Copy a file or a folder tree (symlinks are followed: packages hold real files).
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(from).with_context(|| format!("cannot read {}", from.display()))?;
    if meta.is_dir() {
        std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
        let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            copy(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(());
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

/// Write `contents` to `path`, creating its folder.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

/// Set a Unix mode (no-op elsewhere).
pub fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set the mode of {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Normalise modes below `root` the way packages want them: folders 0755, files 0644,
/// except files that are executable (any x bit), which become 0755.
pub fn normalise_modes(root: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::symlink_metadata(root)?;
        if meta.file_type().is_symlink() {
            return Ok(());
        }
        if meta.is_dir() {
            set_mode(root, 0o755)?;
            for entry in std::fs::read_dir(root)? {
                normalise_modes(&entry?.path())?;
            }
        } else {
            let executable = meta.permissions().mode() & 0o111 != 0;
            set_mode(root, if executable { 0o755 } else { 0o644 })?;
        }
    }
    #[cfg(not(unix))]
    let _ = root;
    Ok(())
}

/// Total size in bytes of the files below `root` (symlinks count as nothing).
pub fn tree_size(root: &Path) -> Result<u64> {
    let meta = std::fs::symlink_metadata(root)?;
    if meta.is_dir() {
        let mut total = 0;
        for entry in std::fs::read_dir(root)? {
            total += tree_size(&entry?.path())?;
        }
        Ok(total)
    } else if meta.is_file() {
        Ok(meta.len())
    } else {
        Ok(0)
    }
}

/// Every file below `root` as a sorted list of '/'-separated relative paths; folders end
/// in '/'.
pub fn list_tree(root: &Path) -> Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let rel = path
                .strip_prefix(root)
                .expect("below root")
                .to_string_lossy()
                .replace('\\', "/");
            if std::fs::symlink_metadata(&path)?.is_dir() {
                out.push(format!("{rel}/"));
                walk(root, &path, out)?;
            } else {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, root, &mut out)?;
    out.sort();
    Ok(out)
}

/// "name  size" lines for the entries directly in `dir` (hidden ones left out).
pub fn list_sizes(dir: &Path) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let size = tree_size(&entry.path())?;
        let kind = if entry.path().is_dir() { "/" } else { "" };
        lines.push(format!(
            "{:<60} {}",
            format!("{}{kind}", entry.file_name().to_string_lossy()),
            human(size)
        ));
    }
    Ok(lines)
}

/// Bytes as MiB with one decimal.
pub fn human(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
