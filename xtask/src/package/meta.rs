//! What every package says about Nexus: the version comes from one place (the workspace
//! version that `nexus --version` prints too), the rest is fixed here.

use crate::cmd;
use anyhow::{Context, Result};

/// Package metadata.
pub struct Meta {
    /// The workspace version (`[workspace.package] version`).
    pub version: String,
    /// The git commit the tree was built from, when known.
    pub commit: Option<String>,
}

/// Display name.
pub const NAME: &str = "Nexus";
/// Package / executable name.
pub const PACKAGE: &str = "nexus";
/// Reverse-DNS identifier (macOS bundle id, AppStream id).
pub const APP_ID: &str = "dev.nexus.Nexus";
/// One-line summary.
pub const SUMMARY: &str = "web browser with an on-device AI sidebar";
/// Longer description (one paragraph).
pub const DESCRIPTION: &str = "Nexus is a desktop web browser written in Rust. Its tabs are \
Chromium Embedded Framework browsers; an AI sidebar analyses the page you are on with models \
that run on this computer, and a settings and sync panel manages bookmarks, history and settings.";
/// Who answers for the packages (`NEXUS_PACKAGE_MAINTAINER` overrides; the project has no
/// public address yet).
pub const MAINTAINER: &str = "Nexus developers <nexus-packages@example.org>";

impl Meta {
    /// Read the version from the workspace.
    pub fn read() -> Result<Meta> {
        let json =
            cmd::output(cmd::cargo().args(["metadata", "--format-version", "1", "--no-deps"]))?;
        let meta: serde_json::Value = serde_json::from_str(&json)?;
        let version = meta["packages"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["name"] == PACKAGE))
            .and_then(|p| p["version"].as_str())
            .context("cargo metadata lists no `nexus` package with a version")?
            .to_string();
        let commit = cmd::output(
            std::process::Command::new("git")
                .current_dir(crate::paths::workspace_root())
                .args(["rev-parse", "--short=12", "HEAD"]),
        )
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
        Ok(Meta { version, commit })
    }

    /// The maintainer field.
    pub fn maintainer(&self) -> String {
        std::env::var("NEXUS_PACKAGE_MAINTAINER").unwrap_or_else(|_| MAINTAINER.to_string())
    }

    /// `nexus-<version>-<os>-<arch>`, the stem of every artifact's name.
    pub fn stem(&self, os: &str) -> String {
        format!("{PACKAGE}-{}-{os}-{}", self.version, std::env::consts::ARCH)
    }
}
