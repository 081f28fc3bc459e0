//! The container list, shared by everyone who asks for it: the window, the tray and its project
//! actions ask at about the same moments (at start-up, after each change), and one engine call
//! answers them all. A list is handed out again only while no container change has been seen
//! since it was asked for, and for at most [`FRESH`] after it came (its status texts, "Up 5
//! seconds", age).
//! A death the engine announced but does not list yet is shown in the list at once
//! ([`SharedList::died`]).
//!
//! A long list is kept current by asking the engine only for the containers that events named
//! ([`SharedList::touched`]), and each version of the list records which rows it changed, so the
//! window can be sent those rows instead of the whole list ([`SharedList::since`]). Every
//! [`WHOLE_AFTER`] it is listed whole again, in the background and never on a change's path
//! ([`SharedList::relist`]).

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::Docker;
use serde::Serialize;
use specta::Type;
use tokio::sync::Mutex;

use super::containers::{self, Container};
use super::error::EngineError;
use super::sync::lock;

/// A list this long leaves tens of megabytes freed behind it (decoded, then sent to the page),
/// and is worth keeping current row by row.
pub const LARGE: usize = 1000;

/// How long a list with no change since may be handed out again.
pub const FRESH: Duration = Duration::from_secs(1);

/// How long a long list is patched row by row before it is listed whole again (the status texts
/// of the rows no event named, "Up 5 minutes", age meanwhile).
pub const WHOLE_AFTER: Duration = Duration::from_secs(30);

/// The most containers asked for by id at once; more changed than that are listed whole.
const MOST_BY_ID: usize = 500;

/// How many versions of the list remember which rows they changed.
const HISTORY: usize = 64;

/// Versions of every list, so a version from another engine's list is never taken for one of
/// this list's.
static VERSIONS: AtomicU32 = AtomicU32::new(0);

pub struct SharedList {
    /// Container changes seen so far; a list belongs to the count at the time it was asked for.
    changes: AtomicU64,
    /// The last list, held while it is fetched: whoever asks meanwhile waits for it.
    last: Mutex<Option<Taken>>,
    /// Exit codes of containers the engine said died, until their death is settled.
    exits: std::sync::Mutex<HashMap<String, i64>>,
    /// What changed since the last list.
    dirty: std::sync::Mutex<Dirty>,
    /// Lists shorter than this are always listed whole.
    large: usize,
    /// How long a long list is patched before it is listed whole again ([`WHOLE_AFTER`]).
    whole_after: Duration,
    /// A long list is due to be listed whole ([`Self::relist`]), off the path of any change.
    whole_due: std::sync::atomic::AtomicBool,
    /// While a long list is listed whole: the ids patched meanwhile, listed again afterwards.
    relisting: std::sync::Mutex<Option<BTreeSet<String>>>,
}

impl Default for SharedList {
    fn default() -> Self {
        Self::patching_from(LARGE)
    }
}

#[derive(Default)]
struct Dirty {
    /// Anything may have changed (a new connection): list everything.
    all: bool,
    /// The containers events named.
    ids: BTreeSet<String>,
}

struct Taken {
    changes: u64,
    /// When the engine's answer came: a list that took longer than [`FRESH`] to come is still
    /// handed to those who waited for it.
    got: Instant,
    /// When the list was last listed whole.
    whole: Instant,
    version: u32,
    list: Arc<Vec<Container>>,
    /// The oldest version the list can be patched from.
    base: u32,
    /// For each later version, the ids whose rows it changed (added, replaced or removed).
    history: VecDeque<(u32, Vec<String>)>,
}

impl Taken {
    /// The rows of `ids` changed: a new version that remembers them. Nothing differs: the
    /// window's version is still the current one.
    fn record(&mut self, ids: Vec<String>) {
        if ids.is_empty() {
            return;
        }
        let version = VERSIONS.fetch_add(1, Ordering::SeqCst) + 1;
        self.history.push_back((version, ids));
        if self.history.len() > HISTORY {
            if let Some((v, _)) = self.history.pop_front() {
                self.base = v;
            }
        }
        self.version = version;
    }
}

/// The container list as the window asks for it: whole, or the rows changed since the version
/// the window has.
#[derive(Debug, Clone, Default, Serialize, Type)]
pub struct ListUpdate {
    pub version: u32,
    /// The whole list, when the window's version is not one this list can be patched from.
    // Shared with the list itself: sent as it is, not copied first.
    pub whole: Option<Arc<Vec<Container>>>,
    /// Rows added or changed since the window's version.
    pub changed: Vec<Container>,
    /// Ids of the containers gone since then.
    pub gone: Vec<String>,
}

