//! The binaries a package ships: built with the chosen profile, then stripped with their
//! debug information kept in separate files.
//!
//! Which binaries: every `[[bin]]` of the shipped crates (`nexus`: the shell and the
//! renderer helper; `nexus-ai`: the AI worker), read from `cargo metadata`, so a new
//! binary is packaged without editing this file.

use crate::{cmd, paths};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates whose binaries are shipped.
const SHIPPED_CRATES: &[&str] = &["nexus", "nexus-ai"];
/// Binaries without which Nexus does not run.
const REQUIRED: &[&str] = &["nexus", "nexus-renderer", "nexus-ai-worker"];

/// The cargo profile to package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// `--release`: LTO, what users get.
    Release,
    /// The dev profile `cargo xtask test` builds.
    Dev,
}

impl Profile {
    /// From a `--profile` value.
    pub fn parse(s: &str) -> Result<Profile> {
        match s {
            "release" => Ok(Profile::Release),
            "dev" | "debug" => Ok(Profile::Dev),
            other => bail!("unknown profile {other:?}: use release or dev"),
        }
    }

    /// The folder below `target/`.
    pub fn dir_name(self) -> &'static str {
        match self {
            Profile::Release => "release",
            Profile::Dev => "debug",
        }
    }

    fn cargo_name(self) -> &'static str {
        match self {
            Profile::Release => "release",
            Profile::Dev => "dev",
        }
    }
}

/// Built binaries in cargo's target folder.
pub struct Built {
    /// `target/<profile>/`.
    pub dir: PathBuf,
    /// Binary names (without the executable suffix).
    pub names: Vec<String>,
    /// The profile they were built with.
    pub profile: Profile,
}

/// Binaries ready to ship.
pub struct Prepared {
    /// The folder with the stripped binaries (file names with the executable suffix).
    pub dir: PathBuf,
    /// Binary names (without the executable suffix).
    pub names: Vec<String>,
    /// Whether this is a dev-profile build (packaged only for tests).
    pub profile: Profile,
}

impl Prepared {
    /// The file name of binary `name` on this OS.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(exe(name))
    }
}

