//! What a person typed (omnibox, command line) -> where to go.
//!
//! Full URLs of the schemes a person may open pass through; bare hosts get `https://`;
//! existing files become `file://` URLs; anything else is a search (omnibox) or an error
//! (command line). Schemes that run script or bypass the page model (`javascript:`,
//! `data:`, `blob:`, `view-source:`...) are refused: typed into the omnibox they are what
//! self-XSS scams ask people to paste.

use std::path::Path;

/// Where typed text leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Open this URL.
    Url(String),
    /// Search for this text.
    Search(String),
}

/// Why typed text cannot be opened.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Empty input.
    #[error("nothing to open: the address is empty")]
    Empty,
    /// A scheme Nexus does not open from typed input.
    #[error(
        "Nexus does not open {scheme} addresses typed by hand (allowed: http, https, file, nexus, about, chrome)"
    )]
    Scheme {
        /// The scheme.
        scheme: String,
    },
    /// Neither a URL, a host nor a file.
    #[error("{input:?} is not a web address or a file that exists")]
    NotAnAddress {
        /// The input.
        input: String,
    },
}

/// Schemes a person may open by typing them.
pub const TYPED_SCHEMES: &[&str] = &["http", "https", "file", "nexus", "about", "chrome"];

/// Interpret omnibox input: a URL, a host, a file, or a search.
pub fn interpret(input: &str) -> Result<Destination, InputError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    match classify(text) {
        Some(result) => result.map(Destination::Url),
        None => Ok(Destination::Search(text.to_string())),
    }
}

/// Interpret a command-line argument: a URL, a host or a file; never a search.
pub fn interpret_argument(input: &str) -> Result<String, InputError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    classify(text).unwrap_or_else(|| {
        Err(InputError::NotAnAddress {
            input: text.to_string(),
        })
    })
}

/// The search URL for `query` from a template with `%s` (e.g. `https://duckduckgo.com/?q=%s`).
pub fn search_url(template: &str, query: &str) -> String {
    let encoded = crate::pages::percent_encode(query).replace("%20", "+");
    if template.contains("%s") {
        template.replace("%s", &encoded)
    } else {
        format!("{template}{encoded}")
    }
}

fn classify(text: &str) -> Option<Result<String, InputError>> {
    if let Some(scheme) = scheme_of(text) {
        let lower = scheme.to_ascii_lowercase();
        if TYPED_SCHEMES.contains(&lower.as_str()) {
            return Some(Ok(text.to_string()));
        }
        // "localhost:8080" and "example.com:443/x" parse as a scheme but are hosts.
        if !looks_like_host_with_port(text) {
            return Some(Err(InputError::Scheme {
                scheme: format!("{lower}:"),
            }));
        }
    }
    if let Some(url) = file_url(text) {
        return Some(Ok(url));
    }
    if looks_like_host(text) {
        return Some(Ok(format!("https://{text}")));
    }
    None
}

fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(scheme)
}

fn looks_like_host_with_port(text: &str) -> bool {
    let (_, rest) = text.split_once(':').unwrap_or_default();
    let port: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    !port.is_empty() && looks_like_host(text)
}

fn looks_like_host(text: &str) -> bool {
    if text.contains(char::is_whitespace) {
        return false;
    }
    let host_port = text.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, p)| {
        if p.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host_port
        }
    });
    if host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    if host.starts_with('[') && host.ends_with(']') {
        return host[1..host.len() - 1]
            .parse::<std::net::Ipv6Addr>()
            .is_ok();
    }
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !l.starts_with('-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(char::is_alphabetic) && tld.len() >= 2)
}

fn file_url(text: &str) -> Option<String> {
    let path = Path::new(text);
    if !(text.starts_with('/') || text.starts_with('.') || text.starts_with('~') || path.exists()) {
        return None;
    }
    let expanded = match text.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME").map(|h| Path::new(&h).join(rest))?,
        None => path.to_path_buf(),
    };
    let absolute = expanded.canonicalize().ok()?;
    let mut url = String::from("file://");
    for part in absolute
        .to_string_lossy()
        .split('/')
        .filter(|p| !p.is_empty())
    {
        url.push('/');
        url.push_str(&crate::pages::percent_encode(part));
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_urls_pass_and_hosts_get_https() {
        assert_eq!(
            interpret("https://example.com/a?b#c"),
            Ok(Destination::Url("https://example.com/a?b#c".into()))
        );
        assert_eq!(
            interpret("example.com"),
            Ok(Destination::Url("https://example.com".into()))
        );
        assert_eq!(
            interpret("  sub.example.co.uk/path "),
            Ok(Destination::Url("https://sub.example.co.uk/path".into()))
        );
        assert_eq!(
            interpret("localhost:8080"),
            Ok(Destination::Url("https://localhost:8080".into()))
        );
        assert_eq!(
            interpret("127.0.0.1:3000/x"),
            Ok(Destination::Url("https://127.0.0.1:3000/x".into()))
        );
        assert_eq!(
            interpret("nexus://welcome"),
            Ok(Destination::Url("nexus://welcome".into()))
        );
    }

    #[test]
    fn words_are_searches() {
        assert_eq!(
            interpret("rust egui tutorial"),
            Ok(Destination::Search("rust egui tutorial".into()))
        );
        assert_eq!(
            interpret("what is 2.5 + 3"),
            Ok(Destination::Search("what is 2.5 + 3".into()))
        );
        assert_eq!(interpret("rust"), Ok(Destination::Search("rust".into())));
    }

    #[test]
    fn script_schemes_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<h1>x",
            "vbscript:x",
            "blob:https://a/b",
        ] {
            assert!(
                matches!(interpret(bad), Err(InputError::Scheme { .. })),
                "{bad}"
            );
        }
        assert_eq!(interpret("   "), Err(InputError::Empty));
    }

    #[test]
    fn files_become_file_urls() {
        let dir = std::env::temp_dir().join(format!("nexus url test {}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("page one.html");
        std::fs::write(&file, "x").unwrap();
        let url = interpret_argument(file.to_str().unwrap()).unwrap();
        assert!(
            url.starts_with("file:///") && url.ends_with("/page%20one.html"),
            "{url}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn command_line_refuses_what_is_not_an_address() {
        assert!(matches!(
            interpret_argument("no such thing"),
            Err(InputError::NotAnAddress { .. })
        ));
        assert!(interpret_argument("example.org").is_ok());
    }

    #[test]
    fn search_urls_encode_the_query() {
        assert_eq!(
            search_url("https://duckduckgo.com/?q=%s", "a&b c"),
            "https://duckduckgo.com/?q=a%26b+c"
        );
    }
}
