//! The window chrome: tab strip, toolbar, omnibox, bookmarks bar.

use crate::support::harness;
use egui_kittest::kittest::Queryable;
use nexus_ui::chrome::{TabStrip, Toolbar, ToolbarView, bookmarks_bar};
use nexus_ui::model::{
    BookmarkNode, DownloadId, DownloadState, DownloadView, PageView, SearchEngine, Security,
    Suggestion, TabId, TabView, ThemePreference,
};
use nexus_ui::{BookmarkIntent, Disposition, DownloadIntent, Intent};

pub struct Top {
    pub tabs: Vec<TabView>,
    pub active: TabId,
    pub page: PageView,
    pub suggestions: Vec<Suggestion>,
    pub bookmarks: Vec<BookmarkNode>,
    pub strip: TabStrip,
    pub toolbar: Toolbar,
    pub search: SearchEngine,
    pub intents: Vec<Intent>,
}

impl Top {
    pub fn new() -> Top {
        let mut loading = TabView::new(
            TabId(2),
            "Rust Programming Language",
            "https://www.rust-lang.org/",
        );
        loading.loading = true;
        let mut page = PageView::new(
            "https://en.wikipedia.org/wiki/Ada_Lovelace",
            "Ada Lovelace - Wikipedia",
        );
        page.can_go_back = true;
        Top {
            tabs: vec![
                TabView::new(
                    TabId(1),
                    "Ada Lovelace - Wikipedia",
                    "https://en.wikipedia.org/wiki/Ada_Lovelace",
                ),
                loading,
                TabView::new(
                    TabId(3),
                    "egui – an immediate mode GUI",
                    "https://www.egui.rs/",
                ),
            ],
            active: TabId(1),
            page,
            suggestions: Vec::new(),
            bookmarks: vec![
                BookmarkNode::link(10, "Nexus docs", "nexus://docs"),
                BookmarkNode::link(11, "Hacker News", "https://news.ycombinator.com/"),
                BookmarkNode::folder(
                    12,
                    "Reading",
                    vec![BookmarkNode::link(13, "LWN", "https://lwn.net/")],
                ),
            ],
            strip: TabStrip::default(),
            toolbar: Toolbar::default(),
            search: SearchEngine::default(),
            intents: Vec::new(),
        }
    }
}

pub fn top(ui: &mut egui::Ui, s: &mut Top) {
    ui.spacing_mut().item_spacing.y = 0.0;
    let intents = s.strip.show(ui, &s.tabs, Some(s.active));
    s.intents.extend(intents);
    let view = ToolbarView {
        page: &s.page,
        suggestions: &s.suggestions,
        search: &s.search,
        downloads: &[],
        sidebar_open: false,
        bookmarks_bar_visible: true,
    };
    let intents = s.toolbar.show(ui, &view);
    s.intents.extend(intents);
    let intents = bookmarks_bar(ui, &s.bookmarks);
    s.intents.extend(intents);
}

#[test]
fn chrome_light() {
    let mut h = harness((760.0, 130.0), ThemePreference::Light, Top::new(), top);
    h.run_steps(6);
    h.snapshot("chrome_light");
}

#[test]
fn every_tab_and_button_is_labelled() {
    let mut state = Top::new();
    state.tabs[1].loading = false; // no spinner, so `run` settles and checks accessibility
    let mut h = harness((760.0, 130.0), ThemePreference::Light, state, top);
    h.run();
    for label in [
        "Ada Lovelace - Wikipedia",
        "Rust Programming Language",
        "Close egui – an immediate mode GUI",
        "New tab",
        "Back",
        "Forward",
        "Reload",
        "Home",
        "Address and search bar",
        "Site information",
        "Bookmark this page",
        "Nexus AI sidebar",
        "Menu",
        "Hacker News",
        "Reading",
    ] {
        h.get_by_label(label);
    }
    assert!(
        h.query_by_label("Stop").is_none(),
        "not loading: reload, not stop"
    );
    assert!(
        h.query_by_label("Zoom level").is_none(),
        "no zoom indicator at 100%"
    );
}

