//! The AI sidebar: every state renders, clicks and keys produce the right intents.

use crate::fixtures::{analysed_page, article_parts};
use crate::support::harness;
use egui_kittest::kittest::Queryable;
use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::{AiStatus, Generator};
use nexus_ui::model::{
    AnalysisStatus, PageAi, Privacy, TabId, ThemePreference, unanalysable_reason,
};
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
}

fn run(state: Side) -> egui_kittest::Harness<'static, Side> {
    let mut h = harness((360.0, 900.0), ThemePreference::Light, state, side);
    h.run_steps(4);
    h
}

#[test]
fn not_started_offers_analyze_and_toggles() {
    let mut h = run(Side::new(PageAi::default()));
    h.get_by_label("Analyze page").click();
    h.run_steps(2);
    h.get_by_label("Analyze pages automatically").click();
    h.run_steps(2);
    h.get_by_label("Never analyze en.wikipedia.org").click();
    h.run_steps(2);
    assert_eq!(
        h.state().intents,
        vec![
            Intent::Ai(AiIntent::Analyze(TabId(7))),
            Intent::Ai(AiIntent::SetAutoAnalyze(true)),
            Intent::Ai(AiIntent::SetNeverAnalyze {
                site: "en.wikipedia.org".into(),
                never: true
            }),
        ]
    );
    h.get_by_label("On this device");
    h.get_by_label("· Nothing leaves this device.");
}

#[test]
fn streaming_analysis_shows_progress_and_can_be_cancelled() {
    let mut page = PageAi::default();
    page.start_analysis();
    let mut parts = article_parts().into_iter();
    page.apply_part(parts.next().unwrap());
    page.apply_part(parts.next().unwrap());
    let mut h = run(Side::new(page));
    h.get_by_label("Analysing… 2 of 4 parts");
    h.get_by_label("Science");
    h.get_by_label("Mostly positive");
    assert!(
        h.query_by_label("SUMMARY").is_none(),
        "the summary has not arrived"
    );
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert_eq!(
        h.state().intents,
        vec![Intent::Ai(AiIntent::CancelAnalysis(TabId(7)))]
    );
}

#[test]
fn uncertain_category_is_said_plainly() {
    use nexus_ipc::messages::ai::{AnalysisPart, Category, CategoryResult};
    let mut page = PageAi::default();
    page.start_analysis();
    page.apply_part(AnalysisPart::Category(CategoryResult {
        category: Category::Uncertain,
        confidence: 0.31,
        scores: vec![(Category::Technology, 0.31), (Category::Science, 0.27)],
    }));
    let h = run(Side::new(page));
    h.get_by_label("Uncertain");
    h.get_by_label(
        "It does not clearly fit one category. Best guesses: Technology 31%, Science 27%.",
    );
    h.get_by_label("31% confident");
}

#[test]
fn worker_states_each_say_what_to_do() {
    let mut s = Side::new(PageAi::default());
    s.worker = AiStatus::Loading {
        what: "SmolLM2-135M".into(),
        progress: 0.4,
    };
    let mut h = run(s);
    h.get_by_label("Nexus AI is starting");
    crate::support::preview(&mut h, "sidebar_starting");
    h.get_by_label("Loading SmolLM2-135M…");
    h.get_by_label("40%");
    h.get_by_label("Analyze page").click();
    h.run_steps(2);
    assert!(
        h.state().intents.is_empty(),
        "cannot analyse before the worker is ready"
    );

    let mut s = Side::new(PageAi::default());
    s.worker = AiStatus::ModelMissing {
        path: "models/smollm2/model.safetensors".into(),
        fix: "cargo xtask setup".into(),
    };
    let mut h = run(s);
    h.get_by_label("Model files are missing");
    crate::support::preview(&mut h, "sidebar_model_missing");
    h.get_by_label("cargo xtask setup");
    h.get_by_label("Copy command").click();
    h.run_steps(2);
    h.get_by_label("Retry").click();
    h.run_steps(2);
    assert_eq!(
        h.state().intents,
        vec![
            Intent::CopyToClipboard("cargo xtask setup".into()),
            Intent::Ai(AiIntent::RetryWorker)
        ]
    );

    let mut s = Side::new(PageAi::default());
    s.worker = AiStatus::Failed {
        reason: "The AI worker stopped 3 times in a minute.".into(),
    };
    let mut h = run(s);
    h.get_by_label("Nexus AI is unavailable");
    h.get_by_label("The AI worker stopped 3 times in a minute.");
    h.get_by_label("Retry").click();
    h.run_steps(2);
    assert_eq!(h.state().intents, vec![Intent::Ai(AiIntent::RetryWorker)]);
}

