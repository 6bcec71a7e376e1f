//! Bookmark import and export: Netscape HTML round trips, hand-written Chrome and Firefox
//! exports, Chrome `Bookmarks` JSON and Firefox `places.sqlite` profiles, and the CLI calls.

use nexus::profile::bookmarks::{BookmarkKind, BookmarkNode, OTHER_GUID, ROOT_GUID, TOOLBAR_GUID};
use nexus::profile::browsers::{self, BaseDirs, BrowserKind};
use nexus::profile::transfer;
use nexus::profile::{Clock, OpenOptions, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "nexus-transfer-{tag}-{}-{}",
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

fn open(dir: &Path, clock: &Clock) -> Store {
    Store::open_with(
        dir,
        OpenOptions {
            clock: clock.clone(),
            ..OpenOptions::default()
        },
    )
    .unwrap()
}

/// (depth, kind, title, url, created seconds) in display order.
fn shape(
    node: &BookmarkNode,
    depth: usize,
    out: &mut Vec<(usize, BookmarkKind, String, Option<String>, i64)>,
) {
    for c in &node.children {
        out.push((
            depth,
            c.item.kind,
            c.item.title.clone(),
            c.item.url.clone(),
            c.item.created_ms / 1000,
        ));
        shape(c, depth + 1, out);
    }
}

fn tree_shape(s: &Store, root: &str) -> Vec<(usize, BookmarkKind, String, Option<String>, i64)> {
    let mut out = Vec::new();
    shape(&s.bookmark_tree(root).unwrap(), 0, &mut out);
    // The fixed roots are created with each profile: their dates are not part of the data.
    if root == ROOT_GUID {
        for e in out.iter_mut().filter(|e| e.0 == 0) {
            e.4 = 0;
        }
    }
    out
}

#[test]
fn html_round_trip_keeps_folders_order_unicode_entities_and_dates() {
    let (a_dir, b_dir, files) = (TempDir::new("a"), TempDir::new("b"), TempDir::new("files"));
    let clock = Clock::manual(1_600_000_000_000);
    let mut a = open(&a_dir.0, &clock);
    let titles = [
        "Tom & Jerry <3",
        "\"quoted\" 'single'",
        "日本語のページ",
        "emoji 😀 and ünïcødé",
        "&amp; literally",
        "a > b",
        "",
    ];
    for (i, t) in titles.iter().enumerate() {
        clock.advance(61_000);
        a.add_bookmark(
            TOOLBAR_GUID,
            None,
            &format!("https://t{i}.example/?q=1&r=\"2\""),
            t,
        )
        .unwrap();
    }
    let folder = a
        .add_folder(OTHER_GUID, None, "Reading & <Research>")
        .unwrap();
    let inner = a.add_folder(&folder.guid, None, "Ďeeper").unwrap();
    clock.advance(5_000);
    a.add_bookmark(&inner.guid, None, "https://deep.example/", "deep")
        .unwrap();
    a.add_bookmark(
        &folder.guid,
        Some(0),
        "https://first.example/",
        "first in folder",
    )
    .unwrap();
    a.add_folder(&folder.guid, None, "empty").unwrap();
    a.add_bookmark(OTHER_GUID, None, "https://loose.example/", "loose")
        .unwrap();

    let file = files.0.join("bookmarks.html");
    let sum = transfer::export_html_file(&a, &file).unwrap();
    assert_eq!((sum.bookmarks, sum.folders), (10, 3));
    assert_eq!(
        sum.to_string(),
        format!("Exported 10 bookmarks in 3 folders to {}.", file.display())
    );
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE NETSCAPE-Bookmark-file-1>"));
    assert!(html.contains("Tom &amp; Jerry &lt;3"), "escaped");
    assert!(
        html.contains("&amp;amp; literally"),
        "an entity-looking title is escaped, not passed through"
    );

    let mut b = open(&b_dir.0, &clock);
    let imported = transfer::import_html_file(&mut b, &file).unwrap();
    assert_eq!(
        (imported.bookmarks, imported.folders, imported.duplicates),
        (10, 3, 0)
    );
    assert_eq!(tree_shape(&b, ROOT_GUID), tree_shape(&a, ROOT_GUID));
    // Importing the same file again adds nothing.
    let again = transfer::import_html_file(&mut b, &file).unwrap();
    assert_eq!(
        (again.bookmarks, again.folders, again.duplicates),
        (0, 0, 10)
    );
    assert_eq!(tree_shape(&b, ROOT_GUID), tree_shape(&a, ROOT_GUID));
}

/// What Chrome writes (Chrome 120, by hand in its exact layout).
const CHROME_EXPORT: &str = r#"<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3 ADD_DATE="1699000000" LAST_MODIFIED="1699000500" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks bar</H3>
    <DL><p>
        <DT><A HREF="https://www.rust-lang.org/" ADD_DATE="1699000100" ICON="data:image/png;base64,iVBORw0KGgo=">Rust Programming Language</A>
        <DT><H3 ADD_DATE="1699000200" LAST_MODIFIED="1699000300">News &amp; Blogs</H3>
        <DL><p>
            <DT><A HREF="https://example.com/?a=1&amp;b=2" ADD_DATE="1699000250">Tom&#39;s &quot;blog&quot; &lt;3</A>
        </DL><p>
    </DL><p>
    <DT><H3 ADD_DATE="1699000000" LAST_MODIFIED="0">Other bookmarks</H3>
    <DL><p>
        <DT><A HREF="https://ja.wikipedia.org/wiki/%E6%97%A5%E6%9C%AC" ADD_DATE="1699000400">日本 - Wikipedia</A>
    </DL><p>
</DL><p>
"#;

/// What Firefox writes (Firefox 121): menu items at the top, descriptions, separators.
const FIREFOX_EXPORT: &str = r#"<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'self'; script-src 'none'; img-src data: *; object-src 'none'"></meta>
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>

<DL><p>
    <DT><A HREF="https://www.mozilla.org/en-US/firefox/central/" ADD_DATE="1700000000" LAST_MODIFIED="1700000001" SHORTCUTURL="moz" TAGS="browser,help">Getting Started</A>
    <DD>Mozilla&#39;s guide
    <HR>
    <DT><H3 ADD_DATE="1700000010" LAST_MODIFIED="1700000020">Mozilla Firefox</H3>
    <DL><p>
        <DT><A HREF="https://support.mozilla.org/" ADD_DATE="1700000030" LAST_MODIFIED="1700000031" LAST_CHARSET="UTF-8">Help &amp; Support</A>
    </DL><p>
    <DT><H3 ADD_DATE="1700000040" LAST_MODIFIED="1700000050" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks Toolbar</H3>
    <DL><p>
        <DT><A HREF="https://café.example/menu" ADD_DATE="1700000060">Café &#x2615; menu</A>
    </DL><p>
    <DT><H3 ADD_DATE="1700000070" LAST_MODIFIED="1700000080" UNFILED_BOOKMARKS_FOLDER="true">Other Bookmarks</H3>
    <DL><p>
        <DT><A HREF="https://unfiled.example/" ADD_DATE="1700000090">Unfiled one</A>
    </DL><p>
</DL>
"#;

#[test]
fn hand_written_chrome_and_firefox_exports_import_where_they_belong() {
    let (dir, files) = (TempDir::new("exports"), TempDir::new("exports-files"));
    let clock = Clock::manual(1_750_000_000_000);
    let mut s = open(&dir.0, &clock);
    let chrome = files.0.join("chrome.html");
    std::fs::write(&chrome, CHROME_EXPORT).unwrap();
    let sum = transfer::import_html_file(&mut s, &chrome).unwrap();
    assert_eq!((sum.bookmarks, sum.folders), (3, 2));
    let bar = tree_shape(&s, TOOLBAR_GUID);
    assert_eq!(
        bar[0],
        (
            0,
            BookmarkKind::Bookmark,
            "Rust Programming Language".into(),
            Some("https://www.rust-lang.org/".into()),
            1_699_000_100
        )
    );
    assert_eq!(bar[1].2, "News & Blogs");
    assert_eq!(
        bar[2],
        (
            1,
            BookmarkKind::Bookmark,
            "Tom's \"blog\" <3".into(),
            Some("https://example.com/?a=1&b=2".into()),
            1_699_000_250
        )
    );
    let other = tree_shape(&s, OTHER_GUID);
    assert_eq!(
        other[0].2, "Other bookmarks",
        "Chrome marks no flag on it: it stays a folder"
    );
    assert_eq!(other[1].2, "日本 - Wikipedia");

    let firefox = files.0.join("firefox.html");
    std::fs::write(&firefox, FIREFOX_EXPORT).unwrap();
    let sum = transfer::import_html_file(&mut s, &firefox).unwrap();
    assert_eq!((sum.bookmarks, sum.folders, sum.invalid), (4, 1, 0));
    let bar = tree_shape(&s, TOOLBAR_GUID);
    assert_eq!(bar.last().unwrap().2, "Café ☕ menu");
    let other: Vec<String> = tree_shape(&s, OTHER_GUID)
        .into_iter()
        .map(|x| x.2)
        .collect();
    for t in [
        "Getting Started",
        "Mozilla Firefox",
        "Help & Support",
        "Unfiled one",
    ] {
        assert!(other.contains(&t.to_string()), "{t} missing from {other:?}");
    }
    assert!(
        !other.iter().any(|t| t.contains("guide")),
        "descriptions are not bookmarks"
    );

    let not_html = files.0.join("notes.txt");
    std::fs::write(&not_html, "just some notes").unwrap();
    let err = transfer::import_html_file(&mut s, &not_html).unwrap_err();
    assert!(
        err.to_string()
            .contains("is not a valid Netscape bookmark HTML file"),
        "{err}"
    );
}

#[test]
fn cli_entry_points_open_the_profile_and_return_a_summary() {
    let (profile, files) = (TempDir::new("cli"), TempDir::new("cli-files"));
    let input = files.0.join("in.html");
    std::fs::write(&input, CHROME_EXPORT).unwrap();
    let sum = transfer::cli_import(&profile.0, &input).unwrap();
    assert_eq!(
        sum.to_string(),
        format!(
            "Imported 3 bookmarks in 2 new folders from {}.",
            input.display()
        )
    );
    let out = files.0.join("out.html");
    let sum = transfer::cli_export(&profile.0, &out).unwrap();
    assert_eq!((sum.bookmarks, sum.folders), (3, 2));
    assert!(
        !profile.0.join("profile.running").exists(),
        "a tool does not leave the browser's marker"
    );
}

#[test]
fn chrome_and_firefox_profiles_are_found_in_standard_places_and_imported() {
    let (home, profile) = (TempDir::new("home"), TempDir::new("import-profile"));
    let dirs = BaseDirs {
        home: Some(home.0.clone()),
        appdata: Some(home.0.join("AppData/Roaming")),
        local_appdata: Some(home.0.join("AppData/Local")),
    };
    let places = browsers::candidates(&dirs);
    let chrome_root = &places.iter().find(|c| c.0 == "Google Chrome").unwrap().2;
    let firefox_root = &places
        .iter()
        .find(|c| c.1 == BrowserKind::Firefox)
        .unwrap()
        .2;

    // Chrome: a Bookmarks file as Chrome writes it (dates: µs since 1601).
    std::fs::create_dir_all(chrome_root.join("Default")).unwrap();
    std::fs::write(
        chrome_root.join("Default/Bookmarks"),
        r#"{"checksum":"0","roots":{
            "bookmark_bar":{"children":[
                {"date_added":"13340000000000000","guid":"00000000-0000-4000-a000-000000000001","id":"5","name":"Docs","type":"url","url":"https://docs.rs/"},
                {"children":[{"date_added":"13340000001000000","id":"7","name":"Ünïcødé","type":"url","url":"https://u.example/"}],
                 "date_added":"13340000000500000","id":"6","name":"Folder","type":"folder"}],
              "date_added":"13339999999000000","id":"1","name":"Bookmarks bar","type":"folder"},
            "other":{"children":[{"date_added":"13340000002000000","id":"8","name":"Other one","type":"url","url":"https://o.example/"}],
              "date_added":"0","id":"2","name":"Other bookmarks","type":"folder"},
            "synced":{"children":[],"id":"3","name":"Mobile bookmarks","type":"folder"}},"version":1}"#,
    )
    .unwrap();

    // Firefox: profiles.ini and a places.sqlite with the schema subset the importer reads.
    let ff_profile = firefox_root.join("abcd1234.default-release");
    std::fs::create_dir_all(&ff_profile).unwrap();
    std::fs::write(
        firefox_root.join("profiles.ini"),
        "[Install4F96D1932A9F858E]\nDefault=abcd1234.default-release\nLocked=1\n\n[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd1234.default-release\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n",
    )
    .unwrap();
    {
        let c = rusqlite::Connection::open(ff_profile.join("places.sqlite")).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, rev_host LONGVARCHAR,
                 visit_count INTEGER DEFAULT 0, hidden INTEGER DEFAULT 0 NOT NULL, typed INTEGER DEFAULT 0 NOT NULL,
                 frecency INTEGER DEFAULT -1 NOT NULL, last_visit_date INTEGER, guid TEXT, url_hash INTEGER DEFAULT 0 NOT NULL);
             CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, type INTEGER, fk INTEGER DEFAULT NULL, parent INTEGER,
                 position INTEGER, title LONGVARCHAR, keyword_id INTEGER, folder_type TEXT, dateAdded INTEGER,
                 lastModified INTEGER, guid TEXT, syncStatus INTEGER NOT NULL DEFAULT 0, syncChangeCounter INTEGER NOT NULL DEFAULT 1);
             INSERT INTO moz_places (id, url, title, guid) VALUES
                 (1, 'https://www.mozilla.org/', 'Mozilla', 'p1'), (2, 'https://bar.example/', 'Bar', 'p2'),
                 (3, 'place:sort=8&maxResults=10', 'Most Visited', 'p3'), (4, 'https://unfiled.example/', 'U', 'p4');
             INSERT INTO moz_bookmarks (id, type, fk, parent, position, title, dateAdded, lastModified, guid) VALUES
                 (1, 2, NULL, 0, 0, '', 1700000000000000, 0, 'root________'),
                 (2, 2, NULL, 1, 0, 'menu', 1700000000000000, 0, 'menu________'),
                 (3, 2, NULL, 1, 1, 'toolbar', 1700000000000000, 0, 'toolbar_____'),
                 (4, 2, NULL, 1, 2, 'tags', 1700000000000000, 0, 'tags________'),
                 (5, 2, NULL, 1, 3, 'unfiled', 1700000000000000, 0, 'unfiled_____'),
                 (6, 2, NULL, 1, 4, 'mobile', 1700000000000000, 0, 'mobile______'),
                 (10, 1, 1, 2, 1, 'Mozilla home', 1700000100000000, 0, 'b10'),
                 (11, 3, NULL, 2, 0, NULL, 1700000100000000, 0, 'sep'),
                 (12, 1, 3, 3, 0, 'Most Visited', 1700000100000000, 0, 'b12'),
                 (13, 2, NULL, 3, 1, 'Work', 1700000200000000, 0, 'b13'),
                 (14, 1, 2, 13, 0, 'Bar in Work', 1700000300000000, 0, 'b14'),
                 (15, 1, 4, 5, 0, 'Unfiled', 1700000400000000, 0, 'b15'),
                 (16, 2, NULL, 4, 0, 'some-tag', 1700000400000000, 0, 'b16');",
        )
        .unwrap();
        // Left open in WAL mode with un-checkpointed data, as a running Firefox would.
        std::mem::forget(c);
    }

    let found = browsers::find_profiles(&dirs);
    let kinds: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.browser.as_str(), f.profile.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [("Google Chrome", "Default"), ("Firefox", "default-release")]
    );

    let clock = Clock::manual(1_750_000_000_000);
    let mut s = open(&profile.0, &clock);
    let chrome = transfer::import_from_browser(&mut s, &found[0]).unwrap();
    assert_eq!((chrome.bookmarks, chrome.folders), (3, 4), "{chrome}");
    assert_eq!(chrome.source, "Google Chrome (Default)");
    let firefox = transfer::import_from_browser(&mut s, &found[1]).unwrap();
    assert_eq!((firefox.bookmarks, firefox.folders), (3, 5), "{firefox}");

    let other = tree_shape(&s, OTHER_GUID);
    let chrome_part: Vec<(usize, String)> =
        other.iter().take(7).map(|x| (x.0, x.2.clone())).collect();
    assert_eq!(
        chrome_part,
        [
            (0, "Imported from Google Chrome"),
            (1, "Bookmarks bar"),
            (2, "Docs"),
            (2, "Folder"),
            (3, "Ünïcødé"),
            (1, "Other bookmarks"),
            (2, "Other one")
        ]
        .map(|(d, t)| (d, t.to_string()))
    );
    // 13340000000000000 µs since 1601 = 1695526400 s since 1970.
    assert_eq!(other[2].4, 1_695_526_400);
    let ff: Vec<String> = other.iter().skip(7).map(|x| x.2.clone()).collect();
    assert_eq!(
        ff,
        [
            "Imported from Firefox",
            "Bookmarks Toolbar",
            "Work",
            "Bar in Work",
            "Other Bookmarks",
            "Unfiled",
            "Bookmarks Menu",
            "Mozilla home"
        ]
    );
    assert_eq!(
        other.iter().find(|x| x.2 == "Bar in Work").unwrap().4,
        1_700_000_300
    );
}
