//! Build-time setup for the shell and the renderer helper.
//!
//! * Link paths: both binaries load `libcef.so` from the directory they sit in (`$ORIGIN`):
//!   that is how `cargo xtask` lays out `target/<profile>/` and how the packages install
//!   Nexus. Test binaries live one level deeper (`target/<profile>/deps/`) and also get the
//!   runtime directory `CEF_PATH` pointed at when they were built (dev profile only), so
//!   `cargo test` finds libcef too.
//! * Built-in pages: every file under `assets/pages/` is embedded, through a table written
//!   to `$OUT_DIR/pages.rs` (the `nexus://` scheme serves them).
//! * Build information for `nexus --version`: the git commit (`NEXUS_BUILD_COMMIT` when set,
//!   e.g. by a build from a source tarball; else `git rev-parse`; else "unknown") and the
//!   cargo profile. The version itself is the workspace's, through `CARGO_PKG_VERSION`.

use std::path::{Path, PathBuf};

fn main() {
    link_paths();
    embed_pages();
    build_info();
}

fn build_info() {
    println!("cargo::rerun-if-env-changed=NEXUS_BUILD_COMMIT");
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git").args(args).output().ok()?;
        let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !text.is_empty()).then_some(text)
    };
    // Build again when HEAD moves: a checkout changes HEAD, a commit changes its branch.
    for path in ["HEAD".to_string()]
        .into_iter()
        .chain(git(&["symbolic-ref", "-q", "HEAD"]))
    {
        if let Some(file) = git(&["rev-parse", "--path-format=absolute", "--git-path", &path]) {
            println!("cargo::rerun-if-changed={file}");
        }
    }
    let commit = std::env::var("NEXUS_BUILD_COMMIT")
        .ok()
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo::rustc-env=NEXUS_BUILD_COMMIT={commit}");
    let profile = std::env::var("PROFILE").unwrap_or_default();
    println!("cargo::rustc-env=NEXUS_BUILD_PROFILE={profile}");
}

fn link_paths() {
    println!("cargo::rerun-if-env-changed=CEF_PATH");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo::rustc-link-arg=-Wl,-rpath,$ORIGIN");
        if let Ok(cef_path) = std::env::var("CEF_PATH") {
            // Resolve the relative path that .cargo/config.toml provides.
            let dir = std::fs::canonicalize(&cef_path).unwrap_or_else(|_| cef_path.into());
            // Release builds (what packaging ships) carry only $ORIGIN.
            if std::env::var("PROFILE").as_deref() != Ok("release") {
                println!("cargo::rustc-link-arg=-Wl,-rpath,{}", dir.display());
            }
        }
    }
}

fn embed_pages() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let pages = manifest.join("../assets/pages");
    println!("cargo::rerun-if-changed={}", pages.display());
    let mut files = Vec::new();
    collect(&pages, &pages, &mut files);
    files.sort();
    let mut table =
        String::from("/// Every built-in page file: (path below assets/pages, contents).\n");
    table.push_str("pub static PAGES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        println!("cargo::rerun-if-changed={}", abs.display());
        table.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("pages.rs");
    std::fs::write(out, table).expect("write pages table");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo::rerun-if-changed={}", path.display());
            collect(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            let abs = std::fs::canonicalize(&path).unwrap_or(path);
            out.push((rel, abs));
        }
    }
}
