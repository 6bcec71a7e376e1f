//! Firefox bookmarks: `moz_bookmarks` joined with `moz_places` in a profile's `places.sqlite`.
//!
//! Firefox keeps the database open (and locked) while it runs, so the file and its WAL are
//! copied to a temporary folder and the copy is read. Item types: 1 bookmark, 2 folder,
//! 3 separator (skipped); roots by GUID (`toolbar_____`, `unfiled_____`, `menu________`,
//! `mobile______`; `tags________` is skipped); dates in microseconds.

use super::{BrowserKind, FoundProfile};
use crate::profile::netscape::Node;
use crate::profile::util::new_guid;
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Profiles listed in `profiles.ini` under a Firefox folder that have `places.sqlite`.
pub fn profiles_in(browser: &str, root: &Path) -> Vec<FoundProfile> {
    let Ok(ini) = std::fs::read_to_string(root.join("profiles.ini")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut section: HashMap<String, String> = HashMap::new();
    let mut flush = |section: &mut HashMap<String, String>| {
        if let Some(path) = section.get("Path") {
            let relative = section.get("IsRelative").is_none_or(|v| v == "1");
            let dir = if relative {
                root.join(path)
            } else {
                PathBuf::from(path)
            };
            let places = dir.join("places.sqlite");
            if places.is_file() {
                let name = section.get("Name").cloned().unwrap_or_else(|| path.clone());
                out.push(FoundProfile {
                    browser: browser.into(),
                    profile: name,
                    kind: BrowserKind::Firefox,
                    path: places,
                });
            }
        }
        section.clear();
    };
    for line in ini.lines().map(str::trim) {
        if line.starts_with('[') {
            flush(&mut section);
        } else if let Some((k, v)) = line.split_once('=') {
            section.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    flush(&mut section);
    out
}

struct Item {
    kind: i64,
    parent: i64,
    title: String,
    added_ms: Option<i64>,
    guid: String,
    url: Option<String>,
}

fn build(
    id: i64,
    items: &HashMap<i64, Item>,
    children: &HashMap<i64, Vec<i64>>,
    depth: usize,
) -> Vec<Node> {
    if depth > 64 {
        return Vec::new();
    }
    children
        .get(&id)
        .map(|kids| {
            kids.iter()
                .filter_map(|k| {
                    let it = items.get(k)?;
                    match (it.kind, &it.url) {
                        (1, Some(url)) if !url.starts_with("place:") => Some(Node::Link {
                            title: it.title.clone(),
                            url: url.clone(),
                            added_ms: it.added_ms,
                        }),
                        (2, _) => Some(Node::Folder {
                            title: it.title.clone(),
                            added_ms: it.added_ms,
                            toolbar: false,
                            unfiled: false,
                            children: build(*k, items, children, depth + 1),
                        }),
                        _ => None,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Read the bookmark tree of an open `places.sqlite`.
pub fn read_places(conn: &Connection) -> rusqlite::Result<Vec<Node>> {
    let mut stmt = conn.prepare(
        "SELECT b.id, b.type, b.parent, b.title, b.dateAdded, b.guid, p.url
         FROM moz_bookmarks b LEFT JOIN moz_places p ON p.id = b.fk ORDER BY b.parent, b.position",
    )?;
    let mut items = HashMap::new();
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            Item {
                kind: r.get(1)?,
                parent: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                title: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                added_ms: r.get::<_, Option<i64>>(4)?.map(|us| us / 1000),
                guid: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                url: r.get(6)?,
            },
        ))
    })?;
    for row in rows {
        let (id, item) = row?;
        children.entry(item.parent).or_default().push(id);
        items.insert(id, item);
    }
    let root = |guid: &str| {
        items
            .iter()
            .find(|(_, it)| it.guid == guid)
            .map(|(id, it)| (*id, it))
    };
    let mut out = Vec::new();
    for (guid, toolbar, unfiled, fallback) in [
        ("toolbar_____", true, false, "Bookmarks Toolbar"),
        ("unfiled_____", false, true, "Other Bookmarks"),
        ("menu________", false, false, "Bookmarks Menu"),
        ("mobile______", false, false, "Mobile Bookmarks"),
    ] {
        if let Some((id, it)) = root(guid) {
            let kids = build(id, &items, &children, 0);
            if kids.is_empty() && !toolbar && !unfiled {
                continue;
            }
            // Firefox stores internal names ("toolbar", "unfiled") as root titles.
            out.push(Node::Folder {
                title: fallback.to_string(),
                added_ms: it.added_ms,
                toolbar,
                unfiled,
                children: kids,
            });
        }
    }
    Ok(out)
}

/// Copy `places.sqlite` (with its WAL) aside and read the copy's bookmarks.
pub fn read_places_file(places: &Path) -> Result<Vec<Node>, String> {
    let tmp = std::env::temp_dir().join(format!("nexus-firefox-import-{}", new_guid()));
    let result = (|| {
        std::fs::create_dir_all(&tmp)
            .map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
        let copy = tmp.join("places.sqlite");
        std::fs::copy(places, &copy).map_err(|e| format!("cannot copy it: {e}"))?;
        let wal = places.with_file_name("places.sqlite-wal");
        if wal.is_file() {
            std::fs::copy(&wal, tmp.join("places.sqlite-wal"))
                .map_err(|e| format!("cannot copy its WAL: {e}"))?;
        }
        let conn = Connection::open_with_flags(
            &copy,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| e.to_string())?;
        read_places(&conn).map_err(|e| format!("not a Firefox places database ({e})"))
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}
