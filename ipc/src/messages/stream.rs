//! Streams: a sequence of items from one side to the other, with credit-based backpressure.
//!
//! The sender opens with `StreamStart` (the envelope's correlation id names the request the
//! stream answers, if any), sends at most as many `StreamData` items as it holds credits,
//! and closes with `StreamEnd` or `StreamError`. The receiver grants credits with
//! `StreamCredit` as it consumes items.

use super::message;
use crate::Kind;
use serde::{Deserialize, Serialize};

/// A stream opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamStart {
    /// The stream, unique per sender and connection.
    pub stream_id: u64,
    /// The kind whose body each item carries (e.g. `ai_result`); raw bytes when `None`.
    pub item_kind: Option<Kind>,
    /// Total length in bytes if known in advance.
    pub total_len: Option<u64>,
    /// Credits the sender starts with (the receiver's initial window is agreed here).
    pub initial_credits: u32,
}

/// One item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamData {
    /// The stream.
    pub stream_id: u64,
    /// Position of this item, from 0, without gaps.
    pub seq: u64,
    /// The item: an encoded body of `item_kind`, or raw bytes.
    pub item: Vec<u8>,
}

/// The stream finished normally.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamEnd {
    /// The stream.
    pub stream_id: u64,
    /// Number of items sent.
    pub items: u64,
}

/// The stream failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamError {
    /// The stream.
    pub stream_id: u64,
    /// Why, in words a user understands.
    pub message: String,
}

/// The receiver grants more items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamCredit {
    /// The stream.
    pub stream_id: u64,
    /// Additional items the sender may send.
    pub credits: u32,
}

message! {
    StreamStart => STREAM_START,
    StreamData => STREAM_DATA,
    StreamEnd => STREAM_END,
    StreamError => STREAM_ERROR,
    StreamCredit => STREAM_CREDIT,
}
