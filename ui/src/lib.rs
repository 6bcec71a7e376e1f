//! `nexus-ui`: every egui panel and widget of the Nexus browser.
//!
//! Panels draw view-model data ([`model`]) and return [`Intent`]s; they never touch the
//! shell's state, CEF or the profile. The shell (`app/`) owns the data, calls the panels
//! each frame and applies the intents in one place.

pub mod chrome;
pub mod icons;
pub mod intent;
pub mod library;
pub mod model;
pub mod pane;
pub mod settings;
pub mod shortcuts;
pub mod sidebar;
pub mod state;
pub mod theme;
pub mod widgets;
mod window;

pub use intent::{
    AiIntent, BookmarkIntent, Disposition, DownloadIntent, HistoryIntent, Intent, SettingsIntent,
};
pub use state::UiState;
pub use window::{Content, WindowOutput, WindowUi, WindowView};
