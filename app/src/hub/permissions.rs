//! Which sites may use the page's `window.nexus` API.
//!
//! Built-in `nexus://` pages always may; any other site only after the user allowed it
//! (asked once, remembered per site in the profile, revocable in settings). Undecided
//! sites are asked when a prompt can be shown, refused otherwise (headless runs).

use std::collections::HashMap;

/// A site's access to the page API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Calls go through.
    Allowed,
    /// Calls are refused.
    Denied,
    /// The user has not decided yet.
    Ask,
}

/// Decisions by origin.
#[derive(Clone, Debug, Default)]
pub struct Permissions {
    decided: HashMap<String, bool>,
    /// Whether the host can ask the user (a window); else undecided means refused.
    pub can_prompt: bool,
}

impl Permissions {
    /// Permissions that ask the user when undecided.
    pub fn with_prompts() -> Permissions {
        Permissions {
            decided: HashMap::new(),
            can_prompt: true,
        }
    }

    /// The access of `origin`.
    pub fn access(&self, origin: &str) -> Access {
        if is_builtin(origin) {
            return Access::Allowed;
        }
        match self.decided.get(origin) {
            Some(true) => Access::Allowed,
            Some(false) => Access::Denied,
            None => Access::Ask,
        }
    }

    /// Record a decision.
    pub fn set(&mut self, origin: &str, allowed: bool) {
        self.decided.insert(origin.to_string(), allowed);
    }

    /// Forget a decision (it will be asked again).
    pub fn revoke(&mut self, origin: &str) {
        self.decided.remove(origin);
    }
}

/// Whether an origin is one of Nexus's built-in pages.
pub fn is_builtin(origin: &str) -> bool {
    origin.starts_with("nexus://")
}

/// The origin of a frame URL as the browser process knows it: `scheme://host[:port]`,
/// lower-case. Opaque or unparsable URLs get an origin that matches nothing stored.
pub fn origin_of(url: &str) -> String {
    if let Ok(origin) = crate::profile::permissions::origin_of(url) {
        return origin;
    }
    let lower = url.to_ascii_lowercase();
    match lower.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{host}")
        }
        None => format!("opaque:{lower}"),
    }
}