impl SharedList {
    /// A list patched by id once it is `large` long (0: always, for tests).
    pub fn patching_from(large: usize) -> Self {
        Self::patching(large, WHOLE_AFTER)
    }

    /// A list patched by id once it is `large` long, and listed whole again `whole_after` after
    /// it last was (shorter in tests).
    pub fn patching(large: usize, whole_after: Duration) -> Self {
        SharedList {
            whole_after,
            whole_due: Default::default(),
            relisting: Default::default(),
            changes: AtomicU64::new(0),
            last: Mutex::new(None),
            exits: Default::default(),
            dirty: std::sync::Mutex::new(Dirty { all: true, ids: BTreeSet::new() }),
            large,
        }
    }

    /// Anything about the containers may have changed (or the connection did): the next list is
    /// listed whole.
    pub fn changed(&self) {
        lock(&self.dirty).all = true;
        self.changes.fetch_add(1, Ordering::SeqCst);
    }

    /// An event named this container; [`Self::announced`] follows once it should be listed anew.
    pub fn touched(&self, id: &str) {
        lock(&self.dirty).ids.insert(id.to_string());
    }

    /// The containers events named changed: lists asked for before are out of date.
    pub fn announced(&self) {
        self.changes.fetch_add(1, Ordering::SeqCst);
    }

    /// The engine said `id` died with `code`: lists show it exited until [`Self::settled`].
    pub fn died(&self, id: &str, code: i64) {
        lock(&self.exits).insert(id.to_string(), code);
        self.touched(id);
        self.announced();
    }

    /// The engine lists these containers as they are now (or `id` runs again, or is gone).
    pub fn settled(&self, ids: &[String]) {
        let mut exits = lock(&self.exits);
        let moved: Vec<&String> = ids.iter().filter(|id| exits.remove(*id).is_some()).collect();
        drop(exits);
        if !moved.is_empty() {
            let mut dirty = lock(&self.dirty);
            dirty.ids.extend(moved.into_iter().cloned());
            drop(dirty);
            self.announced();
        }
    }

    /// The containers list: the last one while still current, else a new one from `docker`.
    pub async fn get(&self, docker: &Docker) -> Result<Arc<Vec<Container>>, EngineError> {
        let last = self.current(docker).await?;
        Ok(last.as_ref().map(|t| t.list.clone()).unwrap_or_default())
    }

    /// The list as the window asks for it: the rows changed since `version`, or the whole list
    /// when this list does not know that version.
    pub async fn since(
        &self,
        docker: &Docker,
        version: Option<u32>,
    ) -> Result<ListUpdate, EngineError> {
        let last = self.current(docker).await?;
        let Some(t) = last.as_ref() else {
            return Ok(ListUpdate {
                version: 0,
                whole: Some(Arc::default()),
                ..Default::default()
            });
        };
        let whole = || ListUpdate {
            version: t.version,
            whole: Some(t.list.clone()),
            changed: Vec::new(),
            gone: Vec::new(),
        };
        let Some(from) = version else { return Ok(whole()) };
        if from == t.version {
            return Ok(ListUpdate { version: t.version, ..Default::default() });
        }
        // The rows every version after `from` changed, when `from` is one this list had.
        let known = from == t.base || t.history.iter().any(|(v, _)| *v == from);
        if !known {
            return Ok(whole());
        }
        let ids: HashSet<&str> = t
            .history
            .iter()
            .filter(|(v, _)| *v > from)
            .flat_map(|(_, ids)| ids.iter().map(String::as_str))
            .collect();
        let changed: Vec<Container> =
            t.list.iter().filter(|c| ids.contains(c.id.as_str())).cloned().collect();
        let here: HashSet<&str> = changed.iter().map(|c| c.id.as_str()).collect();
        let mut gone: Vec<String> =
            ids.iter().filter(|id| !here.contains(*id)).map(|id| id.to_string()).collect();
        gone.sort();
        Ok(ListUpdate { version: t.version, whole: None, changed, gone })
    }

