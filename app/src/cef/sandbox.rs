//! Whether Chromium's sandbox can run here.
//!
//! Renderer processes run web content; the sandbox confines them. On Linux it needs either
//! the setuid helper `chrome-sandbox` (owned by root, mode 4755: what the .deb installs) or
//! unprivileged user namespaces, and Chromium refuses it entirely when running as root.
//! Where neither is available Nexus runs without it and says so.

use std::path::Path;

/// Whether to enable the sandbox.
pub fn usable(exe_dir: &Path) -> bool {
    if std::env::var_os("NEXUS_NO_SANDBOX").is_some() {
        return false;
    }
    platform_usable(exe_dir)
}

#[cfg(target_os = "linux")]
fn platform_usable(exe_dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY-free: reading our own uid through /proc avoids libc.
    let uid = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|l| l.split_whitespace().next().map(str::to_string))
        })
        .and_then(|u| u.parse::<u32>().ok())
        .unwrap_or(0);
    if uid == 0 {
        tracing::info!("running as root: Chromium's sandbox is off (it refuses to run as root)");
        return false;
    }
    let helper_ok = std::fs::metadata(exe_dir.join("chrome-sandbox"))
        .map(|m| m.uid() == 0 && m.mode() & 0o4755 == 0o4755)
        .unwrap_or(false);
    let userns_ok = std::fs::read_to_string("/proc/sys/kernel/unprivileged_userns_clone")
        .map(|s| s.trim() != "0")
        .unwrap_or(true)
        && std::fs::read_to_string("/proc/sys/user/max_user_namespaces")
            .map(|s| s.trim() != "0")
            .unwrap_or(false);
    if !(helper_ok || userns_ok) {
        tracing::warn!(
            "Chromium's sandbox is off: neither a setuid chrome-sandbox next to the binary nor \
             unprivileged user namespaces are available"
        );
    }
    helper_ok || userns_ok
}

#[cfg(not(target_os = "linux"))]
fn platform_usable(_exe_dir: &Path) -> bool {
    true
}
