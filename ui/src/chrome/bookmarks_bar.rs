//! The bookmarks bar under the toolbar: the "Bookmarks bar" folder's items as small
//! buttons (folders open as menus); what does not fit goes into a » menu. Click opens in
//! this tab, middle-click or Ctrl+click in a new background tab.

use crate::icons::{self, Icon};
use crate::intent::{BookmarkIntent, Disposition, Intent};
use crate::model::BookmarkNode;
use crate::theme::Palette;
use egui::{
    Align2, CornerRadius, FontId, PointerButton, Popup, Rect, RichText, Sense, Stroke, Ui, Vec2,
    WidgetInfo, pos2, vec2,
};

/// Height of the bar in points.
pub const BOOKMARKS_BAR_HEIGHT: f32 = 32.0;
const ITEM_MAX_WIDTH: f32 = 170.0;

/// Draw the bar across `ui`'s width; returns what the user asked for.
pub fn bookmarks_bar(ui: &mut Ui, items: &[BookmarkNode]) -> Vec<Intent> {
    let mut out = Vec::new();
    let p = Palette::of(ui);
    let full = ui.available_rect_before_wrap();
    let bar = Rect::from_min_size(full.min, vec2(full.width(), BOOKMARKS_BAR_HEIGHT));
    ui.allocate_rect(bar, Sense::hover());
    ui.painter().rect_filled(bar, 0.0, p.toolbar);
    ui.painter().hline(
        bar.x_range(),
        bar.bottom() - 0.5,
        Stroke::new(1.0, p.separator),
    );
    if items.is_empty() {
        let text = "Bookmark pages with the star in the address bar to see them here.";
        ui.painter().text(
            bar.left_center() + vec2(14.0, 0.0),
            Align2::LEFT_CENTER,
            text,
            FontId::proportional(12.0),
            p.weak_text,
        );
        return out;
    }
    let mut x = bar.left() + 8.0;
    let limit = bar.right() - 40.0;
    let mut overflow_from = None;
    for (i, item) in items.iter().enumerate() {
        let width = item_width(ui, item);
        if x + width > limit {
            overflow_from = Some(i);
            break;
        }
        let rect = Rect::from_min_size(
            pos2(x, bar.top() + 4.0),
            vec2(width, BOOKMARKS_BAR_HEIGHT - 8.0),
        );
        bar_item(ui, item, rect, &mut out);
        x += width + 2.0;
    }
    if let Some(from) = overflow_from {
        let rect = Rect::from_min_size(pos2(bar.right() - 36.0, bar.top() + 4.0), vec2(30.0, 24.0));
        let response = ui.put(
            rect,
            crate::icons::IconButton::new(Icon::ChevronRight, "More bookmarks").size(24.0),
        );
        Popup::menu(&response).show(|ui| folder_menu(ui, &items[from..], &mut out));
    }
    out
}

fn item_width(ui: &Ui, item: &BookmarkNode) -> f32 {
    let galley = ui.painter().layout_no_wrap(
        title_of(item).to_owned(),
        FontId::proportional(12.5),
        egui::Color32::WHITE,
    );
    (galley.size().x + 36.0).min(ITEM_MAX_WIDTH)
}

fn title_of(item: &BookmarkNode) -> &str {
    if item.title.trim().is_empty() {
        item.url.as_deref().unwrap_or("Untitled")
    } else {
        &item.title
    }
}

fn bar_item(ui: &mut Ui, item: &BookmarkNode, rect: Rect, out: &mut Vec<Intent>) {
    let p = Palette::of(ui);
    let response = ui.interact(
        rect,
        egui::Id::unique(("nexus-bookmark-bar", item.id)),
        Sense::click(),
    );
    let role = if item.is_folder() {
        egui::Role::MenuItem
    } else {
        egui::Role::Link
    };
    response.widget_info(|| WidgetInfo::labeled(role, true, title_of(item)));
    if response.hovered() || response.has_focus() {
        ui.painter()
            .rect_filled(rect, CornerRadius::same(12), p.hover);
    }
    let icon_rect = Rect::from_center_size(rect.left_center() + vec2(14.0, 0.0), Vec2::splat(14.0));
    let icon = if item.is_folder() {
        Icon::Folder
    } else {
        Icon::Globe
    };
    icons::paint(ui.painter(), icon_rect, icon, p.weak_text);
    crate::widgets::paint_truncated(
        ui,
        rect.left_center() + vec2(26.0, 0.0),
        Align2::LEFT_CENTER,
        title_of(item),
        FontId::proportional(12.5),
        p.text,
        rect.width() - 32.0,
    );
    if let Some(url) = &item.url {
        let new_tab = response.clicked_by(PointerButton::Middle)
            || (response.clicked() && ui.input(|i| i.modifiers.command));
        if new_tab {
            out.push(open(url, Disposition::NewBackgroundTab));
        } else if response.clicked() {
            out.push(open(url, Disposition::CurrentTab));
        }
        let response = response.on_hover_text(format!("{}\n{url}", item.title));
        Popup::context_menu(&response).show(|ui| link_menu(ui, item, url, out));
    } else {
        Popup::menu(&response).show(|ui| folder_menu(ui, &item.children, out));
    }
}

fn open(url: &str, disposition: Disposition) -> Intent {
    Intent::Bookmark(BookmarkIntent::Open {
        url: url.to_owned(),
        disposition,
    })
}

fn link_menu(ui: &mut Ui, item: &BookmarkNode, url: &str, out: &mut Vec<Intent>) {
    if ui.button("Open in new tab").clicked() {
        out.push(open(url, Disposition::NewForegroundTab));
    }
    if ui.button("Open in new window").clicked() {
        out.push(open(url, Disposition::NewWindow));
    }
    if ui.button("Copy link address").clicked() {
        out.push(Intent::CopyToClipboard(url.to_owned()));
    }
    ui.separator();
    if ui.button("Delete").clicked() {
        out.push(Intent::Bookmark(BookmarkIntent::Delete(item.id)));
    }
}

/// A folder's contents as menu items; subfolders as submenus.
fn folder_menu(ui: &mut Ui, children: &[BookmarkNode], out: &mut Vec<Intent>) {
    if children.is_empty() {
        ui.label(RichText::new("(empty)").color(Palette::of(ui).weak_text));
    }
    for child in children {
        match &child.url {
            Some(url) => {
                if ui.button(title_of(child)).on_hover_text(url).clicked() {
                    out.push(open(url, Disposition::CurrentTab));
                }
            }
            None => {
                ui.menu_button(title_of(child), |ui| folder_menu(ui, &child.children, out));
            }
        }
    }
}
