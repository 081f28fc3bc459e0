//! One `/events` subscription turned into coalesced "these lists changed" notices.
//!
//! The first change is announced at once; whatever follows within the coalescing window is
//! merged into one more notice at the window's end, so a burst (compose up, prune) costs at most
//! two refetches per window and a single `docker stop` shows up without waiting.
//!
//! The engine sends some container events before its list shows them: it logs `die`, `pause` and
//! `unpause` while it still holds the container's lock, and updates the view that `docker ps`
//! reads only then. A list asked for on hearing such an event can still say "running", and no
//! later event corrects it. So before a notice goes out, the containers it is about are settled
//! ([`settle`]): inspecting a container waits for its lock, and a list asked for afterwards shows
//! the change. Settling a stop takes as long as the engine's clean-up (tens of milliseconds), so a
//! `die` is announced at once as well: its exit code is in the event, and the shared list shows
//! the container exited until the engine lists it so ([`life`], `SharedList::died`). Podman's
//! compatible API (checked with 4.3) sends every container event after its list shows the change.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bollard::models::{EventMessage, EventMessageTypeEnum};
use bollard::query_parameters::EventsOptions;
use bollard::Docker;
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use specta::Type;

use super::error::{EngineError, ErrorCode};

/// How long changes are gathered before the next notice.
pub const COALESCE: Duration = Duration::from_millis(50);

/// The longest a notice waits for its containers to settle: a slow engine delays it, never stops it.
pub const SETTLE_LIMIT: Duration = Duration::from_secs(2);

/// How far back the subscription replays, so nothing that happens between opening the stream
/// and the first list call is missed.
const REPLAY: Duration = Duration::from_secs(2);

/// Which lists are out of date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Type)]
pub struct ChangeSet {
    pub containers: bool,
    pub images: bool,
    pub networks: bool,
    pub volumes: bool,
}

impl ChangeSet {
    pub const NONE: ChangeSet =
        ChangeSet { containers: false, images: false, networks: false, volumes: false };
    /// Everything: sent on every (re)connect.
    pub const ALL: ChangeSet =
        ChangeSet { containers: true, images: true, networks: true, volumes: true };

    pub fn is_empty(&self) -> bool {
        *self == Self::NONE
    }

    pub fn merge(&mut self, other: ChangeSet) {
        self.containers |= other.containers;
        self.images |= other.images;
        self.networks |= other.networks;
        self.volumes |= other.volumes;
    }
}

/// Which lists one engine event makes stale. Events that change nothing a list shows
/// (exec sessions, attach, resize, top, copies) map to nothing.
pub fn classify(typ: Option<EventMessageTypeEnum>, action: &str) -> ChangeSet {
    // Exec actions carry their command after a colon: "exec_start: sh".
    let action = action.split(':').next().unwrap_or("").trim();
    let mut set = ChangeSet::NONE;
    match typ {
        Some(EventMessageTypeEnum::CONTAINER) => match action {
            // A container appearing or vanishing changes in-use counts everywhere. Podman's
            // Docker-compatible API says `remove` where Docker says `destroy`.
            "create" | "destroy" | "remove" => {
                set = ChangeSet::ALL;
            }
            "start" | "restart" | "die" | "stop" | "pause" | "unpause" | "rename" | "update"
            | "oom" | "health_status" => {
                set.containers = true;
                // Running containers are what a network counts as attached.
                set.networks = matches!(action, "start" | "die");
            }
            "commit" => set.images = true,
            _ => {}
        },
        Some(EventMessageTypeEnum::IMAGE) => {
            set.images = !matches!(action, "save" | "push" | "pull_progress");
        }
        Some(EventMessageTypeEnum::NETWORK) => match action {
            "connect" | "disconnect" => {
                set.networks = true;
                set.containers = true;
            }
            _ => set.networks = true,
        },
        Some(EventMessageTypeEnum::VOLUME) => {
            set.volumes = matches!(action, "create" | "destroy" | "remove" | "prune");
        }
        _ => {}
    }
    set
}