#[test]
fn page_states_too_large_and_not_analysable() {
    use nexus_ipc::messages::ai::{AnalysisInfo, AnalysisPart};
    let mut page = PageAi::default();
    page.start_analysis();
    page.apply_part(AnalysisPart::Complete(AnalysisInfo {
        analysed_words: 5000,
        total_words: 12431,
        elapsed_ms: 1,
        cached: false,
    }));
    let h = run(Side::new(page));
    h.get_by_label("Long page: the analysis covers the first 5,000 of its 12,431 words.");

    let reason = unanalysable_reason("application/pdf", 300).unwrap();
    let page = PageAi {
        status: AnalysisStatus::NotAnalysable(reason),
        ..PageAi::default()
    };
    let h = run(Side::new(page));
    h.get_by_label("This page can't be analysed");
    h.get_by_label("This is a PDF. Nexus AI reads web pages, not PDF files.");
    assert!(h.query_by_label("Analyze page").is_none());

    let mut page = PageAi::default();
    page.fail_analysis("The worker restarted while analysing.");
    let mut h = run(Side::new(page));
    h.get_by_label("The analysis failed");
    h.get_by_label("Try again").click();
    h.run_steps(2);
    assert_eq!(
        h.state().intents,
        vec![Intent::Ai(AiIntent::Analyze(TabId(7)))]
    );
}

#[test]
fn asking_sends_the_question_and_clears_the_box() {
    let mut h = run(Side::new(PageAi::default()));
    h.get_by_label("Ask about this page").click();
    h.run_steps(2);
    h.get_by_label("Ask about this page")
        .type_text("When was the note published?");
    h.run_steps(2);
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(
        h.state().intents,
        vec![Intent::Ai(AiIntent::Ask {
            tab: TabId(7),
            question: "When was the note published?".into()
        })]
    );
    assert_eq!(
        h.get_by_label("Ask about this page").value().as_deref(),
        Some("")
    );
}

#[test]
fn answers_stream_cite_passages_and_can_be_stopped_copied_cleared() {
    use nexus_ipc::messages::ai::{AiAnswer, Passage};
    let mut page = analysed_page();
    page.ask("What did she write?");
    page.apply_answer(AiAnswer::Passages(vec![Passage {
        text: "Her notes include the first algorithm.".into(),
        span: Span::new(412, 450),
        score: 0.8,
    }]));
    page.apply_answer(AiAnswer::Token("She wrote the first ".into()));
    let mut h = run(Side::new(page));
    h.get_by_label("She wrote the first ");
    crate::support::preview(&mut h, "sidebar_streaming");
    h.get_by_label("Writing…");
    h.get_by_label(
        "No generative model is set up, so this answer is the best passages from the page.",
    );
    h.get_by_label("[1] Her notes include the first algorithm.")
        .scroll_to_me();
    h.run_steps(2);
    h.get_by_label("[1] Her notes include the first algorithm.")
        .click();
    h.run_steps(2);
    h.get_by_label("Stop answer").click();
    h.run_steps(2);
    h.get_by_label("Copy conversation").click();
    h.run_steps(2);
    h.get_by_label("Clear conversation").click();
    h.run_steps(2);
    let transcript = h.state().page.transcript();
    assert_eq!(
        h.state().intents,
        vec![
            Intent::JumpToText {
                span: Span::new(412, 450),
                text: "Her notes include the first algorithm.".into()
            },
            Intent::Ai(AiIntent::CancelAnswer(TabId(7))),
            Intent::CopyToClipboard(transcript),
            Intent::Ai(AiIntent::ClearConversation(TabId(7))),
        ]
    );
}

#[test]
fn remote_endpoint_is_named_in_the_privacy_line() {
    use nexus_ipc::messages::ai::RemoteEndpoint;
    let mut s = Side::new(PageAi::default());
    s.privacy = Privacy::from_generator(&Generator::Remote(RemoteEndpoint {
        base_url: "https://api.example.com/v1".into(),
        model: "gpt-4o-mini".into(),
        api_key: Some("k".into()),
    }));
    let h = run(s);
    h.get_by_label("gpt-4o-mini at api.example.com");
}

#[test]
fn each_tab_keeps_its_own_draft_question() {
    let mut h = run(Side::new(PageAi::default()));
    h.get_by_label("Ask about this page").click();
    h.run_steps(2);
    h.get_by_label("Ask about this page")
        .type_text("draft for tab 7");
    h.run_steps(2);
    // The same sidebar state shown for another tab has an empty box, and switching back
    // restores the draft.
    let mut sidebar = std::mem::take(&mut h.state_mut().sidebar);
    let ctx = egui::Context::default();
    let state = Side::new(PageAi::default());
    let mut seen = Vec::new();
    for tab in [TabId(8), TabId(7)] {
        let mut out = ctx.run_ui(Default::default(), |ui| {
            let view = SidebarView {
                tab,
                page_title: "",
                site: None,
                worker: &state.worker,
                page: &state.page,
                privacy: &state.privacy,
                auto_analyze: false,
                never_analyze_site: false,
            };
            sidebar.show_contents(ui, &view);
        });
        out.textures_delta.clear();
        seen.push(sidebar.draft(tab).to_owned());
    }
    assert_eq!(seen, vec![String::new(), "draft for tab 7".to_owned()]);
}
