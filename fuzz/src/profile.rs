//! Targets for the profile's readers of foreign files: device logs in the sync folder
//! (written by other devices, or by anyone who can write to that folder) and bookmark HTML
//! files (written by other browsers, or by anyone who sends the user a file).

use crate::input::Input;
use nexus::profile::netscape::{self, Node};
use nexus::profile::sync::crypto::{Header, Keys, MIN_ITERATIONS};
use nexus::profile::sync::log::{self, Collection, FrameHeader, MAGIC};
use nexus::profile::sync::{SyncConfig, sync_now};
use nexus::profile::{OpenOptions, Store, transfer};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

const PASSPHRASE: &str = "fuzzing passphrase";

/// A scratch folder in memory when the system has one (fsync is free there).
fn scratch(label: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let base = Path::new("/dev/shm");
    let base = if base.is_dir() {
        base.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = base.join(format!("nexus-fuzz-{label}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// A profile and a sync folder set up once and reused for many inputs (recreated every
/// [`SyncFixture::RUNS`] so the database does not grow without bound).
struct SyncFixture {
    root: PathBuf,
    store: Option<Store>,
    config: SyncConfig,
    keys: Keys,
    runs: u64,
}

impl SyncFixture {
    const RUNS: u64 = 500;

    fn new() -> SyncFixture {
        let root = scratch("sync");
        let folder = root.join("folder");
        std::fs::create_dir_all(folder.join("devices")).expect("sync folder");
        let (header, keys) = Header::create(PASSPHRASE, MIN_ITERATIONS);
        std::fs::write(
            folder.join("nexus-sync.json"),
            serde_json::to_vec(&header).expect("header"),
        )
        .expect("header file");
        let store = Store::open_with(
            root.join("profile"),
            OpenOptions {
                browser: false,
                ..OpenOptions::default()
            },
        )
        .expect("profile");
        let mut config = SyncConfig::new(&folder, PASSPHRASE, "fuzz device");
        config.new_folder_iterations = MIN_ITERATIONS;
        SyncFixture {
            root,
            store: Some(store),
            config,
            keys,
            runs: 0,
        }
    }
}

impl Drop for SyncFixture {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            let _ = store.close();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

thread_local! {
    static SYNC: RefCell<Option<SyncFixture>> = const { RefCell::new(None) };
}

const COLLECTIONS: [Collection; 4] = [
    Collection::Bookmarks,
    Collection::History,
    Collection::Settings,
    Collection::Device,
];

/// The opaque id a writer with the keys would give the record in `plaintext`.
fn opaque_id_of(keys: &Keys, collection: Collection, plaintext: &[u8]) -> [u8; 16] {
    let id = serde_json::from_slice::<serde_json::Value>(plaintext)
        .ok()
        .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
        .unwrap_or_default();
    keys.opaque_id(collection.name(), &id)
}

/// A device log built from fuzzer choices: frames sealed with the folder's keys (so the
/// decoder gets past authentication to the record JSON and the merge), raw bytes, and
/// sealed frames with a flipped byte.
fn device_log(input: &mut Input, keys: &Keys, device: &str) -> Vec<u8> {
    let mut file = if input.byte() == 0xff {
        input.bytes(8).to_vec()
    } else {
        MAGIC.to_vec()
    };
    let mut seq = 0u64;
    while !input.is_empty() {
        match input.byte() % 4 {
            0 | 1 => {
                let collection = *input.pick(&COLLECTIONS);
                let seq_here = if input.byte() == 0xff {
                    input.u64()
                } else {
                    seq
                };
                seq = seq_here.wrapping_add(1);
                let modified_ms = input.u64() as i64;
                let plaintext = input.chunk(2048);
                let opaque_id = if input.byte() == 0xff {
                    let mut id = [0u8; 16];
                    id.copy_from_slice(&[input.bytes(16), &[0u8; 16]].concat()[..16]);
                    id
                } else {
                    opaque_id_of(keys, collection, plaintext)
                };
                let header = FrameHeader {
                    collection,
                    seq: seq_here,
                    opaque_id,
                    modified_ms,
                };
                let mut frame = log::encode(keys, device, &header, plaintext);
                if input.byte() == 0xfe {
                    let at = usize::from(input.u16()) % frame.len();
                    frame[at] ^= input.byte() | 1;
                }
                file.extend_from_slice(&frame);
            }
            2 => file.extend_from_slice(input.chunk(512)),
            _ => {
                // Cut the file here: a sync service that copied it halfway.
                break;
            }
        }
    }
    file
}

/// Another device's log in the sync folder, read and merged by a real `sync_now` into a
/// real profile: never a panic, never an error for the whole sync (bad records are named
/// and skipped), and the database stays sound.
pub fn sync_log(data: &[u8]) {
    SYNC.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|f| f.runs >= SyncFixture::RUNS) {
            *slot = None;
            *slot = Some(SyncFixture::new());
        }
        let fixture = slot.as_mut().expect("set above");
        fixture.runs += 1;
        let device = format!(
            "{:032x}",
            u128::from(fixture.runs) << 64 | u128::from(std::process::id())
        );
        let mut input = Input::new(data);
        let twice = input.flag();
        let file = device_log(&mut input, &fixture.keys, &device);
        let path = fixture
            .config
            .folder
            .join("devices")
            .join(format!("{device}.nxlog"));
        std::fs::write(&path, &file).expect("write the device log");
        let store = fixture.store.as_mut().expect("open");
        let report = sync_now(store, &fixture.config);
        assert!(
            report.error.is_none(),
            "a bad device log failed the whole sync: {:?}",
            report.error
        );
        if twice {
            let again = sync_now(store, &fixture.config);
            assert!(again.error.is_none(), "{:?}", again.error);
            assert_eq!(again.applied, 0, "re-reading a log applied records again");
        }
        let _ = std::fs::remove_file(&path);
        if fixture.runs % 100 == 0 {
            assert_eq!(store.integrity_check().expect("integrity check"), "ok");
        }
    });
}

/// Second-resolution dates: the file format stores seconds.
fn normalise(nodes: &[Node]) -> Vec<Node> {
    nodes
        .iter()
        .map(|n| match n {
            Node::Folder {
                title,
                added_ms,
                toolbar,
                unfiled,
                children,
            } => Node::Folder {
                title: title.clone(),
                added_ms: added_ms.map(|m| m.div_euclid(1000)),
                toolbar: *toolbar,
                unfiled: *unfiled,
                children: normalise(children),
            },
            Node::Link {
                title,
                url,
                added_ms,
            } => Node::Link {
                title: title.clone(),
                url: url.clone(),
                added_ms: added_ms.map(|m| m.div_euclid(1000)),
            },
        })
        .collect()
}

fn depth(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|n| match n {
            Node::Folder { children, .. } => 1 + depth(children),
            Node::Link { .. } => 1,
        })
        .max()
        .unwrap_or(0)
}

thread_local! {
    static IMPORT: RefCell<Option<(PathBuf, Store, u64)>> = const { RefCell::new(None) };
}

/// The Netscape bookmark importer: any text parses or is refused without a panic; what it
/// parses is no deeper than the limit, writes back as a file that parses to the same tree
/// (dates to the second), and imports into a real profile.
pub fn bookmarks_html(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(nodes) = netscape::parse(&text) else {
        return;
    };
    assert!(
        depth(&nodes) <= netscape::MAX_DEPTH + 1,
        "the depth limit did not hold"
    );
    let written = netscape::write(&nodes);
    let again = netscape::parse(&written).expect("our own export parses");
    assert_eq!(
        normalise(&again),
        normalise(&nodes),
        "a bookmark file did not survive export and import"
    );
    IMPORT.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|(_, _, runs)| *runs >= 500) {
            if let Some((dir, store, _)) = slot.take() {
                let _ = store.close();
                let _ = std::fs::remove_dir_all(dir);
            }
            let dir = scratch("import");
            let store = Store::open_with(
                &dir,
                OpenOptions {
                    browser: false,
                    ..OpenOptions::default()
                },
            )
            .expect("profile");
            *slot = Some((dir, store, 0));
        }
        let (_, store, runs) = slot.as_mut().expect("set above");
        *runs += 1;
        transfer::import_nodes(store, &nodes, "fuzz").expect("parsed bookmarks import");
    });
}
