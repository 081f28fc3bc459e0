//! Engine connection, the live change feed, stream control and start-up reporting.

use super::Active;
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::{State, Webview};
use tokio::sync::broadcast::error::RecvError;

use crate::engine::{ChangeSet, EngineStatus};
use crate::notify::{DesktopRequest, Requests};
use crate::startup::ProcessStart;

use super::streams::{StreamId, Streams};
use crate::engine::contexts::{self, Context, ContextSpec};
use crate::engine::engines::{EngineEntry, EngineRef, Engines};
use crate::engine::EngineError;

/// What the change feed carries.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "kind", content = "data")]
pub enum EngineEvent {
    /// The connection state changed (always sent first).
    Status(EngineStatus),
    /// These lists are out of date: refetch them.
    Changed(ChangeSet),
    /// The window shows another engine now: drop every list (its status follows).
    Switched,
}

/// The connection state now.
#[tauri::command]
#[specta::specta]
pub fn engine_status(engine: Active) -> EngineStatus {
    engine.status()
}

/// Try to reach the engine again now instead of at the next backoff step.
#[tauri::command]
#[specta::specta]
pub fn engine_retry(engine: Active) {
    engine.retry();
}

/// Follow the engine: the current status at once, then every status change and every coalesced
/// change set. Ends with `stop_stream`, or when the calling page reloads or closes.
#[tauri::command]
#[specta::specta]
pub fn watch_engine(
    webview: Webview,
    engines: State<'_, Engines>,
    streams: State<'_, Streams>,
    on_event: Channel<EngineEvent>,
) -> StreamId {
    let mut active = engines.watch_active();
    streams.start(webview.label(), async move {
        loop {
            let engine = active.borrow_and_update().clone();
            tokio::select! {
                _ = forward(engine.subscribe(), &on_event) => return,
                changed = active.changed() => if changed.is_err() { return },
            }
            // Another engine is shown: its lists replace the old ones.
            if on_event.send(EngineEvent::Switched).is_err() {
                return;
            }
        }
    })
}

async fn forward(mut sub: crate::engine::connect::Subscription, ch: &Channel<EngineEvent>) {
    let status = sub.status.borrow_and_update().clone();
    let connected = matches!(status, EngineStatus::Connected { .. });
    if ch.send(EngineEvent::Status(status)).is_err() {
        return;
    }
    // A page that arrives after the connection was made still needs its first lists.
    if connected && ch.send(EngineEvent::Changed(ChangeSet::ALL)).is_err() {
        return;
    }
    loop {
        let event = tokio::select! {
            changed = sub.status.changed() => match changed {
                Ok(()) => EngineEvent::Status(sub.status.borrow_and_update().clone()),
                Err(_) => return,
            },
            set = sub.changes.recv() => match set {
                Ok(set) => EngineEvent::Changed(set),
                // Fell behind: whatever was missed, everything may be stale.
                Err(RecvError::Lagged(_)) => EngineEvent::Changed(ChangeSet::ALL),
                Err(RecvError::Closed) => return,
            },
        };
        if ch.send(event).is_err() {
            return;
        }
    }
}

