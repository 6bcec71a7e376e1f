//! The whole window: layout, shortcuts, pane input, overlays and dialogs.

use crate::fixtures::analysed_page;
use crate::support::harness;
use egui_kittest::kittest::Queryable;
use nexus_ipc::messages::ai::{AiStatus, Generator};
use nexus_ui::model::{
    BookmarkNode, ContextMenuView, DialogView, PageAi, PageCursor, PageView, PaneView, Privacy,
    SearchEngine, TabId, TabView, ThemePreference,
};
use nexus_ui::pane::PaneOutput;
use nexus_ui::sidebar::SidebarView;
use nexus_ui::{Content, Intent, UiState, WindowUi, WindowView};

pub struct Win {
    pub ui: WindowUi,
    pub state: UiState,
    pub tabs: Vec<TabView>,
    pub active: TabId,
    pub page: PageView,
    pub bookmarks: Vec<BookmarkNode>,
    pub search: SearchEngine,
    pub texture: Option<egui::TextureHandle>,
    pub ai: PageAi,
    pub worker: AiStatus,
    pub privacy: Privacy,
    pub dialog: Option<DialogView>,
    pub menu: Option<ContextMenuView>,
    pub intents: Vec<Intent>,
    pub pane: Option<PaneOutput>,
    /// Every pane event of every frame since the test last took them.
    pub pane_events: Vec<nexus_ui::pane::PaneInput>,
    pub cursor: PageCursor,
}

impl Win {
    pub fn new() -> Win {
        let mut page = PageView::new(
            "https://en.wikipedia.org/wiki/Ada_Lovelace",
            "Ada Lovelace - Wikipedia",
        );
        page.can_go_back = true;
        Win {
            ui: WindowUi::default(),
            state: UiState {
                sidebar_open: true,
                sidebar_width: 330.0,
                ..UiState::default()
            },
            tabs: vec![
                TabView::new(
                    TabId(1),
                    "Ada Lovelace - Wikipedia",
                    "https://en.wikipedia.org/wiki/Ada_Lovelace",
                ),
                TabView::new(TabId(2), "Nexus — Settings", "nexus://settings"),
            ],
            active: TabId(1),
            page,
            bookmarks: vec![
                BookmarkNode::link(10, "Hacker News", "https://news.ycombinator.com/"),
                BookmarkNode::folder(
                    12,
                    "Reading",
                    vec![BookmarkNode::link(13, "LWN", "https://lwn.net/")],
                ),
            ],
            search: SearchEngine::default(),
            texture: None,
            ai: analysed_page(),
            worker: AiStatus::Ready,
            privacy: Privacy::from_generator(&Generator::Extractive),
            dialog: None,
            menu: None,
            intents: Vec::new(),
            pane: None,
            pane_events: Vec::new(),
            cursor: PageCursor::Default,
        }
    }
}

/// A fake rendered article, so snapshots show a page in the pane.
fn page_texture(ctx: &egui::Context) -> egui::TextureHandle {
    let (w, h) = (560, 420);
    let mut image = egui::ColorImage::filled([w, h], egui::Color32::WHITE);
    let mut fill = |x0: usize, y0: usize, x1: usize, y1: usize, c: egui::Color32| {
        for y in y0..y1.min(h) {
            for x in x0..x1.min(w) {
                image.pixels[y * w + x] = c;
            }
        }
    };
    fill(32, 28, 300, 44, egui::Color32::from_gray(40));
    fill(32, 52, 520, 53, egui::Color32::from_gray(200));
    for line in 0..14 {
        let y = 70 + line * 22;
        let end = if line % 5 == 4 { 330 } else { 520 };
        fill(32, y, end, y + 8, egui::Color32::from_gray(170));
    }
    fill(380, 70, 520, 200, egui::Color32::from_rgb(0xE8, 0xEE, 0xF7));
    ctx.load_texture("test-page", image, egui::TextureOptions::LINEAR)
}

pub fn window(ui: &mut egui::Ui, s: &mut Win) {
    window_with(ui, s, None);
}

/// The window, showing the crash pane instead of the page when `crashed` says why.
pub fn window_with(ui: &mut egui::Ui, s: &mut Win, crashed: Option<&str>) {
    let texture = s
        .texture
        .get_or_insert_with(|| page_texture(ui.ctx()))
        .clone();
    let sidebar = SidebarView {
        tab: s.active,
        page_title: &s.page.title,
        site: Some("en.wikipedia.org"),
        worker: &s.worker,
        page: &s.ai,
        privacy: &s.privacy,
        auto_analyze: false,
        never_analyze_site: false,
    };
    let view = WindowView {
        tabs: &s.tabs,
        active: Some(s.active),
        page: &s.page,
        content: match crashed {
            Some(reason) => Content::Crashed(reason),
            None => Content::Page(PaneView {
                texture: Some((texture.id(), texture.size_vec2())),
                cursor: s.cursor,
                ..PaneView::default()
            }),
        },
        suggestions: &[],
        search: &s.search,
        bookmarks_bar: &s.bookmarks,
        downloads: &[],
        dialog: s.dialog.as_ref(),
        context_menu: s.menu.as_ref(),
        sidebar: Some(sidebar),
    };
    let out = s.ui.show(ui, &view, &s.state);
    for intent in &out.intents {
        s.ui.apply(intent);
    }
    s.intents.extend(out.intents);
    if let Some(pane) = &out.pane {
        s.pane_events.extend(pane.events.iter().cloned());
    }
    s.pane = out.pane;
}

#[test]
fn window_light() {
    let mut state = Win::new();
    state.page.hovered_link = Some("https://en.wikipedia.org/wiki/Charles_Babbage".into());
    let mut h = harness((960.0, 600.0), ThemePreference::Light, state, window);
    h.run();
    h.snapshot("window_light");
}

#[test]
fn window_dark() {
    let mut h = harness((960.0, 600.0), ThemePreference::Dark, Win::new(), window);
    h.run();
    h.snapshot("window_dark");
    h.get_by_label("Web page");
}
