//! One tab: its CEF browser (once created), its textures, and what the page reported.

use crate::cef::browser::BrowserHandle;
use crate::cef::compat::render::PixelRect;
use crate::cef::events::{ContextMenu, Cursor, DialogReply, MenuDismiss};
use crate::cef::paint::FrameBuffer;
use egui::TextureHandle;
use nexus_ui::model::{
    ContextMenuView, DialogId, DialogKind, DialogView, FindResult, PageCursor, PageView, PaneView,
    PopupView, Security, TabId, TabView,
};
use std::collections::VecDeque;
use std::sync::Arc;

/// Built-in pages drawn by the shell itself (not by CEF).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InternalPage {
    /// nexus://settings.
    Settings,
    /// nexus://bookmarks.
    Bookmarks,
    /// nexus://history.
    History,
}

impl InternalPage {
    /// The page for a URL, if it is one of ours.
    pub fn from_url(url: &str) -> Option<InternalPage> {
        let rest = url.strip_prefix("nexus://")?;
        match rest.trim_end_matches('/').to_ascii_lowercase().as_str() {
            "settings" => Some(InternalPage::Settings),
            "bookmarks" => Some(InternalPage::Bookmarks),
            "history" => Some(InternalPage::History),
            _ => None,
        }
    }

    /// Its URL.
    pub fn url(self) -> &'static str {
        match self {
            InternalPage::Settings => "nexus://settings",
            InternalPage::Bookmarks => "nexus://bookmarks",
            InternalPage::History => "nexus://history",
        }
    }

    /// Its title.
    pub fn title(self) -> &'static str {
        match self {
            InternalPage::Settings => "Settings",
            InternalPage::Bookmarks => "Bookmarks",
            InternalPage::History => "History",
        }
    }
}

/// A dialog waiting for the user.
pub struct PendingDialog {
    /// What the window shows.
    pub view: DialogView,
    /// How to answer the page.
    pub reply: Option<DialogReply>,
}

/// One tab.
pub struct Tab {
    /// Its id.
    pub id: TabId,
    /// The browser, once CEF created it (internal pages have none).
    pub handle: Option<BrowserHandle>,
    /// Where CEF paints.
    pub frame: Arc<FrameBuffer>,
    /// The page texture.
    pub texture: Option<TextureHandle>,
    /// The popup widget texture.
    pub popup_texture: Option<TextureHandle>,
    /// The popup widget's rect in view pixels, while shown.
    pub popup: Option<PixelRect>,
    /// An internal page shown instead of a browser.
    pub internal: Option<InternalPage>,
    /// The URL to load once the browser exists.
    pub pending_url: Option<String>,
    /// Committed URL.
    pub url: String,
    /// The URL that failed to load, while its error page shows.
    pub failed_url: Option<String>,
    /// Title.
    pub title: String,
    /// Favicon texture.
    pub favicon: Option<TextureHandle>,
    /// The favicon URL last requested.
    pub favicon_url: Option<String>,
    /// Loading.
    pub loading: bool,
    /// Load progress 0..1.
    pub progress: f32,
    /// Back possible.
    pub can_go_back: bool,
    /// Forward possible.
    pub can_go_forward: bool,
    /// The renderer crashed: why.
    pub crashed: Option<String>,
    /// The hovered link.
    pub status_text: String,
    /// The page's cursor.
    pub cursor: Cursor,
    /// Find-in-page state.
    pub find: FindResult,
    /// Zoom level (CEF's: 0 = 100%).
    pub zoom_level: f64,
    /// Dialogs in arrival order.
    pub dialogs: VecDeque<PendingDialog>,
    /// The open context menu.
    pub context_menu: Option<(ContextMenuView, MenuDismiss)>,
    /// Whether CEF was told the view is hidden.
    pub hidden: bool,
    /// Whether the tab closes once CEF confirms (beforeunload may keep it).
    pub closing: bool,
    /// Why Nexus stopped this tab's renderer, if it did.
    pub kill_reason: Option<String>,
}

impl Tab {
    /// A tab whose browser is being created (or an internal page).
    pub fn new(id: TabId, frame: Arc<FrameBuffer>, url: &str) -> Tab {
        let internal = InternalPage::from_url(url);
        Tab {
            id,
            handle: None,
            frame,
            texture: None,
            popup_texture: None,
            popup: None,
            internal,
            pending_url: None,
            url: url.to_string(),
            failed_url: None,
            title: internal.map(|p| p.title().to_string()).unwrap_or_default(),
            favicon: None,
            favicon_url: None,
            loading: internal.is_none(),
            progress: 0.0,
            can_go_back: false,
            can_go_forward: false,
            crashed: None,
            status_text: String::new(),
            cursor: Cursor::Default,
            find: FindResult::default(),
            zoom_level: 0.0,
            dialogs: VecDeque::new(),
            context_menu: None,
            hidden: false,
            closing: false,
            kill_reason: None,
        }
    }

