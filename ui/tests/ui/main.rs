//! egui_kittest tests of every nexus-ui panel, driven by view-model data.
//!
//! One test binary (shared helpers in `support`); each module tests one panel: that every
//! state renders (queried by AccessKit label), that clicks and keys produce the right
//! intents, and a few small snapshots (`UPDATE_SNAPSHOTS=1` rewrites them).

mod chrome;
mod fixtures;
mod icons;
mod library;
mod omnibox;
mod overlays;
mod pane;
mod settings;
mod sidebar;
mod support;
mod window;
