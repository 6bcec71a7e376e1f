//! Archives: `.tar.gz` (GNU tar), `.zip` (Python's zipfile, on every CI machine), and
//! gzip for single files.

use crate::cmd;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Pack the folder `src` as `<top>/...` into `out` (gzip -9, or -1 when `fast`), owned by
/// root, in name order.
pub fn tar_gz(src: &Path, top: &str, out: &Path, fast: bool) -> Result<()> {
    let parent = src.parent().context("archive source has no parent")?;
    let name = src
        .file_name()
        .context("archive source has no name")?
        .to_string_lossy()
        .into_owned();
    cmd::step(&format!("packing {}", out.display()));
    let started = std::time::Instant::now();
    cmd::run(
        Command::new("tar")
            .arg("-C")
            .arg(parent)
            .args(["--sort=name", "--owner=0", "--group=0", "--numeric-owner"])
            .arg(format!("--transform=s,^{name},{top},"))
            .arg(format!(
                "--use-compress-program=gzip -{}n",
                if fast { 1 } else { 9 }
            ))
            .arg("-cf")
            .arg(out)
            .arg(&name),
    )?;
    println!("    took {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Pack the folder `src` as `<top>/...` into the zip `out` (deflate -9, or stored when
/// `fast`).
pub fn zip(src: &Path, top: &str, out: &Path, fast: bool) -> Result<()> {
    const SCRIPT: &str = r#"
import os, sys, zipfile
src, top, out, fast = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
method = zipfile.ZIP_STORED if fast else zipfile.ZIP_DEFLATED
with zipfile.ZipFile(out, "w", method, compresslevel=None if fast else 9) as z:
    for folder, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, src).replace(os.sep, "/")
            z.write(path, top + "/" + rel)
"#;
    cmd::step(&format!("packing {}", out.display()));
    let python = if cmd::have("python3") {
        "python3"
    } else {
        "python"
    };
    cmd::run(
        Command::new(python)
            .args(["-c", SCRIPT])
            .arg(src)
            .arg(top)
            .arg(out)
            .arg(if fast { "1" } else { "0" }),
    )
}

/// `gzip -9n` of `data` (no name or time stamp inside, as Debian wants).
pub fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut child = Command::new("gzip")
        .arg("-9n")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("could not start gzip")?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output()?;
    writer
        .join()
        .expect("gzip writer thread")
        .context("writing to gzip")?;
    if !out.status.success() {
        bail!("gzip failed ({})", out.status);
    }
    Ok(out.stdout)
}
