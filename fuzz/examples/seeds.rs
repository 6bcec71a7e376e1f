//! Write each target's seeds into `fuzz/corpus/TARGET/` (`seed-N`, by content, so running
//! it again adds nothing new).

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, _) in nexus_fuzz::TARGETS {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).expect("corpus folder");
        let seeds = nexus_fuzz::seeds::seeds(target);
        for (i, seed) in seeds.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i}")), seed).expect("write a seed");
        }
        println!("{target}: {} seeds in {}", seeds.len(), dir.display());
    }
}
