//! Change events: what the shell broadcasts to every process after a write.
//!
//! Every committed change to bookmarks, history or settings — made locally or applied from
//! sync — leaves one [`Change`] in a bounded queue on the store. The shell drains it after
//! each call (or on a timer) and broadcasts each change as the IPC message
//! [`DataSync`], so a bookmark added in one window shows in every window. Events are queued
//! only when their transaction commits; a rolled-back write announces nothing.

use nexus_ipc::messages::sync::{DataSync, DataType, SyncAction};
use std::collections::VecDeque;

/// Where a change came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeOrigin {
    /// Made on this device (through the store's API).
    Local,
    /// Applied from another device's change log.
    Sync,
}

/// One committed change to a record.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The collection: bookmarks, history or settings.
    pub data_type: DataType,
    /// Added, updated or deleted.
    pub action: SyncAction,
    /// The record as JSON (for a deletion: its `guid` or `key`).
    pub record: serde_json::Value,
    /// Local or from sync.
    pub origin: ChangeOrigin,
}

impl Change {
    /// The IPC message that carries this change to the other processes.
    pub fn to_data_sync(&self) -> DataSync {
        DataSync {
            data_type: self.data_type,
            action: self.action,
            data_json: self.record.to_string(),
        }
    }
}

/// A bounded FIFO of changes. When the shell falls behind by more than the bound the oldest
/// changes are dropped and [`ChangeQueue::take_overflowed`] says so: the UI should then
/// reload everything rather than apply deltas.
#[derive(Debug)]
pub(crate) struct ChangeQueue {
    queue: VecDeque<Change>,
    cap: usize,
    overflowed: bool,
}

impl ChangeQueue {
    pub(crate) fn new(cap: usize) -> ChangeQueue {
        ChangeQueue {
            queue: VecDeque::new(),
            cap: cap.max(1),
            overflowed: false,
        }
    }

    pub(crate) fn extend(&mut self, changes: Vec<Change>) {
        for c in changes {
            if self.queue.len() == self.cap {
                self.queue.pop_front();
                self.overflowed = true;
            }
            self.queue.push_back(c);
        }
    }

    pub(crate) fn drain(&mut self) -> Vec<Change> {
        self.queue.drain(..).collect()
    }

    pub(crate) fn take_overflowed(&mut self) -> bool {
        std::mem::take(&mut self.overflowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(n: i64) -> Change {
        Change {
            data_type: DataType::Settings,
            action: SyncAction::Update,
            record: serde_json::json!({ "n": n }),
            origin: ChangeOrigin::Local,
        }
    }

    #[test]
    fn queue_drops_oldest_past_its_bound_and_reports_it_once() {
        let mut q = ChangeQueue::new(2);
        q.extend(vec![change(1), change(2), change(3)]);
        assert!(q.take_overflowed());
        assert!(!q.take_overflowed());
        let got: Vec<_> = q
            .drain()
            .into_iter()
            .map(|c| c.record["n"].as_i64().unwrap())
            .collect();
        assert_eq!(got, vec![2, 3]);
        assert!(q.drain().is_empty());
    }

    #[test]
    fn the_store_can_move_to_another_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<crate::profile::Store>();
    }

    #[test]
    fn data_sync_carries_the_record_as_json_text() {
        let msg = change(7).to_data_sync();
        assert_eq!(msg.data_type, DataType::Settings);
        assert_eq!(msg.action, SyncAction::Update);
        assert_eq!(msg.data_json, r#"{"n":7}"#);
    }
}
