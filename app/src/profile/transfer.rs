//! Bookmark import and export: bookmark files, other browsers, and the CLI entry points.
//!
//! Every source is first read into a [`Node`] tree; [`import_nodes`] then merges it into the
//! store in one transaction, so an import is all or nothing. The bar and "Other bookmarks"
//! of the source land in ours; anything else at the top goes into "Other bookmarks".
//! Importing is idempotent: a folder with the same title is merged into, and a bookmark
//! with the same URL and title in the same folder is skipped, so importing the same file
//! twice adds nothing the second time.
//!
//! `nexus bookmarks import FILE --profile DIR` and `nexus bookmarks export FILE --profile
//! DIR` call [`cli_import`] and [`cli_export`] and print the summary they return.

use super::bookmarks::{
    self, BookmarkKind, BookmarkNode, NewItem, OTHER_GUID, ROOT_GUID, TOOLBAR_GUID,
};
use super::browsers::{BrowserKind, FoundProfile, chrome, firefox};
use super::error::{ProfileError, Result};
use super::netscape::{self, Node};
use super::store::{Durability, OpenOptions, Store, Tx};
use rusqlite::{OptionalExtension, params};
use std::fmt;
use std::path::Path;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportSummary {
    /// Where the bookmarks came from (a file, or "Firefox (default-release)").
    pub source: String,
    /// Bookmarks added.
    pub bookmarks: usize,
    /// Folders added.
    pub folders: usize,
    /// Bookmarks already present (same URL and title in the same folder), not added again.
    pub duplicates: usize,
    /// Entries that could not be imported (no usable URL, too long).
    pub invalid: usize,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Imported {} bookmarks in {} new folders from {}",
            self.bookmarks, self.folders, self.source
        )?;
        if self.duplicates > 0 {
            write!(f, "; {} already present were skipped", self.duplicates)?;
        }
        if self.invalid > 0 {
            write!(f, "; {} invalid entries were skipped", self.invalid)?;
        }
        write!(f, ".")
    }
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportSummary {
    /// The file written.
    pub path: std::path::PathBuf,
    /// Bookmarks written.
    pub bookmarks: usize,
    /// Folders written (not counting the bar and "Other bookmarks").
    pub folders: usize,
}

impl fmt::Display for ExportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Exported {} bookmarks in {} folders to {}.",
            self.bookmarks,
            self.folders,
            self.path.display()
        )
    }
}

fn existing_child(
    tx: &Tx<'_>,
    parent: &str,
    kind: i64,
    title: &str,
    url: Option<&str>,
) -> Result<Option<String>> {
    // Bookmarks are found through the URL index, folders among the parent's children.
    let sql = if url.is_some() {
        "SELECT guid FROM bookmarks INDEXED BY bookmarks_url WHERE url = ?4 AND kind = ?2 AND title = ?3
           AND parent_id = (SELECT id FROM bookmarks WHERE guid = ?1) LIMIT 1"
    } else {
        "SELECT guid FROM bookmarks WHERE parent_id = (SELECT id FROM bookmarks WHERE guid = ?1)
           AND kind = ?2 AND title = ?3 AND url IS ?4 LIMIT 1"
    };
    Ok(tx
        .query_row(sql, params![parent, kind, title, url], |r| r.get(0))
        .optional()?)
}

fn import_into(
    tx: &mut Tx<'_>,
    parent: &str,
    nodes: &[Node],
    sum: &mut ImportSummary,
) -> Result<()> {
    for node in nodes {
        match node {
            Node::Link {
                title,
                url,
                added_ms,
            } => {
                if bookmarks::check_url(url).is_err() || title.len() > 4096 {
                    sum.invalid += 1;
                } else if existing_child(tx, parent, 1, title, Some(url))?.is_some() {
                    sum.duplicates += 1;
                } else {
                    let item = NewItem {
                        guid: None,
                        kind: BookmarkKind::Bookmark,
                        title,
                        url: Some(url),
                        created_ms: *added_ms,
                    };
                    bookmarks::insert(tx, parent, None, item)?;
                    sum.bookmarks += 1;
                }
            }
            Node::Folder {
                title,
                added_ms,
                toolbar,
                unfiled,
                children,
            } => {
                let target = if *toolbar && parent == ROOT_GUID {
                    TOOLBAR_GUID.to_string()
                } else if *unfiled && parent == ROOT_GUID {
                    OTHER_GUID.to_string()
                } else {
                    let host = if parent == ROOT_GUID {
                        OTHER_GUID
                    } else {
                        parent
                    };
                    match existing_child(tx, host, 2, title, None)? {
                        Some(guid) => guid,
                        None if title.len() > 4096 => {
                            sum.invalid += 1;
                            continue;
                        }
                        None => {
                            sum.folders += 1;
                            let item = NewItem {
                                guid: None,
                                kind: BookmarkKind::Folder,
                                title,
                                url: None,
                                created_ms: *added_ms,
                            };
                            bookmarks::insert(tx, host, None, item)?
                        }
                    }
                };
                import_into(tx, &target, children, sum)?;
            }
        }
    }
    Ok(())
}

