//! The window chrome around the page: tab strip, toolbar with omnibox and menu, bookmarks
//! bar, find bar, status line, downloads list, dialogs, the page's context menu and the
//! crash pane. Each part is usable alone; [`crate::WindowUi`] lays them out together.

mod address;
mod bookmarks_bar;
mod context_menu;
mod dialogs;
mod downloads;
mod find_bar;
mod menu;
mod omnibox;
mod site_info;
mod status;
mod tab_strip;
mod toolbar;

pub use address::resolve_input;
pub use bookmarks_bar::{BOOKMARKS_BAR_HEIGHT, bookmarks_bar};
pub use context_menu::context_menu;
pub use dialogs::Dialogs;
pub use downloads::{downloads_list, human_bytes, status_text};
pub use find_bar::FindBar;
pub use menu::{MenuView, menu_items};
pub use omnibox::{Omnibox, OmniboxView};
pub use status::{crash_pane, status_line};
pub use tab_strip::{TAB_STRIP_HEIGHT, TabStrip};
pub use toolbar::{TOOLBAR_HEIGHT, Toolbar, ToolbarView};
