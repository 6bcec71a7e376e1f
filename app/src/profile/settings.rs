//! Settings: typed, with defaults and validation, stored one row per key.
//!
//! One row per key (JSON value) rather than one blob so that sync merges settings key by
//! key, and so that a value written by a newer Nexus, or damaged, spoils only itself.
//! Reading is forgiving, as alacritty's config is: a stored value that fails validation
//! keeps the default and a [`SettingWarning`] says which key, what was wrong and what is
//! used instead. Writing is strict: [`Store::set_setting`] refuses an invalid value with
//! the same words.

use super::changes::{Change, ChangeOrigin};
use super::error::{ProfileError, Result};
use super::store::{Durability, Store};
use super::tombstones;
use nexus_ipc::messages::sync::{DataType, SyncAction};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// What values a setting accepts.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// true or false.
    Bool,
    /// One of these strings.
    Choice(&'static [&'static str]),
    /// A number in `[min, max]`.
    Number {
        /// Smallest accepted.
        min: f64,
        /// Largest accepted.
        max: f64,
    },
    /// Text of at most this many characters.
    Text(usize),
    /// A web address (http, https, nexus, about, file).
    Url,
    /// Empty, or an http(s) address.
    OptionalHttpUrl,
    /// A list of web addresses (at most 50).
    UrlList,
    /// Empty (the platform default), or an absolute folder path.
    Folder,
    /// Empty, or an http(s) address containing `%s` where the search terms go.
    SearchTemplate,
}

/// A setting's definition.
#[derive(Clone, Copy, Debug)]
pub struct SettingDef {
    /// The key, `section.name`.
    pub key: &'static str,
    /// Accepted values.
    pub kind: Kind,
    /// The default, as JSON text.
    pub default: &'static str,
    /// Whether the value travels to the user's other devices.
    pub synced: bool,
}

const fn def(key: &'static str, kind: Kind, default: &'static str, synced: bool) -> SettingDef {
    SettingDef {
        key,
        kind,
        default,
        synced,
    }
}

