//! Per-site decisions: `window.nexus` API access, the AI never-analyze list, zoom.
//!
//! These are local to the device (not synced): they describe trust in a site on this
//! machine. API access is keyed by origin (scheme, host and port, as the web's security
//! model is); the never-analyze list and zoom by host, as users think of sites.

use super::error::{ProfileError, Result};
use super::store::{Durability, Store};
use super::util::url_parts;
use rusqlite::{OptionalExtension, params};

/// A site's access to the `window.nexus` API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiAccess {
    /// The user allowed it.
    Allow,
    /// The user denied it.
    Deny,
}

/// One row of the site-permissions list.
#[derive(Clone, Debug, PartialEq)]
pub struct SitePermission {
    /// `scheme://host[:port]`.
    pub origin: String,
    /// The decision.
    pub access: ApiAccess,
    /// When it was made (ms since the epoch).
    pub modified_ms: i64,
}

/// The origin of a URL (`https://example.com:8443`), lower-case, default ports dropped.
pub fn origin_of(url: &str) -> Result<String> {
    let p = url_parts(url)
        .filter(|p| !p.host.is_empty())
        .ok_or_else(|| {
            ProfileError::Invalid(format!(
                "\"{}\" has no site (scheme and host)",
                url.chars().take(80).collect::<String>()
            ))
        })?;
    let default_port = matches!(
        (p.scheme.as_str(), p.port),
        ("http", Some("80")) | ("https", Some("443"))
    );
    Ok(match p.port {
        Some(port) if !default_port => format!("{}://{}:{port}", p.scheme, p.host),
        _ => format!("{}://{}", p.scheme, p.host),
    })
}

/// The host of a URL or a bare host name, lower-case.
fn host_of(url_or_host: &str) -> Result<String> {
    let host = match url_parts(url_or_host) {
        Some(p) if !p.host.is_empty() => p.host,
        _ if !url_or_host.contains(['/', ':', ' ']) && !url_or_host.is_empty() => {
            url_or_host.to_lowercase()
        }
        _ => {
            return Err(ProfileError::Invalid(format!(
                "\"{url_or_host}\" is not a site"
            )));
        }
    };
    Ok(host.trim_end_matches('.').to_string())
}

impl Store {
    /// Record the user's decision on `window.nexus` access for the site of `url`.
    pub fn set_api_access(&mut self, url: &str, access: ApiAccess) -> Result<()> {
        let origin = origin_of(url)?;
        self.write(Durability::Full, |tx| {
            tx.execute(
                "INSERT INTO site_permissions (origin, nexus_api, modified_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (origin) DO UPDATE SET nexus_api = excluded.nexus_api, modified_ms = excluded.modified_ms",
                params![origin, i64::from(access == ApiAccess::Allow), tx.now],
            )?;
            Ok(())
        })
    }

    /// The decision for the site of `url` (`None`: ask).
    pub fn api_access(&self, url: &str) -> Result<Option<ApiAccess>> {
        let origin = origin_of(url)?;
        let v: Option<Option<i64>> = self.read(|c| {
            Ok(c.query_row(
                "SELECT nexus_api FROM site_permissions WHERE origin = ?1",
                [&origin],
                |r| r.get(0),
            )
            .optional()?)
        })?;
        Ok(v.flatten().map(|a| {
            if a == 1 {
                ApiAccess::Allow
            } else {
                ApiAccess::Deny
            }
        }))
    }

    /// Forget the decision for an origin (the "revoke" button). Returns whether one existed.
    pub fn revoke_api_access(&mut self, origin_or_url: &str) -> Result<bool> {
        let origin = origin_of(origin_or_url)?;
        self.write(Durability::Full, |tx| {
            Ok(tx.execute("DELETE FROM site_permissions WHERE origin = ?1", [&origin])? > 0)
        })
    }

    /// Every site with a decision, by origin.
    pub fn site_permissions(&self) -> Result<Vec<SitePermission>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT origin, nexus_api, modified_ms FROM site_permissions WHERE nexus_api IS NOT NULL ORDER BY origin",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    let a: i64 = r.get(1)?;
                    Ok(SitePermission {
                        origin: r.get(0)?,
                        access: if a == 1 { ApiAccess::Allow } else { ApiAccess::Deny },
                        modified_ms: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }

    /// Never send pages of this host (and its subdomains) to the AI.
    pub fn add_never_analyze(&mut self, url_or_host: &str) -> Result<()> {
        let host = host_of(url_or_host)?;
        self.write(Durability::Full, |tx| {
            tx.execute(
                "INSERT OR IGNORE INTO never_analyze (host, added_ms) VALUES (?1, ?2)",
                params![host, tx.now],
            )?;
            Ok(())
        })
    }

    /// Take a host off the never-analyze list. Returns whether it was on it.
    pub fn remove_never_analyze(&mut self, url_or_host: &str) -> Result<bool> {
        let host = host_of(url_or_host)?;
        self.write(Durability::Full, |tx| {
            Ok(tx.execute("DELETE FROM never_analyze WHERE host = ?1", [&host])? > 0)
        })
    }

    /// The never-analyze list.
    pub fn never_analyze_list(&self) -> Result<Vec<String>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT host FROM never_analyze ORDER BY host")?;
            let rows = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }

    /// Whether the page at `url` must not be analysed: its host or a parent domain is listed.
    pub fn is_never_analyze(&self, url: &str) -> Result<bool> {
        let Ok(host) = host_of(url) else {
            return Ok(false);
        };
        let mut candidates = vec![host.as_str()];
        let mut rest = host.as_str();
        while let Some((_, parent)) = rest.split_once('.') {
            candidates.push(parent);
            rest = parent;
        }
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT 1 FROM never_analyze WHERE host = ?1")?;
            for h in &candidates {
                if stmt.exists([h])? {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

    /// Remember the zoom level for the host of `url` (1.0 removes the entry).
    pub fn set_site_zoom(&mut self, url: &str, level: f64) -> Result<()> {
        if !(0.25..=5.0).contains(&level) {
            return Err(ProfileError::Invalid(format!(
                "zoom {level} is outside 25%–500%"
            )));
        }
        let host = host_of(url)?;
        self.write(Durability::Full, |tx| {
            if (level - 1.0).abs() < f64::EPSILON {
                tx.execute("DELETE FROM site_zoom WHERE host = ?1", [&host])?;
            } else {
                tx.execute(
                    "INSERT INTO site_zoom (host, level, modified_ms) VALUES (?1, ?2, ?3)
                     ON CONFLICT (host) DO UPDATE SET level = excluded.level, modified_ms = excluded.modified_ms",
                    params![host, level, tx.now],
                )?;
            }
            Ok(())
        })
    }

    /// The zoom level remembered for the host of `url`, if any.
    pub fn site_zoom(&self, url: &str) -> Result<Option<f64>> {
        let Ok(host) = host_of(url) else {
            return Ok(None);
        };
        self.read(|c| {
            Ok(c.query_row(
                "SELECT level FROM site_zoom WHERE host = ?1",
                [&host],
                |r| r.get(0),
            )
            .optional()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_drop_default_ports_and_keep_others() {
        assert_eq!(
            origin_of("HTTPS://Example.com:443/x").unwrap(),
            "https://example.com"
        );
        assert_eq!(
            origin_of("http://example.com:8080/").unwrap(),
            "http://example.com:8080"
        );
        assert!(origin_of("about:blank").is_err());
        assert_eq!(host_of("News.Example.org").unwrap(), "news.example.org");
        assert!(host_of("not a host").is_err());
    }
}
