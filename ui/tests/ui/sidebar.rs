//! The AI sidebar: every state renders, clicks and keys produce the right intents.

use crate::fixtures::{analysed_page, article_parts};
use crate::support::harness;
use egui_kittest::kittest::Queryable;
use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::{AiStatus, Generator};
use nexus_ui::model::{PageAi, Privacy, TabId, ThemePreference};
use nexus_ui::sidebar::{AiSidebar, SidebarView};
use nexus_ui::{AiIntent, Intent};

pub struct Side {
    pub sidebar: AiSidebar,
    pub worker: AiStatus,
    pub page: PageAi,
    pub privacy: Privacy,
    pub auto: bool,
    pub intents: Vec<Intent>,
}

impl Side {
    pub fn new(page: PageAi) -> Side {
        Side {
            sidebar: AiSidebar::default(),
            worker: AiStatus::Ready,
            page,
            privacy: Privacy::from_generator(&Generator::Extractive),
            auto: false,
            intents: Vec::new(),
        }
    }
}

pub fn side(ui: &mut egui::Ui, s: &mut Side) {
    let view = SidebarView {
        tab: TabId(7),
        page_title: "Ada Lovelace - Wikipedia",
        site: Some("en.wikipedia.org"),
        worker: &s.worker,
        page: &s.page,
        privacy: &s.privacy,
        auto_analyze: s.auto,
        never_analyze_site: false,
    };
    let intents = s.sidebar.show_contents(ui, &view);
    s.intents.extend(intents);
}

#[test]
fn sidebar_full_light() {
    let mut h = harness(
        (360.0, 980.0),
        ThemePreference::Light,
        Side::new(analysed_page()),
        side,
    );
    h.run();
    h.snapshot("sidebar_full_light");
}

#[test]
fn sidebar_full_dark() {
    let mut h = harness(
        (360.0, 980.0),
        ThemePreference::Dark,
        Side::new(analysed_page()),
        side,
    );
    h.run();
    h.snapshot("sidebar_full_dark");
}

#[test]
fn entity_chip_finds_in_page_and_summary_jumps() {
    let mut h = harness(
        (360.0, 980.0),
        ThemePreference::Light,
        Side::new(analysed_page()),
        side,
    );
    h.run();
    h.get_by_label("Find “Charles Babbage” in page").click();
    h.run();
    assert!(
        h.state()
            .intents
            .contains(&Intent::FindInPage("Charles Babbage".into()))
    );
    let sentence =
        "Her notes include what is recognised as the first algorithm intended for a machine.";
    h.get_by_label(sentence).scroll_to_me();
    h.run();
    h.get_by_label(sentence).click();
    h.run();
    let jump = Intent::JumpToText {
        span: Span::new(412, 496),
        text: "Her notes include what is recognised as the first algorithm intended for a machine."
            .into(),
    };
    assert!(h.state().intents.contains(&jump), "{:?}", h.state().intents);
    let _ = article_parts;
    let _ = AiIntent::RetryWorker;
}
