//! The eframe application: each frame it applies browser events, uploads paints, draws
//! every window through nexus-ui and hands what the user did to the shell. It only routes;
//! state changes happen in `Shell`.

use super::state::Shell;
use super::tab::Tab;
use crate::cef::input;
use crate::cef::paint::TextureDelta;
use crate::cef::runtime::LoopMode;
use egui::{TextureHandle, TextureOptions};
use nexus_ui::model::{PageView, TabId, TabView};
use nexus_ui::{Content, WindowView};
use std::time::Duration;

/// The eframe app.
pub struct NexusApp {
    /// Everything the browser holds.
    pub shell: Shell,
    loop_mode: LoopMode,
    titles: Vec<(egui::ViewportId, String)>,
    /// Test automation, when enabled.
    pub automation: Option<super::automation::Automation>,
}

impl NexusApp {
    /// Wrap the shell.
    pub fn new(shell: Shell, loop_mode: LoopMode) -> NexusApp {
        NexusApp {
            shell,
            loop_mode,
            titles: Vec::new(),
            automation: None,
        }
    }
}

impl eframe::App for NexusApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if self.loop_mode == LoopMode::ExternalPump {
            cef::do_message_loop_work();
            ctx.request_repaint_after(Duration::from_millis(33));
        }
        for (tab, event) in self.shell.take_events() {
            self.shell.handle_event(ctx, TabId(tab), event);
        }
        self.shell.apply_profile_updates();
        self.shell.apply_ai_events();
        upload_paints(ctx, &mut self.shell);
        self.shell.sync_visibility();
        self.shell.save_session_if_changed();
        if let Some(automation) = &mut self.automation {
            automation.step(ctx, &mut self.shell);
        }
        if self.shell.quit {
            ctx.send_viewport_cmd_to(egui::ViewportId::ROOT, egui::ViewportCommand::Close);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.shell.frame_stats.record(frame.info().cpu_usage);
        nexus_ui::theme::apply(ui.ctx(), self.shell.ui_state.theme);
        if self.shell.windows.is_empty() {
            return;
        }
        draw_window(ui, &mut self.shell, 0, &mut self.titles);
        let others: Vec<(u64, egui::ViewportId)> = self
            .shell
            .windows
            .iter()
            .skip(1)
            .map(|w| (w.id, w.viewport))
            .collect();
        for (id, viewport) in others {
            let builder = egui::ViewportBuilder::default()
                .with_title("Nexus")
                .with_app_id("nexus")
                .with_inner_size([1280.0, 800.0]);
            let shell = &mut self.shell;
            let titles = &mut self.titles;
            ui.ctx()
                .show_viewport_immediate(viewport, builder, |ui, _class| {
                    if ui.input(|i| i.viewport().close_requested()) {
                        let tabs = shell.window(id).map(|w| w.tabs.clone()).unwrap_or_default();
                        tabs.into_iter().for_each(|t| shell.close_tab(t));
                        return;
                    }
                    if let Some(index) = shell.windows.iter().position(|w| w.id == id) {
                        draw_window(ui, shell, index, titles);
                    }
                });
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        super::close_browsers(&mut self.shell, self.loop_mode);
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }
}

