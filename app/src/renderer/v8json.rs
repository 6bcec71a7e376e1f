//! JSON values to V8 values (results handed to page callbacks and promises).
//! Call only inside an entered V8 context.

use crate::cef::compat::strings::cef_string;
use cef::*;
use serde_json::Value;

/// Build the V8 value for `value`.
pub fn to_v8(value: &Value) -> Option<V8value> {
    match value {
        Value::Null => v8value_create_null(),
        Value::Bool(b) => v8value_create_bool(*b as i32),
        Value::Number(n) => v8value_create_double(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => v8value_create_string(Some(&cef_string(s))),
        Value::Array(items) => {
            let array = v8value_create_array(items.len() as i32)?;
            for (i, item) in items.iter().enumerate() {
                let mut v = to_v8(item)?;
                array.set_value_byindex(i as i32, Some(&mut v));
            }
            Some(array)
        }
        Value::Object(map) => {
            let object = v8value_create_object(
                Option::<&mut V8accessor>::None,
                Option::<&mut V8interceptor>::None,
            )?;
            for (key, item) in map {
                let mut v = to_v8(item)?;
                object.set_value_bykey(Some(&cef_string(key)), Some(&mut v), attribute_none());
            }
            Some(object)
        }
    }
}

/// No property attributes (writable, enumerable, configurable).
pub fn attribute_none() -> V8Propertyattribute {
    V8Propertyattribute::from(cef_dll_sys::cef_v8_propertyattribute_t::V8_PROPERTY_ATTRIBUTE_NONE)
}

/// Read-only property.
pub fn attribute_read_only() -> V8Propertyattribute {
    V8Propertyattribute::from(
        cef_dll_sys::cef_v8_propertyattribute_t::V8_PROPERTY_ATTRIBUTE_READONLY,
    )
}

/// A V8 string's Rust value, if it is a string.
pub fn string_of(value: &V8value) -> Option<String> {
    (value.is_string() != 0).then(|| {
        value
            .get_string_value()
            .map(|s| crate::cef::compat::strings::to_string(&s))
            .unwrap_or_default()
    })
}
