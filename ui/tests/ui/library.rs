//! The bookmarks manager and the history page.

use crate::support::{harness, preview};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nexus_ui::library::{BookmarksManager, HistoryPanel};
use nexus_ui::model::{
    BookmarkId, BookmarkNode, BookmarksView, HistoryEntry, HistoryId, HistoryView, ThemePreference,
    TimeRange,
};
use nexus_ui::{BookmarkIntent, Disposition, HistoryIntent, Intent};

struct Marks {
    manager: BookmarksManager,
    roots: Vec<BookmarkNode>,
    intents: Vec<Intent>,
}

fn marks() -> Harness<'static, Marks> {
    let roots = vec![
        BookmarkNode::folder(
            1,
            "Bookmarks bar",
            vec![
                BookmarkNode::link(2, "Hacker News", "https://news.ycombinator.com/"),
                BookmarkNode::link(3, "LWN", "https://lwn.net/"),
                BookmarkNode::folder(
                    4,
                    "Rust",
                    vec![BookmarkNode::link(
                        5,
                        "The Rust Book",
                        "https://doc.rust-lang.org/book/",
                    )],
                ),
            ],
        ),
        BookmarkNode::folder(
            6,
            "Other bookmarks",
            vec![BookmarkNode::link(7, "Recipes", "https://food.example/")],
        ),
    ];
    let state = Marks {
        manager: BookmarksManager::default(),
        roots,
        intents: Vec::new(),
    };
    let mut h = harness(
        (820.0, 460.0),
        ThemePreference::Light,
        state,
        |ui, s: &mut Marks| {
            let view = BookmarksView { roots: &s.roots };
            let intents = s.manager.show(ui, &view);
            s.intents.extend(intents);
        },
    );
    h.run();
    h
}

fn take<S>(h: &mut Harness<'_, S>, get: impl Fn(&mut S) -> &mut Vec<Intent>) -> Vec<Intent> {
    std::mem::take(get(h.state_mut()))
}

#[test]
fn bookmarks_open_edit_delete_and_move() {
    let mut h = marks();
    h.get_by_label("Hacker News").click();
    h.run();
    h.get_by_label("Move LWN up").click();
    h.run();
    h.get_by_label("Delete Hacker News").click();
    h.run();
    assert_eq!(
        take(&mut h, |s| &mut s.intents),
        vec![
            Intent::Bookmark(BookmarkIntent::Open {
                url: "https://news.ycombinator.com/".into(),
                disposition: Disposition::CurrentTab
            }),
            Intent::Bookmark(BookmarkIntent::Move {
                id: BookmarkId(3),
                parent: BookmarkId(1),
                index: 0
            }),
            Intent::Bookmark(BookmarkIntent::Delete(BookmarkId(2))),
        ]
    );
    h.get_by_label("Edit LWN").click();
    h.run();
    h.get_by_label("Bookmark URL").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Bookmark URL").type_text("not an address");
    h.run();
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label_contains("keeps its old address");
    assert!(take(&mut h, |s| &mut s.intents).is_empty());
    h.get_by_label("Bookmark URL").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Bookmark URL").type_text("lwn.net/Kernel/");
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(
        take(&mut h, |s| &mut s.intents),
        vec![Intent::Bookmark(BookmarkIntent::Update {
            id: BookmarkId(3),
            title: "LWN".into(),
            url: Some("https://lwn.net/Kernel/".into())
        })]
    );
}

#[test]
fn bookmark_folders_search_and_files() {
    let mut h = marks();
    h.get_by_label("Other bookmarks").click();
    h.run();
    h.get_by_label("Recipes");
    assert!(h.query_by_label("LWN").is_none());
    h.get_by_label("Search bookmarks").click();
    h.run();
    h.get_by_label("Search bookmarks").type_text("rust");
    h.run();
    h.get_by_label("The Rust Book");
    assert!(h.query_by_label("Recipes").is_none());
    h.get_by_label("Import…").click();
    h.run();
    h.get_by_label("Export…").click();
    h.run();
    h.get_by_label("New folder").click();
    h.run();
    h.get_by_label("Folder name").type_text("Travel");
    h.run();
    h.get_by_label("Create").click();
    h.run();
    assert_eq!(
        take(&mut h, |s| &mut s.intents),
        vec![
            Intent::Bookmark(BookmarkIntent::Import),
            Intent::Bookmark(BookmarkIntent::Export),
            Intent::Bookmark(BookmarkIntent::NewFolder {
                parent: BookmarkId(6),
                title: "Travel".into()
            }),
        ]
    );
    preview(&mut h, "bookmarks");
}

