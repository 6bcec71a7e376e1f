//! The `.deb`: control file with dependencies computed from the ELF files by
//! `dpkg-shlibdeps` (plus the run-time-loaded libraries named in
//! packaging/linux/dlopen-depends), md5sums, and `dpkg-deb --root-owner-group` so every
//! file, chrome-sandbox included, is owned by root.

use super::{Inputs, fsutil, meta};
use crate::{cmd, paths};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `dpkg --print-architecture`.
pub fn architecture() -> Result<String> {
    Ok(
        cmd::output(Command::new("dpkg").arg("--print-architecture"))
            .context("dpkg is needed to build the .deb (a Debian-based system)")?
            .trim()
            .to_string(),
    )
}

/// Build `deb` from the tree `root` (= `<work>/debian/nexus`).
pub fn build(inputs: &Inputs, work: &Path, root: &Path, deb: &Path, fast: bool) -> Result<()> {
    for tool in ["dpkg-deb", "dpkg-shlibdeps"] {
        if !cmd::have(tool) {
            bail!("{tool} is needed to build the .deb (Debian: apt-get install dpkg-dev)");
        }
    }
    let elf = elf_files(&root.join("usr"))?;
    let (mut depends, mut recommends) = (shlib_depends(work, &elf, root)?, Vec::new());
    for (field, package) in dlopen_depends(&elf)? {
        let name = package
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        if depends
            .iter()
            .any(|d| d.split_whitespace().next() == Some(name.as_str()))
        {
            continue; // also linked directly: dpkg-shlibdeps already named it, with a version
        }
        if field == "Depends" {
            depends.push(package)
        } else {
            recommends.push(package)
        }
    }
    let installed_kib = fsutil::tree_size(&root.join("usr"))?.div_ceil(1024);
    let description = textwrap(meta::DESCRIPTION, 78);
    let control = format!(
        "Package: {}\nVersion: {}\nArchitecture: {}\nMaintainer: {}\nInstalled-Size: {installed_kib}\n\
         Depends: {}\nRecommends: {}\nSection: web\nPriority: optional\nDescription: {}\n{description}",
        meta::PACKAGE,
        inputs.meta.version,
        architecture()?,
        inputs.meta.maintainer(),
        depends.join(", "),
        recommends.join(", "),
        meta::SUMMARY,
    );
    let debian = root.join("DEBIAN");
    fsutil::write(&debian.join("control"), &control)?;
    fsutil::write(&debian.join("md5sums"), md5sums(root)?)?;
    fsutil::normalise_modes(&debian)?;
    println!("    Depends: {}", depends.join(", "));

    cmd::step(&format!("building {}", deb.display()));
    let started = std::time::Instant::now();
    let compression: &[&str] = if fast {
        &["-Zgzip", "-z1"]
    } else {
        &["-Zxz", "-z6"]
    };
    cmd::run(
        Command::new("dpkg-deb")
            .arg("--root-owner-group")
            .args(compression)
            .arg("--build")
            .arg(root)
            .arg(deb),
    )?;
    println!("    took {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// `dpkg-shlibdeps` over every ELF file in the tree. It reads `debian/control` in `work`
/// and treats libraries inside `debian/<package>/` as the package's own.
fn shlib_depends(work: &Path, elf_files: &[PathBuf], root: &Path) -> Result<Vec<String>> {
    cmd::step("computing dependencies from the ELF files (dpkg-shlibdeps)");
    fsutil::write(
        &work.join("debian/control"),
        format!(
            "Source: {p}\nMaintainer: {m}\n\nPackage: {p}\nArchitecture: any\nDescription: {s}\n",
            p = meta::PACKAGE,
            m = meta::MAINTAINER,
            s = meta::SUMMARY
        ),
    )?;
    if elf_files.is_empty() {
        bail!("no ELF files below {}", root.display());
    }
    let out = cmd::output(
        Command::new("dpkg-shlibdeps")
            .current_dir(work)
            .arg("-O")
            .arg(format!("-l{}", root.join("usr/lib/nexus").display()))
            .args(elf_files.iter().map(|f| format!("-e{}", f.display()))),
    )
    .context("dpkg-shlibdeps could not work out the dependencies")?;
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("shlibs:Depends="))
        .with_context(|| format!("dpkg-shlibdeps printed no shlibs:Depends line: {out}"))?;
    Ok(line
        .split(", ")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

fn elf_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.is_dir() {
            out.extend(elf_files(&path)?);
        } else if meta.is_file() {
            let mut magic = [0u8; 4];
            use std::io::Read;
            let n = std::fs::File::open(&path)?.read(&mut magic)?;
            if n == 4 && &magic == b"\x7fELF" {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// (field, package) pairs from packaging/linux/dlopen-depends; every library named there
/// must be named inside one of the shipped ELF files (`elf`), else the line is stale.
fn dlopen_depends(elf: &[PathBuf]) -> Result<Vec<(String, String)>> {
    let path = paths::workspace_root().join("packaging/linux/dlopen-depends");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let contents: Vec<Vec<u8>> = elf.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(package), Some(field), Some(library)) =
            (words.next(), words.next(), words.next())
        else {
            bail!(
                "{}:{}: expected `package field library why`",
                path.display(),
                n + 1
            );
        };
        if !["Depends", "Recommends"].contains(&field) {
            bail!(
                "{}:{}: field must be Depends or Recommends, not {field:?}",
                path.display(),
                n + 1
            );
        }
        if library != "-"
            && !contents
                .iter()
                .any(|c| c.windows(library.len()).any(|w| w == library.as_bytes()))
        {
            bail!(
                "{}:{}: no shipped binary names {library} any more; remove the line or correct it",
                path.display(),
                n + 1
            );
        }
        out.push((field.to_string(), package.replace('|', " | ")));
    }
    Ok(out)
}

/// `md5sum` lines for every file below `root/usr`, paths relative to `root`.
fn md5sums(root: &Path) -> Result<String> {
    let files: Vec<String> = super::fsutil::list_tree(&root.join("usr"))?
        .into_iter()
        .filter(|f| !f.ends_with('/'))
        .map(|f| format!("usr/{f}"))
        .filter(|f| {
            !std::fs::symlink_metadata(root.join(f)).is_ok_and(|m| m.file_type().is_symlink())
        })
        .collect();
    let mut out = String::new();
    for chunk in files.chunks(200) {
        out.push_str(&cmd::output(
            Command::new("md5sum")
                .current_dir(root)
                .arg("--")
                .args(chunk),
        )?);
    }
    Ok(out)
}

/// The extended description: lines of at most `width`, each starting with a space.
fn textwrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&format!(" {line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!(" {line}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn descriptions_wrap_with_a_leading_space() {
        let text = super::textwrap("aaa bbb ccc", 7);
        assert_eq!(text, " aaa bbb\n ccc\n");
    }
}
