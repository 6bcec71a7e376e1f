//! `model_files.rs` stands alone (std only), as `xtask` includes it by path, and its table
//! matches the files provisioned on this machine.

#[path = "../src/model_files.rs"]
mod model_files;

#[test]
fn the_table_is_usable_without_this_crate_and_matches_the_provisioned_files() {
    let paths = nexus_ai::ModelPaths::discover().expect("models root");
    for f in model_files::MODEL_FILES {
        let path = paths.file(f.path);
        let meta = std::fs::metadata(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(meta.len(), f.size, "{}", f.path);
        assert!(f.wheel.contains("=="), "{}: pin the wheel version", f.path);
        let row = nexus_ai::MODEL_FILES
            .iter()
            .find(|r| r.path == f.path)
            .expect("same table");
        paths.verify_file(row).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(model_files::FIX_COMMAND, "cargo xtask setup");
    assert_eq!(model_files::MODEL_DIR_ENV, "NEXUS_MODEL_DIR");
    assert!(
        model_files::MODEL_FILES
            .iter()
            .any(|f| f.model == model_files::ModelId::SmolLm2 && f.loaded)
    );
}
