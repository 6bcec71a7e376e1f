//! The browser pane: focus, neutral input events, shortcuts kept from the page, scrolling,
//! zoom, cursor and size reporting.

use crate::window::{Win, window};
use egui::{Event, Key, Modifiers, PointerButton, Pos2, Vec2, pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nexus_ui::Intent;
use nexus_ui::model::{PageCursor, ThemePreference};
use nexus_ui::pane::{KeyAction, MouseButton, PaneInput};

fn win() -> Harness<'static, Win> {
    let mut state = Win::new();
    state.state.sidebar_open = false;
    // Real frame times, so double-click timing is what a user gets.
    let mut h = Harness::builder()
        .with_size(vec2(800.0, 500.0))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(120)
        .with_context_setup(|ctx| nexus_ui::theme::apply(ctx, ThemePreference::Light))
        .build_ui_state(window, state);
    h.run();
    h
}

/// A point inside the pane, and the same point relative to the pane.
fn inside(h: &Harness<'_, Win>) -> (Pos2, Pos2) {
    let rect = h.state().pane.as_ref().expect("a page is shown").rect;
    let pos = rect.min + vec2(100.0, 80.0);
    (pos, pos2(100.0, 80.0))
}

/// Run `steps` steps (each queued event gets a frame) and take the pane events.
fn run_collect(h: &mut Harness<'_, Win>, steps: usize) -> Vec<PaneInput> {
    for _ in 0..steps {
        h.step();
    }
    std::mem::take(&mut h.state_mut().pane_events)
}

fn click(h: &Harness<'_, Win>, pos: Pos2) {
    h.hover_at(pos);
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
}

#[test]
fn pane_reports_size_and_scale() {
    let h = win();
    let pane = h.state().pane.clone().unwrap();
    assert!(
        pane.size.x > 700.0 && pane.size.y > 300.0,
        "{:?}",
        pane.size
    );
    assert_eq!(pane.pixels_per_point, 1.0);
    h.get_by_label("Web page");
}

#[test]
fn a_fast_click_focuses_the_page_and_reaches_it() {
    let mut h = win();
    let (pos, rel) = inside(&h);
    click(&h, pos);
    let events = run_collect(&mut h, 2);
    assert!(events.contains(&PaneInput::FocusGained), "{events:?}");
    let clicks: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            PaneInput::MouseButton {
                pos,
                button,
                pressed,
                click_count,
                ..
            } => Some((*pos, *button, *pressed, *click_count)),
            _ => None,
        })
        .collect();
    assert_eq!(
        clicks,
        vec![
            (rel, MouseButton::Left, true, 1),
            (rel, MouseButton::Left, false, 1)
        ]
    );
    assert!(h.state().pane.as_ref().unwrap().focused);
}

#[test]
fn double_clicks_count_two() {
    let mut h = win();
    let (pos, _) = inside(&h);
    click(&h, pos);
    click(&h, pos);
    let events = run_collect(&mut h, 2);
    let counts: Vec<u32> = events
        .iter()
        .filter_map(|e| match e {
            PaneInput::MouseButton {
                pressed: true,
                click_count,
                ..
            } => Some(*click_count),
            _ => None,
        })
        .collect();
    assert_eq!(counts, vec![1, 2]);
}

#[test]
fn typing_reaches_the_focused_page_with_key_codes_and_chars() {
    let mut h = win();
    let (pos, _) = inside(&h);
    click(&h, pos);
    run_collect(&mut h, 2);
    h.key_down(Key::A);
    h.event(Event::Text("a".into()));
    h.key_up(Key::A);
    h.key_press(Key::Enter);
    h.key_press(Key::Tab);
    let events = run_collect(&mut h, 2);
    let m = Default::default();
    let key = |action, code, character| PaneInput::Key {
        action,
        windows_key_code: code,
        character,
        modifiers: m,
        repeat: false,
    };
    assert_eq!(
        events,
        vec![
            key(KeyAction::Down, 0x41, 0),
            PaneInput::Char {
                unit: 'a' as u16,
                modifiers: m
            },
            key(KeyAction::Up, 0x41, 0),
            key(KeyAction::Down, 0x0D, 13),
            PaneInput::Char {
                unit: 13,
                modifiers: m
            },
            key(KeyAction::Up, 0x0D, 13),
            key(KeyAction::Down, 0x09, 9),
            key(KeyAction::Up, 0x09, 9),
        ]
    );
    assert!(
        h.state().pane.as_ref().unwrap().focused,
        "Tab did not move egui focus away from the page"
    );
}

