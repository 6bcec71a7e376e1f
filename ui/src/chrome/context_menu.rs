//! The page's context menu, drawn in egui from what CEF reports at the click: link, image,
//! selection and editable-field items, or back/forward/reload on plain page areas.
//! A chosen item returns its intent followed by [`Intent::DismissContextMenu`]; a click
//! outside or Escape returns only the dismissal.

use crate::intent::{Disposition, Intent};
use crate::model::{ContextMenuView, SearchEngine};
use crate::theme::Palette;
use egui::{Area, Button, Frame, Id, Key, Order, Rect, Ui};

/// Draw the menu at its position inside `pane`; returns the choice.
pub fn context_menu(
    ui: &Ui,
    pane: Rect,
    view: &ContextMenuView,
    search: &SearchEngine,
) -> Vec<Intent> {
    let mut out = Vec::new();
    let p = Palette::of(ui);
    let pos = pane.min + view.position.to_vec2();
    let area = Area::new(Id::unique("nexus-page-context-menu"))
        .order(Order::Foreground)
        .fixed_pos(pos)
        .constrain_to(pane)
        .show(ui.ctx(), |ui| {
            Frame::menu(ui.style())
                .fill(p.toolbar)
                .show(ui, |ui| {
                    ui.set_min_width(220.0);
                    ui.with_layout(egui::Layout::top_down_justified(egui::Align::Min), |ui| {
                        items(ui, view, search)
                    })
                    .inner
                })
                .inner
        });
    if let Some(intent) = area.inner {
        out.push(intent);
        out.push(Intent::DismissContextMenu);
    } else if area.response.clicked_elsewhere() || ui.input(|i| i.key_pressed(Key::Escape)) {
        out.push(Intent::DismissContextMenu);
    }
    out
}

fn items(ui: &mut Ui, view: &ContextMenuView, search: &SearchEngine) -> Option<Intent> {
    let mut chosen = None;
    let mut item = |ui: &mut Ui, text: &str, enabled: bool, intent: Intent| {
        if ui.add_enabled(enabled, Button::new(text)).clicked() {
            chosen = Some(intent);
        }
    };
    let mut sections = 0;
    if let Some(link) = &view.link_url {
        sections += 1;
        let open = |d| Intent::Navigate {
            url: link.clone(),
            disposition: d,
        };
        item(
            ui,
            "Open link in new tab",
            true,
            open(Disposition::NewBackgroundTab),
        );
        item(
            ui,
            "Open link in new window",
            true,
            open(Disposition::NewWindow),
        );
        item(
            ui,
            "Copy link address",
            true,
            Intent::CopyToClipboard(link.clone()),
        );
        item(
            ui,
            "Save link as…",
            true,
            Intent::SaveAs { url: link.clone() },
        );
    }
    if let Some(image) = &view.image_url {
        if sections > 0 {
            ui.separator();
        }
        sections += 1;
        let open = Intent::Navigate {
            url: image.clone(),
            disposition: Disposition::NewBackgroundTab,
        };
        item(ui, "Open image in new tab", true, open);
        item(
            ui,
            "Save image as…",
            true,
            Intent::SaveAs { url: image.clone() },
        );
        item(
            ui,
            "Copy image address",
            true,
            Intent::CopyToClipboard(image.clone()),
        );
    }
    if view.editable {
        if sections > 0 {
            ui.separator();
        }
        sections += 1;
        let has_selection = view.selection.as_deref().is_some_and(|s| !s.is_empty());
        item(ui, "Cut", has_selection, Intent::Cut);
        item(ui, "Copy", has_selection, Intent::Copy);
        item(ui, "Paste", true, Intent::Paste);
        item(ui, "Select all", true, Intent::SelectAll);
    } else if let Some(selection) = view.selection.as_deref().filter(|s| !s.trim().is_empty()) {
        if sections > 0 {
            ui.separator();
        }
        sections += 1;
        item(ui, "Copy", true, Intent::Copy);
        let short: String = selection.trim().chars().take(24).collect();
        let ellipsis = if selection.trim().chars().count() > 24 {
            "…"
        } else {
            ""
        };
        let label = format!("Search {} for “{short}{ellipsis}”", search.name);
        let url = search.url_for(selection.trim());
        item(
            ui,
            &label,
            true,
            Intent::Navigate {
                url,
                disposition: Disposition::NewForegroundTab,
            },
        );
    }
    if sections == 0 {
        item(ui, "Back", view.can_go_back, Intent::Back);
        item(ui, "Forward", view.can_go_forward, Intent::Forward);
        item(
            ui,
            "Reload",
            true,
            Intent::Reload {
                bypass_cache: false,
            },
        );
        ui.separator();
        item(ui, "Select all", true, Intent::SelectAll);
    }
    chosen
}
