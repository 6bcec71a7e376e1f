//! Forgiving validation for the settings page: each function turns what the user typed
//! into a clean value, or says in one sentence what is wrong and how to fix it. The page
//! then keeps the old value and shows the sentence under the field.

use nexus_ipc::messages::ai::RemoteEndpoint;

/// A web address for the home page or a startup page. Bare hosts get `https://`.
pub fn web_address(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter a web address, like https://example.com.".into());
    }
    if text.contains(char::is_whitespace) {
        return Err("A web address cannot contain spaces.".into());
    }
    let lower = text.to_ascii_lowercase();
    if ["http://", "https://", "nexus://", "file://"]
        .iter()
        .any(|s| lower.starts_with(s))
        || lower.starts_with("about:")
    {
        let rest = text.split_once("://").map_or("x", |(_, r)| r);
        if rest.is_empty() {
            return Err("The address is missing the site's name after the ://.".into());
        }
        return Ok(text.to_owned());
    }
    if text.contains("://") {
        return Err("Nexus opens http, https, nexus and file addresses.".into());
    }
    let host = text.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if host == "localhost" || (host.contains('.') && !host.starts_with('.') && !host.ends_with('.'))
    {
        return Ok(format!("https://{text}"));
    }
    Err("That does not look like a web address; try something like example.com.".into())
}

/// A search URL template: http(s), with `{query}` (or `%s`) where the words go.
pub fn search_template(text: &str) -> Result<String, String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err("The search address must start with https:// (or http://).".into());
    }
    if !(text.contains("{query}") || text.contains("%s")) {
        return Err("Put {query} in the address where the search words go.".into());
    }
    Ok(text.to_owned())
}

/// A search engine's display name.
pub fn engine_name(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Give the search engine a name.".into());
    }
    if text.chars().count() > 40 {
        return Err("Keep the name under 40 characters.".into());
    }
    Ok(text.to_owned())
}

/// An absolute folder path (downloads, sync).
pub fn folder(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter a folder, like /home/you/Downloads.".into());
    }
    let windows_drive = text.len() >= 3
        && text.as_bytes()[0].is_ascii_alphabetic()
        && text.as_bytes()[1] == b':'
        && matches!(text.as_bytes()[2], b'\\' | b'/');
    if !(text.starts_with('/') || text.starts_with("\\\\") || windows_drive) {
        return Err(
            "Use a full path that starts at the top of the disk, like /home/you/Downloads.".into(),
        );
    }
    Ok(text.to_owned())
}

/// Startup pages: one address per line.
pub fn startup_pages(text: &str) -> Result<Vec<String>, String> {
    let mut pages = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let page = web_address(line).map_err(|e| format!("Line {}: {e}", i + 1))?;
        pages.push(page);
    }
    if pages.is_empty() {
        return Err("List at least one page to open, one address per line.".into());
    }
    Ok(pages)
}

/// An OpenAI-compatible endpoint: base URL, model and optional key.
pub fn endpoint(base_url: &str, model: &str, api_key: &str) -> Result<RemoteEndpoint, String> {
    let base_url = base_url.trim().trim_end_matches('/');
    let lower = base_url.to_ascii_lowercase();
    let https = lower.starts_with("https://");
    if !(https || lower.starts_with("http://")) {
        return Err(
            "The base URL must start with http:// or https://, e.g. http://localhost:11434/v1."
                .into(),
        );
    }
    let host = crate::model::host_of(base_url);
    let host_name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let local = matches!(host_name, "localhost" | "127.0.0.1" | "[::1]");
    let api_key = api_key.trim();
    if !https && !local && !api_key.is_empty() {
        return Err("Use https:// for a remote endpoint: over http:// your API key would travel unencrypted.".into());
    }
    let model = model.trim();
    if model.is_empty() {
        return Err("Enter the model name the endpoint serves, e.g. llama3.".into());
    }
    Ok(RemoteEndpoint {
        base_url: base_url.to_owned(),
        model: model.to_owned(),
        api_key: (!api_key.is_empty()).then(|| api_key.to_owned()),
    })
}

/// A sync passphrase typed twice.
pub fn passphrase(passphrase: &str, confirm: &str) -> Result<String, String> {
    if passphrase.chars().count() < 10 {
        return Err(
            "Use at least 10 characters: the passphrase is all that protects your synced data."
                .into(),
        );
    }
    if passphrase != confirm {
        return Err("The two passphrases differ.".into());
    }
    Ok(passphrase.to_owned())
}

/// A site for the never-analyze list: a host, taken from a URL if one is pasted.
pub fn site(text: &str) -> Result<String, String> {
    let text = text.trim();
    let host = crate::model::host_of(text);
    let host = host
        .rsplit_once(':')
        .map_or(host, |(h, _)| h)
        .to_ascii_lowercase();
    if host.is_empty()
        || host.contains(char::is_whitespace)
        || !(host.contains('.') || host == "localhost")
    {
        return Err("Enter a site like example.com.".into());
    }
    Ok(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses() {
        assert_eq!(web_address("example.com").unwrap(), "https://example.com");
        assert_eq!(
            web_address(" https://a.test/x ").unwrap(),
            "https://a.test/x"
        );
        assert_eq!(web_address("nexus://newtab").unwrap(), "nexus://newtab");
        assert!(web_address("").is_err());
        assert!(web_address("not a url").unwrap_err().contains("spaces"));
        assert!(web_address("ftp://x.test").is_err());
        assert!(web_address("hello").is_err());
    }

    #[test]
    fn search_templates_need_a_placeholder() {
        assert!(search_template("https://s.test/?q={query}").is_ok());
        assert!(search_template("https://s.test/?q=%s").is_ok());
        assert!(
            search_template("https://s.test/")
                .unwrap_err()
                .contains("{query}")
        );
        assert!(search_template("s.test/?q={query}").is_err());
    }

    #[test]
    fn folders_must_be_absolute() {
        assert!(folder("/home/ada/Downloads").is_ok());
        assert!(folder("C:\\Users\\ada").is_ok());
        assert!(folder("Downloads").unwrap_err().contains("full path"));
    }

    #[test]
    fn endpoints_protect_keys() {
        let ok = endpoint("http://localhost:11434/v1/", "llama3", "").unwrap();
        assert_eq!(ok.base_url, "http://localhost:11434/v1");
        assert_eq!(ok.api_key, None);
        assert!(
            endpoint("http://example.com/v1", "m", "sk-1")
                .unwrap_err()
                .contains("https")
        );
        assert!(
            endpoint("https://api.example.com/v1", "", "")
                .unwrap_err()
                .contains("model")
        );
        assert_eq!(
            endpoint("https://api.example.com/v1", "m", " k ")
                .unwrap()
                .api_key
                .as_deref(),
            Some("k")
        );
    }

    #[test]
    fn passphrases_and_sites() {
        assert!(passphrase("short", "short").is_err());
        assert!(
            passphrase("correct horse", "correct hors")
                .unwrap_err()
                .contains("differ")
        );
        assert!(passphrase("correct horse", "correct horse").is_ok());
        assert_eq!(
            site("https://News.Example.com/a?b").unwrap(),
            "news.example.com"
        );
        assert!(site("nothing").is_err());
        assert_eq!(startup_pages("a.test\n\nhttps://b.test").unwrap().len(), 2);
        assert!(
            startup_pages("a.test\nbad one")
                .unwrap_err()
                .starts_with("Line 2")
        );
    }
}
