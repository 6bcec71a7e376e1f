//! Shared helpers: harness construction with the Nexus theme, and intent collection.

use egui_kittest::Harness;
use nexus_ui::model::ThemePreference;

/// A harness of `size` points whose UI is `app`, with the Nexus look in `theme`.
pub fn harness<'a, S>(
    size: (f32, f32),
    theme: ThemePreference,
    state: S,
    app: impl FnMut(&mut egui::Ui, &mut S) + 'a,
) -> Harness<'a, S> {
    let egui_theme = match theme {
        ThemePreference::Dark => egui::Theme::Dark,
        _ => egui::Theme::Light,
    };
    Harness::builder()
        .with_size(egui::vec2(size.0, size.1))
        .with_theme(egui_theme)
        .with_context_setup(move |ctx| nexus_ui::theme::apply(ctx, theme))
        .build_ui_state(app, state)
}
