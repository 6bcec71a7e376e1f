//! The toolbar: back, forward, reload/stop, home, the omnibox (with the zoom indicator
//! and the bookmark star inside it), the downloads button, the AI sidebar toggle and the
//! app menu; a thin load-progress line runs along its bottom edge.

use super::downloads::{downloads_list, overall_progress};
use super::menu::{MenuView, menu_items};
use super::omnibox::{Omnibox, OmniboxView};
use crate::icons::{Icon, IconButton};
use crate::intent::Intent;
use crate::model::{DownloadView, PageView, SearchEngine, Suggestion};
use crate::theme::Palette;
use crate::widgets::{pill, progress_line};
use egui::{
    Align, Id, Layout, Popup, PopupCloseBehavior, Rect, RichText, Sense, Stroke, Ui, UiBuilder,
    vec2,
};

/// Height of the toolbar in points.
pub const TOOLBAR_HEIGHT: f32 = 46.0;

/// What the toolbar shows.
#[derive(Clone, Copy, Debug)]
pub struct ToolbarView<'a> {
    /// The active page.
    pub page: &'a PageView,
    /// Omnibox suggestions for the text being typed.
    pub suggestions: &'a [Suggestion],
    /// The search engine.
    pub search: &'a SearchEngine,
    /// Downloads (the button shows when there are any).
    pub downloads: &'a [DownloadView],
    /// Whether the AI sidebar is open (the toggle shows pressed).
    pub sidebar_open: bool,
    /// Whether the bookmarks bar is shown (menu item wording).
    pub bookmarks_bar_visible: bool,
}

/// The toolbar's state: the omnibox, and a request to open the downloads popup.
#[derive(Debug, Default)]
pub struct Toolbar {
    /// The omnibox.
    pub omnibox: Omnibox,
    open_downloads: bool,
}

impl Toolbar {
    /// Open the downloads popup on the next frame (Ctrl+J).
    pub fn open_downloads(&mut self) {
        self.open_downloads = true;
    }