/// Open the event stream for the object kinds Berth lists.
pub fn subscribe(
    docker: &Docker,
) -> impl Stream<Item = Result<EventMessage, bollard::errors::Error>> + Send + 'static {
    let since = SystemTime::now()
        .checked_sub(REPLAY)
        .unwrap_or(UNIX_EPOCH)
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let mut filters = HashMap::new();
    filters.insert(
        "type".to_string(),
        ["container", "image", "network", "volume"].map(String::from).to_vec(),
    );
    docker.events(Some(EventsOptions {
        since: Some(format!("{}.{:09}", since.as_secs(), since.subsec_nanos())),
        until: None,
        filters: Some(filters),
    }))
}

/// A change one event makes, and the container whose new state the engine may not list yet.
struct Seen {
    set: ChangeSet,
    container: Option<String>,
    /// The list can show it before the engine does (a death, whose exit code the event carries).
    early: bool,
}

/// What a container event says about its container before the engine's list does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Life {
    /// It exited with this code (`die`).
    Died { id: String, code: i64 },
    /// It runs again, or is gone: whatever was said of its death no longer holds.
    Moved(String),
}

/// The news a container event carries about its container's life, if any.
pub fn life(ev: &EventMessage) -> Option<Life> {
    if ev.typ != Some(EventMessageTypeEnum::CONTAINER) {
        return None;
    }
    let actor = ev.actor.as_ref()?;
    let id = actor.id.clone()?;
    match ev.action.as_deref()? {
        "die" => {
            let code = actor.attributes.as_ref()?.get("exitCode")?.parse().ok()?;
            Some(Life::Died { id, code })
        }
        "start" | "restart" | "destroy" | "remove" => Some(Life::Moved(id)),
        _ => None,
    }
}

/// Which container's row an event changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// No row: the event changes no container (or only lists other than the containers).
    None,
    /// This container's.
    Of(String),
    /// Some, but the event does not say which: every row may have changed.
    Unknown,
}

/// The container row an event changes: the container of a container event, or the one a network
/// event connects or disconnects.
pub fn row_of(ev: &EventMessage) -> Row {
    if !classify(ev.typ, ev.action.as_deref().unwrap_or("")).containers {
        return Row::None;
    }
    let id = match ev.typ {
        Some(EventMessageTypeEnum::CONTAINER) => ev.actor.as_ref().and_then(|a| a.id.clone()),
        _ => connected(ev),
    };
    id.map_or(Row::Unknown, Row::Of)
}

/// The container a network event connects or disconnects: Docker names it among the
/// attributes; Podman's compatible API makes it the event's actor.
fn connected(ev: &EventMessage) -> Option<String> {
    let actor = ev.actor.as_ref()?;
    if let Some(id) = actor.attributes.as_ref().and_then(|a| a.get("container")) {
        return Some(id.clone());
    }
    let connects = matches!(ev.action.as_deref(), Some("connect" | "disconnect"));
    actor.id.clone().filter(|_| connects)
}

/// Forward coalesced change sets from `stream` to `emit` until the stream ends; returns why it
/// ended. Before each notice, `settle` is awaited with the containers it is about.
pub async fn pump<S, F, Fut>(
    stream: S,
    window: Duration,
    settle: F,
    mut emit: impl FnMut(ChangeSet),
) -> EngineError
where
    S: Stream<Item = Result<EventMessage, bollard::errors::Error>>,
    F: Fn(Vec<String>) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut stream = std::pin::pin!(stream);
    loop {
        // Quiet: wait for the next event and announce it at once.
        let first = match next_change(&mut stream).await {
            Ok(seen) => seen,
            Err(e) => return e,
        };
        if first.early {
            emit(first.set);
        }
        settle(first.container.into_iter().collect()).await;
        emit(first.set);
        // Busy: gather until the window closes, then announce what gathered, if anything.
        let mut pending = ChangeSet::NONE;
        let mut containers = BTreeSet::new();
        let deadline = tokio::time::sleep(window);
        tokio::pin!(deadline);
        let ended = loop {
            tokio::select! {
                _ = &mut deadline => break None,
                next = next_change(&mut stream) => match next {
                    Ok(seen) => {
                        pending.merge(seen.set);
                        containers.extend(seen.container);
                    }
                    Err(e) => break Some(e),
                },
            }
        };
        if !pending.is_empty() {
            settle(containers.into_iter().collect()).await;
            emit(pending);
        }
        if let Some(e) = ended {
            return e;
        }
    }
}

