//! Address-bar autocomplete on a profile of 100,000 visits (budget: under 10 ms).
//!
//! The profile: 20,000 pages on 2,000 hosts, visit counts skewed (a few pages get most
//! visits, as in real browsing), spread over a year, one in ten typed; 1,000 bookmarks.
//! Queries cover the paths of `autocomplete.rs`: one and two letters (frecency walk), a host
//! prefix, a path, two words (FTS5), and a miss. The baseline, measured in the same run,
//! is one indexed point lookup of a page by URL.
//!
//! Run: `cargo bench -p nexus --bench profile_autocomplete`

use criterion::{Criterion, criterion_group, criterion_main};
use nexus::profile::bookmarks::OTHER_GUID;
use nexus::profile::{Clock, OpenOptions, Store, Transition};
use std::hint::black_box;
use std::path::PathBuf;

const VISITS: usize = 100_000;
const PAGES: usize = 20_000;
const HOSTS: usize = 2_000;
const WORDS: &[&str] = &[
    "rust",
    "github",
    "docs",
    "news",
    "weather",
    "recipe",
    "python",
    "linux",
    "kernel",
    "music",
    "video",
    "travel",
    "bank",
    "shop",
    "mail",
    "calendar",
    "maps",
    "photos",
    "wiki",
    "forum",
    "review",
    "guide",
    "release",
    "notes",
    "café",
    "straße",
    "日本",
    "données",
    "programming",
    "language",
    "tutorial",
    "search",
    "sports",
    "football",
];
const TLDS: &[&str] = &["com", "org", "net", "io", "dev", "de", "fr", "co.uk"];

/// A small deterministic PRNG (xorshift) so every run builds the same profile.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn host(i: usize) -> String {
    let w = WORDS[i % WORDS.len()].replace(['é', 'ß', 'à'], "e");
    let w = if w.is_ascii() { w } else { format!("site{i}") };
    format!("{}{}.{}", w, i / WORDS.len(), TLDS[i % TLDS.len()])
}

fn page(i: usize, rng: &mut Rng) -> (String, String) {
    let h = host(i % HOSTS);
    let w1 = WORDS[rng.below(WORDS.len())];
    let w2 = WORDS[rng.below(WORDS.len())];
    (
        format!(
            "https://{}{h}/{w1}/{i}",
            if i.is_multiple_of(3) { "www." } else { "" }
        ),
        format!("{w1} {w2} — page {i} on {h}"),
    )
}

fn build(dir: &PathBuf) -> Store {
    let clock = Clock::manual(1_700_000_000_000);
    let mut store = Store::open_with(
        dir,
        OpenOptions {
            clock: clock.clone(),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let pages: Vec<(String, String)> = (0..PAGES).map(|i| page(i, &mut rng)).collect();
    let year_ms = 365 * 86_400_000i64;
    let step = year_ms / VISITS as i64;
    for v in 0..VISITS {
        // Skewed popularity: squaring a uniform draw favours low page numbers.
        let r = rng.below(PAGES);
        let idx = r * r / PAGES;
        let (url, title) = &pages[idx];
        let tr = if v.is_multiple_of(10) {
            Transition::Typed
        } else {
            Transition::Link
        };
        clock.advance(step);
        store.record_visit(url, Some(title), tr).unwrap();
    }
    for i in 0..1_000 {
        let (url, title) = &pages[rng.below(PAGES)];
        store
            .add_bookmark(OTHER_GUID, None, url, &format!("{title} ★{i}"))
            .unwrap();
    }
    store
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("nexus-bench-autocomplete-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let started = std::time::Instant::now();
    let store = build(&dir);
    eprintln!(
        "built a profile of {VISITS} visits on {PAGES} pages in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let probe = page(7, &mut Rng(1)).0;
    let mut g = c.benchmark_group("autocomplete_100k_visits");
    g.bench_function("baseline_point_lookup", |b| {
        b.iter(|| black_box(store.page(black_box(&probe)).unwrap()))
    });
    for q in [
        "g",
        "gi",
        "git",
        "pag",
        "github0.org/r",
        "rust lang",
        "straße",
        "page 1234",
        "zzqx",
    ] {
        let n = store.autocomplete(q, 8).unwrap().len();
        eprintln!("query {q:?}: {n} suggestions");
        g.bench_function(format!("query {q:?}"), |b| {
            b.iter(|| black_box(store.autocomplete(black_box(q), 8).unwrap()))
        });
    }
    g.finish();
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
