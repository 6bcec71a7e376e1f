//! `nexus-ui`: every egui panel and widget of the Nexus browser.
//!
//! Panels draw view-model data ([`model`]) and return [`Intent`]s; they never touch the
//! shell's state, CEF or the profile. The shell (`app/`) owns the data, calls the panels
//! each frame and applies the intents in one place. This crate knows nothing of CEF: the
//! page arrives as an egui `TextureId`, and page input leaves as neutral
//! [`pane::PaneInput`] events.
//!
//! # Each frame, per window
//!
//! ```text
//! theme::apply(ctx, ui_state.theme)              // once, and when the theme changes
//! let out = window_ui.show(ui, &window_view, &ui_state);
//! for intent in &out.intents {
//!     window_ui.apply(intent);                   // UI-local: focus omnibox, open find, ...
//!     if ui_state.apply(intent) { save(&ui_state) }
//!     shell.apply(intent);                       // tabs, navigation, CEF, profile, AI
//! }
//! if let Some(pane) = out.pane { /* resize CEF to pane.size at pane.pixels_per_point,
//!                                   forward pane.events to the active browser host */ }
//! ```
//!
//! [`WindowUi::show`] takes the browser shortcuts out of the input first
//! ([`shortcuts::take_shortcuts`]), then lays out the tab strip, toolbar, bookmarks bar,
//! AI sidebar, the page or an internal page (settings, bookmarks, history, crash) and the
//! overlays. Every part is also public on its own ([`chrome`], [`sidebar`], [`settings`],
//! [`library`], [`pane`]) for a different layout.
//!
//! Persisted UI state is one serde struct, [`UiState`]; everything else a panel keeps
//! (drafts, drags, focus) lives in [`WindowUi`] and is never saved.

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
