//! `ui_update`: set one property of one element, as data.
//!
//! The seed built JavaScript source from the message's fields, so a value like
//! `'); alert(1); ('` ran as script. Here the element is looked up with
//! `document.getElementById` called as a function, and the value is handed to V8 as a
//! string value: nothing is ever parsed as script or markup.

use super::v8json::attribute_none;
use crate::cef::compat::strings::cef_string;
use cef::*;
use nexus_ipc::messages::ui::{UiProperty, UiUpdate};

/// Why an update was not applied.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    /// The frame has no script context.
    #[error("the frame has no JavaScript context")]
    NoContext,
    /// No element has the id.
    #[error("no element with id {0:?}")]
    NoElement(String),
}

/// Apply `update` in `frame`.
pub fn apply(frame: &impl ImplFrame, update: &UiUpdate) -> Result<(), UpdateError> {
    let context = frame.get_v8context().ok_or(UpdateError::NoContext)?;
    if context.enter() == 0 {
        return Err(UpdateError::NoContext);
    }
    let result = set_property(&context, update);
    context.exit();
    result
}

fn set_property(context: &V8context, update: &UiUpdate) -> Result<(), UpdateError> {
    let missing = || UpdateError::NoElement(update.element_id.clone());
    let global = context.get_global().ok_or(UpdateError::NoContext)?;
    let mut document = global
        .get_value_bykey(Some(&cef_string("document")))
        .ok_or(UpdateError::NoContext)?;
    let get_by_id = document
        .get_value_bykey(Some(&cef_string("getElementById")))
        .ok_or(UpdateError::NoContext)?;
    let id = v8value_create_string(Some(&cef_string(&update.element_id)));
    let element = get_by_id
        .execute_function(Some(&mut document), Some(&[id]))
        .filter(|e| e.is_object() != 0)
        .ok_or_else(missing)?;
    let (name, mut value) = match update.property {
        UiProperty::TextContent => (
            "textContent",
            v8value_create_string(Some(&cef_string(&update.value))),
        ),
        UiProperty::Value => (
            "value",
            v8value_create_string(Some(&cef_string(&update.value))),
        ),
        UiProperty::Title => (
            "title",
            v8value_create_string(Some(&cef_string(&update.value))),
        ),
        UiProperty::ClassName => (
            "className",
            v8value_create_string(Some(&cef_string(&update.value))),
        ),
        UiProperty::Hidden => (
            "hidden",
            v8value_create_bool((update.value == "true") as i32),
        ),
    };
    let value = value.as_mut().ok_or(UpdateError::NoContext)?;
    element.set_value_bykey(Some(&cef_string(name)), Some(value), attribute_none());
    Ok(())
}
