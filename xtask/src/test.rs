//! `cargo xtask test`: every check and test, in the order that fails fastest.

use crate::{cmd, package, run, runtime};
use anyhow::{Context, Result, bail};
use std::collections::{BTreeSet, HashMap};

/// `cargo xtask test [ARGS]` (ARGS go to `cargo test`, e.g. a test-name filter).
pub fn test(args: &[String]) -> Result<()> {
    let provisioned = runtime::setup_with(true)?;

    cmd::step("formatting (cargo fmt --check)");
    cmd::run(cmd::cargo().args(["fmt", "--all", "--", "--check"]))
        .context("code is not formatted: run `cargo fmt --all`")?;

    cmd::step("crate boundaries (ipc and ai know no UI or CEF; ui knows no CEF)");
    check_boundaries()?;

    cmd::step("lints (cargo clippy -D warnings)");
    cmd::run(cmd::cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]))?;

    let bin_dir = run::build_binaries(&provisioned.cef_dir)?;
    let package_dir = package::test_step(&provisioned.cef_dir)?;

    cmd::step("tests (unit, cross-process, end-to-end)");
    let mut test = cmd::cargo();
    test.args(["test", "--workspace"])
        .env("NEXUS_BIN_DIR", &bin_dir)
        .env("NEXUS_PACKAGE_DIR", &package_dir);
    if !args.is_empty() {
        test.args(args);
    }
    cmd::run(&mut test)?;
    cmd::step("all checks and tests passed");
    Ok(())
}

/// `cargo xtask bench [ARGS]`.
pub fn bench(args: &[String]) -> Result<()> {
    let provisioned = runtime::setup_with(false)?;
    let bin_dir = run::build_binaries(&provisioned.cef_dir)?;
    let mut bench = cmd::cargo();
    bench.arg("bench").env("NEXUS_BIN_DIR", bin_dir).args(args);
    cmd::run(&mut bench)
}

/// Which crates must never (transitively, through normal dependencies) reach which.
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("nexus-ipc", &["egui", "eframe", "cef", "cef-dll-sys"]),
    ("nexus-ai", &["egui", "eframe", "cef", "cef-dll-sys"]),
    ("nexus-ui", &["cef", "cef-dll-sys"]),
];

fn check_boundaries() -> Result<()> {
    let json = cmd::output(cmd::cargo().args(["metadata", "--format-version", "1", "--locked"]))
        .or_else(|_| cmd::output(cmd::cargo().args(["metadata", "--format-version", "1"])))?;
    let meta: serde_json::Value = serde_json::from_str(&json)?;
    let names: HashMap<&str, &str> = meta["packages"]
        .as_array()
        .context("cargo metadata: no packages")?
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
        .collect();
    let nodes = meta["resolve"]["nodes"]
        .as_array()
        .context("cargo metadata: no resolve")?;
    let normal_deps: HashMap<&str, Vec<&str>> = nodes
        .iter()
        .filter_map(|n| {
            let deps = n["deps"]
                .as_array()?
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .is_some_and(|kinds| kinds.iter().any(|k| k["kind"].is_null()))
                })
                .filter_map(|d| d["pkg"].as_str())
                .collect();
            Some((n["id"].as_str()?, deps))
        })
        .collect();
    let mut problems = Vec::new();
    for (krate, forbidden) in FORBIDDEN {
        let Some((root, _)) = names.iter().find(|(_, n)| *n == krate) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        let mut stack = vec![*root];
        while let Some(id) = stack.pop() {
            for dep in normal_deps.get(id).into_iter().flatten() {
                if seen.insert(*dep) {
                    stack.push(dep);
                }
            }
        }
        for id in seen {
            let name = names.get(id).copied().unwrap_or("?");
            if forbidden.contains(&name) {
                problems.push(format!("{krate} depends on {name}"));
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "crate boundaries broken (see DESIGN.md): {}",
            problems.join("; ")
        );
    }
    println!("    ok");
    Ok(())
}
