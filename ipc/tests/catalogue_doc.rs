//! `docs/ipc-catalogue.md` is generated from the code's catalogue; this test fails when it
//! is stale. `NEXUS_UPDATE_DOCS=1 cargo test -p nexus-ipc --test catalogue_doc` rewrites it.

use nexus_ipc::CATALOGUE;
use nexus_ipc::policy::RateLimits;
use nexus_ipc::policy::allow::{AI_WORKER, CONTROL, RENDERER};

fn generate() -> String {
    let rates = RateLimits::default();
    let mut out = String::from(
        "# The nexus-ipc message catalogue\n\n\
         Generated from `ipc/src/kind.rs` and the default policy by\n\
         `NEXUS_UPDATE_DOCS=1 cargo test -p nexus-ipc --test catalogue_doc`; do not edit.\n\n\
         | code | kind | a renderer may send | the AI worker may send | rate limit per sender |\n\
         |---|---|---|---|---|\n",
    );
    for (kind, name) in CATALOGUE {
        let yes = |list: &[nexus_ipc::Kind]| {
            if list.contains(kind) || CONTROL.contains(kind) {
                "yes"
            } else {
                ""
            }
        };
        out.push_str(&format!(
            "| 0x{:04x} | `{name}` | {} | {} | {}/s |\n",
            kind.0,
            yes(RENDERER),
            yes(AI_WORKER),
            rates.rate(*kind).per_second
        ));
    }
    out
}

#[test]
fn the_catalogue_document_is_generated_from_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/ipc-catalogue.md");
    let fresh = generate();
    if std::env::var_os("NEXUS_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fresh,
        "{} is stale: run NEXUS_UPDATE_DOCS=1 cargo test -p nexus-ipc --test catalogue_doc",
        path.display()
    );
}