    /// Draw the toolbar across `ui`'s width; returns what the user asked for.
    pub fn show(&mut self, ui: &mut Ui, view: &ToolbarView<'_>) -> Vec<Intent> {
        let mut out = Vec::new();
        let p = Palette::of(ui);
        let full = ui.available_rect_before_wrap();
        let bar = Rect::from_min_size(full.min, vec2(full.width(), TOOLBAR_HEIGHT));
        ui.allocate_rect(bar, Sense::hover());
        ui.painter().rect_filled(bar, 0.0, p.toolbar);
        ui.painter().hline(
            bar.x_range(),
            bar.bottom() - 0.5,
            Stroke::new(1.0, p.separator),
        );

        let inner = bar.shrink2(vec2(8.0, 6.0));
        let mut row = ui.new_child(
            UiBuilder::new()
                .max_rect(inner)
                .layout(Layout::left_to_right(Align::Center)),
        );
        row.spacing_mut().item_spacing.x = 2.0;
        let page = view.page;
        if row
            .add_enabled(
                page.can_go_back,
                IconButton::new(Icon::Back, "Back").shortcut("Alt+Left"),
            )
            .clicked()
        {
            out.push(Intent::Back);
        }
        if row
            .add_enabled(
                page.can_go_forward,
                IconButton::new(Icon::Forward, "Forward").shortcut("Alt+Right"),
            )
            .clicked()
        {
            out.push(Intent::Forward);
        }
        if page.loading {
            if row
                .add(IconButton::new(Icon::Stop, "Stop").shortcut("Esc"))
                .clicked()
            {
                out.push(Intent::Stop);
            }
        } else if row
            .add(IconButton::new(Icon::Reload, "Reload").shortcut("Ctrl+R"))
            .clicked()
        {
            out.push(Intent::Reload {
                bypass_cache: false,
            });
        }
        if row.add(IconButton::new(Icon::Home, "Home")).clicked() {
            out.push(Intent::Home);
        }
        row.add_space(6.0);

        // Right side first, so the omnibox gets what remains.
        row.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.spacing_mut().item_spacing.x = 2.0;
            let menu = ui.add(IconButton::new(Icon::Menu, "Menu"));
            let menu_view = MenuView {
                zoom_percent: page.zoom_percent,
                bookmarks_bar_visible: view.bookmarks_bar_visible,
                bookmarked: page.bookmarked,
            };
            Popup::menu(&menu).width(260.0).show(|ui| {
                if let Some(intent) = menu_items(ui, &menu_view) {
                    out.push(intent);
                }
            });
            let ai = IconButton::new(Icon::Sparkle, "Nexus AI sidebar")
                .shortcut("Ctrl+Shift+A")
                .selected(view.sidebar_open);
            if ui.add(ai).clicked() {
                out.push(Intent::ToggleAiSidebar);
            }
            if !view.downloads.is_empty() || self.open_downloads {
                self.downloads_button(ui, view.downloads, &mut out);
            }
            ui.add_space(6.0);
            let rect = ui.available_rect_before_wrap();
            let rect = Rect::from_min_max(rect.min, rect.max).shrink2(vec2(0.0, 0.0));
            let omnibox_rect = Rect::from_center_size(rect.center(), vec2(rect.width(), 34.0));
            let omnibox_view = OmniboxView {
                url: &page.url,
                security: page.security,
                suggestions: view.suggestions,
                search: view.search,
            };
            let trailing = |ui: &mut Ui| {
                let (icon, label) = if page.bookmarked {
                    (Icon::StarFilled, "Remove bookmark")
                } else {
                    (Icon::Star, "Bookmark this page")
                };
                let color = if page.bookmarked {
                    p.accent
                } else {
                    p.weak_text
                };
                let star = IconButton::new(icon, label)
                    .shortcut("Ctrl+D")
                    .size(26.0)
                    .color(color);
                if ui.add(star).clicked() {
                    out.push(Intent::ToggleBookmark);
                }
                if page.zoom_percent != 100 {
                    let text = format!("{}%", page.zoom_percent);
                    let zoom = pill(ui, &text, p.field, p.text, "Zoom level");
                    Popup::menu(&zoom).show(|ui| {
                        ui.label(RichText::new(format!("Zoom: {}%", page.zoom_percent)).strong());
                        ui.horizontal(|ui| {
                            if ui
                                .add(IconButton::new(Icon::Minus, "Zoom out").size(26.0))
                                .clicked()
                            {
                                out.push(Intent::ZoomOut);
                            }
                            if ui
                                .add(IconButton::new(Icon::Plus, "Zoom in").size(26.0))
                                .clicked()
                            {
                                out.push(Intent::ZoomIn);
                            }
                            if ui.button("Reset").clicked() {
                                out.push(Intent::ZoomReset);
                            }
                        });
                    });
                }
            };
            let intents = self.omnibox.show(ui, omnibox_rect, &omnibox_view, trailing);
            ui.allocate_rect(omnibox_rect, Sense::hover());
            out.extend(intents);
        });

        if page.loading {
            let progress = (page.progress > 0.0).then_some(page.progress);
            progress_line(ui, bar, progress, p.accent);
        }
        out
    }

    fn downloads_button(&mut self, ui: &mut Ui, downloads: &[DownloadView], out: &mut Vec<Intent>) {
        let p = Palette::of(ui);
        let button = ui.add(IconButton::new(Icon::Download, "Downloads").shortcut("Ctrl+J"));
        if let Some(progress) = overall_progress(downloads) {
            let rect = button.rect.shrink(3.0);
            let start = -std::f32::consts::FRAC_PI_2;
            let end = start + progress.clamp(0.02, 1.0) * std::f32::consts::TAU;
            let points: Vec<egui::Pos2> = (0..=32)
                .map(|i| {
                    let a = start + (end - start) * i as f32 / 32.0;
                    rect.center() + rect.width() / 2.0 * vec2(a.cos(), a.sin())
                })
                .collect();
            ui.painter()
                .add(egui::Shape::line(points, Stroke::new(2.0, p.accent)));
        }
        let id = Id::unique("nexus-downloads-popup");
        if std::mem::take(&mut self.open_downloads) {
            Popup::open_id(ui.ctx(), id);
        }
        Popup::menu(&button)
            .id(id)
            .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
            .show(|ui| out.extend(downloads_list(ui, downloads)));
    }
}