/// What the desktop asks of the window (a clicked notification opens its container), for as
/// long as the page lives.
#[tauri::command]
#[specta::specta]
pub fn watch_desktop(
    webview: Webview,
    requests: State<'_, Requests>,
    streams: State<'_, Streams>,
    on_event: Channel<DesktopRequest>,
) -> StreamId {
    let mut rx = requests.0.subscribe();
    streams.start(webview.label(), async move {
        loop {
            match rx.recv().await {
                Ok(request) => {
                    if on_event.send(request).is_err() {
                        return;
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            }
        }
    })
}

/// Cancel a stream this page started. False when it had already ended.
#[tauri::command]
#[specta::specta]
pub fn stop_stream(streams: State<'_, Streams>, id: StreamId) -> bool {
    streams.stop(id)
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct Diagnostics {
    /// Streams running in the backend now, across all pages.
    pub active_streams: u32,
}

#[tauri::command]
#[specta::specta]
pub fn diagnostics(streams: State<'_, Streams>) -> Diagnostics {
    Diagnostics { active_streams: streams.count() as u32 }
}

/// The UI painted its first container list at `painted_at_ms` (milliseconds since the epoch);
/// `timeline` holds the page's steps before it (milliseconds since navigation start). Logged with
/// the backend's steps (milliseconds since `main`) so start-up can be measured, and its slow step
/// found, from the outside. Then the compose program is looked for.
#[tauri::command]
#[specta::specta]
pub fn report_first_paint(
    start: State<'_, ProcessStart>,
    painted_at_ms: u64,
    timeline: Vec<(String, u32)>,
) {
    start.report_first_paint(painted_at_ms, &timeline);
    // Found once the window is drawn, so its probes do not slow the start.
    tauri::async_runtime::spawn(crate::engine::compose::program::found());
}

/// Every engine followed (the docker CLI's first), with its state.
#[tauri::command]
#[specta::specta]
pub fn list_engines(engines: State<'_, Engines>) -> Vec<EngineEntry> {
    engines.list()
}

/// The engines list now and again whenever an engine is added, removed, connects or is lost.
#[tauri::command]
#[specta::specta]
pub fn watch_engines(
    webview: Webview,
    engines: State<'_, Engines>,
    streams: State<'_, Streams>,
    on_event: Channel<Vec<EngineEntry>>,
) -> StreamId {
    let (engines, mut changed) = (engines.inner().clone(), engines.watch_list());
    streams.start(webview.label(), async move {
        loop {
            changed.borrow_and_update();
            if on_event.send(engines.list()).is_err() {
                return;
            }
            if changed.changed().await.is_err() {
                return;
            }
        }
    })
}

/// Show `target` in the window, connecting to it first if needed. Async: a new engine's
/// connection runs on the async runtime.
#[tauri::command]
#[specta::specta]
pub async fn switch_engine(
    engines: State<'_, Engines>,
    target: EngineRef,
) -> Result<(), EngineError> {
    engines.switch(&target.target()).map(|_| ())
}

/// Stop following `target` (not the one shown, not the docker CLI's).
#[tauri::command]
#[specta::specta]
pub fn close_engine(engines: State<'_, Engines>, target: EngineRef) -> Result<(), EngineError> {
    engines.close(&target.target())
}

/// The docker CLI's contexts, `default` first, with the one it uses now marked.
#[tauri::command]
#[specta::specta]
pub fn list_contexts(engines: State<'_, Engines>) -> Vec<Context> {
    contexts::list(engines.env())
}

/// Make a context (`replacing`: none) or change the context named `replacing`, in the docker
/// CLI's format. An engine following the old name is closed.
#[tauri::command]
#[specta::specta]
pub fn save_context(
    engines: State<'_, Engines>,
    spec: ContextSpec,
    replacing: Option<String>,
) -> Result<(), EngineError> {
    let dir = engines.env().config_dir.clone().ok_or_else(no_config)?;
    contexts::save(&dir, &spec, replacing.as_deref())?;
    if let Some(old) = replacing {
        // Reconnect with what was saved the next time it is opened.
        let _ = engines.close(&crate::engine::connect::Target::Context(old));
    }
    Ok(())
}

/// Remove the context `name` and its TLS files (not the one the docker CLI uses now).
#[tauri::command]
#[specta::specta]
pub fn remove_context(engines: State<'_, Engines>, name: String) -> Result<(), EngineError> {
    let dir = engines.env().config_dir.clone().ok_or_else(no_config)?;
    let target = crate::engine::connect::Target::Context(name.clone());
    engines.close(&target)?;
    contexts::remove(engines.env(), &dir, &name)
}

fn no_config() -> EngineError {
    EngineError::new(
        crate::engine::ErrorCode::Io,
        "neither DOCKER_CONFIG nor HOME is set: no docker config",
    )
}