/// The next event that changes some list.
async fn next_change<S>(stream: &mut std::pin::Pin<&mut S>) -> Result<Seen, EngineError>
where
    S: Stream<Item = Result<EventMessage, bollard::errors::Error>>,
{
    loop {
        match stream.next().await {
            None => {
                return Err(EngineError::new(
                    ErrorCode::Unreachable,
                    "the Docker engine closed its event stream",
                ))
            }
            Some(Err(e)) => return Err(e.into()),
            Some(Ok(ev)) => {
                let action = ev.action.as_deref().unwrap_or("");
                let set = classify(ev.typ, action);
                tracing::trace!(action = ?ev.action, ?set, "engine event");
                if set.is_empty() {
                    continue;
                }
                let early = ev.typ == Some(EventMessageTypeEnum::CONTAINER) && action == "die";
                return Ok(Seen { set, container: container_of(&ev, action), early });
            }
        }
    }
}

/// Container events the engine sends before its list shows them: it logs them while it still
/// holds the container's lock and records the new state only then (`die`, `pause`, `unpause`;
/// a `stop` may wake before the death is recorded). Every other event (a `create`, a `start`, a
/// rename, a health status) is sent once the list shows it.
const LOGGED_BEFORE_LISTED: [&str; 4] = ["die", "stop", "pause", "unpause"];

/// The container whose state an event changes in the list, if it may still be settling: the
/// container of an event logged before it is listed, or the one a network event connects or
/// disconnects (the engine releases a stopping container's networks before it lists the
/// container as stopped).
fn container_of(ev: &EventMessage, action: &str) -> Option<String> {
    let actor = ev.actor.as_ref()?;
    match ev.typ? {
        EventMessageTypeEnum::CONTAINER if LOGGED_BEFORE_LISTED.contains(&action) => {
            actor.id.clone()
        }
        EventMessageTypeEnum::NETWORK => connected(ev),
        _ => None,
    }
}

