//! The Linux tree and its two wrappers.
//!
//! The tree (the `.deb` installs it below `/`, the tarball is its `usr/` renamed):
//!
//! ```text
//! usr/bin/nexus                      launcher (packaging/linux/nexus.sh)
//! usr/lib/nexus/                     binaries + CEF runtime side by side (run path $ORIGIN)
//! usr/lib/nexus/chrome-sandbox       root-owned 4755 in the .deb, 0755 in the tarball
//! usr/lib/nexus/models/              AI model files (the launcher sets NEXUS_MODEL_DIR)
//! usr/share/applications/nexus.desktop
//! usr/share/icons/hicolor/<n>x<n>/apps/nexus.png, scalable/apps/nexus.svg
//! usr/share/doc/nexus/               copyright, changelog, third-party licenses
//! usr/share/man/man1/nexus.1.gz      from `nexus --help` (help2man)
//! ```

use super::{Inputs, Options, archive, binaries, deb, fsutil};
use crate::{cmd, paths};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

/// Runtime entries that are not shipped (the sample app, build metadata).
const RUNTIME_SKIP: &[&str] = &[
    "cefsimple",
    ".nexus-complete",
    "archive.json",
    "include",
    "cmake",
    "libcef_dll",
    "CMakeLists.txt",
];

