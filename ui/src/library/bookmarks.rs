//! The bookmarks manager: the folder tree on the left, the chosen folder's bookmarks (or
//! search results across all folders) on the right; edit title and URL, delete, move up
//! or down or into another folder, new folder, import and export.

use crate::icons::{self, Icon, IconButton};
use crate::intent::{BookmarkIntent, Disposition, Intent};
use crate::model::{BookmarkId, BookmarkNode, BookmarksView};
use crate::settings::validate;
use crate::theme::Palette;
use crate::widgets::field_error;
use egui::{Frame, Margin, PointerButton, RichText, Sense, TextEdit, Ui, Vec2, WidgetInfo};

/// A bookmark being edited.
#[derive(Debug, Clone)]
struct Edit {
    id: BookmarkId,
    title: String,
    url: Option<String>,
    error: Option<String>,
}

/// The bookmarks manager's state.
#[derive(Debug, Default)]
pub struct BookmarksManager {
    folder: Option<BookmarkId>,
    search: String,
    edit: Option<Edit>,
    new_folder: Option<String>,
}

impl BookmarksManager {
    /// Draw the manager into `ui`; returns what the user asked for.
    pub fn show(&mut self, ui: &mut Ui, view: &BookmarksView<'_>) -> Vec<Intent> {
        let mut out = Vec::new();
        let p = Palette::of(ui);
        let Some(first) = view.roots.first() else {
            ui.label("No bookmarks yet.");
            return out;
        };
        let folder_id = self
            .folder
            .filter(|id| {
                view.roots
                    .iter()
                    .any(|r| r.find(*id).is_some_and(BookmarkNode::is_folder))
            })
            .unwrap_or(first.id);
        self.folder = Some(folder_id);

        ui.horizontal(|ui| {
            ui.label(RichText::new("Bookmarks").size(22.0).strong().color(p.text));
            ui.add_space(16.0);
            let search = TextEdit::singleline(&mut self.search)
                .hint_text("Search bookmarks")
                .desired_width(260.0);
            ui.add(search).accessible_name("Search bookmarks");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Export…").clicked() {
                    out.push(Intent::Bookmark(BookmarkIntent::Export));
                }
                if ui.button("Import…").clicked() {
                    out.push(Intent::Bookmark(BookmarkIntent::Import));
                }
                if ui.button("New folder").clicked() {
                    self.new_folder = Some(String::new());
                }
            });
        });
        if let Some(name) = &mut self.new_folder {
            let mut done = None;
            ui.horizontal(|ui| {
                let field = ui
                    .add(TextEdit::singleline(name).hint_text("Folder name"))
                    .accessible_name("Folder name");
                field.request_focus();
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Create").clicked() || enter) && !name.trim().is_empty() {
                    done = Some(Some(name.trim().to_owned()));
                }
                if ui.button("Cancel").clicked() {
                    done = Some(None);
                }
            });
            if let Some(result) = done {
                if let Some(title) = result {
                    out.push(Intent::Bookmark(BookmarkIntent::NewFolder {
                        parent: folder_id,
                        title,
                    }));
                }
                self.new_folder = None;
            }
        }
        ui.separator();

        let folders = folder_list(view.roots);
        egui::Panel::left("nexus-bookmark-folders")
            .exact_size(210.0)
            .resizable(false)
            .frame(Frame::new().inner_margin(Margin::symmetric(0, 4)))
            .show(ui, |ui| {
                for (depth, node) in &folders {
                    self.folder_row(ui, node, *depth, folder_id);
                }
            });
        egui::CentralPanel::default()
            .frame(Frame::new().inner_margin(Margin::same(4)))
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        let needle = self.search.trim().to_lowercase();
                        if needle.is_empty() {
                            let folder = view
                                .roots
                                .iter()
                                .find_map(|r| r.find(folder_id))
                                .unwrap_or(first);
                            if folder.children.is_empty() {
                                ui.label(RichText::new("This folder is empty.").color(p.weak_text));
                            }
                            let count = folder.children.len();
                            for (i, child) in folder.children.iter().enumerate() {
                                self.item(
                                    ui,
                                    child,
                                    Some((folder.id, i, count)),
                                    &folders,
                                    &mut out,
                                );
                            }
                        } else {
                            let mut found = Vec::new();
                            for root in view.roots {
                                search(root, &needle, &mut found);
                            }
                            if found.is_empty() {
                                ui.label(
                                    RichText::new("No bookmarks match your search.")
                                        .color(p.weak_text),
                                );
                            }
                            for node in found {
                                self.item(ui, node, None, &folders, &mut out);
                            }
                        }
                    });
            });
        out
    }

    fn folder_row(&mut self, ui: &mut Ui, node: &BookmarkNode, depth: usize, current: BookmarkId) {
        let p = Palette::of(ui);
        let (rect, response) =
            ui.allocate_exact_size(egui::vec2(ui.available_width(), 28.0), Sense::click());
        let selected = node.id == current && self.search.trim().is_empty();
        response.widget_info(|| {
            WidgetInfo::selected(egui::Role::TreeItem, true, selected, &node.title)
        });
        if selected || response.hovered() || response.has_focus() {
            ui.painter()
                .rect_filled(rect, 6, if selected { p.accent_soft } else { p.hover });
        }
        let x = rect.left() + 8.0 + depth as f32 * 16.0;
        let icon =
            egui::Rect::from_center_size(egui::pos2(x + 8.0, rect.center().y), Vec2::splat(16.0));
        icons::paint(
            ui.painter(),
            icon,
            Icon::Folder,
            if selected { p.accent } else { p.weak_text },
        );
        ui.painter().text(
            egui::pos2(x + 22.0, rect.center().y),
            egui::Align2::LEFT_CENTER,
            &node.title,
            egui::FontId::proportional(13.5),
            p.text,
        );
        if response.clicked() {
            self.folder = Some(node.id);
            self.search.clear();
        }
    }

    /// A bookmark or folder row; `position` is (parent, index, siblings) when listing a folder.
    fn item(
        &mut self,
        ui: &mut Ui,
        node: &BookmarkNode,
        position: Option<(BookmarkId, usize, usize)>,
        folders: &[(usize, &BookmarkNode)],
        out: &mut Vec<Intent>,
    ) {
        if self.edit.as_ref().is_some_and(|e| e.id == node.id) {
            self.edit_row(ui, out);
            return;
        }
        let p = Palette::of(ui);
        ui.horizontal(|ui| {
            let (r, _) = ui.allocate_exact_size(Vec2::splat(18.0), Sense::hover());
            icons::paint(
                ui.painter(),
                r,
                if node.is_folder() {
                    Icon::Folder
                } else {
                    Icon::Globe
                },
                p.weak_text,
            );
            let title = if node.title.is_empty() {
                node.url.as_deref().unwrap_or("")
            } else {
                &node.title
            };
            let link = ui.add(
                egui::Label::new(RichText::new(title).color(p.text))
                    .sense(Sense::click())
                    .truncate(),
            );
            if let Some(url) = &node.url {
                ui.label(
                    RichText::new(crate::model::host_of(url))
                        .size(12.0)
                        .color(p.weak_text),
                );
                if link.clicked_by(PointerButton::Middle) {
                    out.push(open(url, Disposition::NewBackgroundTab));
                } else if link.clicked() {
                    out.push(open(url, Disposition::CurrentTab));
                }
                link.on_hover_text(url);
            } else if link.clicked() {
                self.folder = Some(node.id);
                self.search.clear();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let name = title.to_owned();
                if ui
                    .add(IconButton::new(Icon::Trash, &format!("Delete {name}")).size(26.0))
                    .clicked()
                {
                    out.push(Intent::Bookmark(BookmarkIntent::Delete(node.id)));
                }
                if ui
                    .add(IconButton::new(Icon::Pencil, &format!("Edit {name}")).size(26.0))
                    .clicked()
                {
                    self.edit = Some(Edit {
                        id: node.id,
                        title: node.title.clone(),
                        url: node.url.clone(),
                        error: None,
                    });
                }
                if let Some((parent, index, count)) = position {
                    let down_label = format!("Move {name} down");
                    let down = IconButton::new(Icon::ChevronDown, &down_label).size(26.0);
                    if ui.add_enabled(index + 1 < count, down).clicked() {
                        out.push(Intent::Bookmark(BookmarkIntent::Move {
                            id: node.id,
                            parent,
                            index: index + 1,
                        }));
                    }
                    let up_label = format!("Move {name} up");
                    let up = IconButton::new(Icon::ChevronUp, &up_label).size(26.0);
                    if ui.add_enabled(index > 0, up).clicked() {
                        out.push(Intent::Bookmark(BookmarkIntent::Move {
                            id: node.id,
                            parent,
                            index: index - 1,
                        }));
                    }
                    move_menu(ui, node, parent, folders, out);
                }
            });
        });
    }

    fn edit_row(&mut self, ui: &mut Ui, out: &mut Vec<Intent>) {
        let Some(edit) = self.edit.as_mut() else {
            return;
        };
        let mut finished = false;
        Frame::group(ui.style()).show(ui, |ui| {
            ui.add(
                TextEdit::singleline(&mut edit.title)
                    .hint_text("Name")
                    .desired_width(f32::INFINITY),
            )
            .accessible_name("Bookmark name");
            if let Some(url) = &mut edit.url {
                ui.add(
                    TextEdit::singleline(url)
                        .hint_text("URL")
                        .desired_width(f32::INFINITY),
                )
                .accessible_name("Bookmark URL");
            }
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    let url = match edit.url.as_deref().map(validate::web_address) {
                        Some(Err(e)) => {
                            edit.error = Some(format!("{e} The bookmark keeps its old address."));
                            return;
                        }
                        Some(Ok(url)) => Some(url),
                        None => None,
                    };
                    let title = if edit.title.trim().is_empty() {
                        url.clone().unwrap_or_default()
                    } else {
                        edit.title.trim().to_owned()
                    };
                    out.push(Intent::Bookmark(BookmarkIntent::Update {
                        id: edit.id,
                        title,
                        url,
                    }));
                    finished = true;
                }
                if ui.button("Cancel").clicked() {
                    finished = true;
                }
            });
            if let Some(e) = &edit.error {
                field_error(ui, e);
            }
        });
        if finished {
            self.edit = None;
        }
    }
}

