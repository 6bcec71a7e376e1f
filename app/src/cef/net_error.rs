//! Chromium network error codes in words a user understands.

/// A failed load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Chromium's `net::Error` code (negative).
    pub code: i32,
    /// Chromium's name for it, e.g. `ERR_NAME_NOT_RESOLVED`.
    pub name: String,
    /// What happened, for a person.
    pub summary: &'static str,
    /// What they can do about it.
    pub advice: &'static str,
}

/// `ERR_ABORTED`: a load replaced by another one; not an error to show.
pub const ABORTED: i32 = -3;

/// Describe a Chromium network error.
pub fn describe(code: i32, name: &str) -> LoadError {
    let (summary, advice) = match code {
        -105 | -137 => (
            "The server's address could not be found.",
            "Check the address for typing mistakes, and check your network connection.",
        ),
        -102 => (
            "The site refused to connect.",
            "The server may be down, or the address may point at the wrong port.",
        ),
        -118 | -7 => (
            "The site took too long to respond.",
            "Try again in a moment; the server or your connection may be slow.",
        ),
        -106 => (
            "You are offline.",
            "Check your network connection, then try again.",
        ),
        -6 => (
            "The file could not be found.",
            "It may have been moved, renamed or deleted.",
        ),
        -10 => (
            "Access to the file was denied.",
            "Check the file's permissions.",
        ),
        -101 | -100 | -324 => (
            "The connection was closed before the page arrived.",
            "Try again; if it keeps happening, the site may be having problems.",
        ),
        -310 => (
            "The page redirects too many times.",
            "Clearing the site's cookies may help.",
        ),
        -300 => (
            "The address is not valid.",
            "Check the address for typing mistakes.",
        ),
        -301 => (
            "Nexus does not open this kind of address.",
            "Only web, file and nexus addresses can be opened.",
        ),
        -220..=-200 => (
            "The site's security certificate is not trusted, so Nexus stopped loading it.",
            "Someone may be trying to impersonate the site. Do not enter passwords or \
             personal data; go back to safety.",
        ),
        _ => (
            "The page could not be loaded.",
            "Try again; if it keeps happening, the site may be having problems.",
        ),
    };
    LoadError {
        code,
        name: name.to_string(),
        summary,
        advice,
    }
}

/// Whether a code is a certificate error.
pub fn is_certificate_error(code: i32) -> bool {
    (-220..=-200).contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_errors_read_like_sentences() {
        let e = describe(-105, "ERR_NAME_NOT_RESOLVED");
        assert_eq!(e.summary, "The server's address could not be found.");
        assert!(
            describe(-202, "ERR_CERT_AUTHORITY_INVALID")
                .summary
                .contains("certificate")
        );
        assert!(is_certificate_error(-202));
        assert!(!is_certificate_error(-105));
        assert!(describe(-9999, "ERR_SOMETHING").summary.ends_with('.'));
    }
}
