//! Data synchronisation between Nexus's processes (bookmarks, history, settings).

use super::message;
use serde::{Deserialize, Serialize};

/// A record of a collection changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataSync {
    /// Which collection.
    pub data_type: DataType,
    /// What happened to the record.
    pub action: SyncAction,
    /// The record as JSON text (validated: well-formed, bounded nesting depth and size).
    pub data_json: String,
}

/// The collections that sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataType {
    /// Bookmarks and folders.
    Bookmarks,
    /// Pages and visits.
    History,
    /// Settings.
    Settings,
}

/// What happened to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SyncAction {
    /// Created.
    Add,
    /// Changed.
    Update,
    /// Deleted (a tombstone).
    Delete,
}

message! { DataSync => DATA_SYNC }