fn open(url: &str, disposition: Disposition) -> Intent {
    Intent::Bookmark(BookmarkIntent::Open {
        url: url.to_owned(),
        disposition,
    })
}

/// "Move to" menu: every folder except the current parent, the node itself and (for a
/// folder) its own subfolders.
fn move_menu(
    ui: &mut Ui,
    node: &BookmarkNode,
    parent: BookmarkId,
    folders: &[(usize, &BookmarkNode)],
    out: &mut Vec<Intent>,
) {
    let button =
        ui.add(IconButton::new(Icon::Folder, &format!("Move {} to folder", node.title)).size(26.0));
    egui::Popup::menu(&button).show(|ui| {
        ui.label(RichText::new("Move to").strong());
        for (depth, folder) in folders {
            if folder.id == parent || node.find(folder.id).is_some() {
                continue;
            }
            let text = format!("{}{}", "   ".repeat(*depth), folder.title);
            if ui.button(text).clicked() {
                let index = folder.children.len();
                out.push(Intent::Bookmark(BookmarkIntent::Move {
                    id: node.id,
                    parent: folder.id,
                    index,
                }));
            }
        }
    });
}

/// Every folder with its depth, in tree order.
fn folder_list(roots: &[BookmarkNode]) -> Vec<(usize, &BookmarkNode)> {
    fn walk<'a>(node: &'a BookmarkNode, depth: usize, out: &mut Vec<(usize, &'a BookmarkNode)>) {
        if node.is_folder() {
            out.push((depth, node));
            for child in &node.children {
                walk(child, depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    for root in roots {
        walk(root, 0, &mut out);
    }
    out
}

/// Bookmarks whose title or URL contains `needle` (lower-case).
fn search<'a>(node: &'a BookmarkNode, needle: &str, out: &mut Vec<&'a BookmarkNode>) {
    if let Some(url) = &node.url
        && (node.title.to_lowercase().contains(needle) || url.to_lowercase().contains(needle))
    {
        out.push(node);
    }
    for child in &node.children {
        search(child, needle, out);
    }
}
