//! Every stream the UI starts is owned here: one id, one cancel handle. A stream ends when the
//! UI asks, when its channel is gone, or when the page that started it reloads or closes.

use crate::engine::sync::lock;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use specta::Type;

/// Names one running stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub struct StreamId(pub u32);

struct Entry {
    owner: String,
    abort: tauri::async_runtime::JoinHandle<()>,
}

#[derive(Default)]
struct Inner {
    next: u32,
    live: HashMap<StreamId, Entry>,
}

/// The registry of running streams, kept in managed state.
#[derive(Clone, Default)]
pub struct Streams(Arc<Mutex<Inner>>);

impl Streams {
    /// Run `producer` as a stream owned by the webview labelled `owner`.
    pub fn start<F>(&self, owner: &str, producer: F) -> StreamId
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let mut inner = lock(&self.0);
        inner.next = inner.next.wrapping_add(1);
        let id = StreamId(inner.next);
        let this = self.clone();
        // The task cannot deregister itself before it is registered: it needs this lock.
        let abort = tauri::async_runtime::spawn(async move {
            producer.await;
            lock(&this.0).live.remove(&id);
            tracing::debug!(stream = id.0, "stream ended");
        });
        inner.live.insert(id, Entry { owner: owner.to_string(), abort });
        tracing::debug!(stream = id.0, owner, "stream started");
        id
    }

    /// Cancel one stream. False when it had already ended.
    pub fn stop(&self, id: StreamId) -> bool {
        let entry = lock(&self.0).live.remove(&id);
        entry.map(|e| e.abort.abort()).is_some()
    }

    /// Cancel every stream a webview started: its page reloaded, navigated or closed.
    pub fn stop_owner(&self, owner: &str) -> usize {
        let mut inner = lock(&self.0);
        let ids: Vec<StreamId> =
            inner.live.iter().filter(|(_, e)| e.owner == owner).map(|(id, _)| *id).collect();
        for id in &ids {
            if let Some(e) = inner.live.remove(id) {
                e.abort.abort();
            }
        }
        if !ids.is_empty() {
            tracing::debug!(owner, stopped = ids.len(), "streams stopped with their page");
        }
        ids.len()
    }

    /// How many streams are running now.
    pub fn count(&self) -> usize {
        lock(&self.0).live.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::sync::oneshot;

    /// Tells the test when the producer holding it is dropped.
    struct SignalOnDrop(Option<oneshot::Sender<()>>);
    impl Drop for SignalOnDrop {
        fn drop(&mut self) {
            let _ = self.0.take().map(|tx| tx.send(()));
        }
    }

    /// Wait (at most 5 s) until the registry holds `n` streams.
    async fn until_count(streams: &Streams, n: usize) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while streams.count() != n {
            assert!(tokio::time::Instant::now() < deadline, "{} streams, not {n}", streams.count());
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn a_page_reload_cancels_only_that_pages_streams() {
        let streams = Streams::default();
        let (tx, dropped) = oneshot::channel();
        let guard = SignalOnDrop(Some(tx));
        streams.start("main", async move {
            let _g = guard;
            std::future::pending::<()>().await
        });
        streams.start("other", std::future::pending());
        assert_eq!(streams.count(), 2);
        assert_eq!(streams.stop_owner("main"), 1);
        tokio::time::timeout(Duration::from_secs(5), dropped)
            .await
            .expect("the producer itself is dropped")
            .unwrap();
        assert_eq!(streams.count(), 1);
    }

    #[tokio::test]
    async fn finished_streams_deregister_and_stop_is_idempotent() {
        let streams = Streams::default();
        let id = streams.start("main", async {});
        until_count(&streams, 0).await;
        assert!(!streams.stop(id));
        let id = streams.start("main", std::future::pending());
        assert!(streams.stop(id));
        assert!(!streams.stop(id));
        assert_eq!(streams.count(), 0);
    }
}