/// Draw window `index` of the shell into `ui` and apply what the user did.
fn draw_window(
    ui: &mut egui::Ui,
    shell: &mut Shell,
    index: usize,
    titles: &mut Vec<(egui::ViewportId, String)>,
) {
    let ctx = ui.ctx().clone();
    let ppp = ctx.pixels_per_point();
    let window_id = shell.windows[index].id;
    let active = shell.windows[index].active;
    let Shell {
        windows,
        tabs,
        library,
        ai,
        downloads,
        ui_state,
        ..
    } = &mut *shell;
    let window = &mut windows[index];
    let tab_views: Vec<TabView> = window
        .tabs
        .iter()
        .filter_map(|t| tabs.get(t))
        .map(Tab::tab_view)
        .collect();
    let active_tab = active.and_then(|t| tabs.get(&t));
    let bookmarked = active_tab.is_some_and(|t| library.is_bookmarked(t.display_url()));
    let page = active_tab
        .map(|t| t.page_view(bookmarked))
        .unwrap_or_else(|| PageView::new("", ""));
    set_title(&ctx, window.viewport, &page, titles);
    let internal = active_tab.and_then(|t| t.internal);
    let content = match (active_tab.and_then(|t| t.crashed.as_deref()), internal) {
        (Some(reason), _) => Content::Crashed(reason),
        (None, Some(page)) => super::pages::content(library, page),
        (None, None) => Content::Page(active_tab.map(|t| t.pane_view(ppp)).unwrap_or_default()),
    };
    let downloads = downloads.views();
    let search = library.search_engine();
    let bookmarks_bar = library.bookmarks_bar();
    let view = WindowView {
        tabs: &tab_views,
        active,
        page: &page,
        content,
        suggestions: &library.suggestions,
        search: &search,
        bookmarks_bar: &bookmarks_bar,
        downloads: &downloads,
        dialog: active_tab.and_then(Tab::front_dialog),
        context_menu: active_tab.and_then(|t| t.context_menu.as_ref().map(|(v, _)| v)),
        sidebar: active_tab
            .filter(|_| ui_state.sidebar_open)
            .map(|t| ai.sidebar_view(t)),
    };
    let output = window.ui.show(ui, &view, ui_state);
    if let Some(pane) = &output.pane {
        let (w, h) = (pane.size.x.round() as i32, pane.size.y.round() as i32);
        window.pane = (w.max(1), h.max(1), pane.pixels_per_point);
        if let (Some(handle), None) = (active_tab.and_then(|t| t.handle.as_ref()), internal) {
            handle.resize(w, h, pane.pixels_per_point);
            for event in &pane.events {
                input::send(handle, event);
            }
        }
    }
    for intent in output.intents {
        shell.apply(&ctx, window_id, intent);
    }
}

fn set_title(
    ctx: &egui::Context,
    viewport: egui::ViewportId,
    page: &PageView,
    titles: &mut Vec<(egui::ViewportId, String)>,
) {
    let title = if page.title.is_empty() {
        "Nexus".to_string()
    } else {
        format!("{} – Nexus", page.title)
    };
    match titles.iter_mut().find(|(v, _)| *v == viewport) {
        Some((_, t)) if *t == title => {}
        Some((_, t)) => {
            *t = title.clone();
            ctx.send_viewport_cmd_to(viewport, egui::ViewportCommand::Title(title));
        }
        None => {
            titles.push((viewport, title.clone()));
            ctx.send_viewport_cmd_to(viewport, egui::ViewportCommand::Title(title));
        }
    }
}

/// Apply the paints of every visible tab to its textures.
fn upload_paints(ctx: &egui::Context, shell: &mut Shell) {
    let visible: Vec<TabId> = shell.windows.iter().filter_map(|w| w.active).collect();
    for id in visible {
        let Some(tab) = shell.tabs.get_mut(&id) else {
            continue;
        };
        if tab.internal.is_some() {
            continue;
        }
        let view = tab.frame.take_view_deltas();
        let uploaded = !view.is_empty();
        apply_deltas(ctx, &mut tab.texture, view, &format!("page-{}", id.0));
        if uploaded
            && shell.frame_stats.first_page_frame.is_none()
            && tab.frame.first_content().is_some()
        {
            let after = shell.started.elapsed();
            shell.frame_stats.first_page_frame = Some(after);
            tracing::info!(
                "first page frame on screen {} ms after start",
                after.as_millis()
            );
        }
        let popup = tab.frame.take_popup_deltas();
        apply_deltas(
            ctx,
            &mut tab.popup_texture,
            popup,
            &format!("popup-{}", id.0),
        );
    }
}

fn apply_deltas(
    ctx: &egui::Context,
    texture: &mut Option<TextureHandle>,
    deltas: Vec<TextureDelta>,
    name: &str,
) {
    let options = TextureOptions::NEAREST;
    for delta in deltas {
        match (texture.as_mut(), delta.full) {
            (Some(t), true) => t.set(delta.image, options),
            (Some(t), false) => t.set_partial(delta.pos, delta.image, options),
            (None, true) => *texture = Some(ctx.load_texture(name, delta.image, options)),
            (None, false) => {} // a partial update before any full one cannot happen
        }
    }
}
