//! The analysis results: category with a confidence bar (and "Uncertain" said plainly),
//! entities grouped by type as chips with counts (click: find in page), tone as a small
//! bar chart, and the summary as bullets (click: jump to the sentence in the page).

use crate::intent::Intent;
use crate::model::PageAi;
use crate::theme::Palette;
use crate::widgets::{card, chip, fraction_bar, section_heading};
use egui::{CornerRadius, RichText, Sense, Ui, WidgetInfo, vec2};
use nexus_ipc::messages::ai::{
    Category, CategoryResult, Entity, EntityKind, SentimentLabel, SentimentResult,
};

/// Draw every part that has arrived.
pub(super) fn results(ui: &mut Ui, page: &PageAi, out: &mut Vec<Intent>) {
    let a = &page.analysis;
    if let Some(category) = &a.category {
        card(ui, |ui| category_card(ui, category));
    }
    if !a.entities.is_empty() {
        card(ui, |ui| entities_card(ui, &a.entities, out));
    }
    if let Some(sentiment) = &a.sentiment {
        card(ui, |ui| sentiment_card(ui, sentiment));
    }
    if !a.summary.is_empty() {
        card(ui, |ui| {
            section_heading(ui, "SUMMARY");
            for sentence in &a.summary {
                bullet(
                    ui,
                    &sentence.text,
                    || Intent::JumpToText {
                        span: sentence.span,
                        text: sentence.text.clone(),
                    },
                    out,
                );
            }
        });
    }
}

fn category_card(ui: &mut Ui, c: &CategoryResult) {
    let p = Palette::of(ui);
    section_heading(ui, "WHAT THIS PAGE IS");
    let uncertain = c.category == Category::Uncertain;
    if uncertain {
        ui.label(
            RichText::new("Uncertain")
                .size(17.0)
                .strong()
                .color(p.warning),
        );
        let guesses: Vec<String> = c
            .scores
            .iter()
            .take(2)
            .map(|(cat, score)| format!("{} {:.0}%", cat.label(), score * 100.0))
            .collect();
        let text = if guesses.is_empty() {
            "The page does not clearly fit any category.".to_owned()
        } else {
            format!(
                "It does not clearly fit one category. Best guesses: {}.",
                guesses.join(", ")
            )
        };
        ui.label(RichText::new(text).color(p.weak_text));
    } else {
        ui.label(
            RichText::new(c.category.label())
                .size(17.0)
                .strong()
                .color(p.text),
        );
    }
    ui.horizontal(|ui| {
        let color = if uncertain { p.warning } else { p.accent };
        let width = (ui.available_width() - 92.0).max(40.0);
        fraction_bar(ui, c.confidence, color, width, 6.0);
        let text = format!("{:.0}% confident", c.confidence.clamp(0.0, 1.0) * 100.0);
        ui.label(RichText::new(text).size(12.0).color(p.weak_text));
    });
}

fn entities_card(ui: &mut Ui, entities: &[Entity], out: &mut Vec<Intent>) {
    let p = Palette::of(ui);
    section_heading(ui, "MENTIONED");
    let mut kinds: Vec<EntityKind> = entities.iter().map(|e| e.kind).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let mut group: Vec<&Entity> = entities.iter().filter(|e| e.kind == kind).collect();
        group.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
        let heading = format!("{} ({})", kind.group_label(), group.len());
        ui.label(RichText::new(heading).size(12.5).strong().color(p.text));
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing = vec2(6.0, 6.0);
            for entity in group {
                let label = format!("Find “{}” in page", entity.text);
                let response = chip(ui, &entity.text, entity.count, &label);
                let tip = format!("{} mentions — click to find them in the page", entity.count);
                if response.on_hover_text(tip).clicked() {
                    out.push(Intent::FindInPage(entity.text.clone()));
                }
            }
        });
    }
}

fn sentiment_card(ui: &mut Ui, s: &SentimentResult) {
    let p = Palette::of(ui);
    section_heading(ui, "TONE");
    let label = match s.label {
        SentimentLabel::Positive => "Mostly positive",
        SentimentLabel::Negative => "Mostly negative",
        SentimentLabel::Neutral => "Mostly neutral",
        SentimentLabel::Mixed => "Mixed",
    };
    ui.label(RichText::new(label).size(15.0).strong().color(p.text));
    for (name, value, color) in [
        ("Positive", s.positive, p.success),
        ("Neutral", s.neutral, p.weak_text),
        ("Negative", s.negative, p.danger),
    ] {
        ui.horizontal(|ui| {
            ui.add_sized(
                [62.0, 16.0],
                egui::Label::new(RichText::new(name).size(12.0).color(p.weak_text)),
            );
            let width = (ui.available_width() - 44.0).max(40.0);
            let rect = fraction_bar(ui, value, color, width, 8.0);
            let text = format!("{:.0}%", value.clamp(0.0, 1.0) * 100.0);
            ui.label(RichText::new(&text).size(12.0).color(p.text));
            let accessible = format!("{name} {text}");
            ui.interact(
                rect,
                egui::Id::unique(("nexus-ai-tone", name)),
                Sense::hover(),
            )
            .widget_info(|| WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &accessible));
        });
    }
}

/// A clickable bullet: a dot and wrapped text, highlighted on hover and focus.
pub(super) fn bullet(
    ui: &mut Ui,
    text: &str,
    intent: impl FnOnce() -> Intent,
    out: &mut Vec<Intent>,
) {
    let p = Palette::of(ui);
    let width = ui.available_width();
    let galley = ui.painter().layout(
        text.to_owned(),
        egui::FontId::proportional(13.0),
        p.text,
        width - 22.0,
    );
    let (rect, response) =
        ui.allocate_exact_size(vec2(width, galley.size().y + 6.0), Sense::click());
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Link, true, text));
    if response.hovered() || response.has_focus() {
        ui.painter().rect_filled(
            rect.expand2(vec2(4.0, 0.0)),
            CornerRadius::same(6),
            p.accent_soft,
        );
    }
    let dot = rect.left_top() + vec2(6.0, 3.0 + 9.0);
    ui.painter().circle_filled(dot, 2.5, p.accent);
    ui.painter()
        .galley(rect.left_top() + vec2(18.0, 3.0), galley, p.text);
    if response
        .on_hover_text("Show this sentence in the page")
        .clicked()
    {
        out.push(intent());
    }
}
