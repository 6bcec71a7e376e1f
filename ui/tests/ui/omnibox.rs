//! The omnibox: typing, suggestions, keyboard selection, Escape, and its dropdown.

use crate::chrome::{Top, top};
use crate::support::harness;
use egui_kittest::kittest::Queryable;
use nexus_ui::model::{Suggestion, SuggestionKind, ThemePreference};
use nexus_ui::{Disposition, Intent};

fn with_suggestions() -> Top {
    let mut state = Top::new();
    state.suggestions = vec![
        Suggestion {
            title: "The Rust Programming Language".into(),
            url: "https://doc.rust-lang.org/book/".into(),
            kind: SuggestionKind::History,
        },
        Suggestion {
            title: "Rust by Example".into(),
            url: "https://doc.rust-lang.org/rust-by-example/".into(),
            kind: SuggestionKind::Bookmark,
        },
    ];
    state
}

#[test]
fn omnibox_searches_what_is_typed() {
    let mut h = harness((760.0, 300.0), ThemePreference::Light, Top::new(), top);
    h.run_steps(3);
    h.get_by_label("Address and search bar").click();
    h.run_steps(3);
    h.get_by_label("Address and search bar")
        .type_text("rust egui");
    h.run_steps(3);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let intents = &h.state().intents;
    assert!(
        intents.contains(&Intent::OmniboxQueryChanged("rust egui".into())),
        "{intents:?}"
    );
    assert_eq!(
        intents.last(),
        Some(&Intent::Navigate {
            url: "https://duckduckgo.com/?q=rust+egui".into(),
            disposition: Disposition::CurrentTab
        })
    );
}

#[test]
fn omnibox_arrows_pick_a_suggestion_and_alt_enter_opens_a_tab() {
    let mut h = harness(
        (760.0, 300.0),
        ThemePreference::Light,
        with_suggestions(),
        top,
    );
    h.run_steps(3);
    h.get_by_label("Address and search bar").click();
    h.run_steps(3);
    h.get_by_label("Address and search bar").type_text("rust");
    h.run_steps(3);
    h.get_by_label("The Rust Programming Language — https://doc.rust-lang.org/book/");
    h.key_press(egui::Key::ArrowDown);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(
        h.state().intents.last(),
        Some(&Intent::Navigate {
            url: "https://doc.rust-lang.org/rust-by-example/".into(),
            disposition: Disposition::NewForegroundTab
        })
    );
}

#[test]
fn omnibox_dropdown_rows_are_clickable() {
    let mut h = harness(
        (760.0, 300.0),
        ThemePreference::Light,
        with_suggestions(),
        top,
    );
    h.run_steps(3);
    h.get_by_label("Address and search bar").click();
    h.run_steps(3);
    h.get_by_label("Address and search bar").type_text("rust");
    h.run_steps(3);
    h.get_by_label("Rust by Example — https://doc.rust-lang.org/rust-by-example/")
        .click();
    h.run_steps(3);
    assert_eq!(
        h.state().intents.last(),
        Some(&Intent::Navigate {
            url: "https://doc.rust-lang.org/rust-by-example/".into(),
            disposition: Disposition::CurrentTab
        })
    );
    assert!(
        h.query_by_label("Rust by Example — https://doc.rust-lang.org/rust-by-example/")
            .is_none(),
        "dropdown closed"
    );
}

#[test]
fn omnibox_escape_restores_the_url() {
    let mut h = harness((760.0, 300.0), ThemePreference::Light, Top::new(), top);
    h.run_steps(3);
    h.get_by_label("Address and search bar").click();
    h.run_steps(3);
    h.get_by_label("Address and search bar")
        .type_text("something else");
    h.run_steps(3);
    assert_eq!(
        h.get_by_label("Address and search bar").value().as_deref(),
        Some("something else")
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert_eq!(
        h.get_by_label("Address and search bar").value().as_deref(),
        Some("https://en.wikipedia.org/wiki/Ada_Lovelace")
    );
    assert!(
        !h.state()
            .intents
            .iter()
            .any(|i| matches!(i, Intent::Navigate { .. }))
    );
}

#[test]
fn omnibox_dropdown_light() {
    let mut h = harness(
        (620.0, 230.0),
        ThemePreference::Light,
        with_suggestions(),
        top,
    );
    h.run_steps(3);
    h.get_by_label("Address and search bar").click();
    h.run_steps(3);
    h.get_by_label("Address and search bar").type_text("rust");
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(4);
    h.snapshot("omnibox_dropdown_light");
}