/// `name` with this OS's executable suffix.
pub fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// Build the shipped binaries with `profile`.
pub fn build(profile: Profile) -> Result<Built> {
    let names = shipped_binaries()?;
    cmd::step(&format!(
        "building {} ({} profile)",
        names.join(", "),
        profile.cargo_name()
    ));
    // The same selection `cargo xtask run/test` builds, so features unify the same way and
    // a dev package reuses the test build instead of recompiling dependencies.
    let mut build = cmd::cargo();
    build.args([
        "build",
        "--workspace",
        "--bins",
        "--profile",
        profile.cargo_name(),
    ]);
    let started = std::time::Instant::now();
    cmd::run(&mut build)?;
    println!(
        "    build step took {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let dir = paths::target_dir().join(profile.dir_name());
    for name in &names {
        if !dir.join(exe(name)).is_file() {
            bail!("cargo built no {} in {}", exe(name), dir.display());
        }
    }
    Ok(Built {
        dir,
        names,
        profile,
    })
}

fn shipped_binaries() -> Result<Vec<String>> {
    let json = cmd::output(cmd::cargo().args(["metadata", "--format-version", "1", "--no-deps"]))?;
    let meta: serde_json::Value = serde_json::from_str(&json)?;
    let mut names = Vec::new();
    for package in meta["packages"]
        .as_array()
        .context("cargo metadata: no packages")?
    {
        if !SHIPPED_CRATES.iter().any(|c| package["name"] == *c) {
            continue;
        }
        for target in package["targets"].as_array().into_iter().flatten() {
            let is_bin = target["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bin"));
            if let (true, Some(name)) = (is_bin, target["name"].as_str()) {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    for required in REQUIRED {
        if !names.iter().any(|n| n == required) {
            bail!("the workspace has no `{required}` binary: cannot package Nexus without it");
        }
    }
    Ok(names)
}

/// Copy the binaries into `dest`, strip them and keep their debug information in
/// `<out>/debug/`.
pub fn prepare(built: &Built, dest: &Path, out: &Path) -> Result<Prepared> {
    cmd::step("stripping the binaries (debug information kept in separate files)");
    std::fs::create_dir_all(dest)?;
    let debug_dir = out.join("debug");
    std::fs::create_dir_all(&debug_dir)?;
    for name in &built.names {
        let from = built.dir.join(exe(name));
        let to = dest.join(exe(name));
        std::fs::copy(&from, &to)
            .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
        split_debug(&to, &debug_dir, &built.dir)?;
    }
    Ok(Prepared {
        dir: dest.to_path_buf(),
        names: built.names.clone(),
        profile: built.profile,
    })
}

/// Linux: `objcopy --only-keep-debug` into `<debug_dir>/<name>.debug`, strip, then
/// `--add-gnu-debuglink` so gdb and debuginfod clients find the file. The run path is set
/// to `$ORIGIN` alone (dev builds also carry the build machine's CEF folder).
#[cfg(target_os = "linux")]
fn split_debug(binary: &Path, debug_dir: &Path, _built_dir: &Path) -> Result<()> {
    let name = binary
        .file_name()
        .expect("binary has a name")
        .to_string_lossy()
        .into_owned();
    let debug = debug_dir.join(format!("{name}.debug"));
    for tool in ["objcopy", "patchelf"] {
        if !cmd::have(tool) {
            bail!(
                "{tool} is needed to package on Linux (Debian: apt-get install binutils patchelf)"
            );
        }
    }
    cmd::run(
        Command::new("objcopy")
            .arg("--only-keep-debug")
            .arg(binary)
            .arg(&debug),
    )?;
    cmd::run(
        Command::new("objcopy")
            .args(["--strip-all", "--remove-section=.comment"])
            .arg(binary),
    )?;
    // The debuglink names the file only; debuggers look beside the binary, in .debug/
    // and under /usr/lib/debug.
    cmd::run(
        Command::new("objcopy")
            .arg(format!("--add-gnu-debuglink={}", debug.display()))
            .arg(binary),
    )?;
    let rpath = cmd::output(Command::new("patchelf").arg("--print-rpath").arg(binary))?;
    if rpath.trim() != "$ORIGIN" {
        println!("    {name}: run path {:?} -> \"$ORIGIN\"", rpath.trim());
        cmd::run(
            Command::new("patchelf")
                .args(["--set-rpath", "$ORIGIN"])
                .arg(binary),
        )?;
    }
    Ok(())
}

/// macOS: `dsymutil` writes `<name>.dSYM` (debug maps point into the build's object
/// files, so it must run before they go), then `strip -S` removes the debug symbols.
#[cfg(target_os = "macos")]
fn split_debug(binary: &Path, debug_dir: &Path, _built_dir: &Path) -> Result<()> {
    let name = binary
        .file_name()
        .expect("binary has a name")
        .to_string_lossy()
        .into_owned();
    cmd::run(
        Command::new("dsymutil")
            .arg(binary)
            .arg("-o")
            .arg(debug_dir.join(format!("{name}.dSYM"))),
    )?;
    cmd::run(Command::new("strip").arg("-S").arg(binary))
}

/// Windows: the linker already keeps debug information in `<name>.pdb` beside the build.
#[cfg(windows)]
fn split_debug(binary: &Path, debug_dir: &Path, built_dir: &Path) -> Result<()> {
    let stem = binary
        .file_stem()
        .expect("binary has a name")
        .to_string_lossy()
        .replace('-', "_");
    let pdb = built_dir.join(format!("{stem}.pdb"));
    if pdb.is_file() {
        std::fs::copy(
            &pdb,
            debug_dir.join(pdb.file_name().expect("pdb has a name")),
        )?;
    }
    Ok(())
}
