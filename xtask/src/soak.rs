//! `cargo xtask soak`: the long fault-injection and soak runs that do not fit in CI's time
//! (docs/reliability.md has the results and what each one checks).
//!
//! * the AI worker killed with SIGKILL 100 times at random points during streams;
//! * 100 tabs opened and closed in a loop for 10 minutes in the windowed shell;
//! * the hub flood (1,000,000 messages; it also runs in `cargo xtask test`).
//!
//! `NEXUS_SOAK_KILLS`, `NEXUS_SOAK_TABS` and `NEXUS_SOAK_MINUTES` change the sizes;
//! `NEXUS_SOAK_SEED` replays a run of the kill test.

use crate::{cmd, run, runtime};
use anyhow::Result;

/// `cargo xtask soak [FILTER]`: FILTER picks runs by name (`kills`, `tabs`, `flood`).
pub fn soak(args: &[String]) -> Result<()> {
    let provisioned = runtime::setup_with(true)?;
    let bin_dir = run::build_binaries(&provisioned.cef_dir)?;
    let wanted = |name: &str| args.is_empty() || args.iter().any(|a| name.contains(a.as_str()));
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let mut ran = Vec::new();
    if wanted("kills") {
        cmd::step("soak: the AI worker killed at random points during streams");
        cmd::run(
            cmd::cargo()
                .args([
                    "test",
                    "-p",
                    "nexus",
                    "--test",
                    "ai_worker_kills",
                    "--",
                    "--nocapture",
                ])
                .env("NEXUS_BIN_DIR", &bin_dir)
                .env("NEXUS_SOAK_KILLS", env("NEXUS_SOAK_KILLS", "100")),
        )?;
        ran.push("kills");
    }
    if wanted("tabs") {
        cmd::step("soak: tabs opened and closed in a loop in the windowed shell");
        cmd::run(
            cmd::cargo()
                .args([
                    "test",
                    "-p",
                    "nexus-tests",
                    "--test",
                    "renderer_faults",
                    "--",
                    "--ignored",
                    "--nocapture",
                    "soak_",
                ])
                .env("NEXUS_BIN_DIR", &bin_dir)
                .env("NEXUS_SOAK_TABS", env("NEXUS_SOAK_TABS", "100"))
                .env("NEXUS_SOAK_MINUTES", env("NEXUS_SOAK_MINUTES", "10")),
        )?;
        ran.push("tabs");
    }
    if wanted("flood") {
        cmd::step("soak: 1,000,000 mixed messages through the hub");
        cmd::run(
            cmd::cargo()
                .args([
                    "test",
                    "-p",
                    "nexus",
                    "--test",
                    "hub_flood",
                    "--",
                    "--nocapture",
                ])
                .env("NEXUS_BIN_DIR", &bin_dir),
        )?;
        ran.push("flood");
    }
    cmd::step(&format!("soak runs passed: {}", ran.join(", ")));
    Ok(())
}
