//! The window chrome: tab strip, toolbar, omnibox, bookmarks bar.

use crate::support::harness;
use egui_kittest::kittest::Queryable;
use nexus_ui::Intent;
use nexus_ui::chrome::{TabStrip, Toolbar, ToolbarView, bookmarks_bar};
use nexus_ui::model::{
    BookmarkNode, PageView, SearchEngine, Security, Suggestion, SuggestionKind, TabId, TabView,
    ThemePreference,
};

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
fn chrome_dark() {
    let mut h = harness((760.0, 130.0), ThemePreference::Dark, Top::new(), top);
    h.run_steps(6);
    h.snapshot("chrome_dark");
}

#[test]
fn every_tab_and_button_is_labelled() {
    let mut h = harness((760.0, 130.0), ThemePreference::Light, Top::new(), top);
    h.run_steps(6);
    for label in [
        "Ada Lovelace - Wikipedia",
        "Rust Programming Language",
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
    let _ = Security::Secure;
    let _ = SuggestionKind::History;
}