    /// The last list, brought up to date first when it is not.
    async fn current(
        &self,
        docker: &Docker,
    ) -> Result<tokio::sync::MutexGuard<'_, Option<Taken>>, EngineError> {
        let mut last = self.last.lock().await;
        let changes = self.changes.load(Ordering::SeqCst);
        if let Some(t) = last.as_ref() {
            if t.changes == changes && t.got.elapsed() < FRESH {
                return Ok(last);
            }
        }
        let dirty = std::mem::take(&mut *lock(&self.dirty));
        // A change is patched by rows however long ago the list was listed whole: listing 10,000
        // containers takes the engine a second, which no change should wait for.
        let by_rows = last.as_ref().is_some_and(|t| {
            !dirty.all && t.list.len() >= self.large && dirty.ids.len() <= MOST_BY_ID
        });
        if by_rows {
            if let Some(patched) = lock(&self.relisting).as_mut() {
                patched.extend(dirty.ids.iter().cloned());
            }
        }
        let result = if by_rows {
            self.rows(docker, dirty.ids.into_iter().collect()).await
        } else {
            self.whole(docker).await.map(Listed::Whole)
        };
        let listed = match result {
            Ok(r) => r,
            Err(e) => {
                // Nothing was listed: what changed is still to be listed.
                let mut d = lock(&self.dirty);
                d.all = true;
                return Err(e);
            }
        };
        let got = Instant::now();
        let taken = match (last.take(), listed) {
            (Some(mut t), listed) => {
                let ids = match listed {
                    Listed::Rows { ids, fresh } => {
                        // In place: a copy of every row per change is what a burst of
                        // creates in a long list spent its time on.
                        patch(Arc::make_mut(&mut t.list), &ids, fresh);
                        ids
                    }
                    Listed::Whole(list) => {
                        // Even a whole list tells the window only the rows that differ from
                        // the last.
                        let ids = differing(&t.list, &list);
                        t.list = Arc::new(list);
                        ids
                    }
                };
                let whole = if by_rows { t.whole } else { got };
                t.record(ids);
                Taken { changes, got, whole, ..t }
            }
            (None, listed) => {
                // Rows are only listed to patch a list there is.
                let (Listed::Whole(list) | Listed::Rows { fresh: list, .. }) = listed;
                let version = VERSIONS.fetch_add(1, Ordering::SeqCst) + 1;
                Taken {
                    changes,
                    got,
                    whole: got,
                    version,
                    list: Arc::new(list),
                    base: version,
                    history: VecDeque::new(),
                }
            }
        };
        // A patch in place frees a few rows; a whole list frees the last one.
        if !by_rows {
            freed_whole(taken.list.len());
        }
        if by_rows && taken.whole.elapsed() >= self.whole_after {
            self.whole_due.store(true, Ordering::SeqCst);
        }
        *last = Some(taken);
        Ok(last)
    }

    /// Whether a long list was patched after it was due to be listed whole again (the status
    /// texts of the rows no event named); true once, for whoever then calls [`Self::relist`].
    pub fn take_whole_due(&self) -> bool {
        self.whole_due.swap(false, Ordering::SeqCst)
    }

    /// List every container again without holding up those who ask meanwhile: they get the
    /// patched list. Rows patched while the whole list was on its way are listed again by the
    /// next ask. True when rows differ: the window should ask.
    pub async fn relist(&self, docker: &Docker) -> Result<bool, EngineError> {
        {
            let mut relisting = lock(&self.relisting);
            if relisting.is_some() {
                return Ok(false);
            }
            *relisting = Some(BTreeSet::new());
        }
        let asked = Instant::now();
        let listed = self.whole(docker).await;
        let mut last = self.last.lock().await;
        let patched = lock(&self.relisting).take().unwrap_or_default();
        let list = listed?;
        // Listed whole since (a new connection): that list is newer.
        let Some(t) = last.as_mut().filter(|t| t.whole < asked) else { return Ok(false) };
        let mut ids = differing(&t.list, &list);
        // Rows patched meanwhile may be newer than the engine's answer: list them again.
        ids.retain(|id| !patched.contains(id));
        if !patched.is_empty() {
            lock(&self.dirty).ids.extend(patched.iter().cloned());
            self.announced();
        }
        let listed = list.len();
        if !ids.is_empty() {
            let named: HashSet<&str> = ids.iter().map(String::as_str).collect();
            let fresh: Vec<Container> =
                list.into_iter().filter(|c| named.contains(c.id.as_str())).collect();
            patch(Arc::make_mut(&mut t.list), &ids, fresh);
        }
        let differed = !ids.is_empty();
        t.record(ids);
        t.whole = asked;
        freed_whole(listed);
        Ok(differed || !patched.is_empty())
    }

    /// Every container, with the deaths not listed yet shown.
    async fn whole(&self, docker: &Docker) -> Result<Vec<Container>, EngineError> {
        let mut list = containers::list(docker).await?;
        let exits = lock(&self.exits).clone();
        for c in list.iter_mut() {
            if let Some(code) = exits.get(&c.id) {
                c.exited(*code);
            }
        }
        Ok(list)
    }

    /// The rows of `ids` as the engine lists them now (those gone are not listed), with the
    /// deaths not listed yet shown.
    async fn rows(&self, docker: &Docker, ids: Vec<String>) -> Result<Listed, EngineError> {
        let mut fresh =
            if ids.is_empty() { Vec::new() } else { containers::list_some(docker, &ids).await? };
        let exits = lock(&self.exits).clone();
        for c in fresh.iter_mut() {
            if let Some(code) = exits.get(&c.id) {
                c.exited(*code);
            }
        }
        Ok(Listed::Rows { ids, fresh })
    }
}

