//! Where downloads go.

use std::path::{Path, PathBuf};

/// A path in `dir` for a file the server suggests calling `suggested`, that does not
/// overwrite anything: "report.pdf", then "report (1).pdf", "report (2).pdf", ...
/// Path separators and other unsafe characters in the suggestion are replaced.
pub fn unique_path(dir: &Path, suggested: &str) -> PathBuf {
    let name = sanitize(suggested);
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name.as_str(), ""),
    };
    let first = dir.join(&name);
    if !first.exists() {
        return first;
    }
    (1..)
        .map(|n| dir.join(format!("{stem} ({n}){ext}")))
        .find(|p| !p.exists())
        .expect("some numbered name is free")
}

fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').to_string();
    if trimmed.is_empty() {
        "download".to_string()
    } else {
        trimmed
    }
}

/// The user's download folder: `$XDG_DOWNLOAD_DIR`, else `~/Downloads`.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DOWNLOAD_DIR") {
        return dir.into();
    }
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join("Downloads")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_and_never_escapes_the_folder() {
        let dir = std::env::temp_dir().join(format!("nexus-dl-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = unique_path(&dir, "report.pdf");
        assert_eq!(a, dir.join("report.pdf"));
        std::fs::write(&a, b"x").unwrap();
        assert_eq!(unique_path(&dir, "report.pdf"), dir.join("report (1).pdf"));
        assert_eq!(
            unique_path(&dir, "../../etc/passwd"),
            dir.join("_.._etc_passwd")
        );
        assert_eq!(unique_path(&dir, ""), dir.join("download"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
