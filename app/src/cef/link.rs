//! The connection between one CEF browser's callbacks and its owner.

use super::events::{BrowserEvent, TabId};
use super::paint::{FrameBuffer, Waker};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;

/// Where a browser's callbacks deliver: its tab id, its frame buffer, the owner's event
/// channel and waker, and per-browser settings the callbacks need.
pub struct BrowserLink {
    /// The tab this browser is.
    pub tab: TabId,
    /// Where paints go.
    pub frame: Arc<FrameBuffer>,
    /// Where downloads are saved.
    pub downloads_dir: PathBuf,
    events: Sender<(TabId, BrowserEvent)>,
    waker: Waker,
}

impl BrowserLink {
    /// Link tab `tab` to its owner.
    pub fn new(
        tab: TabId,
        frame: Arc<FrameBuffer>,
        downloads_dir: PathBuf,
        events: Sender<(TabId, BrowserEvent)>,
        waker: Waker,
    ) -> Arc<BrowserLink> {
        Arc::new(BrowserLink {
            tab,
            frame,
            downloads_dir,
            events,
            waker,
        })
    }

    /// Deliver an event and wake the owner. An owner that has gone away is ignored: the
    /// browser is being torn down.
    pub fn send(&self, event: BrowserEvent) {
        let _ = self.events.send((self.tab, event));
        (self.waker)();
    }
}