/// Build the `.deb`, the tarball and the debug-file tarball into `options.out`.
pub fn package(inputs: &Inputs, options: &Options) -> Result<()> {
    let work = options.out.join("work");
    let deb_work = work.join("deb");
    let root = deb_work.join("debian").join("nexus");
    lay_out(inputs, &root)?;
    let stem = inputs.meta.stem("linux");
    let fast = inputs.bins.profile == binaries::Profile::Dev;

    // The .deb: chrome-sandbox root-owned (dpkg-deb --root-owner-group) and setuid.
    fsutil::set_mode(&root.join("usr/lib/nexus/chrome-sandbox"), 0o4755)?;
    let deb_path = options.out.join(format!(
        "{}_{}_{}.deb",
        super::meta::PACKAGE,
        inputs.meta.version,
        deb::architecture()?
    ));
    deb::build(inputs, &deb_work, &root, &deb_path, fast)?;

    // The tarball: the same usr/ tree; no setuid bit in a file anyone may unpack.
    fsutil::set_mode(&root.join("usr/lib/nexus/chrome-sandbox"), 0o755)?;
    std::fs::remove_dir_all(root.join("DEBIAN")).ok();
    archive::tar_gz(
        &root.join("usr"),
        &stem,
        &options.out.join(format!("{stem}.tar.gz")),
        fast,
    )?;

    let debug = options.out.join("debug");
    archive::tar_gz(
        &debug,
        &format!("{stem}-debug"),
        &options.out.join(format!("{stem}-debug.tar.gz")),
        fast,
    )?;
    std::fs::remove_dir_all(&debug)?;

    let footprint = fsutil::tree_size(&root)?;
    let summary = format!(
        "install footprint (files below /usr): {}\n{}\n",
        fsutil::human(footprint),
        fsutil::list_sizes(&options.out)?
            .into_iter()
            .filter(|l| !l.starts_with("work/"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    fsutil::write(&options.out.join("SIZES.txt"), summary)?;
    Ok(())
}

/// Lay the Linux tree out below `root`.
pub fn lay_out(inputs: &Inputs, root: &Path) -> Result<()> {
    cmd::step(&format!("laying out the Linux tree in {}", root.display()));
    std::fs::remove_dir_all(root).ok();
    let lib = root.join("usr/lib/nexus");
    std::fs::create_dir_all(&lib)?;
    for name in &inputs.bins.names {
        fsutil::copy(&inputs.bins.file(name), &lib.join(binaries::exe(name)))?;
    }
    copy_runtime(inputs.cef_dir, &lib)?;
    fsutil::copy(&paths::model_dir(), &lib.join("models"))?;
    std::fs::remove_dir_all(lib.join("models/.unpack")).ok();

    let packaging = paths::workspace_root().join("packaging/linux");
    fsutil::copy(&packaging.join("nexus.sh"), &root.join("usr/bin/nexus"))?;
    fsutil::set_mode(&root.join("usr/bin/nexus"), 0o755)?;
    fsutil::copy(
        &packaging.join("nexus.desktop"),
        &root.join("usr/share/applications/nexus.desktop"),
    )?;
    for (size, png) in &inputs.icons.pngs {
        fsutil::copy(
            png,
            &root.join(format!(
                "usr/share/icons/hicolor/{size}x{size}/apps/nexus.png"
            )),
        )?;
    }
    fsutil::copy(
        &inputs.icons.svg,
        &root.join("usr/share/icons/hicolor/scalable/apps/nexus.svg"),
    )?;

    let doc = root.join("usr/share/doc/nexus");
    let versions = runtime_versions(&lib)?;
    let copyright = std::fs::read_to_string(packaging.join("copyright"))?
        .replace("@VERSION@", &inputs.meta.version)
        .replace("@CEF_VERSION@", &versions.0)
        .replace("@CHROMIUM_VERSION@", &versions.1);
    fsutil::write(&doc.join("copyright"), copyright)?;
    for (name, file) in inputs.notices.files() {
        fsutil::copy(file, &doc.join(name))?;
    }
    fsutil::write(
        &doc.join("changelog.gz"),
        archive::gzip(changelog(inputs).as_bytes())?,
    )?;
    man_page(
        &root.join("usr/bin/nexus"),
        &root.join("usr/share/man/man1/nexus.1.gz"),
    )?;
    fsutil::copy(
        &packaging.join("lintian-overrides"),
        &root.join("usr/share/lintian/overrides/nexus"),
    )?;
    fsutil::normalise_modes(&root.join("usr"))?;
    Ok(())
}

/// Copy the runtime files beside the binaries; strip those that still carry symbols
/// (chrome-sandbox, libvulkan.so.1) the way Debian's dh_strip does.
fn copy_runtime(cef_dir: &Path, lib: &Path) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(cef_dir)
        .with_context(|| format!("cannot list the CEF runtime {}", cef_dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if RUNTIME_SKIP.iter().any(|s| name == *s) {
            continue;
        }
        fsutil::copy(&entry.path(), &lib.join(&name))?;
    }
    for needed in [
        "libcef.so",
        "icudtl.dat",
        "resources.pak",
        "v8_context_snapshot.bin",
        "locales",
        "chrome-sandbox",
    ] {
        if !lib.join(needed).exists() {
            bail!(
                "the CEF runtime {} has no {needed}: run `cargo xtask setup` again",
                cef_dir.display()
            );
        }
    }
    for entry in std::fs::read_dir(lib)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .expect("has a name")
            .to_string_lossy()
            .into_owned();
        if !path.is_file() || !is_elf(&path)? {
            continue;
        }
        let sections = cmd::output(Command::new("readelf").arg("-S").arg(&path))?;
        if !sections.contains(".symtab") {
            continue;
        }
        let library = name.ends_with(".so") || name.contains(".so.");
        cmd::run(
            Command::new("objcopy")
                .arg(if library {
                    "--strip-unneeded"
                } else {
                    "--strip-all"
                })
                .args(["--remove-section=.comment", "--remove-section=.note"])
                .arg(&path),
        )?;
    }
    fsutil::set_mode(&lib.join("chrome-sandbox"), 0o755)
}

fn is_elf(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut magic = [0u8; 4];
    let n = std::fs::File::open(path)?.read(&mut magic)?;
    Ok(n == 4 && &magic == b"\x7fELF")
}

/// (CEF version, Chromium version) as the packaged `nexus --version` reports them.
fn runtime_versions(lib: &Path) -> Result<(String, String)> {
    let out = cmd::output(Command::new(lib.join("nexus")).arg("--version"))
        .context("the packaged nexus does not run (`nexus --version` failed)")?;
    let field = |prefix: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .and_then(|v| v.split_whitespace().next())
            .map(str::to_string)
            .with_context(|| format!("`nexus --version` printed no {prefix:?} line: {out}"))
    };
    Ok((field("CEF ")?, field("Chromium ")?))
}

/// A Debian changelog with one entry for this build.
fn changelog(inputs: &Inputs) -> String {
    let date = cmd::output(Command::new("date").args(["-R", "-u"]).env("LC_ALL", "C"))
        .map(|d| d.trim().to_string())
        .unwrap_or_else(|_| "Thu, 01 Jan 1970 00:00:00 +0000".into());
    let commit = inputs
        .meta
        .commit
        .as_deref()
        .map(|c| format!(" from commit {c}"))
        .unwrap_or_default();
    format!(
        "nexus ({}) unstable; urgency=medium\n\n  * Nexus {} built{commit}.\n\n -- {}  {date}\n",
        inputs.meta.version,
        inputs.meta.version,
        inputs.meta.maintainer()
    )
}

/// The manual page, written by help2man from `nexus --help` and `nexus --version`.
fn man_page(launcher: &Path, out: &Path) -> Result<()> {
    if !cmd::have("help2man") {
        bail!("help2man is needed to write the manual page (Debian: apt-get install help2man)");
    }
    let page = cmd::output(
        Command::new("help2man")
            .args(["--no-info", "--section=1", "--name", super::meta::SUMMARY])
            .arg(launcher),
    )?;
    fsutil::write(out, archive::gzip(page.as_bytes())?)
}
