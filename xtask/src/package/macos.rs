//! `Nexus.app`, the bundle layout CEF requires on macOS:
//!
//! ```text
//! Nexus.app/Contents/Info.plist, PkgInfo
//! Nexus.app/Contents/MacOS/Nexus                    the shell (`nexus`)
//! Nexus.app/Contents/MacOS/nexus-ai-worker          the AI worker
//! Nexus.app/Contents/Resources/nexus.icns, models/, licenses/
//! Nexus.app/Contents/Frameworks/Chromium Embedded Framework.framework/
//! Nexus.app/Contents/Frameworks/Nexus Helper.app              each one `nexus-renderer`
//! Nexus.app/Contents/Frameworks/Nexus Helper (GPU).app        with its own Info.plist;
//! Nexus.app/Contents/Frameworks/Nexus Helper (Renderer).app   CEF starts them by these
//! Nexus.app/Contents/Frameworks/Nexus Helper (Plugin).app     names
//! Nexus.app/Contents/Frameworks/Nexus Helper (Alerts).app
//! ```
//!
//! On a Mac, `package` then signs (packaging/macos/sign.sh), makes the `.dmg`
//! (make-dmg.sh) and notarises it (notarize.sh), each driven by environment variables.
//! Elsewhere `stage` lays the same tree out with this machine's binaries and CEF runtime
//! standing in (the framework is assembled from the Linux runtime's files).

use super::binaries::Prepared;
use super::{Inputs, Options, fsutil, meta};
use crate::{cmd, paths};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;

/// The framework's folder name.
pub const FRAMEWORK: &str = "Chromium Embedded Framework.framework";
/// Helper apps: (name suffix, bundle-id suffix), as CEF's build files define them.
pub const HELPERS: &[(&str, &str)] = &[
    ("", ""),
    (" (GPU)", ".gpu"),
    (" (Renderer)", ".renderer"),
    (" (Plugin)", ".plugin"),
    (" (Alerts)", ".alerts"),
];

/// On a Mac: the bundle, signed, in a `.dmg`, notarised when credentials are set.
pub fn package(inputs: &Inputs, options: &Options) -> Result<()> {
    let app = options.out.join("work").join(format!("{}.app", meta::NAME));
    lay_out(inputs, &app)?;
    let scripts = paths::workspace_root().join("packaging/macos");
    let dmg = options
        .out
        .join(format!("{}.dmg", inputs.meta.stem("macos")));
    cmd::step("signing Nexus.app (packaging/macos/sign.sh)");
    cmd::run(Command::new("bash").arg(scripts.join("sign.sh")).arg(&app))?;
    cmd::step("making the disk image (packaging/macos/make-dmg.sh)");
    cmd::run(
        Command::new("bash")
            .arg(scripts.join("make-dmg.sh"))
            .arg(&app)
            .arg(&dmg),
    )?;
    cmd::step("notarising the disk image (packaging/macos/notarize.sh)");
    cmd::run(
        Command::new("bash")
            .arg(scripts.join("notarize.sh"))
            .arg(&dmg),
    )?;
    let debug = options.out.join("debug");
    super::archive::zip(
        &debug,
        &format!("{}-debug", inputs.meta.stem("macos")),
        &options
            .out
            .join(format!("{}-debug.zip", inputs.meta.stem("macos"))),
        false,
    )?;
    std::fs::remove_dir_all(&debug)?;
    Ok(())
}

/// Lay the bundle out in `<dir>/Nexus.app` with this machine's files standing in.
pub fn stage(inputs: &Inputs, dir: &Path) -> Result<()> {
    std::fs::remove_dir_all(dir).ok();
    lay_out(inputs, &dir.join(format!("{}.app", meta::NAME)))
}

/// Lay `Nexus.app` out at `app`.
pub fn lay_out(inputs: &Inputs, app: &Path) -> Result<()> {
    cmd::step(&format!("laying out {}", app.display()));
    lay_out_runnable(inputs.bins, inputs.cef_dir, app, &inputs.meta.version)?;
    let resources = app.join("Contents/Resources");
    fsutil::copy(&inputs.icons.icns, &resources.join("nexus.icns"))?;
    fsutil::copy(&paths::model_dir(), &resources.join("models"))?;
    std::fs::remove_dir_all(resources.join("models/.unpack")).ok();
    for (name, file) in inputs.notices.files() {
        fsutil::copy(file, &resources.join("licenses").join(name))?;
    }
    fsutil::normalise_modes(app)
}

