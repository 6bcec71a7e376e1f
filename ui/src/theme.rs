//! The Nexus look: one calm palette for light and one for dark, applied with [`apply`].
//!
//! Panels never hard-code colours: they ask [`Palette::of`] for the palette of the theme
//! egui is currently showing, so every panel follows the light/dark switch at once.

use crate::model::ThemePreference;
use egui::{Color32, CornerRadius, FontFamily, FontId, Margin, Shadow, Stroke, TextStyle, Vec2};

/// The colours every panel draws with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    /// Whether this is the dark palette.
    pub dark: bool,
    /// Behind the tab strip (the window frame).
    pub frame: Color32,
    /// The toolbar, the active tab and popups.
    pub toolbar: Color32,
    /// Side panels and internal pages.
    pub surface: Color32,
    /// Cards inside panels.
    pub card: Color32,
    /// Text fields (the omnibox at rest).
    pub field: Color32,
    /// A hovered control's background.
    pub hover: Color32,
    /// Hairlines between areas.
    pub separator: Color32,
    /// Body text.
    pub text: Color32,
    /// Secondary text.
    pub weak_text: Color32,
    /// The accent: focus rings, progress, selection, primary buttons.
    pub accent: Color32,
    /// A faint accent for chips and selected rows.
    pub accent_soft: Color32,
    /// Text on an accent fill.
    pub on_accent: Color32,
    /// Errors and destructive actions.
    pub danger: Color32,
    /// Warnings ("Not secure").
    pub warning: Color32,
    /// Success ("Connected").
    pub success: Color32,
}

impl Palette {
    /// The light palette.
    pub const LIGHT: Palette = Palette {
        dark: false,
        frame: Color32::from_rgb(0xDF, 0xE3, 0xEA),
        toolbar: Color32::from_rgb(0xFF, 0xFF, 0xFF),
        surface: Color32::from_rgb(0xF6, 0xF7, 0xF9),
        card: Color32::from_rgb(0xFF, 0xFF, 0xFF),
        field: Color32::from_rgb(0xEE, 0xF1, 0xF5),
        hover: Color32::from_rgb(0xE6, 0xE9, 0xEE),
        separator: Color32::from_rgb(0xDA, 0xDE, 0xE4),
        text: Color32::from_rgb(0x1F, 0x23, 0x28),
        weak_text: Color32::from_rgb(0x5E, 0x66, 0x72),
        accent: Color32::from_rgb(0x2F, 0x6F, 0xEB),
        accent_soft: Color32::from_rgb(0xE2, 0xEB, 0xFD),
        on_accent: Color32::WHITE,
        danger: Color32::from_rgb(0xC6, 0x28, 0x28),
        warning: Color32::from_rgb(0xA8, 0x5A, 0x00),
        success: Color32::from_rgb(0x2E, 0x7D, 0x32),
    };

    /// The dark palette.
    pub const DARK: Palette = Palette {
        dark: true,
        frame: Color32::from_rgb(0x17, 0x19, 0x1D),
        toolbar: Color32::from_rgb(0x29, 0x2C, 0x32),
        surface: Color32::from_rgb(0x21, 0x24, 0x29),
        card: Color32::from_rgb(0x2B, 0x2F, 0x35),
        field: Color32::from_rgb(0x1C, 0x1F, 0x23),
        hover: Color32::from_rgb(0x36, 0x3A, 0x41),
        separator: Color32::from_rgb(0x3A, 0x3E, 0x45),
        text: Color32::from_rgb(0xE6, 0xE8, 0xEB),
        weak_text: Color32::from_rgb(0x9C, 0xA3, 0xAD),
        accent: Color32::from_rgb(0x7A, 0xA7, 0xFF),
        accent_soft: Color32::from_rgb(0x2A, 0x38, 0x52),
        on_accent: Color32::from_rgb(0x10, 0x16, 0x24),
        danger: Color32::from_rgb(0xFF, 0x7B, 0x72),
        warning: Color32::from_rgb(0xF2, 0xB8, 0x5C),
        success: Color32::from_rgb(0x6C, 0xCB, 0x77),
    };

    /// The palette of the theme a `Ui` is drawn with.
    pub fn of(ui: &egui::Ui) -> Palette {
        Palette::for_dark_mode(ui.visuals().dark_mode)
    }

    /// The light or dark palette.
    pub fn for_dark_mode(dark: bool) -> Palette {
        if dark { Palette::DARK } else { Palette::LIGHT }
    }
}

