//! The renderer's bookkeeping, on the render thread: page-API calls waiting for the
//! browser's answer, and `nexus.on` subscriptions. Entries die with their V8 context.

use cef::*;
use nexus_ipc::messages::ai::Analysis;
use std::cell::RefCell;
use std::collections::HashMap;

/// What a waiting call will resolve with.
pub enum Waiting {
    /// `analyzeContent`: parts are folded in until `Complete`.
    Analysis(Analysis),
    /// `profile`: one JSON answer.
    Profile,
}

/// A promise waiting for the browser.
pub struct PendingCall {
    /// The context the promise belongs to.
    pub context: V8context,
    /// The promise.
    pub promise: V8value,
    /// What it waits for.
    pub waiting: Waiting,
}

/// A `nexus.on(event, callback)` subscription.
pub struct Subscription {
    /// The context the callback belongs to.
    pub context: V8context,
    /// The event name.
    pub event: String,
    /// The callback.
    pub callback: V8value,
}

/// The render thread's state.
#[derive(Default)]
pub struct RendererState {
    next_id: u64,
    /// Calls by request id.
    pub pending: HashMap<u64, PendingCall>,
    /// Subscriptions in registration order.
    pub subscriptions: Vec<Subscription>,
}

impl RendererState {
    /// A fresh request id.
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Forget everything that belongs to `context` (it is being released).
    pub fn release_context(&mut self, context: &mut impl ImplV8context) {
        self.pending
            .retain(|_, call| call.context.is_same(Some(context)) == 0);
        self.subscriptions
            .retain(|s| s.context.is_same(Some(context)) == 0);
    }
}

thread_local! {
    static STATE: RefCell<RendererState> = RefCell::new(RendererState::default());
}

/// Run `f` with the render thread's state.
pub fn with_state<R>(f: impl FnOnce(&mut RendererState) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}
