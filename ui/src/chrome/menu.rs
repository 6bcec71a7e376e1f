//! The app menu behind the toolbar's ⋮ button: windows and tabs, bookmarks, history,
//! downloads, zoom, find, settings and quit, each with its shortcut.

use crate::icons::{Icon, IconButton};
use crate::intent::Intent;
use crate::theme::Palette;
use egui::{Button, RichText, Ui};

/// What the menu needs to know.
#[derive(Clone, Copy, Debug)]
pub struct MenuView {
    /// The page's zoom in percent.
    pub zoom_percent: u32,
    /// Whether the bookmarks bar is shown (checked item).
    pub bookmarks_bar_visible: bool,
    /// Whether the page is bookmarked.
    pub bookmarked: bool,
}

/// Draw the menu's items into an open popup; returns the chosen intent.
pub fn menu_items(ui: &mut Ui, view: &MenuView) -> Option<Intent> {
    let mut chosen = None;
    let mut item = |ui: &mut Ui, text: &str, shortcut: &str, intent: Intent| {
        let button = Button::new(text).shortcut_text(shortcut);
        if ui.add(button).accessible_name(text).clicked() {
            chosen = Some(intent);
        }
    };
    item(ui, "New tab", "Ctrl+T", Intent::NewTab);
    item(ui, "New window", "Ctrl+N", Intent::NewWindow);
    item(
        ui,
        "Reopen closed tab",
        "Ctrl+Shift+T",
        Intent::ReopenClosedTab,
    );
    ui.separator();
    let star = if view.bookmarked {
        "Edit bookmark"
    } else {
        "Bookmark this page"
    };
    item(ui, star, "Ctrl+D", Intent::ToggleBookmark);
    item(
        ui,
        "Bookmarks",
        "Ctrl+Shift+O",
        Intent::OpenBookmarksManager,
    );
    let bar = if view.bookmarks_bar_visible {
        "Hide bookmarks bar"
    } else {
        "Show bookmarks bar"
    };
    item(ui, bar, "Ctrl+Shift+B", Intent::ToggleBookmarksBar);
    item(ui, "History", "Ctrl+H", Intent::OpenHistory);
    item(ui, "Downloads", "Ctrl+J", Intent::OpenDownloads);
    ui.separator();
    if let Some(intent) = zoom_row(ui, view.zoom_percent) {
        chosen = Some(intent);
    }
    let mut item = |ui: &mut Ui, text: &str, shortcut: &str, intent: Intent| {
        if ui
            .add(Button::new(text).shortcut_text(shortcut))
            .accessible_name(text)
            .clicked()
        {
            chosen = Some(intent);
        }
    };
    item(ui, "Find…", "Ctrl+F", Intent::OpenFind);
    item(ui, "Nexus AI", "Ctrl+Shift+A", Intent::ToggleAiSidebar);
    ui.separator();
    item(ui, "Settings", "", Intent::OpenSettings);
    item(ui, "Quit", "Ctrl+Shift+Q", Intent::Quit);
    chosen
}

/// "Zoom  [-]  110%  [+]" in one row.
fn zoom_row(ui: &mut Ui, zoom_percent: u32) -> Option<Intent> {
    let p = Palette::of(ui);
    let mut chosen = None;
    ui.horizontal(|ui| {
        ui.label(RichText::new("Zoom").color(p.text));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .add(
                    IconButton::new(Icon::Plus, "Zoom in")
                        .shortcut("Ctrl++")
                        .size(24.0),
                )
                .clicked()
            {
                chosen = Some(Intent::ZoomIn);
            }
            let level = ui.add(Button::new(format!("{zoom_percent}%")).frame_when_inactive(false));
            let level = level.on_hover_text("Reset to the default zoom (Ctrl+0)");
            if level.accessible_name("Reset zoom").clicked() {
                chosen = Some(Intent::ZoomReset);
            }
            if ui
                .add(
                    IconButton::new(Icon::Minus, "Zoom out")
                        .shortcut("Ctrl+-")
                        .size(24.0),
                )
                .clicked()
            {
                chosen = Some(Intent::ZoomOut);
            }
        });
    });
    chosen
}
