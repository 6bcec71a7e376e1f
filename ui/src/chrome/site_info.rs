//! The site-info indicator at the omnibox's left: a lock for HTTPS, "Not secure" for HTTP,
//! "Nexus" for nexus:// pages, "File" for local files; clicking it says what that means.

use crate::icons::{self, Icon};
use crate::model::Security;
use crate::theme::Palette;
use egui::{CornerRadius, FontId, Rect, RichText, Sense, Ui, Vec2, WidgetInfo, vec2};

/// The site-info indicator at the omnibox's left, with a popup saying what it means.
pub(super) fn site_info(ui: &mut Ui, security: Security, editing: bool) {
    let p = Palette::of(ui);
    let (icon, color, text, title, body) = match security {
        Security::Secure => (
            Icon::Lock,
            p.weak_text,
            None,
            "Connection is secure",
            "Information you send to this site (passwords, card numbers) is encrypted.",
        ),
        Security::NotSecure => (
            Icon::Warning,
            p.warning,
            Some("Not secure"),
            "Your connection to this site is not secure",
            "Do not enter passwords or payment details here: others on the network can read them.",
        ),
        Security::Internal => (
            Icon::Nexus,
            p.accent,
            Some("Nexus"),
            "A Nexus page",
            "This page is part of Nexus and runs on this device.",
        ),
        Security::File => (
            Icon::File,
            p.weak_text,
            Some("File"),
            "A file on this device",
            "Only you can see it.",
        ),
        Security::Neutral => (Icon::Search, p.weak_text, None, "Search or type a URL", ""),
    };
    let text = if editing { None } else { text };
    let galley = text.map(|t| {
        ui.painter()
            .layout_no_wrap(t.to_owned(), FontId::proportional(12.5), color)
    });
    let width = 28.0 + galley.as_ref().map_or(0.0, |g| g.size().x + 6.0);
    let (rect, response) = ui.allocate_exact_size(vec2(width, 26.0), Sense::click());
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, "Site information"));
    if response.hovered() || response.has_focus() {
        ui.painter()
            .rect_filled(rect, CornerRadius::same(13), p.hover);
    }
    let icon_rect = Rect::from_center_size(rect.left_center() + vec2(14.0, 0.0), Vec2::splat(15.0));
    icons::paint(ui.painter(), icon_rect, icon, color);
    if let Some(g) = galley {
        ui.painter()
            .galley(rect.left_center() + vec2(26.0, -g.size().y / 2.0), g, color);
    }
    egui::Popup::menu(&response).width(300.0).show(|ui| {
        ui.label(RichText::new(title).strong());
        if !body.is_empty() {
            ui.label(RichText::new(body).color(Palette::of(ui).weak_text));
        }
    });
}
