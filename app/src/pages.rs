//! Nexus's built-in pages (`nexus://welcome`, `nexus://newtab`, `nexus://error`, ...),
//! embedded in the binary from `assets/pages/` and answered here as plain responses.
//! Nothing in this module knows CEF: the scheme handler in `cef::scheme` serves what it
//! returns.

use crate::cef::net_error;
use crate::html_escape::escape_html;

include!(concat!(env!("OUT_DIR"), "/pages.rs"));

/// A response to a `nexus://` request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageResponse {
    /// HTTP status.
    pub status: i32,
    /// MIME type.
    pub mime_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

/// Headers every built-in page carries: pages may load only built-in resources and images.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src nexus:; img-src nexus: data: https: http:; style-src nexus: 'unsafe-inline'; \
         script-src nexus:; connect-src 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-cache"),
];

/// The built-in pages a user can open by name.
pub const NAMED_PAGES: &[&str] = &["welcome", "newtab"];

/// Answer `url` (a `nexus://host/path?query` URL).
pub fn respond(url: &str) -> PageResponse {
    let Some(rest) = url.strip_prefix("nexus://") else {
        return not_found(url);
    };
    let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
    let location = location.split('#').next().unwrap_or_default();
    let (host, path) = location.split_once('/').unwrap_or((location, ""));
    let host = host.to_ascii_lowercase();
    if host == "error" && (path.is_empty() || path == "index.html") {
        return error_page(query);
    }
    let file = if path.is_empty() {
        format!("{host}/index.html")
    } else {
        format!("{host}/{path}")
    };
    if file.split('/').any(|part| part == ".." || part.is_empty()) {
        return not_found(url);
    }
    match PAGES.iter().find(|(name, _)| *name == file) {
        Some((name, body)) => PageResponse {
            status: 200,
            mime_type: mime_type(name),
            body: body.to_vec(),
        },
        None => not_found(url),
    }
}

/// The URL of the error page for a failed load of `failed_url`.
pub fn error_url(failed_url: &str, error: &net_error::LoadError) -> String {
    format!(
        "nexus://error/?code={}&name={}&url={}",
        error.code,
        percent_encode(&error.name),
        percent_encode(failed_url)
    )
}

fn error_page(query: &str) -> PageResponse {
    let mut code = -2;
    let mut name = String::new();
    let mut failed = String::new();
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match k {
            "code" => code = v.parse().unwrap_or(-2),
            "name" => name = v,
            "url" => failed = v,
            _ => {}
        }
    }
    let error = net_error::describe(code, &name);
    // Only web and file addresses get a retry link: anything else (javascript:, data:, ...)
    // must never become clickable on a privileged page.
    let retry = if is_retryable(&failed) {
        failed.as_str()
    } else {
        ""
    };
    let template = PAGES
        .iter()
        .find(|(n, _)| *n == "error/index.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let mut html = template
        .replace("{{title}}", &escape_html(error.summary))
        .replace("{{summary}}", &escape_html(error.summary))
        .replace("{{advice}}", &escape_html(error.advice))
        .replace(
            "{{code_name}}",
            &escape_html(&if name.is_empty() {
                format!("error {code}")
            } else {
                name.clone()
            }),
        )
        .replace(
            "href=\"{{url}}\"",
            &format!("href=\"{}\"", escape_html(retry)),
        )
        .replace("{{url}}", &escape_html(&failed));
    if retry.is_empty() {
        html = html.replace(
            "<a class=\"button\" id=\"retry\" href=\"\">Try again</a>",
            "",
        );
    }
    PageResponse {
        status: 200,
        mime_type: "text/html",
        body: html.into_bytes(),
    }
}

fn is_retryable(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "file://"]
        .iter()
        .any(|s| lower.starts_with(s))
}

fn not_found(url: &str) -> PageResponse {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>Not found</title>\
         <link rel=stylesheet href=\"nexus://shared/nexus.css\"><main><h1>This page does not exist</h1>\
         <p class=mono>{}</p><p><a href=\"nexus://newtab\">Open a new tab</a></p></main>",
        escape_html(url)
    );
    PageResponse {
        status: 404,
        mime_type: "text/html",
        body: body.into_bytes(),
    }
}

fn mime_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html",
        "css" => "text/css",
        "js" => "text/javascript",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// Percent-encode everything but unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode `%XX` escapes (and `+` as space); invalid escapes are kept as they are.
pub fn percent_decode(s: &str) -> String {
    fn hex(d: u8) -> Option<u8> {
        (d as char).to_digit(16).map(|v| v as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| Some(hex(bytes[i + 1])? * 16 + hex(bytes[i + 2])?))
            .flatten();
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
                continue;
            }
            (None, b'+') => out.push(b' '),
            (None, b) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_named_pages_and_their_files() {
        let r = respond("nexus://welcome");
        assert_eq!(r.status, 200);
        assert_eq!(r.mime_type, "text/html");
        assert!(String::from_utf8_lossy(&r.body).contains("Welcome to Nexus"));
        assert_eq!(respond("nexus://shared/nexus.css").mime_type, "text/css");
        assert_eq!(respond("nexus://WELCOME/").status, 200);
    }

    #[test]
    fn unknown_pages_and_traversal_are_not_found() {
        assert_eq!(respond("nexus://nope").status, 404);
        assert_eq!(respond("nexus://shared/../../Cargo.toml").status, 404);
        assert_eq!(respond("nexus://shared//nexus.css").status, 404);
    }

    #[test]
    fn error_page_escapes_the_url_and_never_links_script_urls() {
        let err = net_error::describe(-105, "ERR_NAME_NOT_RESOLVED");
        let page = respond(&error_url("https://nosuch.example/<script>", &err));
        let html = String::from_utf8(page.body).unwrap();
        assert!(html.contains("The server&#39;s address could not be found."));
        assert!(html.contains("https://nosuch.example/&lt;script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("id=\"retry\""));

        let page = respond("nexus://error/?code=-105&url=javascript%3Aalert(1)");
        let html = String::from_utf8(page.body).unwrap();
        assert!(
            !html.contains("id=\"retry\""),
            "a javascript: URL must not become a link"
        );
    }

    #[test]
    fn percent_coding_round_trips() {
        for s in ["", "a b&c=d", "https://x.y/?q=ünï#frag", "100%"] {
            assert_eq!(percent_decode(&percent_encode(s)), s);
        }
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