/// Every setting Nexus knows.
pub const DEFINITIONS: &[SettingDef] = &[
    def("general.home_page", Kind::Url, r#""nexus://newtab""#, true),
    def(
        "general.search_engine",
        Kind::Choice(&[
            "duckduckgo",
            "google",
            "bing",
            "startpage",
            "ecosia",
            "custom",
        ]),
        r#""duckduckgo""#,
        true,
    ),
    def(
        "general.custom_search_url",
        Kind::SearchTemplate,
        r#""""#,
        true,
    ),
    def(
        "general.startup",
        Kind::Choice(&["new_tab", "restore_session", "pages"]),
        r#""restore_session""#,
        true,
    ),
    def("general.startup_pages", Kind::UrlList, "[]", true),
    def(
        "appearance.theme",
        Kind::Choice(&["system", "light", "dark"]),
        r#""system""#,
        true,
    ),
    def(
        "appearance.default_zoom",
        Kind::Number {
            min: 0.25,
            max: 5.0,
        },
        "1.0",
        true,
    ),
    def("appearance.show_bookmarks_bar", Kind::Bool, "true", true),
    def("privacy.history_enabled", Kind::Bool, "true", true),
    def("privacy.do_not_track", Kind::Bool, "false", true),
    def(
        "ai.provider",
        Kind::Choice(&["local", "openai_compatible"]),
        r#""local""#,
        true,
    ),
    def("ai.base_url", Kind::OptionalHttpUrl, r#""""#, true),
    def("ai.model", Kind::Text(200), r#""""#, true),
    def("ai.api_key", Kind::Text(500), r#""""#, false),
    def("ai.auto_analyze", Kind::Bool, "false", true),
    def("downloads.folder", Kind::Folder, r#""""#, false),
    def("downloads.ask_where", Kind::Bool, "false", true),
    def("sync.enabled", Kind::Bool, "false", false),
    def("sync.folder", Kind::Folder, r#""""#, false),
    def("sync.device_name", Kind::Text(100), r#""""#, false),
];

/// The definition of `key`.
pub fn definition(key: &str) -> Option<&'static SettingDef> {
    DEFINITIONS.iter().find(|d| d.key == key)
}

fn default_value(d: &SettingDef) -> Value {
    serde_json::from_str(d.default).expect("setting defaults are valid JSON")
}

fn is_web_url(s: &str, schemes: &[&str]) -> bool {
    super::util::url_parts(s).is_some_and(|p| {
        schemes.contains(&p.scheme.as_str())
            && (p.scheme != "http" && p.scheme != "https" || !p.host.is_empty())
    })
}

const WEB: &[&str] = &["http", "https", "nexus", "about", "file"];
const HTTP: &[&str] = &["http", "https"];

/// Check `value` against `kind`; on failure, say what is wrong in words.
pub fn validate(kind: Kind, value: &Value) -> std::result::Result<Value, String> {
    match (kind, value) {
        (Kind::Bool, Value::Bool(_)) => Ok(value.clone()),
        (Kind::Bool, _) => Err("is not true or false".into()),
        (Kind::Choice(options), Value::String(s)) if options.contains(&s.as_str()) => {
            Ok(value.clone())
        }
        (Kind::Choice(options), _) => Err(format!("is not one of {}", options.join(", "))),
        (Kind::Number { min, max }, Value::Number(n))
            if n.as_f64()
                .is_some_and(|x| x.is_finite() && (min..=max).contains(&x)) =>
        {
            Ok(value.clone())
        }
        (Kind::Number { min, max }, _) => Err(format!("is not a number from {min} to {max}")),
        (Kind::Text(max), Value::String(s)) if s.chars().count() <= max => Ok(value.clone()),
        (Kind::Text(max), Value::String(_)) => Err(format!("is longer than {max} characters")),
        (Kind::Text(_), _) => Err("is not text".into()),
        (Kind::Url, Value::String(s)) if is_web_url(s, WEB) => Ok(value.clone()),
        (Kind::Url, _) => {
            Err("is not a web address (http://, https://, nexus:, about: or file:)".into())
        }
        (Kind::OptionalHttpUrl, Value::String(s)) if s.is_empty() || is_web_url(s, HTTP) => {
            Ok(value.clone())
        }
        (Kind::OptionalHttpUrl, _) => Err("is not empty or an http:// or https:// address".into()),
        (Kind::UrlList, Value::Array(items)) if items.len() <= 50 => {
            for (i, item) in items.iter().enumerate() {
                validate(Kind::Url, item)
                    .map_err(|why| format!("has an entry {} that {why}", i + 1))?;
            }
            Ok(value.clone())
        }
        (Kind::UrlList, _) => Err("is not a list of at most 50 web addresses".into()),
        (Kind::Folder, Value::String(s))
            if s.is_empty() || std::path::Path::new(s).is_absolute() =>
        {
            Ok(value.clone())
        }
        (Kind::Folder, _) => Err("is not empty or an absolute folder path".into()),
        (Kind::SearchTemplate, Value::String(s))
            if s.is_empty() || (is_web_url(s, HTTP) && s.contains("%s")) =>
        {
            Ok(value.clone())
        }
        (Kind::SearchTemplate, _) => {
            Err("is not an http(s) address with %s where the search terms go".into())
        }
    }
}

/// Why a stored value was not used.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingWarning {
    /// The key.
    pub key: String,
    /// A sentence for the user.
    pub message: String,
}

/// The home page and start-up behaviour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct General {
    /// The home page.
    pub home_page: String,
    /// The search engine's name.
    pub search_engine: String,
    /// The template for the "custom" search engine.
    pub custom_search_url: String,
    /// "new_tab", "restore_session" or "pages".
    pub startup: String,
    /// The pages to open when `startup` is "pages".
    pub startup_pages: Vec<String>,
}

/// Look.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appearance {
    /// "system", "light" or "dark".
    pub theme: String,
    /// Zoom of sites without their own zoom.
    pub default_zoom: f64,
    /// Whether the bookmarks bar shows.
    pub show_bookmarks_bar: bool,
}

/// Privacy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Privacy {
    /// Whether visits are recorded.
    pub history_enabled: bool,
    /// Whether to send Do-Not-Track.
    pub do_not_track: bool,
}

/// The AI sidebar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ai {
    /// "local" or "openai_compatible".
    pub provider: String,
    /// The endpoint of an OpenAI-compatible server.
    pub base_url: String,
    /// The model name.
    pub model: String,
    /// The API key (never synced).
    pub api_key: String,
    /// Analyse pages without being asked.
    pub auto_analyze: bool,
}

/// Downloads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Downloads {
    /// The folder ("" for the platform's Downloads folder).
    pub folder: String,
    /// Ask where to save each download.
    pub ask_where: bool,
}