/// The part of the bundle that runs: Info.plists, executables, the framework and the
/// helper apps (no icon, models or licenses: the license step runs this to read CEF's).
pub fn lay_out_runnable(bins: &Prepared, cef_dir: &Path, app: &Path, version: &str) -> Result<()> {
    std::fs::remove_dir_all(app).ok();
    let contents = app.join("Contents");
    let templates = paths::workspace_root().join("packaging/macos");
    let fill = |template: &str| -> Result<String> {
        let path = templates.join(template);
        Ok(std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .replace("@NAME@", meta::NAME)
            .replace("@BUNDLE_ID@", meta::APP_ID)
            .replace("@VERSION@", version))
    };
    fsutil::write(&contents.join("Info.plist"), fill("Info.plist.in")?)?;
    fsutil::write(&contents.join("PkgInfo"), "APPL????")?;
    fsutil::copy(
        &bins.file("nexus"),
        &contents.join("MacOS").join(meta::NAME),
    )?;
    for name in bins
        .names
        .iter()
        .filter(|n| !["nexus", "nexus-renderer"].contains(&n.as_str()))
    {
        fsutil::copy(&bins.file(name), &contents.join("MacOS").join(name))?;
    }

    let frameworks = contents.join("Frameworks");
    framework(cef_dir, &frameworks.join(FRAMEWORK))?;
    for (suffix, id_suffix) in HELPERS {
        let name = format!("{} Helper{suffix}", meta::NAME);
        let helper = frameworks.join(format!("{name}.app")).join("Contents");
        let plist = fill("helper-Info.plist.in")?
            .replace("@HELPER_NAME@", &name)
            .replace(
                "@HELPER_ID@",
                &format!("{}.helper{id_suffix}", meta::APP_ID),
            );
        fsutil::write(&helper.join("Info.plist"), plist)?;
        fsutil::write(&helper.join("PkgInfo"), "APPL????")?;
        fsutil::copy(
            &bins.file("nexus-renderer"),
            &helper.join("MacOS").join(&name),
        )?;
    }
    fsutil::normalise_modes(app)
}

/// The framework: copied from a macOS CEF distribution, or assembled from a Linux
/// runtime's files under the names the macOS framework uses (for staging).
fn framework(cef_dir: &Path, dest: &Path) -> Result<()> {
    let real = cef_dir.join(FRAMEWORK);
    if real.is_dir() {
        return fsutil::copy(&real, dest);
    }
    let from = |name: &str| cef_dir.join(name);
    fsutil::copy(
        &from("libcef.so"),
        &dest.join("Chromium Embedded Framework"),
    )?;
    for (linux, mac) in [
        ("libEGL.so", "libEGL.dylib"),
        ("libGLESv2.so", "libGLESv2.dylib"),
        ("libvk_swiftshader.so", "libvk_swiftshader.dylib"),
        ("vk_swiftshader_icd.json", "vk_swiftshader_icd.json"),
    ] {
        fsutil::copy(&from(linux), &dest.join("Libraries").join(mac))?;
    }
    let resources = dest.join("Resources");
    for name in [
        "chrome_100_percent.pak",
        "chrome_200_percent.pak",
        "resources.pak",
        "icudtl.dat",
        "v8_context_snapshot.bin",
    ] {
        fsutil::copy(&from(name), &resources.join(name))?;
    }
    for entry in std::fs::read_dir(from("locales"))? {
        let path = entry?.path();
        let Some(locale) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        let lproj = if locale == "en-US" {
            "en".to_string()
        } else {
            locale.replace('-', "_")
        };
        fsutil::copy(
            &path,
            &resources.join(format!("{lproj}.lproj")).join("locale.pak"),
        )?;
    }
    fsutil::write(
        &resources.join("Info.plist"),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \
             \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n\
             \t<key>CFBundleExecutable</key>\n\t<string>Chromium Embedded Framework</string>\n\
             \t<key>CFBundleIdentifier</key>\n\t<string>org.cef.framework</string>\n\
             \t<key>CFBundlePackageType</key>\n\t<string>FMWK</string>\n\
             \t<key>CFBundleShortVersionString</key>\n\t<string>{}</string>\n</dict>\n</plist>\n",
            crate::runtime::CEF_LINUX_RUNTIME
        ),
    )?;
    Ok(())
}
