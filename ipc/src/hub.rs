//! Process router and event bus: peers with ids and process kinds; send to one, to every
//! peer of a kind, or to all; local subscribers plus broadcast to peers.
//!
//! A peer is anything that can take an encoded message: an async [`crate::Peer`] handle, a
//! sans-IO connection, or (in the shell) a CEF browser whose process messages carry
//! envelopes. The hub only knows the [`PeerSink`] trait.

use crate::envelope::{Envelope, encode_body};
use crate::error::SendError;
use crate::messages::Message;
use crate::{Kind, PeerId, ProcessKind};
use std::collections::{BTreeMap, HashMap};

/// Something a message can be delivered to.
pub trait PeerSink {
    /// Deliver a fire-and-forget message of `kind`.
    fn deliver(&mut self, kind: Kind, body: &[u8]) -> Result<(), SendError>;
}

/// Which peers a message goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// One peer.
    Peer(PeerId),
    /// Every peer of a process kind.
    Kind(ProcessKind),
    /// Every peer.
    All,
}

/// The peers of this process.
pub struct Hub<S> {
    peers: BTreeMap<PeerId, (ProcessKind, S)>,
    next: PeerId,
}

impl<S> Default for Hub<S> {
    fn default() -> Self {
        Hub {
            peers: BTreeMap::new(),
            next: 1,
        }
    }
}

impl<S: PeerSink> Hub<S> {
    /// An empty hub.
    pub fn new() -> Hub<S> {
        Hub::default()
    }

    /// Add a peer; returns its id.
    pub fn add(&mut self, kind: ProcessKind, sink: S) -> PeerId {
        let id = self.next;
        self.next += 1;
        self.peers.insert(id, (kind, sink));
        id
    }

    /// Remove a peer (it disconnected).
    pub fn remove(&mut self, id: PeerId) -> Option<S> {
        self.peers.remove(&id).map(|(_, s)| s)
    }

    /// A peer's process kind.
    pub fn kind_of(&self, id: PeerId) -> Option<ProcessKind> {
        self.peers.get(&id).map(|(k, _)| *k)
    }

    /// A peer's sink.
    pub fn get_mut(&mut self, id: PeerId) -> Option<&mut S> {
        self.peers.get_mut(&id).map(|(_, s)| s)
    }

    /// Ids of the peers of one kind.
    pub fn peers_of(&self, kind: ProcessKind) -> Vec<PeerId> {
        self.peers
            .iter()
            .filter(|(_, (k, _))| *k == kind)
            .map(|(id, _)| *id)
            .collect()
    }

    /// Number of peers.
    pub fn len(&self) -> usize {
        self.peers.len()
    }

    /// Whether there are no peers.
    pub fn is_empty(&self) -> bool {
        self.peers.is_empty()
    }

    /// Send `msg` to `to`; returns the peers that took it and the failures.
    pub fn send<M: Message>(&mut self, to: Audience, msg: &M) -> Delivery {
        self.send_raw(to, M::KIND, &encode_body(msg))
    }

    /// [`Hub::send`] with an encoded body.
    pub fn send_raw(&mut self, to: Audience, kind: Kind, body: &[u8]) -> Delivery {
        let mut d = Delivery::default();
        for (id, (pk, sink)) in self.peers.iter_mut() {
            let included = match to {
                Audience::Peer(p) => p == *id,
                Audience::Kind(k) => k == *pk,
                Audience::All => true,
            };
            if included {
                match sink.deliver(kind, body) {
                    Ok(()) => d.delivered.push(*id),
                    Err(e) => d.failed.push((*id, e)),
                }
            }
        }
        if let (Audience::Peer(p), true) = (to, d.delivered.is_empty() && d.failed.is_empty()) {
            d.failed.push((
                p,
                SendError::Closed(crate::CloseCause::Local(format!("no peer {p}"))),
            ));
        }
        d
    }
}

/// Who received a message.
#[derive(Debug, Default, PartialEq)]
pub struct Delivery {
    /// Peers that took it.
    pub delivered: Vec<PeerId>,
    /// Peers that could not, and why.
    pub failed: Vec<(PeerId, SendError)>,
}

/// A subscription, for [`EventBus::unsubscribe`].
pub type SubscriptionId = u64;

type Subscriber = Box<dyn FnMut(&Envelope) + Send>;

/// Local subscribers by kind; publishing also broadcasts to peers through a hub.
#[derive(Default)]
pub struct EventBus {
    subs: HashMap<Kind, Vec<(SubscriptionId, Subscriber)>>,
    next: SubscriptionId,
}

impl EventBus {
    /// An empty bus.
    pub fn new() -> EventBus {
        EventBus::default()
    }

