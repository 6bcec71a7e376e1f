//! Settings as the settings page shows them, and the status the shell reports beside them
//! (site permissions, the connection test, sync).

use nexus_ipc::messages::ai::Generator;
use serde::{Deserialize, Serialize};

/// Light, dark, or follow the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ThemePreference {
    /// Follow the operating system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// A search engine: a name and a URL template with `{query}` where the words go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchEngine {
    /// Shown in the omnibox ("Search DuckDuckGo for ...").
    pub name: String,
    /// E.g. `https://duckduckgo.com/?q={query}`.
    pub url_template: String,
}

impl Default for SearchEngine {
    fn default() -> Self {
        SearchEngine {
            name: "DuckDuckGo".into(),
            url_template: "https://duckduckgo.com/?q={query}".into(),
        }
    }
}

impl SearchEngine {
    /// The search URL for a query (the query percent-encoded).
    pub fn url_for(&self, query: &str) -> String {
        self.url_template
            .replace("{query}", &percent_encode(query))
            .replace("%s", &percent_encode(query))
    }
}

/// Percent-encode a query string component (spaces become `+`).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What opens when Nexus starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Startup {
    /// The new-tab page.
    #[default]
    NewTab,
    /// The windows and tabs of the last session.
    RestoreSession,
    /// These pages.
    Pages(Vec<String>),
}

/// The typed settings the settings page edits.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The home button's page.
    pub home_page: String,
    /// The omnibox's search engine.
    pub search_engine: SearchEngine,
    /// What opens at start.
    pub startup: Startup,
    /// Light / dark / system.
    pub theme: ThemePreference,
    /// Zoom of pages without a per-site zoom, in percent.
    pub default_zoom_percent: u32,
    /// Where downloads are saved.
    pub downloads_folder: String,
    /// Who writes AI answers.
    pub generator: Generator,
    /// Analyse every page when it loads.
    pub auto_analyze: bool,
    /// Sites never analysed automatically.
    pub never_analyze: Vec<String>,
    /// The sync folder, if sync is set up.
    pub sync_folder: Option<String>,
    /// Whether a sync passphrase is set.
    pub sync_passphrase_set: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            home_page: "nexus://newtab".into(),
            search_engine: SearchEngine::default(),
            startup: Startup::NewTab,
            theme: ThemePreference::System,
            default_zoom_percent: 100,
            downloads_folder: String::new(),
            generator: Generator::Extractive,
            auto_analyze: false,
            never_analyze: Vec::new(),
            sync_folder: None,
            sync_passphrase_set: false,
        }
    }
}

/// One validated change to [`Settings`].
#[derive(Clone, Debug, PartialEq)]
pub enum SettingChange {
    /// The home page URL.
    HomePage(String),
    /// The search engine.
    SearchEngine(SearchEngine),
    /// What opens at start.
    Startup(Startup),
    /// The theme.
    Theme(ThemePreference),
    /// Default zoom in percent.
    DefaultZoom(u32),
    /// The downloads folder (an absolute path).
    DownloadsFolder(String),
    /// Who writes AI answers.
    Generator(Generator),
    /// Auto-analyze pages.
    AutoAnalyze(bool),
    /// Add (true) or remove (false) a never-analyze site.
    NeverAnalyze {
        /// The host.
        site: String,
        /// Add or remove.
        never: bool,
    },
    /// The sync folder (an absolute path), or `None` to stop syncing.
    SyncFolder(Option<String>),
}

/// A permission a site can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PermissionKind {
    /// The page's `window.nexus` API (AI features).
    AiFeatures,
}

impl PermissionKind {
    /// What users see.
    pub fn label(self) -> &'static str {
        match self {
            PermissionKind::AiFeatures => "Nexus AI features",
        }
    }
}

/// A stored permission decision.
#[derive(Clone, Debug, PartialEq)]
pub struct SitePermission {
    /// The site.
    pub origin: String,
    /// The permission.
    pub permission: PermissionKind,
    /// Allowed or blocked.
    pub allowed: bool,
}

/// Kinds of browsing data to clear.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DataKinds {
    /// Browsing history.
    pub history: bool,
    /// The downloads list (not the files).
    pub downloads: bool,
    /// Cookies and site data.
    pub cookies: bool,
    /// Cached images and files.
    pub cache: bool,
    /// Cached AI analyses.
    pub ai_cache: bool,
}

impl DataKinds {
    /// Whether any kind is chosen.
    pub fn any(self) -> bool {
        self.history || self.downloads || self.cookies || self.cache || self.ai_cache
    }
}

/// How far back to clear.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TimeRange {
    /// The last hour.
    #[default]
    LastHour,
    /// The last 24 hours.
    LastDay,
    /// The last 7 days.
    LastWeek,
    /// The last 4 weeks.
    LastFourWeeks,
    /// Everything.
    AllTime,
}

impl TimeRange {
    /// Every range, shortest first.
    pub const ALL: [TimeRange; 5] = [
        TimeRange::LastHour,
        TimeRange::LastDay,
        TimeRange::LastWeek,
        TimeRange::LastFourWeeks,
        TimeRange::AllTime,
    ];

    /// What users see.
    pub fn label(self) -> &'static str {
        match self {
            TimeRange::LastHour => "Last hour",
            TimeRange::LastDay => "Last 24 hours",
            TimeRange::LastWeek => "Last 7 days",
            TimeRange::LastFourWeeks => "Last 4 weeks",
            TimeRange::AllTime => "All time",
        }
    }

    /// The range's length in seconds (`None`: all time).
    pub fn seconds(self) -> Option<i64> {
        match self {
            TimeRange::LastHour => Some(3600),
            TimeRange::LastDay => Some(86_400),
            TimeRange::LastWeek => Some(7 * 86_400),
            TimeRange::LastFourWeeks => Some(28 * 86_400),
            TimeRange::AllTime => None,
        }
    }
}

/// The result of "Test connection".
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ConnectionTest {
    /// Not tried.
    #[default]
    Idle,
    /// Waiting for the endpoint.
    Testing,
    /// It answered: what it said (e.g. "llama3 answered in 420 ms").
    Ok(String),
    /// It failed: why.
    Failed(String),
}

/// A named sync problem.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncError {
    /// What failed, e.g. "Wrong passphrase" or "Tampered file".
    pub title: String,
    /// Where and what happens next, e.g. "laptop.log was skipped; nothing was lost."
    pub detail: String,
}

/// Sync status beside the sync settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    /// When the last sync finished, already formatted ("Today, 14:02"), if ever.
    pub last_sync: Option<String>,
    /// Local changes not yet written to the folder.
    pub pending_changes: u32,
    /// Problems of the last sync.
    pub errors: Vec<SyncError>,
    /// A sync is running.
    pub syncing: bool,
}

/// Everything the settings page shows.
#[derive(Clone, Copy, Debug)]
pub struct SettingsView<'a> {
    /// The current settings.
    pub settings: &'a Settings,
    /// Stored site permissions.
    pub permissions: &'a [SitePermission],
    /// The endpoint connection test.
    pub connection_test: &'a ConnectionTest,
    /// Sync status.
    pub sync: &'a SyncStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_url_encodes_the_query() {
        let engine = SearchEngine::default();
        assert_eq!(
            engine.url_for("rust egui & cef"),
            "https://duckduckgo.com/?q=rust+egui+%26+cef"
        );
        let percent = SearchEngine {
            name: "X".into(),
            url_template: "https://x.test/s?q=%s".into(),
        };
        assert_eq!(percent.url_for("ä"), "https://x.test/s?q=%C3%A4");
    }
}
