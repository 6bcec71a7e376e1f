//! `cargo xtask fuzz`: build and run the libFuzzer targets of `fuzz/`.
//!
//! * `cargo xtask fuzz list`                      the targets;
//! * `cargo xtask fuzz run TARGET [SECONDS]`      fuzz TARGET (default 600 s), growing
//!   `fuzz/corpus/TARGET`; a crash lands in `target/fuzz/artifacts/TARGET/`;
//! * `cargo xtask fuzz cmin TARGET`               minimise the corpus in place (libFuzzer's
//!   `-set_cover_merge=1`: a small set of inputs that keeps the coverage; about half the
//!   files of `-merge=1` for the same features; this is what gets committed);
//! * `cargo xtask fuzz all [SECONDS]`             run then minimise every target, one at a
//!   time (they are CPU-heavy).
//!
//! No cargo-fuzz: this does what it does, without the extra tool. The `libfuzzer` feature
//! of `nexus-fuzz` links libFuzzer (libfuzzer-sys builds it with the C++ compiler) and the
//! SanitizerCoverage flags below instrument the Rust code, in a separate target folder
//! (`target/fuzz`) so the ordinary build is not thrown away. The dev profile is used
//! (optimised dependencies, debug assertions and overflow checks on, no LTO). No
//! AddressSanitizer: the code under test is safe Rust, and ASan would have to be built into
//! every dependency, libcef included. The toolchain is nightly when rustup has one (as
//! cargo-fuzz expects), else the default one: these flags are all stable.
//!
//! The committed corpora are replayed on stable by `cargo test -p nexus-fuzz` (part of
//! `cargo xtask test`), which needs none of this. A crash becomes a file in
//! `fuzz/regressions/TARGET/`, replayed by the same test.

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

/// What cargo-fuzz passes (without a sanitizer): coverage counters, comparison tracing
/// (so libFuzzer learns magic values), `cfg(fuzzing)`, and the checks of a debug build.
const RUSTFLAGS: &str = "-Cpasses=sancov-module \
    -Cllvm-args=-sanitizer-coverage-level=4 \
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
    -Cllvm-args=-sanitizer-coverage-pc-table \
    -Cllvm-args=-sanitizer-coverage-trace-compares \
    --cfg fuzzing -Cdebug-assertions -Coverflow-checks";

/// The target triple the fuzzers are built for (given explicitly so that RUSTFLAGS do not
/// reach build scripts and proc macros, which run on the host).
const TRIPLE: &str = "x86_64-unknown-linux-gnu";

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
            check(target)?;
            let seconds = seconds(rest)?;
            build()?;
            run(target, seconds)
        }
        ["cmin", target] => {
            check(target)?;
            build()?;
            cmin(target)
        }
        ["all", rest @ ..] => {
            let seconds = seconds(rest)?;
            build()?;
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

fn fuzz_target_dir() -> PathBuf {
    paths::target_dir().join("fuzz")
}

fn corpus(target: &str) -> PathBuf {
    paths::workspace_root().join("fuzz/corpus").join(target)
}

fn artifacts(target: &str) -> PathBuf {
    fuzz_target_dir().join("artifacts").join(target)
}

fn has_nightly() -> bool {
    Command::new("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Build every fuzz target with coverage instrumentation (the CEF runtime first: the
/// `nexus` crate links libcef).
fn build() -> Result<()> {
    runtime::setup_with(false)?;
    cmd::step("building the fuzz targets (libFuzzer, coverage instrumentation)");
    let mut build = if has_nightly() {
        cmd::cargo_of("nightly")
    } else {
        cmd::cargo()
    };
    build
        .args([
            "build",
            "-p",
            "nexus-fuzz",
            "--features",
            "libfuzzer",
            "--bins",
        ])
        .args(["--target", TRIPLE])
        .arg("--target-dir")
        .arg(fuzz_target_dir())
        .env("RUSTFLAGS", RUSTFLAGS);
    cmd::run(&mut build)
}

/// The built fuzzer for `target`, with the loader told where libcef.so is.
fn fuzzer(target: &str) -> Command {
    let exe = fuzz_target_dir().join(TRIPLE).join("debug").join(target);
    let mut c = Command::new(exe);
    c.current_dir(paths::workspace_root());
    let cef = paths::cef_runtime_link();
    let ld = match std::env::var_os("LD_LIBRARY_PATH") {
        Some(old) => format!("{}:{}", cef.display(), old.to_string_lossy()),
        None => cef.display().to_string(),
    };
    c.env("LD_LIBRARY_PATH", ld);
    c
}

fn run(target: &str, seconds: u64) -> Result<()> {
    let dir = corpus(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::create_dir_all(artifacts(target))?;
    cmd::step(&format!(
        "fuzzing {target} for {seconds} s (corpus {})",
        dir.display()
    ));
    let result = cmd::run(
        fuzzer(target)
            .arg(format!("-artifact_prefix={}/", artifacts(target).display()))
            .arg(format!("-max_total_time={seconds}"))
            .args([
                "-rss_limit_mb=4096",
                "-max_len=65536",
                "-timeout=30",
                "-print_final_stats=1",
            ])
            .arg(&dir),
    );
    clean_scratch();
    result.with_context(|| {
        format!(
            "{target} found a crash: see {}; copy it to fuzz/regressions/{target}/ and fix it",
            artifacts(target).display()
        )
    })
}

/// Minimise `target`'s corpus: merge it into an empty folder (set cover), then swap.
fn cmin(target: &str) -> Result<()> {
    let dir = corpus(target);
    let merged = fuzz_target_dir().join("cmin").join(target);
    let _ = std::fs::remove_dir_all(&merged);
    std::fs::create_dir_all(&merged)?;
    cmd::step(&format!(
        "minimising the {target} corpus (-set_cover_merge=1)"
    ));
    let result = cmd::run(
        fuzzer(target)
            .args(["-set_cover_merge=1", "-rss_limit_mb=4096", "-max_len=65536"])
            .arg(&merged)
            .arg(&dir),
    );
    clean_scratch();
    result?;
    let kept = std::fs::read_dir(&merged)?.count();
    if kept == 0 {
        bail!("minimising {target} kept nothing; leaving the corpus as it was");
    }
    std::fs::remove_dir_all(&dir)?;
    std::fs::create_dir_all(&dir)?;
    for entry in std::fs::read_dir(&merged)? {
        let entry = entry?;
        std::fs::copy(entry.path(), dir.join(entry.file_name()))?;
    }
    println!("    {target}: {kept} inputs kept");
    Ok(())
}

/// The profile targets keep a database in `/dev/shm/nexus-fuzz-LABEL-PID-N` per process;
/// libFuzzer exits without running destructors, so remove what is left by processes that
/// are gone. Regression: every folder was removed, including those of a fuzzer still
/// running beside this one, which then failed on its vanished database.
fn clean_scratch() {
    for base in [PathBuf::from("/dev/shm"), std::env::temp_dir()] {
        let Ok(dir) = std::fs::read_dir(&base) else {
            continue;
        };
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix("nexus-fuzz-") else {
                continue;
            };
            // LABEL-PID-N: the second field from the end is the owner's process id.
            let owner = rest.rsplit('-').nth(1).and_then(|p| p.parse::<u32>().ok());
            let alive = owner.is_some_and(|pid| PathBuf::from(format!("/proc/{pid}")).exists());
            if !alive {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}
