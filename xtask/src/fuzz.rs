//! `cargo xtask fuzz`: run the libFuzzer targets of `fuzz/` with cargo-fuzz.
//!
//! * `cargo xtask fuzz list`                      the targets;
//! * `cargo xtask fuzz run TARGET [SECONDS]`      fuzz TARGET (default 600 s), growing
//!   `fuzz/corpus/TARGET`; a crash lands in `fuzz/artifacts/TARGET`;
//! * `cargo xtask fuzz cmin TARGET`               minimise the corpus (what gets committed);
//! * `cargo xtask fuzz all [SECONDS]`             run then minimise every target, one at a
//!   time (they are CPU-heavy).
//!
//! cargo-fuzz is installed from crates.io when missing. It passes sanitizer flags that
//! only nightly compilers accept; `RUSTC_BOOTSTRAP=1` lets the stable toolchain take them
//! (the project pins no nightly). The committed corpora are replayed on stable by
//! `cargo test -p nexus-fuzz` (part of `cargo xtask test`), which needs none of this.

use crate::{cmd, paths, runtime};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::Command;

/// The targets, as named in `fuzz/Cargo.toml` (and `nexus_fuzz::TARGETS`).
pub const TARGETS: &[&str] = &[
    "frame_decoder",
    "envelope",
    "handshake",
    "sealed_channel",
    "cef_hub",
    "sync_log",
    "bookmarks_html",
];

const USAGE: &str = "usage: cargo xtask fuzz <list|run TARGET [SECONDS]|cmin TARGET|all [SECONDS]>";

/// `cargo xtask fuzz ARGS`.
pub fn fuzz(args: &[String]) -> Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["list"] => {
            for t in TARGETS {
                println!("{t}");
            }
            Ok(())
        }
        ["run", target, rest @ ..] => {
            let seconds = seconds(rest)?;
            prepare()?;
            run(target, seconds)
        }
        ["cmin", target] => {
            prepare()?;
            cmin(target)
        }
        ["all", rest @ ..] => {
            let seconds = seconds(rest)?;
            prepare()?;
            for target in TARGETS {
                run(target, seconds)?;
                cmin(target)?;
            }
            Ok(())
        }
        _ => bail!("{USAGE}"),
    }
}

fn seconds(rest: &[&str]) -> Result<u64> {
    match rest {
        [] => Ok(600),
        [s] => s
            .parse()
            .with_context(|| format!("{s:?} is not a number of seconds")),
        _ => bail!("{USAGE}"),
    }
}

/// The CEF runtime (the `nexus` crate links against libcef), cargo-fuzz, and no stale
/// scratch folders from an earlier run.
fn prepare() -> Result<()> {
    runtime::setup_with(false)?;
    ensure_cargo_fuzz()?;
    clean_scratch();
    Ok(())
}

fn ensure_cargo_fuzz() -> Result<()> {
    let present = cmd::cargo()
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    cmd::step("cargo-fuzz: not installed; installing it from crates.io");
    cmd::run(cmd::cargo().args(["install", "cargo-fuzz", "--locked"]))
}

fn check(target: &str) -> Result<()> {
    if TARGETS.contains(&target) {
        Ok(())
    } else {
        bail!(
            "unknown fuzz target {target:?}; known: {}",
            TARGETS.join(", ")
        )
    }
}

fn corpus(target: &str) -> PathBuf {
    paths::workspace_root().join("fuzz/corpus").join(target)
}

/// `cargo fuzz` with what it needs on a stable toolchain.
fn cargo_fuzz(sub: &str, target: &str) -> Command {
    let mut c = cmd::cargo();
    c.env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", sub, "--fuzz-dir", "fuzz", "--features", "libfuzzer"])
        .arg(target);
    // libcef.so is linked (not loaded by the code under test); let the loader find it.
    let cef = paths::cef_runtime_link();
    let ld = match std::env::var_os("LD_LIBRARY_PATH") {
        Some(old) => format!("{}:{}", cef.display(), old.to_string_lossy()),
        None => cef.display().to_string(),
    };
    c.env("LD_LIBRARY_PATH", ld);
    c
}

fn run(target: &str, seconds: u64) -> Result<()> {
    check(target)?;
    let dir = corpus(target);
    std::fs::create_dir_all(&dir)?;
    cmd::step(&format!(
        "fuzzing {target} for {seconds} s (corpus {})",
        dir.display()
    ));
    let result = cmd::run(cargo_fuzz("run", target).arg(&dir).args([
        "--".to_string(),
        format!("-max_total_time={seconds}"),
        "-rss_limit_mb=4096".into(),
        "-max_len=65536".into(),
        "-print_final_stats=1".into(),
    ]));
    clean_scratch();
    result
}

fn cmin(target: &str) -> Result<()> {
    check(target)?;
    cmd::step(&format!("minimising the {target} corpus"));
    let result = cmd::run(cargo_fuzz("cmin", target).arg(corpus(target)));
    clean_scratch();
    result
}

/// The profile targets keep a database in `/dev/shm/nexus-fuzz-*` per process; libFuzzer
/// exits without running destructors, so remove what is left.
fn clean_scratch() {
    for base in [PathBuf::from("/dev/shm"), std::env::temp_dir()] {
        let Ok(dir) = std::fs::read_dir(&base) else {
            continue;
        };
        for entry in dir.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with("nexus-fuzz-")
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}
