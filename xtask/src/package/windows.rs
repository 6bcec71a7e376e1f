//! The Windows install folder CEF requires, the NSIS installer and the portable `.zip`.
//!
//! ```text
//! Nexus/nexus.exe, nexus-renderer.exe, nexus-ai-worker.exe
//! Nexus/nexus.exe.manifest, nexus-renderer.exe.manifest   (packaging/windows)
//! Nexus/libcef.dll, chrome_elf.dll, libEGL.dll, ... *.pak, icudtl.dat, v8_context_snapshot.bin
//! Nexus/locales/*.pak
//! Nexus/models/, licenses/, nexus.ico
//! ```
//!
//! The installer (packaging/windows/nexus.nsi) installs that folder per user with a
//! Start-menu shortcut and an uninstaller; its uninstall list is written from the folder.
//! `stage` lays the folder out with this machine's binaries and runtime standing in
//! (renamed to their Windows names) and compiles the installer with makensis when it is
//! installed, uncompressed to save time.

use super::{Inputs, Options, archive, fsutil, meta};
use crate::{cmd, paths};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

/// Runtime entries that are not shipped: link libraries, samples, build files.
const RUNTIME_SKIP: &[&str] = &[
    "cefclient.exe",
    "cefsimple.exe",
    "cefsimple",
    "libcef.lib",
    "cef_sandbox.lib",
    ".nexus-complete",
    "archive.json",
    "include",
    "cmake",
    "libcef_dll",
    "CMakeLists.txt",
];
/// A Linux runtime's files under the names of their Windows counterparts (staging).
const STAND_IN_NAMES: &[(&str, &str)] = &[
    ("libcef.so", "libcef.dll"),
    ("libEGL.so", "libEGL.dll"),
    ("libGLESv2.so", "libGLESv2.dll"),
    ("libvk_swiftshader.so", "vk_swiftshader.dll"),
    ("libvulkan.so.1", "vulkan-1.dll"),
    ("chrome-sandbox", ""),
];

/// On Windows: the install folder, the installer and the zip.
pub fn package(inputs: &Inputs, options: &Options) -> Result<()> {
    let folder = options.out.join("work").join(meta::NAME);
    lay_out(inputs, &folder)?;
    let stem = inputs.meta.stem("windows");
    installer(
        inputs,
        &folder,
        &options.out.join(format!("{stem}-setup.exe")),
        false,
    )?;
    archive::zip(
        &folder,
        meta::NAME,
        &options.out.join(format!("{stem}.zip")),
        false,
    )?;
    let debug = options.out.join("debug");
    archive::zip(
        &debug,
        &format!("{stem}-debug"),
        &options.out.join(format!("{stem}-debug.zip")),
        false,
    )?;
    std::fs::remove_dir_all(&debug)?;
    Ok(())
}

/// Lay the install folder out in `<dir>/Nexus`, compile the installer and zip the folder
/// next to it (both uncompressed, to save time).
pub fn stage(inputs: &Inputs, dir: &Path) -> Result<()> {
    std::fs::remove_dir_all(dir).ok();
    let folder = dir.join(meta::NAME);
    lay_out(inputs, &folder)?;
    if cmd::have("makensis") {
        installer(
            inputs,
            &folder,
            &dir.join(format!("{}-setup.exe", inputs.meta.stem("windows"))),
            true,
        )?;
    } else {
        println!(
            "    makensis is not installed: the installer script was not compiled (Debian: apt-get install nsis)"
        );
    }
    let zip = dir.join(format!("{}.zip", inputs.meta.stem("windows")));
    archive::zip(&folder, meta::NAME, &zip, true)
}

/// Lay the install folder out at `folder`.
pub fn lay_out(inputs: &Inputs, folder: &Path) -> Result<()> {
    cmd::step(&format!(
        "laying out the Windows install folder {}",
        folder.display()
    ));
    std::fs::remove_dir_all(folder).ok();
    let manifest = paths::workspace_root().join("packaging/windows/nexus.exe.manifest");
    for name in &inputs.bins.names {
        let exe = format!("{name}.exe");
        fsutil::copy(&inputs.bins.file(name), &folder.join(&exe))?;
        if ["nexus", "nexus-renderer"].contains(&name.as_str()) {
            fsutil::copy(&manifest, &folder.join(format!("{exe}.manifest")))?;
        }
    }
    let stand_in = !cfg!(windows);
    for entry in std::fs::read_dir(inputs.cef_dir)
        .with_context(|| format!("cannot list the CEF runtime {}", inputs.cef_dir.display()))?
    {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if RUNTIME_SKIP.contains(&name.as_str()) || name.ends_with(".pdb") {
            continue;
        }
        let target = match STAND_IN_NAMES.iter().find(|(linux, _)| *linux == name) {
            Some((_, windows)) if stand_in => *windows,
            _ => name.as_str(),
        };
        if !target.is_empty() {
            fsutil::copy(&entry.path(), &folder.join(target))?;
        }
    }
    if !folder.join("libcef.dll").is_file() {
        bail!(
            "the CEF runtime {} has no libcef.dll: run `cargo xtask setup`",
            inputs.cef_dir.display()
        );
    }
    fsutil::copy(&paths::model_dir(), &folder.join("models"))?;
    std::fs::remove_dir_all(folder.join("models/.unpack")).ok();
    for (name, file) in inputs.notices.files() {
        fsutil::copy(file, &folder.join("licenses").join(name))?;
    }
    fsutil::copy(&inputs.icons.ico, &folder.join("nexus.ico"))?;
    Ok(())
}

/// Compile packaging/windows/nexus.nsi for `folder` into `out`.
fn installer(inputs: &Inputs, folder: &Path, out: &Path, uncompressed: bool) -> Result<()> {
    let list = folder.with_file_name("uninstall-files.nsh");
    std::fs::write(&list, uninstall_list(folder)?)?;
    cmd::step(&format!("compiling the NSIS installer {}", out.display()));
    let started = std::time::Instant::now();
    let script = paths::workspace_root().join("packaging/windows/nexus.nsi");
    let mut makensis = Command::new("makensis");
    makensis
        .arg("-V2")
        .arg(format!("-DVERSION={}", inputs.meta.version))
        .arg(format!("-DSOURCE={}", folder.display()))
        .arg(format!("-DUNINSTALL_LIST={}", list.display()))
        .arg(format!("-DOUTFILE={}", out.display()));
    if uncompressed {
        makensis.arg("-DUNCOMPRESSED");
    }
    cmd::run(makensis.arg(&script))
        .context("makensis could not compile packaging/windows/nexus.nsi")?;
    std::fs::remove_file(&list)?;
    println!("    took {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// `Delete` for every file and `RMDir` for every folder (deepest first) below `folder`,
/// as `$INSTDIR\...` paths.
fn uninstall_list(folder: &Path) -> Result<String> {
    let entries = fsutil::list_tree(folder)?;
    let mut out = String::from("; Written by `cargo xtask package` from the install folder.\n");
    for file in entries.iter().filter(|e| !e.ends_with('/')) {
        out.push_str(&format!(
            "Delete \"$INSTDIR\\{}\"\n",
            file.replace('/', "\\")
        ));
    }
    let mut dirs: Vec<&String> = entries.iter().filter(|e| e.ends_with('/')).collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for dir in dirs {
        out.push_str(&format!(
            "RMDir \"$INSTDIR\\{}\"\n",
            dir.trim_end_matches('/').replace('/', "\\")
        ));
    }
    Ok(out)
}
