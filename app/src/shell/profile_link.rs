//! The profile on its own thread.
//!
//! The SQLite store does disk I/O (a bookmark write waits for a flush; a full disk can
//! make any write slow), so it never runs on the UI thread. The shell sends jobs — closures
//! over the store — and receives [`ProfileUpdate`]s on the next frame. After every job the
//! thread drains the store's change events, so `data_sync` broadcasts and view refreshes
//! follow every write, whoever made it.

use crate::profile::{Change, Store};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

/// What a job produced, for the UI thread.
pub enum ProfileUpdate {
    /// Settings changed (or were loaded), with warnings about stored values.
    Settings(Box<crate::profile::Settings>, Vec<String>),
    /// Omnibox suggestions for `query`.
    Suggestions {
        /// The text they are for.
        query: String,
        /// Best first.
        items: Vec<crate::profile::autocomplete::Suggestion>,
    },
    /// The bookmark tree (root's children: bar, other).
    Bookmarks(Box<crate::profile::BookmarkNode>),
    /// History entries for the history page.
    History(Vec<crate::profile::HistoryEntry>),
    /// Site permissions and the never-analyze list.
    Permissions(
        Vec<crate::profile::permissions::SitePermission>,
        Vec<String>,
    ),
    /// Sync status.
    Sync(Box<crate::profile::sync::SyncStatus>, Option<String>),
    /// Records changed (for `data_sync`).
    Changes(Vec<Change>),
    /// A problem the user must hear about.
    Problem(String),
    /// Something to tell the user that is not a problem.
    Notice(String),
    /// The result of a page's `nexus.profile` query: JSON items for a waiting request.
    Query {
        /// The request it answers.
        request: crate::hub::PendingQuery,
        /// `[{title, url}]`.
        items_json: String,
    },
    /// A tab's site zoom.
    SiteZoom {
        /// The tab.
        tab: nexus_ui::model::TabId,
        /// CEF zoom level.
        level: f64,
    },
}

type Job = Box<dyn FnOnce(&mut Store) -> Vec<ProfileUpdate> + Send>;

/// The profile thread.
pub struct ProfileLink {
    jobs: Option<Sender<Job>>,
    updates: Receiver<ProfileUpdate>,
    thread: Option<JoinHandle<()>>,
}

impl ProfileLink {
    /// Move `store` to its own thread; `wake` is called after each batch of updates.
    pub fn start(store: Store, wake: crate::cef::paint::Waker) -> ProfileLink {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (update_tx, updates) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("nexus-profile".into())
            .spawn(move || serve(store, job_rx, update_tx, wake))
            .expect("spawn the profile thread");
        ProfileLink {
            jobs: Some(jobs),
            updates,
            thread: Some(thread),
        }
    }

    /// Run `job` on the profile thread.
    pub fn run(&self, job: impl FnOnce(&mut Store) -> Vec<ProfileUpdate> + Send + 'static) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Box::new(job));
        }
    }

    /// Updates produced since the last call.
    pub fn take_updates(&self) -> Vec<ProfileUpdate> {
        self.updates.try_iter().collect()
    }

    /// Finish pending jobs and close the store.
    pub fn stop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ProfileLink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve(
    mut store: Store,
    jobs: Receiver<Job>,
    updates: Sender<ProfileUpdate>,
    wake: crate::cef::paint::Waker,
) {
    for notice in store.notices().to_vec() {
        let _ = updates.send(ProfileUpdate::Problem(notice));
    }
    while let Ok(job) = jobs.recv() {
        let mut out = job(&mut store);
        let changes = store.drain_changes();
        if store.take_changes_overflowed()
            || changes
                .iter()
                .any(|c| c.data_type == nexus_ipc::messages::sync::DataType::Bookmarks)
        {
            out.extend(bookmarks(&store));
        }
        if !changes.is_empty() {
            out.push(ProfileUpdate::Changes(changes));
        }
        let _ = store.maybe_backup();
        let any = !out.is_empty();
        for update in out {
            let _ = updates.send(update);
        }
        if any {
            wake();
        }
    }
    if let Err(err) = store.close() {
        tracing::warn!("closing the profile: {err}");
    }
}

/// The bookmark tree, or the problem reading it.
pub fn bookmarks(store: &Store) -> Vec<ProfileUpdate> {
    vec![match store.bookmark_tree(crate::profile::ROOT_GUID) {
        Ok(tree) => ProfileUpdate::Bookmarks(Box::new(tree)),
        Err(err) => ProfileUpdate::Problem(err.to_string()),
    }]
}

/// Turn a store result into updates: the value's, or a problem.
pub fn or_problem<T>(
    result: crate::profile::Result<T>,
    ok: impl FnOnce(T) -> Vec<ProfileUpdate>,
) -> Vec<ProfileUpdate> {
    match result {
        Ok(v) => ok(v),
        Err(err) => vec![ProfileUpdate::Problem(err.to_string())],
    }
}