/// Sync between devices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncSettings {
    /// Whether sync runs.
    pub enabled: bool,
    /// The shared folder.
    pub folder: String,
    /// This device's name as the other devices show it.
    pub device_name: String,
}

/// All settings, typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// General.
    pub general: General,
    /// Appearance.
    pub appearance: Appearance,
    /// Privacy.
    pub privacy: Privacy,
    /// AI.
    pub ai: Ai,
    /// Downloads.
    pub downloads: Downloads,
    /// Sync.
    pub sync: SyncSettings,
}

/// Build typed settings from stored `(key, JSON text)` rows; bad values keep their default.
pub fn from_rows(
    rows: impl IntoIterator<Item = (String, String)>,
) -> (Settings, Vec<SettingWarning>) {
    let mut values: Vec<Value> = DEFINITIONS.iter().map(default_value).collect();
    let mut warnings = Vec::new();
    for (key, text) in rows {
        let Some(i) = DEFINITIONS.iter().position(|d| d.key == key) else {
            warnings.push(SettingWarning {
                message: format!(
                    "setting \"{key}\" is not known to this version of Nexus and is ignored"
                ),
                key,
            });
            continue;
        };
        let d = &DEFINITIONS[i];
        let verdict = serde_json::from_str::<Value>(&text)
            .map_err(|_| "is not valid JSON".to_string())
            .and_then(|v| validate(d.kind, &v));
        match verdict {
            Ok(v) => values[i] = v,
            Err(why) => warnings.push(SettingWarning {
                message: format!(
                    "setting \"{key}\": the stored value {} {why}; using the default {}",
                    text.chars().take(80).collect::<String>(),
                    d.default
                ),
                key,
            }),
        }
    }
    let mut tree = serde_json::Map::new();
    for (d, v) in DEFINITIONS.iter().zip(values) {
        let (section, name) = d.key.split_once('.').expect("keys are section.name");
        let entry = tree.entry(section).or_insert_with(|| json!({}));
        entry[name] = v;
    }
    let settings =
        serde_json::from_value(Value::Object(tree)).expect("definitions match the Settings struct");
    (settings, warnings)
}

impl Store {
    /// All settings, with a warning for every stored value that could not be used.
    pub fn settings(&self) -> Result<(Settings, Vec<SettingWarning>)> {
        let rows: Vec<(String, String)> = self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT key, value FROM settings ORDER BY key")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })?;
        Ok(from_rows(rows))
    }