/// A whole list of `len` rows was just freed: a long one leaves tens of megabytes to give back.
fn freed_whole(len: usize) {
    if len >= LARGE {
        super::memory::give_back_soon();
    }
}

/// What the engine was asked for: every container, or the rows events named.
enum Listed {
    Whole(Vec<Container>),
    Rows { ids: Vec<String>, fresh: Vec<Container> },
}

/// The ids of the rows that are new, gone or different in `new` against `old`.
pub fn differing(old: &[Container], new: &[Container]) -> Vec<String> {
    let before: HashMap<&str, &Container> = old.iter().map(|c| (c.id.as_str(), c)).collect();
    let now: HashSet<&str> = new.iter().map(|c| c.id.as_str()).collect();
    let mut ids: Vec<String> = new
        .iter()
        .filter(|c| before.get(c.id.as_str()).is_none_or(|b| *b != *c))
        .map(|c| c.id.clone())
        .collect();
    ids.extend(old.iter().filter(|c| !now.contains(c.id.as_str())).map(|c| c.id.clone()));
    ids
}

/// Replace the rows of `ids` in `list` by those in `fresh`, remove those not in it, and put the
/// new ones first, newest first (the engine's order).
pub fn patch(list: &mut Vec<Container>, ids: &[String], fresh: Vec<Container>) {
    let named: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut by_id: HashMap<String, Container> =
        fresh.into_iter().map(|c| (c.id.clone(), c)).collect();
    list.retain_mut(|c| {
        if !named.contains(c.id.as_str()) {
            return true;
        }
        match by_id.remove(&c.id) {
            Some(new) => {
                *c = new;
                true
            }
            None => false,
        }
    });
    let mut added: Vec<Container> = by_id.into_values().collect();
    added.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
    list.splice(0..0, added);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, created: i64, status: &str) -> Container {
        Container {
            id: id.into(),
            name: id.into(),
            image: "busybox".into(),
            image_id: String::new(),
            command: String::new(),
            created,
            created_local: crate::engine::clock::LocalTime::of(created, None),
            state: crate::engine::containers::ContainerState::Running,
            up: true,
            status: status.into(),
            exit_code: None,
            health: None,
            ports: Vec::new(),
            project: None,
            service: None,
            networks: Vec::new(),
        }
    }

    fn ids(list: &[Container]) -> Vec<&str> {
        list.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn a_whole_list_differs_by_the_rows_added_changed_and_gone() {
        let old = vec![row("c", 3, "Up 1 minute"), row("b", 2, "Created"), row("a", 1, "up")];
        let new = vec![row("d", 4, "Created"), row("c", 3, "Up 2 minutes"), row("b", 2, "Created")];
        assert_eq!(differing(&old, &new), ["d", "c", "a"]);
        assert!(differing(&new, &new).is_empty());
    }

    #[test]
    fn a_patch_replaces_removes_and_adds_newest_first() {
        let list = vec![row("c", 3, "up"), row("b", 2, "up"), row("a", 1, "up")];
        let named = ["b", "a", "d", "e"].map(String::from);
        let fresh = vec![row("b", 2, "exited"), row("d", 4, "created"), row("e", 5, "created")];
        let mut out = list.clone();
        patch(&mut out, &named, fresh);
        assert_eq!(ids(&out), ["e", "d", "c", "b"], "a is gone; d and e are new, newest first");
        assert_eq!(out[3].status, "exited", "b's row is the one listed anew");
        assert_eq!(out[2].status, "up", "c, not named, is kept as it was");
    }
}
