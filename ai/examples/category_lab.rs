//! Category accuracy per split in seconds rather than the eval's minutes, for tuning the
//! prototypes (`ai/src/prototypes/categories.txt`, or a draft given as an argument), the
//! layout cues and the thresholds. Lists every miss on `dev` pages; other splits only in
//! totals, and only with `--all` (the held-out pages are for the final report, not tuning).
//! `--page ID` also shows that one page's result whatever its split (for a page a report
//! must name, such as the held-out `hold-news-01`, `assets/test-pages/article.html`).
//! `cargo run --release -p nexus-ai --example category_lab -- [--all] [--page ID] [PROTOTYPES.txt]`

use nexus_ai::category::{CategoryModel, cues};
use nexus_ai::embed::Embedder;
use nexus_ai::{CancelToken, ModelPaths};
use nexus_ipc::messages::ai::Category;
use std::collections::BTreeMap;

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
    let all = args.iter().any(|a| a == "--all");
    let shown = args
        .iter()
        .position(|a| a == "--page")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let proto_path = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--page"))
        .map(|(_, a)| a);
    let embedder = Embedder::load(&ModelPaths::discover().expect("models")).expect("model");
    let source = match proto_path {
        Some(p) => std::fs::read_to_string(p).expect("prototypes"),
        None => nexus_ai::prototypes::CATEGORIES.to_owned(),
    };
    let source: &'static str = Box::leak(source.into_boxed_str());
    let model = CategoryModel::with_prototypes(&embedder, source).expect("prototypes");
    // split -> (pages, right, uncertain, best guess right)
    let mut totals: BTreeMap<String, (u32, u32, u32, u32)> = BTreeMap::new();
    for page in pages() {
        let split = page["split"].as_str().unwrap_or("").to_owned();
        if split != "dev" && !all && shown.as_deref() != page["id"].as_str() {
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
        let v = embedder
            .embed(&[head.as_str()], &CancelToken::new())
            .expect("embed")
            .remove(0);
        let result = model.classify(&v, &cues::bonuses(&s("url"), &content));
        let gold: Category = serde_json::from_value(page["category"].clone()).expect("category");
        let t = totals.entry(split.clone()).or_default();
        t.0 += 1;
        t.1 += (result.category == gold) as u32;
        t.2 += (result.category == Category::Uncertain) as u32;
        t.3 += (result.scores[0].0 == gold) as u32;
        let show = shown.as_deref() == page["id"].as_str();
        if show || (split == "dev" && result.category != gold) {
            let top: Vec<String> = result
                .scores
                .iter()
                .take(3)
                .map(|(c, p)| format!("{c:?} {p:.2}"))
                .collect();
            println!(
                "  {} ({gold:?}) -> {:?}: {}",
                s("id"),
                result.category,
                top.join(", ")
            );
        }
    }
    for (split, (n, ok, unc, best)) in totals {
        let pct = |x: u32| 100.0 * x as f64 / n.max(1) as f64;
        println!(
            "[{split}] {n} pages: category {:.1}% ({unc} uncertain), best guess right {:.1}%",
            pct(ok),
            pct(best)
        );
    }
}
