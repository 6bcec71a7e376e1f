//! Chrome-family bookmarks: the `Bookmarks` JSON file of a profile.
//!
//! Roots `bookmark_bar`, `other` and `synced` (mobile); items are `{"type": "url"|"folder",
//! "name", "url", "date_added", "children"}`, with dates in microseconds since 1601-01-01.

use super::{BrowserKind, FoundProfile, subdirs};
use crate::profile::netscape::Node;
use serde_json::Value;
use std::path::Path;

/// Microseconds between 1601-01-01 and 1970-01-01.
const WINDOWS_EPOCH_OFFSET_US: i64 = 11_644_473_600_000_000;

/// Profiles (`Default`, `Profile N`) under a Chrome user-data folder that have bookmarks.
pub fn profiles_in(browser: &str, user_data: &Path) -> Vec<FoundProfile> {
    subdirs(user_data)
        .into_iter()
        .filter_map(|dir| {
            let name = dir.file_name()?.to_str()?.to_string();
            let file = dir.join("Bookmarks");
            ((name == "Default" || name.starts_with("Profile ")) && file.is_file()).then(|| {
                FoundProfile {
                    browser: browser.into(),
                    profile: name,
                    kind: BrowserKind::Chromium,
                    path: file,
                }
            })
        })
        .collect()
}

fn date_ms(v: &Value) -> Option<i64> {
    let us: i64 = v.get("date_added")?.as_str()?.parse().ok()?;
    (us > 0).then(|| (us - WINDOWS_EPOCH_OFFSET_US) / 1000)
}

fn node(v: &Value) -> Option<Node> {
    let title = v
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match v.get("type")?.as_str()? {
        "url" => Some(Node::Link {
            title,
            url: v.get("url")?.as_str()?.to_string(),
            added_ms: date_ms(v),
        }),
        "folder" => Some(Node::Folder {
            title,
            added_ms: date_ms(v),
            toolbar: false,
            unfiled: false,
            children: children(v),
        }),
        _ => None,
    }
}

fn children(v: &Value) -> Vec<Node> {
    v.get("children")
        .and_then(Value::as_array)
        .map(|c| c.iter().filter_map(node).collect())
        .unwrap_or_default()
}

/// Parse a `Bookmarks` file's text into top-level folders (bar, other, mobile).
pub fn parse(text: &str) -> Result<Vec<Node>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let roots = v.get("roots").ok_or("it has no \"roots\"")?;
    let mut out = Vec::new();
    for (key, toolbar, unfiled, fallback) in [
        ("bookmark_bar", true, false, "Bookmarks bar"),
        ("other", false, true, "Other bookmarks"),
        ("synced", false, false, "Mobile bookmarks"),
    ] {
        if let Some(r) = roots.get(key) {
            let kids = children(r);
            if kids.is_empty() && !toolbar && !unfiled {
                continue;
            }
            let title = r
                .get("name")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .unwrap_or(fallback)
                .to_string();
            out.push(Node::Folder {
                title,
                added_ms: date_ms(r),
                toolbar,
                unfiled,
                children: kids,
            });
        }
    }
    Ok(out)
}
