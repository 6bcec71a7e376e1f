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

/// Render the harness to `/tmp/nexus-preview/<name>.png` when `NEXUS_PREVIEW` is set: for
/// looking at states that have no committed snapshot.
pub fn preview<S>(h: &mut Harness<'_, S>, name: &str) {
    if std::env::var_os("NEXUS_PREVIEW").is_none() {
        return;
    }
    let image = h.render().expect("render");
    std::fs::create_dir_all("/tmp/nexus-preview").expect("preview dir");
    image
        .save(format!("/tmp/nexus-preview/{name}.png"))
        .expect("save preview");
}
