//! Sync of 10,000 records between two devices through a folder.
//!
//! `upload_10k`: device A has 10,000 new bookmarks; one `sync_now` encrypts them and
//! appends them to its log. `download_apply_10k`: a fresh device B reads, decrypts and
//! merges them. Both use a folder created with the minimum KDF strength so the numbers are
//! the sync work itself; `kdf_default` measures the one-time PBKDF2 derivation (600,000
//! iterations) that a real folder costs once per session (keys are cached). The baseline,
//! measured in the same run, is writing the same 10,000 bookmarks to the store.
//!
//! Run: `cargo bench -p nexus --bench profile_sync`

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use nexus::profile::netscape::Node;
use nexus::profile::sync::crypto::{self, DEFAULT_ITERATIONS, MIN_ITERATIONS};
use nexus::profile::sync::{SyncConfig, sync_now};
use nexus::profile::transfer::import_nodes;
use nexus::profile::{OpenOptions, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const RECORDS: usize = 10_000;

/// A temporary folder, removed when dropped: criterion drops what a routine returns
/// outside the timed part, so routines return their folders (after their stores).
struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fresh_dir(tag: &str) -> Dir {
    static N: AtomicUsize = AtomicUsize::new(0);
    let p = std::env::temp_dir().join(format!(
        "nexus-bench-sync-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    Dir(p)
}

fn nodes() -> Vec<Node> {
    let links = (0..RECORDS)
        .map(|i| Node::Link {
            title: format!("Bookmark number {i} — ünïcødé"),
            url: format!("https://site{}.example/page/{i}", i % 500),
            added_ms: Some(1_700_000_000_000 + i as i64),
        })
        .collect();
    vec![Node::Folder {
        title: "bench".into(),
        added_ms: None,
        toolbar: false,
        unfiled: true,
        children: links,
    }]
}

fn store_with_bookmarks(dir: &Dir) -> Store {
    let mut s = Store::open_with(
        &dir.0,
        OpenOptions {
            browser: false,
            ..OpenOptions::default()
        },
    )
    .unwrap();
    import_nodes(&mut s, &nodes(), "bench").unwrap();
    s
}

fn config(folder: &Path) -> SyncConfig {
    let mut c = SyncConfig::new(folder, "bench passphrase", "bench device");
    c.new_folder_iterations = MIN_ITERATIONS;
    c
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sync_10k_records");
    g.sample_size(10);
    g.bench_function("baseline_store_10k_bookmarks", |b| {
        b.iter_batched(
            || fresh_dir("base"),
            |dir| (store_with_bookmarks(&dir), dir),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("upload_10k", |b| {
        b.iter_batched(
            || {
                let (folder, dir) = (fresh_dir("up-folder"), fresh_dir("up-a"));
                (store_with_bookmarks(&dir), dir, folder)
            },
            |(mut store, dir, folder)| {
                let r = sync_now(&mut store, &config(&folder.0));
                assert_eq!(r.uploaded, RECORDS + 1, "{:?}", r.error);
                (store, dir, folder)
            },
            BatchSize::PerIteration,
        )
    });
    // One folder holding A's 10,000 records; each iteration is a fresh device B.
    let (folder, a_dir) = (fresh_dir("down-folder"), fresh_dir("down-a"));
    let mut a = store_with_bookmarks(&a_dir);
    assert!(sync_now(&mut a, &config(&folder.0)).error.is_none());
    g.bench_function("download_apply_10k", |b| {
        b.iter_batched(
            || {
                let dir = fresh_dir("down-b");
                let options = OpenOptions {
                    browser: false,
                    ..OpenOptions::default()
                };
                (Store::open_with(&dir.0, options).unwrap(), dir)
            },
            |(mut store, dir)| {
                let r = sync_now(&mut store, &config(&folder.0));
                // A's records, plus the device records of earlier iterations' B devices.
                assert!(r.error.is_none() && r.applied > RECORDS, "{:?}", r.error);
                (store, dir)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("kdf_default_600k_iterations", |b| {
        b.iter(|| crypto::derive("bench passphrase", &[7u8; 16], DEFAULT_ITERATIONS))
    });
    g.finish();
    drop((a, a_dir, folder));
}

criterion_group!(benches, bench);
criterion_main!(benches);