    /// Call `f` with every event of type `M` (local or from peers); undecodable ones are
    /// skipped.
    pub fn subscribe<M: Message>(
        &mut self,
        mut f: impl FnMut(M) + Send + 'static,
    ) -> SubscriptionId {
        self.subscribe_raw(M::KIND, move |env| {
            if let Ok(m) = env.body::<M>() {
                f(m);
            }
        })
    }

    /// Call `f` with every envelope of `kind`.
    pub fn subscribe_raw(
        &mut self,
        kind: Kind,
        f: impl FnMut(&Envelope) + Send + 'static,
    ) -> SubscriptionId {
        self.next += 1;
        self.subs
            .entry(kind)
            .or_default()
            .push((self.next, Box::new(f)));
        self.next
    }

    /// Remove a subscription.
    pub fn unsubscribe(&mut self, id: SubscriptionId) -> bool {
        let mut found = false;
        for v in self.subs.values_mut() {
            let before = v.len();
            v.retain(|(i, _)| *i != id);
            found |= v.len() != before;
        }
        found
    }

    /// Deliver an event to local subscribers only (e.g. one that arrived from a peer).
    /// Returns how many subscribers saw it.
    pub fn deliver_local(&mut self, env: &Envelope) -> usize {
        match self.subs.get_mut(&env.kind) {
            Some(v) => {
                v.iter_mut().for_each(|(_, f)| f(env));
                v.len()
            }
            None => 0,
        }
    }

    /// Publish: local subscribers, then every peer in `to`.
    pub fn publish<M: Message, S: PeerSink>(
        &mut self,
        msg: &M,
        hub: &mut Hub<S>,
        to: Audience,
    ) -> Delivery {
        let body = encode_body(msg);
        self.deliver_local(&Envelope::raw(M::KIND, 0, body.clone()));
        hub.send_raw(to, M::KIND, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::events::TabCreated;
    use std::sync::{Arc, Mutex};

    #[derive(Default)]
    struct Inbox(Vec<(Kind, Vec<u8>)>, bool);
    impl PeerSink for Inbox {
        fn deliver(&mut self, kind: Kind, body: &[u8]) -> Result<(), SendError> {
            if self.1 {
                return Err(SendError::Closed(crate::CloseCause::Disconnected(
                    "gone".into(),
                )));
            }
            self.0.push((kind, body.to_vec()));
            Ok(())
        }
    }

    #[test]
    fn routes_to_one_to_a_kind_and_to_all() {
        let mut hub = Hub::new();
        let r1 = hub.add(ProcessKind::Renderer, Inbox::default());
        let r2 = hub.add(ProcessKind::Renderer, Inbox::default());
        let ai = hub.add(ProcessKind::AiWorker, Inbox::default());
        let ev = TabCreated {
            tab_id: 1,
            url: "u".into(),
        };
        assert_eq!(hub.send(Audience::Peer(ai), &ev).delivered, vec![ai]);
        assert_eq!(
            hub.send(Audience::Kind(ProcessKind::Renderer), &ev)
                .delivered,
            vec![r1, r2]
        );
        assert_eq!(hub.send(Audience::All, &ev).delivered, vec![r1, r2, ai]);
        assert_eq!(hub.get_mut(r1).unwrap().0.len(), 2);
        assert_eq!(hub.get_mut(ai).unwrap().0.len(), 2);
        assert_eq!(hub.send(Audience::Peer(99), &ev).failed.len(), 1);
        hub.get_mut(r2).unwrap().1 = true;
        let d = hub.send(Audience::All, &ev);
        assert_eq!((d.delivered, d.failed.len()), (vec![r1, ai], 1));
        hub.remove(r2);
        assert_eq!(hub.peers_of(ProcessKind::Renderer), vec![r1]);
    }

    #[test]
    fn bus_delivers_locally_and_broadcasts() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s2 = seen.clone();
        let mut bus = EventBus::new();
        let sub = bus.subscribe(move |t: TabCreated| s2.lock().unwrap().push(t.tab_id));
        let mut hub = Hub::new();
        let r = hub.add(ProcessKind::Renderer, Inbox::default());
        let d = bus.publish(
            &TabCreated {
                tab_id: 4,
                url: String::new(),
            },
            &mut hub,
            Audience::All,
        );
        assert_eq!(d.delivered, vec![r]);
        assert_eq!(*seen.lock().unwrap(), vec![4]);
        assert!(bus.unsubscribe(sub));
        bus.publish(
            &TabCreated {
                tab_id: 5,
                url: String::new(),
            },
            &mut hub,
            Audience::All,
        );
        assert_eq!(*seen.lock().unwrap(), vec![4]);
        assert_eq!(hub.get_mut(r).unwrap().0.len(), 2);
    }
}
