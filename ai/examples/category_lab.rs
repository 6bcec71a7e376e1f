//! Embeddings for tuning the category model offline: the page heads of the evaluation set's
//! `dev` pages (never the held-out ones unless `--all` is given, for the final report) and the
//! prototype sentences, written as JSON lines for analysis scripts.
//! `cargo run --release -p nexus-ai --example category_lab -- OUT.jsonl [--all] [PROTOTYPES.txt]`

use nexus_ai::category::CategoryModel;
use nexus_ai::embed::Embedder;
use nexus_ai::{CancelToken, ModelPaths};
use std::io::Write;

fn pages() -> Vec<serde_json::Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ai");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("tests/data/ai") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .iter()
        .flat_map(|p| {
            serde_json::from_str::<Vec<serde_json::Value>>(&std::fs::read_to_string(p).unwrap())
                .unwrap()
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args.first().expect("output file");
    let all = args.iter().any(|a| a == "--all");
    let proto_path = args.iter().skip(1).find(|a| !a.starts_with("--"));
    let embedder = Embedder::load(&ModelPaths::discover().expect("models")).expect("model");
    let cancel = CancelToken::new();
    let mut f = std::fs::File::create(out).expect("output");
    let source = match proto_path {
        Some(p) => std::fs::read_to_string(p).expect("prototypes"),
        None => nexus_ai::prototypes::CATEGORIES.to_owned(),
    };
    let source: &'static str = Box::leak(source.into_boxed_str());
    for (cat, lines) in nexus_ai::prototypes::sections(source) {
        let vs = embedder.embed(&lines, &cancel).expect("embed");
        for (line, v) in lines.iter().zip(vs) {
            let j = serde_json::json!({"kind": "proto", "cat": cat, "text": line, "v": v});
            writeln!(f, "{j}").unwrap();
        }
    }
    for page in pages() {
        let split = page["split"].as_str().unwrap_or("");
        if split != "dev" && !all {
            continue;
        }
        let s = |k: &str| page[k].as_str().unwrap_or("").to_owned();
        let headings: Vec<String> = page["headings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let content = s("content");
        let head = CategoryModel::page_text(
            &s("url"),
            &s("title"),
            Some(&s("description")),
            &headings,
            &content,
        );
        let title_desc = format!("{}. {}", s("title"), s("description"));
        let body = &content[..content.floor_char_boundary(1200)];
        let texts = [head.as_str(), title_desc.as_str(), body];
        let vs = embedder.embed(&texts, &cancel).expect("embed");
        let j = serde_json::json!({"kind": "page", "id": page["id"], "split": split,
            "cat": page["category"], "sentiment": page["sentiment"],
            "head": vs[0], "title": vs[1], "body": vs[2]});
        writeln!(f, "{j}").unwrap();
    }
}