/// Install the Nexus look on a context: both palettes' styles, the theme preference, and
/// the options a browser needs (Ctrl +/- zooms the page, not egui). Call once at start and
/// whenever the theme setting changes; cheap enough to call every frame.
pub fn apply(ctx: &egui::Context, theme: ThemePreference) {
    ctx.set_style_of(egui::Theme::Light, style(&Palette::LIGHT));
    ctx.set_style_of(egui::Theme::Dark, style(&Palette::DARK));
    ctx.set_theme(match theme {
        ThemePreference::System => egui::ThemePreference::System,
        ThemePreference::Light => egui::ThemePreference::Light,
        ThemePreference::Dark => egui::ThemePreference::Dark,
    });
    ctx.options_mut(|o| o.zoom_with_keyboard = false);
}

/// The egui style for a palette.
pub fn style(p: &Palette) -> egui::Style {
    let mut style = egui::Style {
        visuals: visuals(p),
        text_styles: [
            (
                TextStyle::Small,
                FontId::new(11.5, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(13.5, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(13.5, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(18.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(12.5, FontFamily::Monospace),
            ),
        ]
        .into(),
        ..egui::Style::default()
    };
    let s = &mut style.spacing;
    s.item_spacing = Vec2::new(8.0, 6.0);
    s.button_padding = Vec2::new(10.0, 4.0);
    s.interact_size = Vec2::new(28.0, 24.0);
    s.menu_margin = Margin::same(6);
    s.window_margin = Margin::same(14);
    s.icon_spacing = 6.0;
    s.text_edit_width = 240.0;
    style.animation_time = 0.12;
    style
}

fn visuals(p: &Palette) -> egui::Visuals {
    let mut v = if p.dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    let radius = CornerRadius::same(6);
    v.panel_fill = p.surface;
    v.window_fill = p.toolbar;
    v.window_stroke = Stroke::new(1.0, p.separator);
    v.window_corner_radius = CornerRadius::same(10);
    v.menu_corner_radius = CornerRadius::same(8);
    let shadow_alpha = if p.dark { 110 } else { 28 };
    v.window_shadow = Shadow {
        offset: [0, 6],
        blur: 18,
        spread: 0,
        color: Color32::from_black_alpha(shadow_alpha),
    };
    v.popup_shadow = Shadow {
        offset: [0, 4],
        blur: 12,
        spread: 0,
        color: Color32::from_black_alpha(shadow_alpha),
    };
    v.extreme_bg_color = p.field;
    v.text_edit_bg_color = Some(p.field);
    v.faint_bg_color = p.card;
    v.code_bg_color = p.field;
    v.hyperlink_color = p.accent;
    v.warn_fg_color = p.warning;
    v.error_fg_color = p.danger;
    v.selection.bg_fill = p.accent_soft;
    v.selection.stroke = Stroke::new(1.0, p.accent);
    v.text_cursor.stroke = Stroke::new(1.5, p.accent);
    v.indent_has_left_vline = false;
    v.collapsing_header_frame = false;
    v.slider_trailing_fill = true;

    let w = &mut v.widgets;
    w.noninteractive.bg_stroke = Stroke::new(1.0, p.separator);
    w.noninteractive.fg_stroke = Stroke::new(1.0, p.text);
    w.noninteractive.bg_fill = p.surface;
    w.noninteractive.weak_bg_fill = p.surface;
    w.noninteractive.corner_radius = radius;
    w.inactive.bg_fill = p.field;
    w.inactive.weak_bg_fill = p.field;
    w.inactive.bg_stroke = Stroke::new(1.0, p.separator);
    w.inactive.fg_stroke = Stroke::new(1.0, p.text);
    w.inactive.corner_radius = radius;
    w.hovered.bg_fill = p.hover;
    w.hovered.weak_bg_fill = p.hover;
    w.hovered.bg_stroke = Stroke::new(1.0, p.separator);
    w.hovered.fg_stroke = Stroke::new(1.5, p.text);
    w.hovered.corner_radius = radius;
    w.hovered.expansion = 0.0;
    w.active.bg_fill = p.accent_soft;
    w.active.weak_bg_fill = p.accent_soft;
    w.active.bg_stroke = Stroke::new(1.0, p.accent);
    w.active.fg_stroke = Stroke::new(1.5, p.text);
    w.active.corner_radius = radius;
    w.active.expansion = 0.0;
    w.open.bg_fill = p.hover;
    w.open.weak_bg_fill = p.hover;
    w.open.bg_stroke = Stroke::new(1.0, p.separator);
    w.open.fg_stroke = Stroke::new(1.0, p.text);
    w.open.corner_radius = radius;
    v
}