/// Merge a tree of bookmarks into the store in one transaction.
pub fn import_nodes(store: &mut Store, nodes: &[Node], source: &str) -> Result<ImportSummary> {
    let mut sum = ImportSummary {
        source: source.into(),
        ..Default::default()
    };
    // Top-level links have no folder of their own: they go to "Other bookmarks".
    let wrapped: Vec<Node> = nodes
        .iter()
        .map(|n| match n {
            Node::Link { .. } => Node::Folder {
                title: String::new(),
                added_ms: None,
                toolbar: false,
                unfiled: true,
                children: vec![n.clone()],
            },
            folder => folder.clone(),
        })
        .collect();
    store.write(Durability::Full, |tx| {
        import_into(tx, ROOT_GUID, &wrapped, &mut sum)
    })?;
    store.maybe_backup()?;
    Ok(sum)
}

/// Import a Netscape bookmark HTML file.
pub fn import_html_file(store: &mut Store, file: &Path) -> Result<ImportSummary> {
    let bytes =
        std::fs::read(file).map_err(|e| ProfileError::io("read the bookmark file", file, e))?;
    let text = String::from_utf8_lossy(&bytes);
    let nodes = netscape::parse(&text).map_err(|detail| ProfileError::Format {
        path: file.into(),
        format: "Netscape bookmark HTML",
        detail,
    })?;
    import_nodes(store, &nodes, &file.display().to_string())
}

fn to_node(n: &BookmarkNode, count: &mut (usize, usize)) -> Node {
    let b = &n.item;
    match b.kind {
        BookmarkKind::Bookmark => {
            count.0 += 1;
            Node::Link {
                title: b.title.clone(),
                url: b.url.clone().unwrap_or_default(),
                added_ms: Some(b.created_ms),
            }
        }
        BookmarkKind::Folder => {
            let (toolbar, unfiled) = (b.guid == TOOLBAR_GUID, b.guid == OTHER_GUID);
            if !toolbar && !unfiled {
                count.1 += 1;
            }
            Node::Folder {
                title: b.title.clone(),
                added_ms: Some(b.created_ms),
                toolbar,
                unfiled,
                children: n.children.iter().map(|c| to_node(c, count)).collect(),
            }
        }
    }
}

/// Export all bookmarks to a Netscape bookmark HTML file (written atomically).
pub fn export_html_file(store: &Store, file: &Path) -> Result<ExportSummary> {
    let tree = store.bookmark_tree(ROOT_GUID)?;
    let mut count = (0, 0);
    let top: Vec<Node> = tree
        .children
        .iter()
        .map(|c| to_node(c, &mut count))
        .collect();
    super::backup::write_atomically(
        file,
        netscape::write(&top).as_bytes(),
        "write the bookmark file",
    )?;
    Ok(ExportSummary {
        path: file.into(),
        bookmarks: count.0,
        folders: count.1,
    })
}

/// Import the bookmarks of another browser's profile found by
/// [`find_profiles`](super::browsers::find_profiles).
pub fn import_from_browser(store: &mut Store, found: &FoundProfile) -> Result<ImportSummary> {
    let (format, nodes) = match found.kind {
        BrowserKind::Chromium => {
            let text = std::fs::read_to_string(&found.path)
                .map_err(|e| ProfileError::io("read the bookmarks of", &found.path, e))?;
            ("Chrome Bookmarks JSON", chrome::parse(&text))
        }
        BrowserKind::Firefox => (
            "Firefox places.sqlite",
            firefox::read_places_file(&found.path),
        ),
    };
    let nodes = nodes.map_err(|detail| ProfileError::Format {
        path: found.path.clone(),
        format,
        detail,
    })?;
    // Keep the other browser's bar and "other" apart from ours, in a folder named for it.
    let folder = Node::Folder {
        title: format!("Imported from {}", found.browser),
        added_ms: None,
        toolbar: false,
        unfiled: false,
        children: nodes.into_iter().map(strip_root_flags).collect(),
    };
    import_nodes(
        store,
        &[folder],
        &format!("{} ({})", found.browser, found.profile),
    )
}

fn strip_root_flags(n: Node) -> Node {
    match n {
        Node::Folder {
            title,
            added_ms,
            children,
            ..
        } => Node::Folder {
            title,
            added_ms,
            toolbar: false,
            unfiled: false,
            children,
        },
        link => link,
    }
}

fn tool_store(profile_dir: &Path) -> Result<Store> {
    Store::open_with(
        profile_dir,
        OpenOptions {
            browser: false,
            ..OpenOptions::default()
        },
    )
}

/// `nexus bookmarks import FILE --profile DIR`.
pub fn cli_import(profile_dir: &Path, file: &Path) -> Result<ImportSummary> {
    let mut store = tool_store(profile_dir)?;
    let sum = import_html_file(&mut store, file)?;
    store.close()?;
    Ok(sum)
}

/// `nexus bookmarks export FILE --profile DIR`.
pub fn cli_export(profile_dir: &Path, file: &Path) -> Result<ExportSummary> {
    let store = tool_store(profile_dir)?;
    let sum = export_html_file(&store, file)?;
    store.close()?;
    Ok(sum)
}