#[test]
fn moving_into_another_folder_never_into_itself() {
    let mut h = marks();
    h.get_by_label("Move Rust to folder").click();
    h.run();
    assert!(
        h.query_by_label("   Rust").is_none(),
        "a folder cannot move into itself"
    );
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Other bookmarks")
        .click();
    h.run();
    assert_eq!(
        take(&mut h, |s| &mut s.intents),
        vec![Intent::Bookmark(BookmarkIntent::Move {
            id: BookmarkId(4),
            parent: BookmarkId(6),
            index: 1
        })]
    );
}

struct Hist {
    panel: HistoryPanel,
    entries: Vec<HistoryEntry>,
    intents: Vec<Intent>,
}

/// 2025-11-24 12:00 UTC, a Monday.
const NOW: i64 = 20_416 * 86_400 + 12 * 3600;

fn history() -> Harness<'static, Hist> {
    let entry = |id, title: &str, url: &str, ago: i64| HistoryEntry {
        id: HistoryId(id),
        title: title.into(),
        url: url.into(),
        visited_at: NOW - ago,
    };
    let entries = vec![
        entry(
            1,
            "Ada Lovelace - Wikipedia",
            "https://en.wikipedia.org/wiki/Ada_Lovelace",
            600,
        ),
        entry(
            2,
            "Rust Programming Language",
            "https://www.rust-lang.org/",
            3 * 3600,
        ),
        entry(3, "Hacker News", "https://news.ycombinator.com/", 86_400),
        entry(4, "LWN.net", "https://lwn.net/", 5 * 86_400),
    ];
    let state = Hist {
        panel: HistoryPanel::default(),
        entries,
        intents: Vec::new(),
    };
    let mut h = harness(
        (760.0, 420.0),
        ThemePreference::Light,
        state,
        |ui, s: &mut Hist| {
            let view = HistoryView {
                entries: &s.entries,
                now: NOW,
                utc_offset_secs: 0,
            };
            let intents = s.panel.show(ui, &view);
            s.intents.extend(intents);
        },
    );
    h.run();
    h
}

#[test]
fn history_is_grouped_by_day() {
    let mut h = history();
    h.get_by_label("Today");
    h.get_by_label("Yesterday");
    h.get_by_label("Wednesday, 19 November 2025");
    h.get_by_label("11:50");
    preview(&mut h, "history");
}

#[test]
fn history_open_delete_select_and_clear() {
    let mut h = history();
    h.get_by_label("Hacker News").click();
    h.run();
    h.get_by_label("Delete LWN.net from history").click();
    h.run();
    h.get_by_label("Select Ada Lovelace - Wikipedia").click();
    h.run();
    h.get_by_label("Select Hacker News").click();
    h.run();
    h.get_by_label("Delete selected (2)").click();
    h.run();
    h.get_by_label("Time range to clear").click();
    h.run();
    h.get_by_label("Last 7 days").click();
    h.run();
    h.get_by_label("Clear history").click();
    h.run();
    assert_eq!(
        take(&mut h, |s| &mut s.intents),
        vec![
            Intent::History(HistoryIntent::Open {
                url: "https://news.ycombinator.com/".into(),
                disposition: Disposition::CurrentTab
            }),
            Intent::History(HistoryIntent::Delete(vec![HistoryId(4)])),
            Intent::History(HistoryIntent::Delete(vec![HistoryId(1), HistoryId(3)])),
            Intent::History(HistoryIntent::Clear(TimeRange::LastWeek)),
        ]
    );
}

#[test]
fn history_search_filters() {
    let mut h = history();
    h.get_by_label("Search history").click();
    h.run();
    h.get_by_label("Search history").type_text("rust");
    h.run();
    h.get_by_label("Rust Programming Language");
    assert!(h.query_by_label("Hacker News").is_none());
    assert_eq!(
        take(&mut h, |s| &mut s.intents).last(),
        Some(&Intent::History(HistoryIntent::Search("rust".into())))
    );
}
