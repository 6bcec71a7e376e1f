//! Finding other browsers' profiles on this machine, and reading their bookmarks.
//!
//! Chrome-family browsers keep bookmarks in a `Bookmarks` JSON file per profile; Firefox in
//! `places.sqlite`. Both are read into the same tree as a bookmark file
//! ([`crate::profile::netscape::Node`]), so one importer (`transfer.rs`) handles all sources.
//! Standard locations per OS are listed once, in [`candidates`]; the base folders come from
//! [`BaseDirs`] so tests can point them at fixtures.

pub mod chrome;
pub mod firefox;

use std::path::{Path, PathBuf};

/// Which kind of browser profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrowserKind {
    /// Chrome, Chromium, Brave, Edge: a `Bookmarks` JSON file.
    Chromium,
    /// Firefox: `places.sqlite`.
    Firefox,
}

/// A browser profile found on this machine.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundProfile {
    /// "Google Chrome", "Firefox", ...
    pub browser: String,
    /// The profile's name ("Default", "Profile 1", "default-release").
    pub profile: String,
    /// Which reader to use.
    pub kind: BrowserKind,
    /// The `Bookmarks` file or `places.sqlite`.
    pub path: PathBuf,
}

/// The per-user folders the standard locations hang off.
#[derive(Clone, Debug, Default)]
pub struct BaseDirs {
    /// The home folder.
    pub home: Option<PathBuf>,
    /// Windows `%APPDATA%` (roaming).
    pub appdata: Option<PathBuf>,
    /// Windows `%LOCALAPPDATA%`.
    pub local_appdata: Option<PathBuf>,
}

impl BaseDirs {
    /// From the environment (`HOME`/`USERPROFILE`, `APPDATA`, `LOCALAPPDATA`).
    pub fn from_env() -> BaseDirs {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        BaseDirs {
            home: var("HOME").or_else(|| var("USERPROFILE")),
            appdata: var("APPDATA"),
            local_appdata: var("LOCALAPPDATA"),
        }
    }
}

/// Where browsers keep their user data on this OS: (browser, kind, folder).
pub fn candidates(dirs: &BaseDirs) -> Vec<(&'static str, BrowserKind, PathBuf)> {
    use BrowserKind::{Chromium, Firefox};
    let mut out = Vec::new();
    let mut add = |name, kind, base: &Option<PathBuf>, rel: &str| {
        if let Some(b) = base {
            out.push((name, kind, rel.split('/').fold(b.clone(), |p, c| p.join(c))));
        }
    };
    if cfg!(target_os = "windows") {
        add(
            "Google Chrome",
            Chromium,
            &dirs.local_appdata,
            "Google/Chrome/User Data",
        );
        add(
            "Chromium",
            Chromium,
            &dirs.local_appdata,
            "Chromium/User Data",
        );
        add(
            "Brave",
            Chromium,
            &dirs.local_appdata,
            "BraveSoftware/Brave-Browser/User Data",
        );
        add(
            "Microsoft Edge",
            Chromium,
            &dirs.local_appdata,
            "Microsoft/Edge/User Data",
        );
        add("Firefox", Firefox, &dirs.appdata, "Mozilla/Firefox");
    } else if cfg!(target_os = "macos") {
        add(
            "Google Chrome",
            Chromium,
            &dirs.home,
            "Library/Application Support/Google/Chrome",
        );
        add(
            "Chromium",
            Chromium,
            &dirs.home,
            "Library/Application Support/Chromium",
        );
        add(
            "Brave",
            Chromium,
            &dirs.home,
            "Library/Application Support/BraveSoftware/Brave-Browser",
        );
        add(
            "Microsoft Edge",
            Chromium,
            &dirs.home,
            "Library/Application Support/Microsoft Edge",
        );
        add(
            "Firefox",
            Firefox,
            &dirs.home,
            "Library/Application Support/Firefox",
        );
    } else {
        add(
            "Google Chrome",
            Chromium,
            &dirs.home,
            ".config/google-chrome",
        );
        add("Chromium", Chromium, &dirs.home, ".config/chromium");
        add(
            "Brave",
            Chromium,
            &dirs.home,
            ".config/BraveSoftware/Brave-Browser",
        );
        add(
            "Microsoft Edge",
            Chromium,
            &dirs.home,
            ".config/microsoft-edge",
        );
        add("Firefox", Firefox, &dirs.home, ".mozilla/firefox");
        add(
            "Firefox (snap)",
            Firefox,
            &dirs.home,
            "snap/firefox/common/.mozilla/firefox",
        );
        add(
            "Firefox (flatpak)",
            Firefox,
            &dirs.home,
            ".var/app/org.mozilla.firefox/.mozilla/firefox",
        );
    }
    out
}

/// Every browser profile with bookmarks under the standard locations.
pub fn find_profiles(dirs: &BaseDirs) -> Vec<FoundProfile> {
    let mut found = Vec::new();
    for (browser, kind, root) in candidates(dirs) {
        match kind {
            BrowserKind::Chromium => found.extend(chrome::profiles_in(browser, &root)),
            BrowserKind::Firefox => found.extend(firefox::profiles_in(browser, &root)),
        }
    }
    found
}

/// Sub-folders of `dir`, sorted by name.
pub(crate) fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