    /// Set one setting; an invalid value is refused with a sentence saying why.
    pub fn set_setting(&mut self, key: &str, value: Value) -> Result<()> {
        let d = definition(key)
            .ok_or_else(|| ProfileError::Invalid(format!("there is no setting \"{key}\"")))?;
        let value = validate(d.kind, &value).map_err(|why| {
            ProfileError::Invalid(format!("setting \"{key}\": the value {value} {why}"))
        })?;
        self.write(Durability::Full, |tx| {
            let text = value.to_string();
            let old: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [key],
                |r| r.get(0),
            ))?;
            if old.as_deref() == Some(text.as_str()) {
                return Ok(());
            }
            // A value set after a reset that another device made must out-date its tombstone.
            let modified = match tombstones::get(&tx.tx, tombstones::SETTINGS, key)? {
                Some((deleted_ms, _)) => tx.version_after(deleted_ms),
                None => tx.now,
            };
            tx.execute(
                "INSERT INTO settings (key, value, modified_ms, modified_by, change_counter) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, modified_ms = max(excluded.modified_ms, settings.modified_ms + 1),
                   modified_by = excluded.modified_by, change_counter = change_counter + excluded.change_counter",
                params![key, text, modified, tx.device, i64::from(d.synced)],
            )?;
            tombstones::remove(&tx.tx, tombstones::SETTINGS, key)?;
            let action = if old.is_some() { SyncAction::Update } else { SyncAction::Add };
            tx.changes.push(Change {
                data_type: DataType::Settings,
                action,
                record: json!({ "key": key, "value": value }),
                origin: ChangeOrigin::Local,
            });
            Ok(())
        })
    }

    /// Put a setting back to its default.
    pub fn reset_setting(&mut self, key: &str) -> Result<()> {
        let d = definition(key)
            .ok_or_else(|| ProfileError::Invalid(format!("there is no setting \"{key}\"")))?;
        self.write(Durability::Full, |tx| {
            let replaced: Option<i64> = rusqlite::OptionalExtension::optional(tx.query_row(
                "SELECT modified_ms FROM settings WHERE key = ?1",
                [key],
                |r| r.get(0),
            ))?;
            if let Some(replaced) = replaced {
                tx.execute("DELETE FROM settings WHERE key = ?1", [key])?;
                if d.synced {
                    tombstones::add(tx, tombstones::SETTINGS, key, replaced)?;
                }
                tx.changes.push(Change {
                    data_type: DataType::Settings,
                    action: SyncAction::Delete,
                    record: json!({ "key": key, "value": default_value(d) }),
                    origin: ChangeOrigin::Local,
                });
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_the_typed_struct_and_pass_their_own_validation() {
        for d in DEFINITIONS {
            assert!(
                validate(d.kind, &default_value(d)).is_ok(),
                "default of {} is invalid",
                d.key
            );
        }
        let (s, warnings) = from_rows([]);
        assert!(warnings.is_empty());
        assert_eq!(s.appearance.theme, "system");
        assert_eq!(s.appearance.default_zoom, 1.0);
        assert_eq!(s.general.home_page, "nexus://newtab");
    }

    #[test]
    fn bad_stored_values_keep_the_default_and_say_why() {
        let rows = vec![
            ("appearance.theme".to_string(), r#""purple""#.to_string()),
            ("appearance.default_zoom".to_string(), "9".to_string()),
            ("ai.auto_analyze".to_string(), "{not json".to_string()),
            (
                "general.startup_pages".to_string(),
                r#"["https://ok.example", "javascript:alert(1)"]"#.to_string(),
            ),
            ("future.feature".to_string(), "1".to_string()),
            ("privacy.do_not_track".to_string(), "true".to_string()),
        ];
        let (s, w) = from_rows(rows);
        assert_eq!(s.appearance.theme, "system");
        assert_eq!(s.appearance.default_zoom, 1.0);
        assert!(!s.ai.auto_analyze);
        assert!(s.general.startup_pages.is_empty());
        assert!(s.privacy.do_not_track, "a good value is used");
        let messages: Vec<&str> = w.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                r#"setting "appearance.theme": the stored value "purple" is not one of system, light, dark; using the default "system""#,
                r#"setting "appearance.default_zoom": the stored value 9 is not a number from 0.25 to 5; using the default 1.0"#,
                r#"setting "ai.auto_analyze": the stored value {not json is not valid JSON; using the default false"#,
                r#"setting "general.startup_pages": the stored value ["https://ok.example", "javascript:alert(1)"] has an entry 2 that is not a web address (http://, https://, nexus:, about: or file:); using the default []"#,
                r#"setting "future.feature" is not known to this version of Nexus and is ignored"#,
            ]
        );
    }

    #[test]
    fn validation_accepts_good_values() {
        assert!(validate(Kind::SearchTemplate, &json!("https://s.example/?q=%s")).is_ok());
        assert!(validate(Kind::SearchTemplate, &json!("https://s.example/")).is_err());
        assert!(validate(Kind::OptionalHttpUrl, &json!("")).is_ok());
        assert!(validate(Kind::OptionalHttpUrl, &json!("ftp://x")).is_err());
        assert!(
            validate(
                Kind::Number {
                    min: 0.25,
                    max: 5.0
                },
                &json!(1.5)
            )
            .is_ok()
        );
        assert!(validate(Kind::Text(3), &json!("abcd")).is_err());
    }
}
