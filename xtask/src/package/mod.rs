//! `cargo xtask package`: release builds laid out the way CEF requires on each OS and
//! wrapped in the installer format that OS's users expect.
//!
//! On Linux it builds the `.deb`, the portable `.tar.gz` (the same `usr/` tree) and a
//! tarball of the separate debug files. On macOS it lays out `Nexus.app` (framework,
//! helper apps, Info.plists), signs and notarises when the environment asks for it
//! (packaging/macos/sign.sh) and makes the `.dmg`. On Windows it lays out the install
//! folder and builds the NSIS installer and the portable `.zip`.
//!
//! `--stage macos|windows` lays out another OS's tree from this machine's build, with
//! these binaries standing in for that OS's, so the layouts (and the NSIS script) are
//! exercised on Linux; the results are checked by tests/tests/packaging.rs.

mod archive;
mod binaries;
mod deb;
mod fsutil;
mod icons;
mod licenses;
pub mod lint;
mod linux;
mod macos;
mod meta;
mod windows;

use crate::{cmd, paths, runtime};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;

pub use binaries::Profile;

const USAGE: &str =
    "usage: cargo xtask package [--profile release|dev] [--out DIR] [--stage macos|windows]...
       cargo xtask package --lint

  --profile P   which build to package: release (default; LTO, what users get) or dev
                (the binaries `cargo xtask test` builds: fast, for the packaging tests)
  --out DIR     where the artifacts go (default: target/dist)
  --stage OS    also lay out OS's tree (macos, windows) with this machine's binaries
                standing in; staging windows also compiles the NSIS installer
                (uncompressed) when makensis is installed
  --lint        only run the packaging linters (shellcheck, actionlint,
                desktop-file-validate), as `cargo xtask test` does";

/// What `package` was asked to do.
pub struct Options {
    /// Which cargo profile's binaries.
    pub profile: Profile,
    /// Where artifacts go.
    pub out: PathBuf,
    /// Other OSes whose trees to stage with stand-in binaries.
    pub stage: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            profile: Profile::Release,
            out: paths::target_dir().join("dist"),
            stage: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .with_context(|| format!("{name} needs a value\n\n{USAGE}"))
            };
            match arg.as_str() {
                "--profile" => options.profile = Profile::parse(&value("--profile")?)?,
                "--out" => options.out = std::path::absolute(value("--out")?)?,
                "--stage" => {
                    let os = value("--stage")?;
                    if !["macos", "windows"].contains(&os.as_str()) {
                        bail!("--stage takes macos or windows, not {os:?}\n\n{USAGE}");
                    }
                    options.stage.push(os);
                }
                "-h" | "--help" => {
                    println!("{USAGE}");
                    std::process::exit(0);
                }
                other => bail!("unknown argument {other:?}\n\n{USAGE}"),
            }
        }
        Ok(options)
    }
}

/// `cargo xtask package [ARGS]`.
pub fn package(args: &[String]) -> Result<()> {
    if args.iter().any(|a| a == "--lint") {
        crate::debian::ensure_packages(true)?;
        lint::ensure_tools()?;
        return lint::lint();
    }
    let options = Options::parse(args)?;
    // The test packages include the packaging tools (dpkg-dev, patchelf, help2man, ...).
    let provisioned = runtime::setup_with(true)?;
    package_with(&options, &provisioned.cef_dir)
}

/// Build (or reuse) the binaries of `options.profile` and make every artifact.
pub fn package_with(options: &Options, cef_dir: &std::path::Path) -> Result<()> {
    let started = std::time::Instant::now();
    let meta = meta::Meta::read()?;
    let bins = binaries::build(options.profile)?;
    fresh_output_folder(&options.out)?;
    let work = options.out.join("work");
    let prepared = binaries::prepare(&bins, &work.join("bin"), &options.out)?;
    let notices = licenses::collect(&work.join("licenses"), cef_dir, &prepared)?;
    let icon_set = icons::render(&work.join("icons"))?;
    let inputs = Inputs {
        meta: &meta,
        cef_dir,
        bins: &prepared,
        notices: &notices,
        icons: &icon_set,
    };

    if cfg!(target_os = "linux") {
        linux::package(&inputs, options)?;
    } else if cfg!(target_os = "macos") {
        macos::package(&inputs, options)?;
    } else if cfg!(windows) {
        windows::package(&inputs, options)?;
    }
    for os in &options.stage {
        match os.as_str() {
            "macos" => macos::stage(&inputs, &options.out.join("stage-macos"))?,
            "windows" => windows::stage(&inputs, &options.out.join("stage-windows"))?,
            _ => unreachable!("checked when parsing"),
        }
    }
    std::fs::remove_dir_all(&work).ok();
    cmd::step(&format!(
        "packaging done in {:.0} s; artifacts in {}",
        started.elapsed().as_secs_f64(),
        options.out.display()
    ));
    for line in fsutil::list_sizes(&options.out)? {
        println!("    {line}");
    }
    Ok(())
}

/// The packaging step of `cargo xtask test`: the linters, then the dev build packaged
/// (with the macOS and Windows trees staged) into `target/package-test`, which
/// tests/tests/packaging.rs installs and checks. Returns that folder.
pub fn test_step(cef_dir: &std::path::Path) -> Result<PathBuf> {
    lint::ensure_tools()?;
    lint::lint()?;
    let options = Options {
        profile: Profile::Dev,
        out: paths::target_dir().join("package-test"),
        stage: vec!["macos".into(), "windows".into()],
    };
    package_with(&options, cef_dir)?;
    Ok(options.out)
}

/// Marks a folder as `package`'s output, which a later run may empty.
const OUTPUT_MARKER: &str = ".nexus-package-output";

/// Empty `out` for a new run: only a folder that is new, empty or made by an earlier run.
fn fresh_output_folder(out: &std::path::Path) -> Result<()> {
    if out.exists() {
        let empty = std::fs::read_dir(out)?.next().is_none();
        if !empty && !out.join(OUTPUT_MARKER).exists() {
            bail!(
                "{} is not empty and was not written by `cargo xtask package`; choose a new or \
                 empty folder with --out",
                out.display()
            );
        }
        std::fs::remove_dir_all(out).with_context(|| format!("cannot empty {}", out.display()))?;
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;
    std::fs::write(out.join(OUTPUT_MARKER), "")?;
    Ok(())
}

/// Everything the per-OS steps lay out.
pub struct Inputs<'a> {
    /// Name, version, description.
    pub meta: &'a meta::Meta,
    /// The CEF runtime folder.
    pub cef_dir: &'a std::path::Path,
    /// Stripped binaries.
    pub bins: &'a binaries::Prepared,
    /// Third-party license texts.
    pub notices: &'a licenses::Notices,
    /// Rendered icons.
    pub icons: &'a icons::IconSet,
}