/// Wait until the engine lists what it announced about these containers: an inspect takes the
/// container's lock, which the engine holds until its list is updated. Failures (a container
/// removed meanwhile) need no waiting; a slow engine is waited for at most [`SETTLE_LIMIT`].
pub async fn settle(docker: &Docker, ids: Vec<String>) {
    if ids.is_empty() {
        return;
    }
    let inspects = futures_util::stream::iter(ids)
        .map(|id| async move {
            let _ = docker.inspect_container(&id, None).await;
        })
        .buffer_unordered(8)
        .collect::<Vec<()>>();
    if tokio::time::timeout(SETTLE_LIMIT, inspects).await.is_err() {
        tracing::debug!("containers did not settle in time; announcing the change anyway");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    fn ev(typ: EventMessageTypeEnum, action: &str) -> Result<EventMessage, bollard::errors::Error> {
        Ok(EventMessage { typ: Some(typ), action: Some(action.to_string()), ..Default::default() })
    }

    /// A container event about container `id`.
    fn on(id: &str, action: &str) -> Result<EventMessage, bollard::errors::Error> {
        Ok(EventMessage {
            typ: Some(EventMessageTypeEnum::CONTAINER),
            action: Some(action.to_string()),
            actor: Some(bollard::models::EventActor { id: Some(id.into()), attributes: None }),
            ..Default::default()
        })
    }

    /// An event of `typ` whose actor is `id`, with these attributes.
    fn acted(
        typ: EventMessageTypeEnum,
        action: &str,
        id: &str,
        attrs: &[(&str, &str)],
    ) -> EventMessage {
        let attributes = attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        EventMessage {
            typ: Some(typ),
            action: Some(action.to_string()),
            actor: Some(bollard::models::EventActor {
                id: Some(id.into()),
                attributes: Some(attributes),
            }),
            ..Default::default()
        }
    }

    async fn nothing_to_settle(_: Vec<String>) {}

    #[test]
    fn exec_and_attach_change_no_list() {
        for a in ["exec_create: sh -c ls", "exec_start: sh", "exec_die", "attach", "resize", "top"]
        {
            assert!(classify(Some(EventMessageTypeEnum::CONTAINER), a).is_empty(), "{a}");
        }
    }

    #[test]
    fn container_lifecycle_changes_containers() {
        let s = classify(Some(EventMessageTypeEnum::CONTAINER), "stop");
        assert!(s.containers && !s.images && !s.volumes);
        let s = classify(Some(EventMessageTypeEnum::CONTAINER), "destroy");
        assert_eq!(s, ChangeSet::ALL);
        // Podman's name for the same.
        let s = classify(Some(EventMessageTypeEnum::CONTAINER), "remove");
        assert_eq!(s, ChangeSet::ALL);
        let s = classify(Some(EventMessageTypeEnum::CONTAINER), "commit");
        assert!(s.images && !s.containers);
    }

    #[test]
    fn other_kinds_map_to_their_lists() {
        assert!(classify(Some(EventMessageTypeEnum::IMAGE), "tag").images);
        assert!(classify(Some(EventMessageTypeEnum::IMAGE), "push").is_empty());
        let n = classify(Some(EventMessageTypeEnum::NETWORK), "connect");
        assert!(n.networks && n.containers);
        assert!(classify(Some(EventMessageTypeEnum::NETWORK), "create").networks);
        assert!(classify(Some(EventMessageTypeEnum::VOLUME), "create").volumes);
        assert!(classify(Some(EventMessageTypeEnum::VOLUME), "destroy").volumes);
        assert!(classify(Some(EventMessageTypeEnum::VOLUME), "remove").volumes, "Podman's destroy");
        assert!(classify(Some(EventMessageTypeEnum::VOLUME), "mount").is_empty());
        assert!(classify(Some(EventMessageTypeEnum::DAEMON), "reload").is_empty());
    }

    #[tokio::test]
    async fn a_burst_becomes_one_immediate_and_one_trailing_notice() {
        let events = stream::iter(vec![
            ev(EventMessageTypeEnum::CONTAINER, "start"),
            ev(EventMessageTypeEnum::CONTAINER, "exec_start: sh"),
            ev(EventMessageTypeEnum::VOLUME, "create"),
            ev(EventMessageTypeEnum::NETWORK, "create"),
        ])
        .chain(stream::pending());
        let mut got = Vec::new();
        let pumped = tokio::time::timeout(
            Duration::from_millis(300),
            pump(events, Duration::from_millis(50), nothing_to_settle, |s| got.push(s)),
        )
        .await;
        assert!(pumped.is_err(), "a pending stream keeps the pump running");
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].containers && !got[0].volumes);
        assert!(got[1].volumes && got[1].networks && !got[1].images);
    }

    #[tokio::test]
    async fn stream_end_is_reported_after_flushing() {
        let events = stream::iter(vec![ev(EventMessageTypeEnum::IMAGE, "delete")]);
        let mut got = Vec::new();
        let err = pump(events, Duration::from_millis(10), nothing_to_settle, |s| got.push(s)).await;
        assert_eq!(err.code, ErrorCode::Unreachable);
        assert_eq!(got.len(), 1);
        assert!(got[0].images);
    }

    #[tokio::test]
    async fn every_notice_waits_for_the_containers_it_is_about() {
        use std::cell::RefCell;
        // Each event alone in its window, then a burst whose last event is the one that matters.
        let events = stream::iter(vec![
            on("a", "die"),
            on("b", "pause"),
            on("b", "exec_start: sh"),
            ev(EventMessageTypeEnum::NETWORK, "create"),
            on("c", "unpause"),
            on("c", "die"),
            on("d", "destroy"),
            on("f", "create"),
            on("f", "start"),
            on("g", "rename"),
            on("h", "health_status: healthy"),
            on("i", "stop"),
            Ok(acted(EventMessageTypeEnum::NETWORK, "disconnect", "net", &[("container", "e")])),
        ]);
        let log = RefCell::new(Vec::new());
        let err = pump(
            events,
            Duration::from_millis(20),
            |ids| {
                log.borrow_mut().push(format!("settle {ids:?}"));
                async {}
            },
            |s| log.borrow_mut().push(format!("emit containers={}", s.containers)),
        )
        .await;
        assert_eq!(err.code, ErrorCode::Unreachable);
        assert_eq!(
            log.into_inner(),
            [
                "emit containers=true",
                r#"settle ["a"]"#,
                "emit containers=true",
                r#"settle ["b", "c", "e", "i"]"#,
                "emit containers=true",
            ],
            "a lone death is announced at once and again once settled; the trailing notice settles \
             the containers of the burst the engine may not list yet, and the one a network \
             disconnected, but not those created, started, renamed or destroyed"
        );
    }

    #[test]
    fn an_event_names_the_row_it_changes() {
        assert_eq!(row_of(&on("abc", "stop").unwrap()), Row::Of("abc".into()));
        assert_eq!(row_of(&on("abc", "destroy").unwrap()), Row::Of("abc".into()));
        assert_eq!(row_of(&on("abc", "remove").unwrap()), Row::Of("abc".into()));
        assert_eq!(row_of(&on("abc", "exec_start: sh").unwrap()), Row::None);
        assert_eq!(row_of(&ev(EventMessageTypeEnum::IMAGE, "tag").unwrap()), Row::None);
        let connect =
            acted(EventMessageTypeEnum::NETWORK, "connect", "net", &[("container", "abc")]);
        assert_eq!(row_of(&connect), Row::Of("abc".into()));
        // As Podman's compatible API sends it: the container is the actor.
        let podman = acted(EventMessageTypeEnum::NETWORK, "disconnect", "abc", &[("name", "web")]);
        assert_eq!(row_of(&podman), Row::Of("abc".into()));
        assert_eq!(container_of(&podman, "disconnect"), Some("abc".into()));
        let made = EventMessage { action: Some("create".into()), ..podman };
        assert_eq!(container_of(&made, "create"), None, "a network's own id is no container");
        assert_eq!(row_of(&ev(EventMessageTypeEnum::CONTAINER, "start").unwrap()), Row::Unknown);
    }

    #[test]
    fn a_death_carries_its_exit_code_and_a_start_takes_it_back() {
        let died = acted(EventMessageTypeEnum::CONTAINER, "die", "abc", &[("exitCode", "137")]);
        assert_eq!(life(&died), Some(Life::Died { id: "abc".into(), code: 137 }));
        assert_eq!(life(&on("abc", "start").unwrap()), Some(Life::Moved("abc".into())));
        assert_eq!(life(&on("abc", "destroy").unwrap()), Some(Life::Moved("abc".into())));
        assert_eq!(life(&on("abc", "remove").unwrap()), Some(Life::Moved("abc".into())));
        assert_eq!(life(&on("abc", "pause").unwrap()), None);
        // A death without its code says nothing the list could show.
        assert_eq!(life(&on("abc", "die").unwrap()), None);
    }
}
