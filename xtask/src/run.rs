//! `cargo xtask run`: provision, build, start Nexus.

use crate::{cmd, layout, paths, runtime};
use anyhow::Result;
use std::process::Command;

/// Build every Nexus binary (dev profile) and lay the CEF runtime beside them.
pub fn build_binaries(cef_dir: &std::path::Path) -> Result<std::path::PathBuf> {
    cmd::step("building Nexus (nexus, nexus-renderer, nexus-ai-worker)");
    let mut build = cmd::cargo();
    build.args(["build", "--workspace", "--bins"]);
    cmd::run(&mut build)?;
    let bin_dir = paths::target_dir().join("debug");
    layout::lay_out_runtime(cef_dir, &bin_dir)?;
    Ok(bin_dir)
}

/// Build every Nexus binary with the release profile and lay the runtime beside them.
pub fn build_release_binaries(cef_dir: &std::path::Path) -> Result<std::path::PathBuf> {
    cmd::step("building Nexus, release profile");
    cmd::run(cmd::cargo().args(["build", "--release", "--workspace", "--bins"]))?;
    let bin_dir = paths::target_dir().join("release");
    layout::lay_out_runtime(cef_dir, &bin_dir)?;
    Ok(bin_dir)
}

/// `cargo xtask run [-- ARGS]`.
pub fn run(args: &[String]) -> Result<()> {
    let provisioned = runtime::setup_with(false)?;
    let bin_dir = build_binaries(&provisioned.cef_dir)?;
    let nexus = bin_dir.join(format!("nexus{}", std::env::consts::EXE_SUFFIX));
    let args: Vec<&String> = args.iter().filter(|a| *a != "--").collect();
    if has_display() {
        cmd::step("starting Nexus");
        let mut run = Command::new(&nexus);
        run.args(&args);
        return cmd::run(&mut run);
    }
    let shot = paths::target_dir().join("nexus-welcome.png");
    cmd::step(
        "no display found (DISPLAY/WAYLAND_DISPLAY unset): rendering the welcome page headless",
    );
    cmd::run(Command::new(&nexus).arg("--screenshot").arg(&shot).args([
        "--window-size",
        "1280x800",
        "nexus://welcome",
    ]))?;
    println!(
        "\nWrote a screenshot of Nexus's welcome page to {}\n\
         To get the browser window, run `cargo xtask run` in a desktop session, or under a \
         virtual display:\n    xvfb-run -a -s '-screen 0 1600x1000x24' cargo xtask run",
        shot.display()
    );
    Ok(())
}

fn has_display() -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}
