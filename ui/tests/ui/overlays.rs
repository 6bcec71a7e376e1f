//! What floats over the page: find bar, context menu, dialogs, the crash pane, and the
//! window-level shortcuts that open them.

use crate::support::harness;
use crate::window::{Win, window};
use egui::{Key, Modifiers, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nexus_ui::model::{
    ContextMenuView, DialogId, DialogKind, DialogView, FindResult, PermissionKind, ThemePreference,
};
use nexus_ui::{Disposition, Intent};

fn win(state: Win) -> Harness<'static, Win> {
    let mut h = harness((820.0, 520.0), ThemePreference::Light, state, window);
    h.run();
    h
}

fn quiet() -> Win {
    let mut s = Win::new();
    s.state.sidebar_open = false;
    s
}

fn take(h: &mut Harness<'_, Win>) -> Vec<Intent> {
    std::mem::take(&mut h.state_mut().intents)
}

#[test]
fn ctrl_f_opens_a_focused_find_bar_that_searches_as_you_type() {
    let mut h = win(quiet());
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    assert_eq!(take(&mut h), vec![Intent::OpenFind]);
    assert!(h.get_by_label("Find in page").is_focused());
    h.get_by_label("Find in page").type_text("Ada");
    h.run();
    assert_eq!(
        take(&mut h),
        vec![Intent::Find {
            query: "Ada".into(),
            forward: true,
            find_next: false
        }]
    );
    h.state_mut().page.find = FindResult {
        active: 3,
        total: 12,
        final_update: true,
    };
    h.run();
    h.get_by_label("3 of 12");
    h.key_press(Key::Enter);
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run();
    assert_eq!(
        take(&mut h),
        vec![
            Intent::Find {
                query: "Ada".into(),
                forward: true,
                find_next: true
            },
            Intent::Find {
                query: "Ada".into(),
                forward: false,
                find_next: true
            },
        ]
    );
    h.get_by_label("Next match").click();
    h.run();
    assert_eq!(
        take(&mut h),
        vec![Intent::Find {
            query: "Ada".into(),
            forward: true,
            find_next: true
        }]
    );
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(take(&mut h), vec![Intent::CloseFind]);
    assert!(h.query_by_label("Find in page").is_none());
}

#[test]
fn find_bar_says_no_results_and_sidebar_chips_open_it() {
    let mut h = win(quiet());
    h.state_mut()
        .ui
        .apply(&Intent::FindInPage("Babbage".into()));
    h.state_mut().page.find = FindResult {
        active: 0,
        total: 0,
        final_update: true,
    };
    h.run();
    assert_eq!(
        take(&mut h),
        vec![Intent::Find {
            query: "Babbage".into(),
            forward: true,
            find_next: false
        }]
    );
    h.get_by_label("No results");
    assert_eq!(
        h.get_by_label("Find in page").value().as_deref(),
        Some("Babbage")
    );
}

#[test]
fn ctrl_l_focuses_the_omnibox_and_escape_stops_loading() {
    let mut h = win(quiet());
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    assert_eq!(take(&mut h), vec![Intent::FocusOmnibox]);
    assert!(h.get_by_label("Address and search bar").is_focused());
    h.key_press(Key::Escape);
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert!(
        !h.get_by_label("Address and search bar").is_focused(),
        "second Escape leaves the omnibox"
    );
    h.state_mut().page.loading = true;
    h.run_steps(2);
    take(&mut h);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(take(&mut h), vec![Intent::Stop]);
}

#[test]
fn context_menu_on_a_link_opens_copies_and_saves() {
    for (item, expected) in [
        (
            "Open link in new tab",
            Intent::Navigate {
                url: "https://example.com/a".into(),
                disposition: Disposition::NewBackgroundTab,
            },
        ),
        (
            "Copy link address",
            Intent::CopyToClipboard("https://example.com/a".into()),
        ),
        (
            "Save link as…",
            Intent::SaveAs {
                url: "https://example.com/a".into(),
            },
        ),
    ] {
        let mut s = quiet();
        s.menu = Some(ContextMenuView {
            position: pos2(120.0, 90.0),
            link_url: Some("https://example.com/a".into()),
            ..Default::default()
        });
        let mut h = win(s);
        h.get_by_label(item).click();
        h.run();
        assert_eq!(take(&mut h), vec![expected, Intent::DismissContextMenu]);
    }
}

