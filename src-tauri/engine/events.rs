//! One `/events` subscription turned into coalesced "these lists changed" notices.
//!
//! The first change is announced at once; whatever follows within the coalescing window is
//! merged into one more notice at the window's end, so a burst (compose up, prune) costs at most
//! two refetches per window and a single `docker stop` shows up without waiting.

use std::collections::HashMap;
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
            // A container appearing or vanishing changes in-use counts everywhere.
            "create" | "destroy" => {
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
            set.volumes = matches!(action, "create" | "destroy" | "prune");
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

/// Forward coalesced change sets from `stream` to `emit` until the stream ends; returns why it
/// ended.
pub async fn pump<S>(stream: S, window: Duration, mut emit: impl FnMut(ChangeSet)) -> EngineError
where
    S: Stream<Item = Result<EventMessage, bollard::errors::Error>>,
{
    let mut stream = std::pin::pin!(stream);
    loop {
        // Quiet: wait for the next event and announce it at once.
        let first = match next_change(&mut stream).await {
            Ok(set) => set,
            Err(e) => return e,
        };
        emit(first);
        // Busy: gather until the window closes, then announce what gathered, if anything.
        let mut pending = ChangeSet::NONE;
        let deadline = tokio::time::sleep(window);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                _ = &mut deadline => break,
                next = next_change(&mut stream) => match next {
                    Ok(set) => pending.merge(set),
                    Err(e) => {
                        if !pending.is_empty() {
                            emit(pending);
                        }
                        return e;
                    }
                },
            }
        }
        if !pending.is_empty() {
            emit(pending);
        }
    }
}

/// The next event that changes some list.
async fn next_change<S>(stream: &mut std::pin::Pin<&mut S>) -> Result<ChangeSet, EngineError>
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
                let set = classify(ev.typ, ev.action.as_deref().unwrap_or(""));
                tracing::trace!(action = ?ev.action, ?set, "engine event");
                if !set.is_empty() {
                    return Ok(set);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    fn ev(typ: EventMessageTypeEnum, action: &str) -> Result<EventMessage, bollard::errors::Error> {
        Ok(EventMessage { typ: Some(typ), action: Some(action.to_string()), ..Default::default() })
    }

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
            pump(events, Duration::from_millis(50), |s| got.push(s)),
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
        let err = pump(events, Duration::from_millis(10), |s| got.push(s)).await;
        assert_eq!(err.code, ErrorCode::Unreachable);
        assert_eq!(got.len(), 1);
        assert!(got[0].images);
    }
}
