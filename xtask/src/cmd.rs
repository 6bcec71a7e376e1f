//! Running commands loudly: every command is printed before it runs, and a failure names
//! the command.

use anyhow::{Context, Result, bail};
use std::process::Command;

/// Print a step heading.
pub fn step(what: &str) {
    println!("==> {what}");
}

/// Run `cmd`, inheriting stdio; fail with the command line if it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    println!("    $ {}", display(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{}`", display(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", display(cmd));
    }
    Ok(())
}

/// Run `cmd` quietly and return its stdout; fail with its stderr.
pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .output()
        .with_context(|| format!("could not start `{}`", display(cmd)))?;
    if !out.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            display(cmd),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// `cargo` as this xtask was started by.
///
/// `cargo run` gives xtask the package variables of xtask itself (`CARGO_PKG_NAME`,
/// `CARGO_MANIFEST_DIR`, ...); some build scripts watch such variables, so passing them on
/// would rebuild those crates whenever `cargo` and `cargo xtask` alternate.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    clean_cargo_env(&mut cmd);
    cmd
}

/// `cargo` of the rustup toolchain `toolchain` (e.g. nightly), like [`cargo`].
pub fn cargo_of(toolchain: &str) -> Command {
    let mut cmd = Command::new("rustup");
    cmd.args(["run", toolchain, "cargo"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("CARGO");
    clean_cargo_env(&mut cmd);
    cmd
}

/// Run in the workspace root, without the variables cargo set for the xtask itself.
fn clean_cargo_env(cmd: &mut Command) {
    cmd.current_dir(crate::paths::workspace_root());
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CARGO_PKG_")
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "OUT_DIR",
            ]
            .contains(&key.as_ref())
        {
            cmd.env_remove(key.as_ref());
        }
    }
}

fn display(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        s.push(' ');
        // Inline scripts are noise in a log: name them instead.
        s.push_str(if arg.contains('\n') { "<script>" } else { &arg });
    }
    s
}