#[test]
fn tab_clicks_activate_close_and_open() {
    let mut h = harness((760.0, 130.0), ThemePreference::Light, Top::new(), top);
    h.run_steps(4);
    h.get_by_label("egui – an immediate mode GUI").click();
    h.run_steps(2);
    h.get_by_label("Rust Programming Language")
        .click_button(egui::PointerButton::Middle);
    h.run_steps(2);
    h.get_by_label("Close egui – an immediate mode GUI").click();
    h.run_steps(2);
    h.get_by_label("New tab").click();
    h.run_steps(2);
    assert_eq!(
        h.state().intents,
        vec![
            Intent::ActivateTab(TabId(3)),
            Intent::CloseTab(TabId(2)),
            Intent::CloseTab(TabId(3)),
            Intent::NewTab
        ]
    );
}

#[test]
fn dragging_a_tab_reorders_it() {
    let mut h = harness((760.0, 130.0), ThemePreference::Light, Top::new(), top);
    h.run_steps(4);
    let from = h.get_by_label("Ada Lovelace - Wikipedia").rect().center();
    let to = h
        .get_by_label("egui – an immediate mode GUI")
        .rect()
        .center();
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for i in 1..=10 {
        h.hover_at(from + (to - from) * (i as f32 / 10.0));
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(2);
    assert!(
        h.state().intents.contains(&Intent::MoveTab {
            tab: TabId(1),
            to: 2
        }),
        "{:?}",
        h.state().intents
    );
}

#[test]
fn many_tabs_shrink_and_keep_the_active_one_visible() {
    let mut state = Top::new();
    state.tabs = (1..=60)
        .map(|i| TabView::new(TabId(i), format!("Tab number {i}"), "https://example.com/"))
        .collect();
    state.active = TabId(60);
    let mut h = harness((760.0, 130.0), ThemePreference::Light, state, top);
    h.run_steps(4);
    let active = h.get_by_label("Tab number 60").rect();
    assert!(
        active.right() <= 760.0 && active.left() >= 0.0,
        "active tab on screen: {active:?}"
    );
    assert!(active.width() < 80.0, "tabs shrank: {active:?}");
    h.get_by_label("New tab");
}

#[test]
fn toolbar_buttons_produce_navigation_intents() {
    let mut h = harness((760.0, 130.0), ThemePreference::Light, Top::new(), top);
    h.run_steps(4);
    for label in [
        "Back",
        "Forward",
        "Reload",
        "Home",
        "Bookmark this page",
        "Nexus AI sidebar",
    ] {
        h.get_by_label(label).click();
        h.run_steps(2);
    }
    let expected = vec![
        Intent::Back,
        Intent::Reload {
            bypass_cache: false,
        },
        Intent::Home,
        Intent::ToggleBookmark,
        Intent::ToggleAiSidebar,
    ];
    assert_eq!(
        h.state().intents,
        expected,
        "forward is disabled: no history"
    );
}

#[test]
fn loading_page_shows_stop_and_bookmarked_page_a_filled_star() {
    let mut state = Top::new();
    state.page.loading = true;
    state.page.progress = 0.4;
    state.page.bookmarked = true;
    state.page.zoom_percent = 125;
    let mut h = harness((760.0, 130.0), ThemePreference::Light, state, top);
    h.run_steps(4);
    h.get_by_label("Stop").click();
    h.run_steps(2);
    h.get_by_label("Remove bookmark").click();
    h.run_steps(2);
    h.get_by_label("Zoom level").click();
    h.run_steps(2);
    h.get_by_label("Zoom in").click();
    h.run_steps(2);
    assert_eq!(
        h.state().intents,
        vec![Intent::Stop, Intent::ToggleBookmark, Intent::ZoomIn]
    );
}

#[test]
fn menu_items_become_intents() {
    let mut h = harness((760.0, 560.0), ThemePreference::Light, Top::new(), top);
    h.run_steps(4);
    h.get_by_label("Menu").click();
    h.run_steps(3);
    crate::support::preview(&mut h, "menu");
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    for item in [
        "New window",
        "History",
        "Settings",
        "Quit",
        "Hide bookmarks bar",
        "Find…",
        "Zoom out",
    ] {
        h.get_by_label("Menu").click();
        h.run_steps(3);
        h.get_by_label(item).click();
        h.run_steps(3);
    }
    let expected = vec![
        Intent::NewWindow,
        Intent::OpenHistory,
        Intent::OpenSettings,
        Intent::Quit,
        Intent::ToggleBookmarksBar,
        Intent::OpenFind,
        Intent::ZoomOut,
    ];
    assert_eq!(h.state().intents, expected);
}

#[test]
fn site_info_says_not_secure_and_nexus() {
    let mut state = Top::new();
    state.page = PageView::new("http://plain.example/", "Plain");
    let mut h = harness((760.0, 130.0), ThemePreference::Light, state, top);
    h.run_steps(4);
    h.get_by_label("Site information").click();
    h.run_steps(3);
    h.get_by_label("Your connection to this site is not secure");
    h.state_mut().page = PageView::new("nexus://settings", "Settings");
    assert_eq!(h.state().page.security, Security::Internal);
    h.run_steps(3);
}

#[test]
fn bookmarks_bar_opens_links_and_folders() {
    let mut h = harness((760.0, 300.0), ThemePreference::Light, Top::new(), top);
    h.run_steps(4);
    h.get_by_label("Hacker News").click();
    h.run_steps(2);
    h.get_by_label("Hacker News")
        .click_button(egui::PointerButton::Middle);
    h.run_steps(2);
    h.get_by_label("Reading").click();
    h.run_steps(3);
    h.get_by_label("LWN").click();
    h.run_steps(3);
    let open = |url: &str, disposition| {
        Intent::Bookmark(BookmarkIntent::Open {
            url: url.into(),
            disposition,
        })
    };
    assert_eq!(
        h.state().intents,
        vec![
            open("https://news.ycombinator.com/", Disposition::CurrentTab),
            open(
                "https://news.ycombinator.com/",
                Disposition::NewBackgroundTab
            ),
            open("https://lwn.net/", Disposition::CurrentTab),
        ]
    );
}

#[test]
fn downloads_popup_lists_progress_and_actions() {
    let downloads = vec![
        DownloadView {
            id: DownloadId(1),
            file_name: "report.pdf".into(),
            url: "https://example.com/report.pdf".into(),
            state: DownloadState::InProgress {
                received: 3_200_000,
                total: Some(10_000_000),
                speed: Some(1_000_000),
            },
        },
        DownloadView {
            id: DownloadId(2),
            file_name: "photo.jpg".into(),
            url: "https://example.com/photo.jpg".into(),
            state: DownloadState::Complete,
        },
        DownloadView {
            id: DownloadId(3),
            file_name: "big.iso".into(),
            url: "https://example.com/big.iso".into(),
            state: DownloadState::Failed("Network error".into()),
        },
    ];
    let mut h = harness(
        (760.0, 420.0),
        ThemePreference::Light,
        (Toolbar::default(), Vec::<Intent>::new()),
        move |ui, (toolbar, intents)| {
            let page = PageView::new("https://example.com/", "Example");
            let search = SearchEngine::default();
            let view = ToolbarView {
                page: &page,
                suggestions: &[],
                search: &search,
                downloads: &downloads,
                sidebar_open: false,
                bookmarks_bar_visible: false,
            };
            intents.extend(toolbar.show(ui, &view));
        },
    );
    h.run_steps(3);
    h.get_by_label("Downloads").click();
    h.run_steps(3);
    h.get_by_label("3.2 MB of 10.0 MB · 1.0 MB/s · 6 s left");
    h.get_by_label("Failed — Network error");
    crate::support::preview(&mut h, "downloads");
    for label in [
        "Cancel report.pdf",
        "Open photo.jpg",
        "Show photo.jpg in folder",
        "Retry big.iso",
        "Open downloads folder",
    ] {
        h.get_by_label(label).click();
        h.run_steps(3);
        if h.query_by_label("report.pdf").is_none() {
            h.get_by_label("Downloads").click();
            h.run_steps(3);
        }
    }
    let d = |i| Intent::Download(i);
    assert_eq!(
        h.state().1,
        vec![
            d(DownloadIntent::Cancel(DownloadId(1))),
            d(DownloadIntent::Open(DownloadId(2))),
            d(DownloadIntent::ShowInFolder(DownloadId(2))),
            d(DownloadIntent::Retry(DownloadId(3))),
            d(DownloadIntent::OpenFolder),
        ]
    );
}
