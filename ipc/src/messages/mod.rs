//! The message catalogue: one typed body per [`Kind`].
//!
//! Bodies are plain serde structs. Each implements [`Message`], which ties the type to its
//! kind. Text offsets ([`Span`]) are UTF-8 byte offsets into the text the message refers to.

pub mod ai;
pub mod control;
pub mod events;
pub mod navigation;
pub mod page;
pub mod stream;
pub mod sync;
pub mod ui;

use crate::Kind;
use serde::{Serialize, de::DeserializeOwned};

/// A typed message body and the kind that carries it.
pub trait Message: Serialize + DeserializeOwned {
    /// The kind an envelope with this body declares.
    const KIND: Kind;
}

/// Implement [`Message`] for body types.
macro_rules! message {
    ($($ty:ty => $kind:ident),* $(,)?) => {
        $( impl $crate::messages::Message for $ty { const KIND: $crate::Kind = $crate::Kind::$kind; } )*
    };
}
pub(crate) use message;

/// A half-open range `[start, end)` of UTF-8 byte offsets into a text.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
