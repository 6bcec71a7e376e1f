//! Storage tests of the profile store: records, ranking, settings, session, migrations,
//! crash safety (kill -9), damaged files, full disk and read-only profiles.

use nexus::profile::bookmarks::{OTHER_GUID, TOOLBAR_GUID};
use nexus::profile::history::HistoryQuery;
use nexus::profile::permissions::ApiAccess;
use nexus::profile::schema;
use nexus::profile::session::{SessionState, TabState, WindowState};
use nexus::profile::{ChangeOrigin, Clock, OpenOptions, ProfileError, Store, Transition};
use nexus_ipc::messages::sync::{DataType, SyncAction};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const T0: i64 = 1_750_000_000_000;
const DAY: i64 = 86_400_000;

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "nexus-store-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn open(dir: &Path) -> (Store, Clock) {
    let clock = Clock::manual(T0);
    let store = Store::open_with(
        dir,
        OpenOptions {
            clock: clock.clone(),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    (store, clock)
}

fn titles(store: &Store, folder: &str) -> Vec<String> {
    store
        .bookmark_children(folder)
        .unwrap()
        .into_iter()
        .map(|b| b.title)
        .collect()
}

#[test]
fn bookmarks_keep_order_and_folders_and_announce_every_change() {
    let dir = TempDir::new("bm");
    let (mut s, clock) = open(&dir.0);
    assert_eq!(titles(&s, TOOLBAR_GUID), Vec::<String>::new());
    let a = s
        .add_bookmark(TOOLBAR_GUID, None, "https://a.example/", "A")
        .unwrap();
    s.add_bookmark(TOOLBAR_GUID, None, "https://c.example/", "C")
        .unwrap();
    s.add_bookmark(TOOLBAR_GUID, Some(1), "https://b.example/", "B")
        .unwrap();
    assert_eq!(titles(&s, TOOLBAR_GUID), ["A", "B", "C"]);
    let folder = s
        .add_folder(TOOLBAR_GUID, Some(0), "Ünïcødé & <folder>")
        .unwrap();
    clock.advance(1000);
    s.move_bookmark(&a.guid, &folder.guid, None).unwrap();
    assert_eq!(titles(&s, TOOLBAR_GUID), ["Ünïcødé & <folder>", "B", "C"]);
    assert_eq!(titles(&s, &folder.guid), ["A"]);
    let moved = s.bookmark(&a.guid).unwrap().unwrap();
    assert_eq!((moved.created_ms, moved.modified_ms), (T0, T0 + 1000));
    let err = s
        .move_bookmark(&folder.guid, &folder.guid, None)
        .unwrap_err();
    assert!(
        err.to_string().contains("cannot be moved into itself"),
        "{err}"
    );
    assert!(s.delete_bookmark(TOOLBAR_GUID).is_err(), "roots stay");
    assert!(
        s.add_bookmark(TOOLBAR_GUID, None, "not a url", "x")
            .is_err()
    );

    s.drain_changes();
    s.update_bookmark(&a.guid, Some("A2"), None).unwrap();
    assert_eq!(s.delete_bookmark(&folder.guid).unwrap(), 2);
    let changes = s.drain_changes();
    let actions: Vec<_> = changes.iter().map(|c| (c.data_type, c.action)).collect();
    assert_eq!(
        actions,
        [
            (DataType::Bookmarks, SyncAction::Update),
            (DataType::Bookmarks, SyncAction::Delete),
            (DataType::Bookmarks, SyncAction::Delete)
        ]
    );
    assert_eq!(changes[0].record["title"], "A2");
    assert_eq!(changes[0].origin, ChangeOrigin::Local);
    let msg = changes[1].to_data_sync();
    assert_eq!(msg.data_json, format!(r#"{{"guid":"{}"}}"#, a.guid));
    assert_eq!(titles(&s, TOOLBAR_GUID), ["B", "C"]);

    assert!(s.toggle_bookmark("https://star.example/", "Star").unwrap());
    assert!(s.is_bookmarked("https://star.example/").unwrap());
    assert!(!s.toggle_bookmark("https://star.example/", "Star").unwrap());
    assert!(!s.is_bookmarked("https://star.example/").unwrap());
}

#[test]
fn inserting_many_times_at_one_spot_keeps_the_order() {
    let dir = TempDir::new("order");
    let (mut s, _) = open(&dir.0);
    s.add_bookmark(OTHER_GUID, None, "https://first.example/", "first")
        .unwrap();
    s.add_bookmark(OTHER_GUID, None, "https://last.example/", "last")
        .unwrap();
    for i in 0..80 {
        s.add_bookmark(
            OTHER_GUID,
            Some(1 + i),
            &format!("https://x{i}.example/"),
            &format!("{i}"),
        )
        .unwrap();
    }
    let got = titles(&s, OTHER_GUID);
    let mut want = vec!["first".to_string()];
    want.extend((0..80).map(|i| i.to_string()));
    want.push("last".into());
    assert_eq!(got, want);
}

#[test]
fn history_ranks_by_decayed_frecency_and_clears_by_time_range() {
    let dir = TempDir::new("hist");
    let (mut s, clock) = open(&dir.0);
    for _ in 0..3 {
        s.record_visit("https://often.example/", Some("Often"), Transition::Link)
            .unwrap();
    }
    s.record_visit("https://typed.example/", Some("Typed"), Transition::Typed)
        .unwrap();
    s.record_visit("https://reload.example/", None, Transition::Reload)
        .unwrap();
    assert!((s.frecency_score("https://often.example/").unwrap() - 3.0).abs() < 1e-9);
    assert!((s.frecency_score("https://typed.example/").unwrap() - 2.0).abs() < 1e-9);
    assert_eq!(s.frecency_score("https://reload.example/").unwrap(), 0.0);
    clock.advance(60 * DAY);
    s.record_visit("https://fresh.example/", Some("Fresh"), Transition::Link)
        .unwrap();
    // 3 visits two half-lives ago (0.75) < 1 visit now.
    let top: Vec<String> = s
        .top_pages(10)
        .unwrap()
        .into_iter()
        .map(|p| p.url)
        .collect();
    assert_eq!(
        top,
        [
            "https://fresh.example/",
            "https://often.example/",
            "https://typed.example/"
        ]
    );
    let page = s.page("https://often.example/").unwrap().unwrap();
    assert_eq!((page.visit_count, page.title.as_str()), (3, "Often"));
    s.set_page_title("https://fresh.example/", "Fresh, retitled")
        .unwrap();

    let entries = s
        .history(&HistoryQuery {
            text: Some("retitled".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].transition, Transition::Link);
    let all = s.history(&HistoryQuery::default()).unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(all[0].url, "https://fresh.example/");

    s.drain_changes();
    assert_eq!(
        s.delete_history_between(T0 + 30 * DAY, T0 + 90 * DAY)
            .unwrap(),
        1
    );
    assert!(s.page("https://fresh.example/").unwrap().is_none());
    let ch = s.drain_changes();
    assert_eq!(
        (ch[0].data_type, ch[0].action),
        (DataType::History, SyncAction::Delete)
    );
    assert!(s.delete_page("https://typed.example/").unwrap());
    assert_eq!(s.clear_history().unwrap(), 4);
    assert!(s.top_pages(10).unwrap().is_empty());
}

#[test]
fn autocomplete_matches_hosts_and_words_dedupes_and_boosts_bookmarks() {
    let dir = TempDir::new("ac");
    let (mut s, _) = open(&dir.0);
    for _ in 0..5 {
        s.record_visit(
            "https://github.com/rust-lang/rust",
            Some("The Rust Programming Language"),
            Transition::Link,
        )
        .unwrap();
    }
    s.record_visit("https://www.gitlab.com/", Some("GitLab"), Transition::Typed)
        .unwrap();
    s.record_visit("http://gitlab.com", Some("GitLab (http)"), Transition::Link)
        .unwrap();
    s.record_visit(
        "https://news.example/story",
        Some("Über Straße café"),
        Transition::Link,
    )
    .unwrap();
    s.record_visit("https://digit.example/", Some("Digits"), Transition::Link)
        .unwrap();
    s.add_bookmark(
        OTHER_GUID,
        None,
        "https://gitbook.example/docs",
        "GitBook docs",
    )
    .unwrap();

    let urls = |s: &Store, q: &str| -> Vec<String> {
        s.autocomplete(q, 8)
            .unwrap()
            .into_iter()
            .map(|x| x.url)
            .collect()
    };
    let git = s.autocomplete("git", 8).unwrap();
    assert_eq!(git[0].url, "https://github.com/rust-lang/rust");
    assert!(git[0].host_match);
    assert_eq!(
        git.iter().filter(|x| x.url.contains("gitlab")).count(),
        1,
        "http/https/www duplicates merge: {git:?}"
    );
    assert!(
        git.iter()
            .any(|x| x.url == "https://gitbook.example/docs" && x.bookmarked),
        "bookmark never visited is suggested"
    );
    assert!(
        !git.iter().any(|x| x.url.contains("digit")),
        "word prefix, not substring, for longer input"
    );
    assert_eq!(
        urls(&s, "rust programming"),
        ["https://github.com/rust-lang/rust"]
    );
    assert_eq!(
        urls(&s, "HTTPS://WWW.GITHUB"),
        ["https://github.com/rust-lang/rust"]
    );
    assert_eq!(
        urls(&s, "cafe"),
        ["https://news.example/story"],
        "diacritics folded"
    );
    assert_eq!(urls(&s, "über"), ["https://news.example/story"]);
    assert!(
        urls(&s, "g").len() >= 3,
        "one letter finds the frecent pages"
    );
    assert!(urls(&s, "zzzz-nothing").is_empty());
    assert!(urls(&s, "").is_empty());
    // A bookmark boost lifts a page over an otherwise equal one.
    s.record_visit(
        "https://alpha-one.example/",
        Some("alpha one"),
        Transition::Link,
    )
    .unwrap();
    s.record_visit(
        "https://alpha-two.example/",
        Some("alpha two"),
        Transition::Link,
    )
    .unwrap();
    s.add_bookmark(OTHER_GUID, None, "https://alpha-two.example/", "alpha two")
        .unwrap();
    assert_eq!(urls(&s, "alpha")[0], "https://alpha-two.example/");
    assert_eq!(
        urls(&s, "100%_"),
        Vec::<String>::new(),
        "LIKE wildcards are literal"
    );
}

#[test]
fn settings_validate_on_write_and_forgive_on_read() {
    let dir = TempDir::new("settings");
    let (mut s, _) = open(&dir.0);
    let (settings, warnings) = s.settings().unwrap();
    assert!(warnings.is_empty());
    assert_eq!(settings.general.startup, "restore_session");
    s.set_setting("appearance.theme", serde_json::json!("dark"))
        .unwrap();
    let err = s
        .set_setting("appearance.default_zoom", serde_json::json!(12))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"setting "appearance.default_zoom": the value 12 is not a number from 0.25 to 5"#
    );
    assert!(
        s.set_setting("no.such", serde_json::json!(1))
            .unwrap_err()
            .to_string()
            .contains("there is no setting")
    );
    let changes = s.drain_changes();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0].record,
        serde_json::json!({"key": "appearance.theme", "value": "dark"})
    );
    assert_eq!(s.settings().unwrap().0.appearance.theme, "dark");
    let path = s.db_path().to_path_buf();
    drop(s);
    // A damaged value in the file (another tool, a bug, a newer version) keeps the default.
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute(
        "UPDATE settings SET value = '\"neon\"' WHERE key = 'appearance.theme'",
        [],
    )
    .unwrap();
    drop(c);
    let (mut s, _) = open(&dir.0);
    let (settings, warnings) = s.settings().unwrap();
    assert_eq!(settings.appearance.theme, "system");
    assert_eq!(
        warnings[0].message,
        r#"setting "appearance.theme": the stored value "neon" is not one of system, light, dark; using the default "system""#
    );
    s.reset_setting("appearance.theme").unwrap();
    assert!(s.settings().unwrap().1.is_empty());
}

#[test]
fn session_is_saved_cheaply_and_restored_after_restart() {
    let dir = TempDir::new("session");
    let tab = |u: &str| TabState {
        url: u.into(),
        title: u.into(),
        zoom: 1.0,
        history: vec![u.into()],
        ..Default::default()
    };
    let state = SessionState {
        windows: vec![WindowState {
            bounds: Some([10.0, 20.0, 800.0, 600.0]),
            tabs: vec![tab("https://a.example/"), tab("https://b.example/")],
            active_tab: 1,
            ..Default::default()
        }],
        active_window: 0,
    };
    {
        let (mut s, _) = open(&dir.0);
        assert!(s.last_session().unwrap().is_none());
        assert!(s.save_session(&state).unwrap());
        assert!(
            !s.save_session(&state).unwrap(),
            "an unchanged session is not rewritten"
        );
        // Simulate a crash: no clean close.
        std::mem::forget(s);
    }
    let (mut s, _) = open(&dir.0);
    assert_eq!(s.last_session().unwrap().unwrap().state, state);
    s.save_session(&SessionState::default()).unwrap();
    assert_eq!(
        s.last_session().unwrap().unwrap().state,
        state,
        "still the previous run's session"
    );
}

#[test]
fn permissions_zoom_never_analyze_and_downloads() {
    let dir = TempDir::new("perm");
    let (mut s, _) = open(&dir.0);
    s.set_api_access("https://app.example:443/page", ApiAccess::Allow)
        .unwrap();
    s.set_api_access("http://evil.example/", ApiAccess::Deny)
        .unwrap();
    assert_eq!(
        s.api_access("https://app.example/other").unwrap(),
        Some(ApiAccess::Allow)
    );
    assert_eq!(
        s.api_access("http://app.example/").unwrap(),
        None,
        "another origin"
    );
    assert_eq!(s.site_permissions().unwrap().len(), 2);
    assert!(s.revoke_api_access("https://app.example").unwrap());
    assert_eq!(s.api_access("https://app.example/").unwrap(), None);
    s.add_never_analyze("bank.example").unwrap();
    assert!(s.is_never_analyze("https://login.bank.example/x").unwrap());
    assert!(!s.is_never_analyze("https://notbank.example/").unwrap());
    s.set_site_zoom("https://zoom.example/a", 1.5).unwrap();
    assert_eq!(s.site_zoom("https://zoom.example/b").unwrap(), Some(1.5));
    assert!(s.set_site_zoom("https://zoom.example/", 9.0).is_err());

    let d = s
        .add_download(
            "https://dl.example/f.zip",
            "/home/u/Downloads/f.zip",
            "application/zip",
            Some(100),
        )
        .unwrap();
    s.update_download_progress(&d.guid, 50, None).unwrap();
    std::mem::forget(s);
    let (mut s, _) = open(&dir.0);
    assert_eq!(s.interrupt_unfinished_downloads().unwrap(), 1);
    let got = s.download(&d.guid).unwrap();
    assert_eq!(
        (got.received_bytes, got.state),
        (50, nexus::profile::downloads::DownloadState::Interrupted)
    );
    assert_eq!(s.clear_downloads().unwrap(), 1);
}

#[test]
fn a_version_1_profile_migrates_to_the_current_schema_with_its_data() {
    let dir = TempDir::new("migrate");
    let db = dir.0.join("profile.sqlite");
    {
        let mut c = rusqlite::Connection::open(&db).unwrap();
        assert_eq!(schema::migrate_to(&mut c, 1).unwrap(), vec![1]);
        c.execute_batch(
            "INSERT INTO pages (guid, url, title, visit_count, last_visit_ms, frecency, modified_ms)
                 VALUES ('pageguid0001', 'https://www.old-profile.example/docs', 'Old profile docs', 1, 1, 50.0, 1);
             INSERT INTO bookmarks (guid, kind, parent_id, position, title, created_ms, modified_ms) VALUES ('root________', 2, NULL, 0, '', 1, 1);",
        )
        .unwrap();
    }
    let (s, _) = open(&dir.0);
    let c = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(schema::version(&c).unwrap(), schema::CURRENT_VERSION);
    assert_eq!(
        s.autocomplete("old-prof", 5).unwrap()[0].url,
        "https://www.old-profile.example/docs",
        "host key backfilled"
    );
    assert_eq!(
        s.autocomplete("docs", 5).unwrap().len(),
        1,
        "word index backfilled"
    );
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn a_newer_schema_is_refused_without_touching_the_file() {
    let dir = TempDir::new("newer");
    let db = dir.0.join("profile.sqlite");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let err = Store::open(&dir.0).err().expect("refused");
    assert!(
        matches!(err, ProfileError::NewerSchema { found: 99, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("newer version of Nexus (schema version 99; this version knows up to 3)"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

fn add_three(s: &mut Store) {
    for (i, t) in ["один", "two & <three>", "😀"].iter().enumerate() {
        s.add_bookmark(TOOLBAR_GUID, None, &format!("https://b{i}.example/"), t)
            .unwrap();
    }
}

#[test]
fn a_garbage_database_is_moved_aside_and_bookmarks_come_back_from_the_backup() {
    let dir = TempDir::new("garbage");
    {
        let (mut s, _) = open(&dir.0);
        add_three(&mut s);
        s.close().unwrap();
    }
    assert_eq!(nexus::profile::backup::list_backups(&dir.0).len(), 1);
    std::fs::write(dir.0.join("profile.sqlite"), vec![0x5au8; 8192]).unwrap();
    let (s, _) = open(&dir.0);
    let notes = s.notices().join(" ");
    let moved = dir.0.join("profile.sqlite.corrupt-20250615T150640Z");
    assert!(moved.exists(), "moved aside: {notes}");
    assert!(notes.contains(&moved.display().to_string()), "{notes}");
    assert!(
        notes.contains("3 bookmarks were restored from the automatic backup"),
        "{notes}"
    );
    assert_eq!(titles(&s, TOOLBAR_GUID), ["один", "two & <three>", "😀"]);
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn a_damaged_page_is_found_after_an_unclean_exit_and_recovered() {
    let dir = TempDir::new("damaged");
    let path;
    {
        let (mut s, _) = open(&dir.0);
        add_three(&mut s);
        for i in 0..2000 {
            s.record_visit(
                &format!("https://site{i}.example/page"),
                Some("a page title to fill the tables"),
                Transition::Link,
            )
            .unwrap();
        }
        path = s.db_path().to_path_buf();
        s.close().unwrap();
    }
    // Scribble over the middle of the file, as a failing disk would, and leave the marker
    // of an unclean exit.
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 8192] {
        *b = 0xa5;
    }
    std::fs::write(&path, bytes).unwrap();
    std::fs::write(dir.0.join("profile.running"), b"").unwrap();
    let (s, _) = open(&dir.0);
    assert!(
        s.notices().iter().any(|n| n.contains("was damaged")),
        "{:?}",
        s.notices()
    );
    assert_eq!(titles(&s, TOOLBAR_GUID).len(), 3);
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn a_full_disk_is_reported_in_words_and_loses_nothing_committed() {
    let dir = TempDir::new("full");
    let (mut s, _) = open(&dir.0);
    let pages = s.set_max_page_count(1).unwrap(); // cannot go below the current size: returns it
    s.set_max_page_count(pages + 40).unwrap();
    let big = "x".repeat(3000);
    let mut committed = Vec::new();
    let err = loop {
        let url = format!("https://full{}.example/", committed.len());
        match s.add_bookmark(OTHER_GUID, None, &url, &big) {
            Ok(b) => committed.push(b.guid),
            Err(e) => break e,
        }
        assert!(committed.len() < 10_000, "the limit never hit");
    };
    assert!(matches!(err, ProfileError::DiskFull { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("the disk holding the profile ")
            && text.contains("is full, so the last change was not saved"),
        "{text}"
    );
    assert!(text.contains(&s.db_path().display().to_string()));
    assert!(committed.len() > 3);
    // Space comes back: writing works again, and everything committed is there.
    s.set_max_page_count(1_000_000).unwrap();
    s.add_bookmark(OTHER_GUID, None, "https://after.example/", "after")
        .unwrap();
    drop(s);
    let (s, _) = open(&dir.0);
    for g in &committed {
        assert!(s.bookmark(g).unwrap().is_some());
    }
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

/// A tmpfs mounted for one test (needs root or CAP_SYS_ADMIN), unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(tag: &str, size: &str) -> Option<Tmpfs> {
        let p = std::env::temp_dir().join(format!("nexus-tmpfs-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&p).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&p)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok { Some(Tmpfs(p)) } else { None }
    }

    fn remount(&self, opts: &str) {
        let st = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(st.success(), "remount {opts}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

#[test]
fn a_real_full_disk_tmpfs_gives_a_clear_error_and_keeps_every_commit() {
    let Some(fs) = Tmpfs::mount("full", "3m") else {
        eprintln!(
            "SKIPPED: cannot mount a tmpfs here (needs root); the max_page_count test covers SQLITE_FULL"
        );
        return;
    };
    let dir = fs.0.join("profile");
    let (mut s, _) = open(&dir);
    let big = "y".repeat(3500);
    let mut committed = Vec::new();
    let err = loop {
        match s.add_bookmark(
            OTHER_GUID,
            None,
            &format!("https://t{}.example/", committed.len()),
            &big,
        ) {
            Ok(b) => committed.push(b.guid),
            Err(e) => break e,
        }
        assert!(committed.len() < 5000);
    };
    assert!(
        matches!(
            err,
            ProfileError::DiskFull { .. } | ProfileError::DiskError { .. }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(&dir.display().to_string()),
        "{err}"
    );
    drop(s); // closing on a full disk: the backup fails, nothing else may break
    fs.remount("size=64m");
    let (s, _) = open(&dir);
    for g in &committed {
        assert!(
            s.bookmark(g).unwrap().is_some(),
            "committed bookmark {g} lost"
        );
    }
    assert_eq!(s.integrity_check().unwrap(), "ok");
    drop(s);
}

#[test]
fn a_read_only_profile_is_refused_with_a_clear_error_and_left_intact() {
    let Some(fs) = Tmpfs::mount("ro", "16m") else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root)");
        return;
    };
    let dir = fs.0.join("profile");
    {
        let (mut s, _) = open(&dir);
        add_three(&mut s);
        s.close().unwrap();
    }
    fs.remount("ro");
    let err = Store::open(&dir).err().expect("read-only refused");
    assert!(matches!(err, ProfileError::ReadOnly { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("is read-only, so Nexus cannot save bookmarks"),
        "{err}"
    );
    fs.remount("rw");
    let (s, _) = open(&dir);
    assert_eq!(titles(&s, TOOLBAR_GUID).len(), 3);
    assert_eq!(s.integrity_check().unwrap(), "ok");
    drop(s);
}

const CHILD_ENV: &str = "NEXUS_PROFILE_CRASH_CHILD";

/// The child half of the kill -9 test: writes in a loop and prints each commit.
#[test]
fn crash_child_writer() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut s = Store::open(&dir).unwrap();
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let url = format!("https://crash{i}.example/");
        if i % 2 == 0 {
            let b = s
                .add_bookmark(OTHER_GUID, None, &url, &format!("bookmark {i}"))
                .unwrap();
            writeln!(out, "COMMIT bookmark {}", b.guid).unwrap();
        } else {
            s.record_visit(&url, Some("visit"), Transition::Link)
                .unwrap();
            writeln!(out, "COMMIT visit {url}").unwrap();
        }
        out.flush().unwrap();
    }
}

#[test]
fn kill_9_during_writes_keeps_every_reported_commit() {
    use std::io::BufRead;
    let dir = TempDir::new("crash");
    for round in 0..3 {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash_child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &dir.0)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let reader = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut reported = Vec::new();
        let wanted = 150 + round * 70;
        for line in reader.lines() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("COMMIT ") {
                reported.push(rest.to_string());
                if reported.len() == wanted {
                    child.kill().unwrap(); // SIGKILL on Unix
                    break;
                }
            }
        }
        child.wait().unwrap();
        assert_eq!(reported.len(), wanted, "child died early");
        let s = Store::open(&dir.0).unwrap();
        assert_eq!(s.integrity_check().unwrap(), "ok");
        for r in &reported {
            let (kind, id) = r.split_once(' ').unwrap();
            let present = if kind == "bookmark" {
                s.bookmark(id).unwrap().is_some()
            } else {
                s.page(id).unwrap().is_some()
            };
            assert!(present, "round {round}: committed {r} lost after kill -9");
        }
    }
}

#[test]
fn backups_are_written_daily_and_pruned_to_the_newest() {
    let dir = TempDir::new("backups");
    let clock = Clock::manual(T0);
    let opts = || OpenOptions {
        clock: clock.clone(),
        backups_to_keep: 3,
        backup_interval_ms: 1000,
        ..OpenOptions::default()
    };
    {
        let mut s = Store::open_with(&dir.0, opts()).unwrap();
        s.add_bookmark(OTHER_GUID, None, "https://first.example/", "first")
            .unwrap();
        assert_eq!(
            nexus::profile::backup::list_backups(&dir.0).len(),
            1,
            "the first change backs up at once"
        );
        std::mem::forget(s); // crash: no backup at close
    }
    std::fs::remove_dir_all(dir.0.join("backups")).unwrap();
    let mut s = Store::open_with(&dir.0, opts()).unwrap();
    assert_eq!(
        nexus::profile::backup::list_backups(&dir.0).len(),
        1,
        "no backup younger than a day: one at open"
    );
    for i in 0..6 {
        clock.advance(2000);
        s.add_bookmark(OTHER_GUID, None, &format!("https://n{i}.example/"), "n")
            .unwrap();
    }
    let kept = nexus::profile::backup::list_backups(&dir.0);
    assert_eq!(kept.len(), 3);
    assert!(
        kept[0].to_string_lossy().contains("20250615T150652Z"),
        "newest first: {kept:?}"
    );
}
