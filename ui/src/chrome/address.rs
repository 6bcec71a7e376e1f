//! What the omnibox makes of typed text (a URL or a search) and how it shows a URL
//! (host emphasised, the rest muted). Pure functions, tested without a window.

use crate::model::SearchEngine;
use crate::theme::Palette;
use egui::FontId;
use egui::text::LayoutJob;

/// Lay out a URL with the host emphasised and the rest muted.
pub(super) fn url_job(url: &str, p: &Palette) -> LayoutJob {
    let font = FontId::proportional(14.0);
    let mut job = LayoutJob::default();
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(host_end);
    let muted = egui::TextFormat::simple(font.clone(), p.weak_text);
    let strong = egui::TextFormat::simple(font, p.text);
    job.append(&scheme, 0.0, muted.clone());
    job.append(host, 0.0, strong);
    job.append(tail, 0.0, muted);
    job
}

/// Whether the text reads as a search rather than an address.
pub(super) fn looks_like_search(text: &str) -> bool {
    let text = text.trim();
    if text.contains("://") || text.starts_with("about:") || text.starts_with("data:") {
        return false;
    }
    if text.contains(char::is_whitespace) {
        return true;
    }
    let host = text.split(['/', '?', '#']).next().unwrap_or("");
    let host_no_port = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    if host_no_port.eq_ignore_ascii_case("localhost") {
        return false;
    }
    let labels: Vec<&str> = host_no_port.split('.').collect();
    let valid_labels = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.chars().any(|c| c.is_alphabetic()) || labels.len() == 4);
    !(valid_labels && tld_ok)
}

/// Turn what the user typed into a URL: URLs with a scheme stay, bare hosts get
/// `https://` (`http://` for localhost and IP addresses), everything else becomes a search.
/// `None` for blank input.
pub fn resolve_input(text: &str, search: &SearchEngine) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.contains("://")
        || ["about:", "data:", "view-source:", "mailto:"]
            .iter()
            .any(|s| text.starts_with(s))
    {
        return Some(text.to_owned());
    }
    if looks_like_search(text) {
        return Some(search.url_for(text));
    }
    let host = text.split(['/', ':', '?', '#']).next().unwrap_or("");
    let is_ip = host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok());
    let scheme = if host.eq_ignore_ascii_case("localhost") || is_ip {
        "http"
    } else {
        "https"
    };
    Some(format!("{scheme}://{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_resolves_like_a_browser() {
        let s = SearchEngine::default();
        assert_eq!(
            resolve_input("example.com", &s).unwrap(),
            "https://example.com"
        );
        assert_eq!(
            resolve_input("example.com/a?b=c", &s).unwrap(),
            "https://example.com/a?b=c"
        );
        assert_eq!(
            resolve_input("localhost:8080", &s).unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(
            resolve_input("192.168.1.10", &s).unwrap(),
            "http://192.168.1.10"
        );
        assert_eq!(resolve_input("http://x.test", &s).unwrap(), "http://x.test");
        assert_eq!(
            resolve_input("nexus://settings", &s).unwrap(),
            "nexus://settings"
        );
        assert_eq!(
            resolve_input("rust egui", &s).unwrap(),
            "https://duckduckgo.com/?q=rust+egui"
        );
        assert_eq!(
            resolve_input("hello", &s).unwrap(),
            "https://duckduckgo.com/?q=hello"
        );
        assert_eq!(
            resolve_input("1.5", &s).unwrap(),
            "https://duckduckgo.com/?q=1.5"
        );
        assert_eq!(resolve_input("   ", &s), None);
    }
}