#[test]
fn context_menu_items_follow_what_was_clicked() {
    let mut s = quiet();
    s.menu = Some(ContextMenuView {
        position: pos2(40.0, 40.0),
        selection: Some("analytical engine".into()),
        ..Default::default()
    });
    let mut h = win(s);
    h.get_by_label("Copy");
    h.get_by_label("Search DuckDuckGo for “analytical engine”")
        .click();
    h.run();
    let search = Intent::Navigate {
        url: "https://duckduckgo.com/?q=analytical+engine".into(),
        disposition: Disposition::NewForegroundTab,
    };
    assert_eq!(take(&mut h), vec![search, Intent::DismissContextMenu]);

    h.state_mut().menu = Some(ContextMenuView {
        editable: true,
        can_go_back: true,
        ..Default::default()
    });
    h.run();
    h.get_by_label("Paste").click();
    h.run();
    assert_eq!(
        take(&mut h),
        vec![Intent::Paste, Intent::DismissContextMenu]
    );

    h.state_mut().menu = Some(ContextMenuView {
        can_go_back: true,
        ..Default::default()
    });
    h.run();
    // The toolbar has a Back button too: take the one in the menu, over the page.
    h.get_all_by_label("Back")
        .find(|n| n.rect().top() > 120.0)
        .expect("menu item")
        .click();
    h.run();
    let intents = take(&mut h);
    assert_eq!(intents.first(), Some(&Intent::Back));
    h.state_mut().page.loading = true; // Escape closes the menu, it does not stop the load
    h.run();
    take(&mut h);
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(take(&mut h), vec![Intent::DismissContextMenu]);
}

fn dialog(kind: DialogKind) -> Win {
    let mut s = quiet();
    s.dialog = Some(DialogView {
        id: DialogId(9),
        origin: "https://example.com".into(),
        kind,
    });
    s
}

#[test]
fn javascript_dialogs_name_the_origin_and_answer() {
    let mut h = win(dialog(DialogKind::Alert {
        message: "Saved!".into(),
    }));
    h.get_by_label("https://example.com says");
    h.get_by_label("Saved!");
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(
        take(&mut h)[0],
        Intent::DialogReply {
            id: DialogId(9),
            accept: true,
            text: None
        }
    );

    let mut h = win(dialog(DialogKind::Confirm {
        message: "Delete it?".into(),
    }));
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(
        take(&mut h)[0],
        Intent::DialogReply {
            id: DialogId(9),
            accept: false,
            text: None
        }
    );

    let prompt = DialogKind::Prompt {
        message: "Your name?".into(),
        default_text: "Ada".into(),
    };
    let mut h = win(dialog(prompt));
    h.get_by_label("Prompt answer").type_text(" Lovelace");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        take(&mut h)[0],
        Intent::DialogReply {
            id: DialogId(9),
            accept: true,
            text: Some("Ada Lovelace".into())
        }
    );
}

#[test]
fn leave_site_and_permission_prompts() {
    let mut h = win(dialog(DialogKind::BeforeUnload { is_reload: false }));
    h.get_by_label("Leave site?");
    h.get_by_label("Leave").click();
    h.run();
    assert_eq!(
        take(&mut h)[0],
        Intent::DialogReply {
            id: DialogId(9),
            accept: true,
            text: None
        }
    );

    let mut h = win(dialog(DialogKind::Permission {
        permission: PermissionKind::AiFeatures,
    }));
    h.get_by_label("https://example.com wants to use Nexus AI features");
    h.get_by_label("Block").click();
    h.run();
    let block = Intent::PermissionReply {
        id: DialogId(9),
        origin: "https://example.com".into(),
        permission: PermissionKind::AiFeatures,
        allow: false,
    };
    assert_eq!(take(&mut h)[0], block);
    let mut h = win(dialog(DialogKind::Permission {
        permission: PermissionKind::AiFeatures,
    }));
    h.get_by_label("Allow").click();
    h.run();
    assert!(matches!(
        take(&mut h)[0],
        Intent::PermissionReply { allow: true, .. }
    ));
}

#[test]
fn dialog_light() {
    let state = dialog(DialogKind::Permission {
        permission: PermissionKind::AiFeatures,
    });
    let mut h = harness((640.0, 380.0), ThemePreference::Light, state, window);
    h.run();
    h.snapshot("dialog_permission_light");
}

#[test]
fn crash_pane_explains_and_reloads() {
    use crate::window::window_with;
    let mut h = harness((820.0, 520.0), ThemePreference::Dark, quiet(), |ui, s| {
        window_with(ui, s, Some("The page ran out of memory."))
    });
    h.run();
    h.get_by_label("This page crashed");
    h.get_by_label("The page ran out of memory.");
    // The toolbar has a Reload button too: take the pane's.
    h.get_all_by_label("Reload")
        .find(|n| n.rect().top() > 150.0)
        .expect("crash pane button")
        .click();
    h.run();
    assert_eq!(
        take(&mut h),
        vec![Intent::Reload {
            bypass_cache: false
        }]
    );
    crate::support::preview(&mut h, "crash_dark");
}
