//! The container list, shared by everyone who asks for it: the window, the tray and its project
//! actions ask at about the same moments (at start-up, after each change), and one engine call
//! answers them all. A list is handed out again only while no container change has been seen
//! since it was asked for, and for at most [`FRESH`] (its status texts, "Up 5 seconds", age).
//! A death the engine announced but does not list yet is shown in the list at once
//! ([`SharedList::died`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::Docker;
use tokio::sync::Mutex;

use super::containers::{self, Container};
use super::error::EngineError;
use super::sync::lock;

/// A list this long leaves tens of megabytes freed behind it (decoded, then sent to the page).
const LARGE: usize = 1000;

/// How long a list with no change since may be handed out again.
pub const FRESH: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct SharedList {
    /// Container changes seen so far; a list belongs to the count at the time it was asked for.
    changes: AtomicU64,
    /// The last list, held while it is fetched: whoever asks meanwhile waits for it.
    last: Mutex<Option<Taken>>,
    /// Exit codes of containers the engine said died, until their death is settled.
    exits: std::sync::Mutex<HashMap<String, i64>>,
}

struct Taken {
    changes: u64,
    asked: Instant,
    list: Arc<Vec<Container>>,
}

impl SharedList {
    /// The containers changed (or the connection did): lists asked for before are out of date.
    pub fn changed(&self) {
        self.changes.fetch_add(1, Ordering::SeqCst);
    }

    /// The engine said `id` died with `code`: lists show it exited until [`Self::settled`].
    pub fn died(&self, id: &str, code: i64) {
        lock(&self.exits).insert(id.to_string(), code);
        self.changed();
    }

    /// The engine lists these containers as they are now (or `id` runs again, or is gone).
    pub fn settled(&self, ids: &[String]) {
        let mut exits = lock(&self.exits);
        if ids.iter().any(|id| exits.remove(id).is_some()) {
            drop(exits);
            self.changed();
        }
    }

    /// The containers list: the last one while still current, else a new one from `docker`.
    pub async fn get(&self, docker: &Docker) -> Result<Arc<Vec<Container>>, EngineError> {
        let mut last = self.last.lock().await;
        let changes = self.changes.load(Ordering::SeqCst);
        if let Some(t) = last.as_ref() {
            if t.changes == changes && t.asked.elapsed() < FRESH {
                return Ok(t.list.clone());
            }
        }
        let asked = Instant::now();
        let mut list = containers::list(docker).await?;
        let exits = lock(&self.exits).clone();
        for c in list.iter_mut() {
            if let Some(code) = exits.get(&c.id) {
                c.exited(*code);
            }
        }
        if list.len() >= LARGE {
            super::memory::give_back_soon();
        }
        let list = Arc::new(list);
        *last = Some(Taken { changes, asked, list: list.clone() });
        Ok(list)
    }
}
