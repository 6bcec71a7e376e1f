//! View-model data the tests draw: a realistic analysed article and conversation.

use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::{
    AiAnswer, AnalysisInfo, AnalysisPart, AnswerInfo, Category, CategoryResult, Entity, EntityKind,
    Passage, SentimentLabel, SentimentResult, SummarySentence,
};
use nexus_ui::model::PageAi;

fn entity(text: &str, kind: EntityKind, count: u32) -> Entity {
    Entity {
        text: text.into(),
        kind,
        count,
        mentions: vec![Span::new(0, text.len())],
    }
}

/// The parts of an analysis of an article about Ada Lovelace.
pub fn article_parts() -> Vec<AnalysisPart> {
    vec![
        AnalysisPart::Category(CategoryResult {
            category: Category::Science,
            confidence: 0.82,
            scores: vec![(Category::Science, 0.82), (Category::Technology, 0.11), (Category::Education, 0.04)],
        }),
        AnalysisPart::Sentiment(SentimentResult {
            positive: 0.58,
            negative: 0.07,
            neutral: 0.35,
            label: SentimentLabel::Positive,
        }),
        AnalysisPart::Entities(vec![
            entity("Ada Lovelace", EntityKind::Person, 14),
            entity("Charles Babbage", EntityKind::Person, 9),
            entity("Lord Byron", EntityKind::Person, 3),
            entity("London", EntityKind::Place, 4),
            entity("Analytical Engine", EntityKind::Product, 7),
            entity("1843", EntityKind::Date, 2),
        ]),
        AnalysisPart::Summary(vec![
            SummarySentence {
                text: "Ada Lovelace was an English mathematician known for her work on Babbage's Analytical Engine.".into(),
                span: Span::new(0, 94),
                score: 0.9,
            },
            SummarySentence {
                text: "Her notes include what is recognised as the first algorithm intended for a machine.".into(),
                span: Span::new(412, 496),
                score: 0.8,
            },
        ]),
        AnalysisPart::Complete(AnalysisInfo { analysed_words: 2104, total_words: 2104, elapsed_ms: 180, cached: false }),
    ]
}

/// A tab whose page is fully analysed, with one extractive answer.
pub fn analysed_page() -> PageAi {
    let mut page = PageAi::default();
    page.start_analysis();
    for part in article_parts() {
        page.apply_part(part);
    }
    page.ask("Who did she work with?");
    page.apply_answer(AiAnswer::Passages(vec![Passage {
        text: "She worked with Charles Babbage on the Analytical Engine.".into(),
        span: Span::new(120, 177),
        score: 0.9,
    }]));
    page.apply_answer(AiAnswer::Done(AnswerInfo {
        generated_by: None,
        elapsed_ms: 40,
    }));
    page
}