    /// The URL the omnibox shows (the failed one while an error page shows).
    pub fn display_url(&self) -> &str {
        self.failed_url.as_deref().unwrap_or(&self.url)
    }

    /// The tab strip's view.
    pub fn tab_view(&self) -> TabView {
        let title = if self.title.is_empty() {
            self.display_url().to_string()
        } else {
            self.title.clone()
        };
        TabView {
            id: self.id,
            title,
            url: self.display_url().to_string(),
            favicon: self.favicon.as_ref().map(|t| t.id()),
            loading: self.loading,
            crashed: self.crashed.is_some(),
        }
    }

    /// The toolbar's view of the page.
    pub fn page_view(&self, bookmarked: bool) -> PageView {
        let url = self.display_url().to_string();
        PageView {
            security: if self.failed_url.is_some() {
                Security::NotSecure
            } else {
                Security::from_url(&url)
            },
            url,
            title: self.title.clone(),
            loading: self.loading,
            progress: self.progress,
            can_go_back: self.can_go_back,
            can_go_forward: self.can_go_forward,
            bookmarked,
            zoom_percent: (1.2f64.powf(self.zoom_level) * 100.0).round() as u32,
            hovered_link: (!self.status_text.is_empty()).then(|| self.status_text.clone()),
            find: self.find,
            crashed: self.crashed.clone(),
        }
    }

    /// The browser pane's view.
    pub fn pane_view(&self, pixels_per_point: f32) -> PaneView {
        let texture = self.texture.as_ref().map(|t| {
            let [w, h] = t.size();
            (t.id(), egui::vec2(w as f32, h as f32))
        });
        let popup = match (&self.popup, &self.popup_texture) {
            (Some(r), Some(t)) => Some(PopupView {
                texture: t.id(),
                rect: egui::Rect::from_min_size(
                    egui::pos2(r.x as f32, r.y as f32) / pixels_per_point,
                    egui::vec2(r.width as f32, r.height as f32) / pixels_per_point,
                ),
            }),
            _ => None,
        };
        PaneView {
            texture,
            popup,
            cursor: page_cursor(self.cursor),
            ime_caret: None,
        }
    }

    /// The dialog to show first, if any.
    pub fn front_dialog(&self) -> Option<&DialogView> {
        self.dialogs.front().map(|d| &d.view)
    }

    /// Queue a dialog.
    pub fn push_dialog(
        &mut self,
        id: DialogId,
        origin: String,
        kind: DialogKind,
        reply: Option<DialogReply>,
    ) {
        self.dialogs.push_back(PendingDialog {
            view: DialogView { id, origin, kind },
            reply,
        });
    }

    /// Open the context menu CEF reported.
    pub fn open_context_menu(&mut self, menu: ContextMenu) {
        let view = ContextMenuView {
            position: egui::pos2(menu.x as f32, menu.y as f32),
            link_url: menu.link_url,
            image_url: menu.image_url,
            selection: menu.selection,
            editable: menu.editable,
            can_go_back: self.can_go_back,
            can_go_forward: self.can_go_forward,
        };
        self.context_menu = Some((view, menu.dismiss));
    }
}

fn page_cursor(cursor: Cursor) -> PageCursor {
    match cursor {
        Cursor::Default => PageCursor::Default,
        Cursor::Hand => PageCursor::Pointer,
        Cursor::Text => PageCursor::Text,
        Cursor::Wait => PageCursor::Wait,
        Cursor::Help => PageCursor::Help,
        Cursor::Crosshair => PageCursor::Crosshair,
        Cursor::ResizeHorizontal => PageCursor::ResizeHorizontal,
        Cursor::ResizeVertical => PageCursor::ResizeVertical,
        Cursor::Move => PageCursor::Move,
        Cursor::NotAllowed => PageCursor::NotAllowed,
        Cursor::Grab => PageCursor::Grab,
        Cursor::Grabbing => PageCursor::Grabbing,
        Cursor::None => PageCursor::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_pages_are_recognised() {
        assert_eq!(
            InternalPage::from_url("nexus://settings/"),
            Some(InternalPage::Settings)
        );
        assert_eq!(InternalPage::from_url("nexus://welcome"), None);
        assert_eq!(InternalPage::from_url("https://settings"), None);
    }
}
