//! Lay the CEF runtime next to the built binaries: CEF loads its resources (paks, ICU data,
//! V8 snapshots, locales) from the executable's directory, and the binaries load libcef
//! from `$ORIGIN`. On Unix every runtime file is symlinked into `target/<profile>/`; on
//! Windows, where symlinks need privileges, copied.

use anyhow::{Context, Result};
use std::path::Path;

/// Entries of the runtime directory that are not part of what Nexus loads.
const SKIP: &[&str] = &[
    "cefsimple",
    ".nexus-complete",
    "archive.json",
    "include",
    "cmake",
    "libcef_dll",
    "CMakeLists.txt",
];

/// Make every runtime entry of `cef_dir` visible in `bin_dir`.
pub fn lay_out_runtime(cef_dir: &Path, bin_dir: &Path) -> Result<()> {
    std::fs::create_dir_all(bin_dir)?;
    let mut linked = 0;
    for entry in std::fs::read_dir(cef_dir)
        .with_context(|| format!("cannot list the CEF runtime {}", cef_dir.display()))?
    {
        let entry = entry?;
        let name = entry.file_name();
        if SKIP.iter().any(|s| name == *s) {
            continue;
        }
        let target = entry.path();
        let link = bin_dir.join(&name);
        if place(&target, &link)? {
            linked += 1;
        }
    }
    if linked > 0 {
        println!(
            "    laid {linked} CEF runtime files next to the binaries in {}",
            bin_dir.display()
        );
    }
    Ok(())
}

#[cfg(unix)]
fn place(target: &Path, link: &Path) -> Result<bool> {
    if std::fs::read_link(link).ok().as_deref() == Some(target) {
        return Ok(false);
    }
    if let Ok(meta) = std::fs::symlink_metadata(link) {
        if meta.is_dir() && !meta.file_type().is_symlink() {
            std::fs::remove_dir_all(link)?;
        } else {
            std::fs::remove_file(link)?;
        }
    }
    std::os::unix::fs::symlink(target, link)
        .with_context(|| format!("cannot link {}", link.display()))?;
    Ok(true)
}

#[cfg(windows)]
fn place(target: &Path, link: &Path) -> Result<bool> {
    fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
        if from.is_dir() {
            std::fs::create_dir_all(to)?;
            for e in std::fs::read_dir(from)? {
                let e = e?;
                copy_tree(&e.path(), &to.join(e.file_name()))?;
            }
            Ok(())
        } else {
            std::fs::copy(from, to).map(|_| ())
        }
    }
    let fresh = match (std::fs::metadata(target), std::fs::metadata(link)) {
        (Ok(a), Ok(b)) => a.len() == b.len() && a.modified().ok() <= b.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(false);
    }
    copy_tree(target, link).with_context(|| format!("cannot copy {}", link.display()))?;
    Ok(true)
}
