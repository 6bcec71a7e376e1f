//! Events for the publish-subscribe bus.

use super::message;
use serde::{Deserialize, Serialize};

/// A tab was created.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TabCreated {
    /// The new tab.
    pub tab_id: u64,
    /// Its first URL.
    pub url: String,
}

/// A tab was closed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TabClosed {
    /// The closed tab.
    pub tab_id: u64,
}

/// The active tab changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TabActivated {
    /// The tab now in front.
    pub tab_id: u64,
}

/// A named event delivered to pages that subscribed with `nexus.on(name, callback)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageEvent {
    /// The event name (e.g. "data_sync").
    pub name: String,
    /// The event's data as JSON text, handed to the callback parsed.
    pub payload_json: String,
}

message! {
    TabCreated => TAB_CREATED,
    TabClosed => TAB_CLOSED,
    TabActivated => TAB_ACTIVATED,
    PageEvent => PAGE_EVENT,
}