#[test]
fn browser_shortcuts_never_reach_the_page() {
    let mut h = win();
    let (pos, _) = inside(&h);
    click(&h, pos);
    run_collect(&mut h, 2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::T);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    h.event(Event::Copy);
    let events = run_collect(&mut h, 2);
    assert!(
        !events.iter().any(|e| matches!(
            e,
            PaneInput::Key {
                action: KeyAction::Down,
                windows_key_code: 0x54 | 0x41,
                ..
            }
        )),
        "{events:?}"
    );
    assert!(events.contains(&PaneInput::Copy));
    let intents = &h.state().intents;
    assert!(
        intents.contains(&Intent::NewTab) && intents.contains(&Intent::ToggleAiSidebar),
        "{intents:?}"
    );
}

#[test]
fn keys_do_not_reach_an_unfocused_page() {
    let mut h = win();
    h.key_press(Key::A);
    h.event(Event::Text("a".into()));
    let events = run_collect(&mut h, 2);
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn wheel_scrolls_smoothly_in_points_and_ctrl_wheel_zooms() {
    let mut h = win();
    let (pos, _) = inside(&h);
    h.hover_at(pos);
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: vec2(0.0, -120.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    });
    let events = run_collect(&mut h, 40);
    let total: Vec2 = events
        .iter()
        .filter_map(|e| match e {
            PaneInput::Wheel { delta, .. } => Some(*delta),
            _ => None,
        })
        .fold(Vec2::ZERO, |a, b| a + b);
    assert!(
        (total.y + 120.0).abs() < 1.0,
        "the whole notch arrives, spread over frames: {total:?}"
    );
    let wheel_frames = events
        .iter()
        .filter(|e| matches!(e, PaneInput::Wheel { .. }))
        .count();
    assert!(wheel_frames > 1, "smoothed over several frames");

    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: vec2(0.0, 1.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: Modifiers::COMMAND,
    });
    h.step();
    assert!(h.state().intents.contains(&Intent::ZoomIn));
}

#[test]
fn leaving_the_page_sends_mouse_leave_and_the_cursor_follows_the_page() {
    let mut h = win();
    h.state_mut().page.hovered_link = None;
    let (pos, _) = inside(&h);
    h.hover_at(pos);
    h.step();
    assert_eq!(
        h.output().platform_output.cursor_icon,
        egui::CursorIcon::Default
    );
    h.state_mut().cursor = PageCursor::Pointer;
    h.step();
    h.step();
    assert_eq!(
        h.output().platform_output.cursor_icon,
        egui::CursorIcon::PointingHand
    );
    h.hover_at(pos2(5.0, 5.0));
    let events = run_collect(&mut h, 1);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, PaneInput::MouseLeave { .. })),
        "{events:?}"
    );
}

#[test]
fn mouse_back_button_goes_back_and_ime_commits_reach_the_page() {
    let mut h = win();
    let (pos, _) = inside(&h);
    click(&h, pos);
    run_collect(&mut h, 2);
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Extra1,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(Event::Ime(egui::ImeEvent::Commit("日本".into())));
    let events = run_collect(&mut h, 1);
    assert!(events.contains(&PaneInput::ImeCommit("日本".into())));
    assert!(h.state().intents.contains(&Intent::Back));
}

#[test]
fn hidpi_reports_points_and_scale() {
    let mut state = Win::new();
    state.state.sidebar_open = false;
    let mut h = Harness::builder()
        .with_size(vec2(800.0, 500.0))
        .with_pixels_per_point(2.0)
        .with_context_setup(|ctx| nexus_ui::theme::apply(ctx, ThemePreference::Light))
        .build_ui_state(window, state);
    h.run();
    let pane = h.state().pane.clone().unwrap();
    assert_eq!(pane.pixels_per_point, 2.0);
    assert!(
        pane.size.x < 800.0 && pane.size.x > 700.0,
        "size stays in points: {:?}",
        pane.size
    );
}
