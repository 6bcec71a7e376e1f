//! UI updates applied to a page's DOM as data, never as script text.

use super::message;
use serde::{Deserialize, Serialize};

/// Set `property` of the element with id `element_id` to `value`. The renderer applies it
/// through DOM APIs (e.g. `textContent`), so `value` is never parsed as script or markup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UiUpdate {
    /// The element's `id` attribute.
    pub element_id: String,
    /// Which property to set.
    pub property: UiProperty,
    /// The new value, literally.
    pub value: String,
}

/// The properties a [`UiUpdate`] may set. A closed set: no `innerHTML`, no event handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UiProperty {
    /// `element.textContent`.
    TextContent,
    /// `element.value` (form fields).
    Value,
    /// `element.title`.
    Title,
    /// `element.hidden`: "true"/"false".
    Hidden,
    /// `element.className`.
    ClassName,
}

message! { UiUpdate => UI_UPDATE }
