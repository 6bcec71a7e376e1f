//! The icon set renders in both themes.

use crate::support::harness;
use nexus_ui::icons::{self, Icon};
use nexus_ui::model::ThemePreference;
use nexus_ui::theme::Palette;

const ALL: [Icon; 32] = [
    Icon::Back,
    Icon::Forward,
    Icon::Reload,
    Icon::Stop,
    Icon::Home,
    Icon::Star,
    Icon::StarFilled,
    Icon::Close,
    Icon::Menu,
    Icon::Sidebar,
    Icon::Sparkle,
    Icon::Lock,
    Icon::Warning,
    Icon::Info,
    Icon::Download,
    Icon::Search,
    Icon::Plus,
    Icon::Minus,
    Icon::Globe,
    Icon::Clock,
    Icon::Folder,
    Icon::File,
    Icon::Nexus,
    Icon::ChevronDown,
    Icon::ChevronUp,
    Icon::ChevronRight,
    Icon::Copy,
    Icon::Trash,
    Icon::Check,
    Icon::Pencil,
    Icon::Crash,
    Icon::Send,
];

fn sheet(ui: &mut egui::Ui, _: &mut ()) {
    let p = Palette::of(ui);
    let (rect, _) =
        ui.allocate_exact_size(egui::vec2(8.0 * 28.0, 4.0 * 28.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 0.0, p.toolbar);
    for (i, icon) in ALL.iter().enumerate() {
        let cell = egui::Rect::from_min_size(
            rect.min + egui::vec2((i % 8) as f32 * 28.0 + 4.0, (i / 8) as f32 * 28.0 + 4.0),
            egui::Vec2::splat(20.0),
        );
        icons::paint(ui.painter(), cell, *icon, p.text);
    }
}

#[test]
fn icon_sheet_light() {
    let mut h = harness((240.0, 128.0), ThemePreference::Light, (), sheet);
    h.run();
    h.snapshot("icons_light");
}
