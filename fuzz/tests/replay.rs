//! Replay: every committed corpus file (`corpus/TARGET/`) and every saved crash
//! (`regressions/TARGET/`) through its target, on stable, without libFuzzer. This is how
//! `cargo xtask test` keeps what the fuzzer found; `cargo xtask fuzz run TARGET` grows the
//! corpus.

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = ["corpus", "regressions"]
        .iter()
        .filter_map(|d| std::fs::read_dir(root.join(d).join(target)).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str) {
    let (_, run) = nexus_fuzz::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a known target");
    let files = inputs(target);
    // The committed corpora hold hundreds of files each; a handful means they went missing.
    assert!(
        files.len() >= 20,
        "{target}: only {} corpus files; grow it with `cargo xtask fuzz run {target}`",
        files.len()
    );
    for file in &files {
        let bytes = std::fs::read(file).expect("read a corpus file");
        if std::panic::catch_unwind(|| run(&bytes)).is_err() {
            panic!("{target} fails on {}", file.display());
        }
    }
}

macro_rules! replay_tests {
    ($($name:ident),* $(,)?) => { $(
        #[test]
        fn $name() {
            replay(stringify!($name));
        }
    )* };
}

replay_tests!(
    frame_decoder,
    envelope,
    handshake,
    sealed_channel,
    cef_hub,
    sync_log,
    bookmarks_html,
);

#[test]
fn every_target_has_a_replay_test() {
    let tested = [
        "frame_decoder",
        "envelope",
        "handshake",
        "sealed_channel",
        "cef_hub",
        "sync_log",
        "bookmarks_html",
    ];
    for (name, _) in nexus_fuzz::TARGETS {
        assert!(tested.contains(name), "{name} has no replay test");
    }
}
