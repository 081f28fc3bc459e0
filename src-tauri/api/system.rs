//! Engine connection, the live change feed, stream control and start-up reporting.

use crate::engine::sync::lock;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::{State, Webview};
use tokio::sync::broadcast::error::RecvError;

use crate::engine::{ChangeSet, Engine, EngineStatus};
use crate::notify::{DesktopRequest, Requests};

use super::streams::{StreamId, Streams};

/// What the change feed carries.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "kind", content = "data")]
pub enum EngineEvent {
    /// The connection state changed (always sent first).
    Status(EngineStatus),
    /// These lists are out of date: refetch them.
    Changed(ChangeSet),
}

/// The connection state now.
#[tauri::command]
#[specta::specta]
pub fn engine_status(engine: State<'_, Engine>) -> EngineStatus {
    engine.status()
}

/// Try to reach the engine again now instead of at the next backoff step.
#[tauri::command]
#[specta::specta]
pub fn engine_retry(engine: State<'_, Engine>) {
    engine.retry();
}

/// Follow the engine: the current status at once, then every status change and every coalesced
/// change set. Ends with `stop_stream`, or when the calling page reloads or closes.
#[tauri::command]
#[specta::specta]
pub fn watch_engine(
    webview: Webview,
    engine: State<'_, Engine>,
    streams: State<'_, Streams>,
    on_event: Channel<EngineEvent>,
) -> StreamId {
    let sub = engine.subscribe();
    streams.start(webview.label(), forward(sub, on_event))
}

async fn forward(mut sub: crate::engine::connect::Subscription, ch: Channel<EngineEvent>) {
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

/// When the process started and the backend's steps since, for start-up reporting.
pub struct ProcessStart {
    started: SystemTime,
    /// How long the process ran before `main` (loading its libraries), when the OS says.
    before_main_ms: Option<u32>,
    steps: std::sync::Mutex<Vec<(&'static str, u32)>>,
}

impl ProcessStart {
    pub fn now() -> Self {
        Self {
            started: SystemTime::now(),
            before_main_ms: before_main_ms(),
            steps: Default::default(),
        }
    }

    /// Note that the backend reached `step` (kept for the first 16 steps).
    pub fn mark(&self, step: &'static str) {
        let ms = self.started.elapsed().unwrap_or_default().as_millis() as u32;
        let mut steps = lock(&self.steps);
        if steps.len() < 16 {
            steps.push((step, ms));
        }
    }
}

/// Milliseconds between the process's start and now, from `/proc` (10 ms resolution).
#[cfg(target_os = "linux")]
fn before_main_ms() -> Option<u32> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) end at its closing parenthesis; the
    // start time is field 22, the 20th after it.
    let start_ticks: f64 = stat.rsplit_once(')')?.1.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 =
        std::fs::read_to_string("/proc/uptime").ok()?.split_whitespace().next()?.parse().ok()?;
    // SAFETY: sysconf only reads a constant of the system.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks > 0.0).then(|| ((uptime - start_ticks / ticks) * 1e3).max(0.0) as u32)
}

#[cfg(not(target_os = "linux"))]
fn before_main_ms() -> Option<u32> {
    None
}

/// The UI painted its first container list at `painted_at_ms` (milliseconds since the epoch);
/// `timeline` holds the page's steps before it (milliseconds since navigation start). Logged with
/// the backend's steps (milliseconds since `main`) so start-up can be measured, and its slow step
/// found, from the outside.
#[tauri::command]
#[specta::specta]
pub fn report_first_paint(
    start: State<'_, ProcessStart>,
    painted_at_ms: u64,
    timeline: Vec<(String, u32)>,
) {
    let started_ms =
        start.started.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
    let since_main_ms = painted_at_ms.saturating_sub(started_ms);
    let steps: Vec<String> = timeline.iter().take(16).map(|(s, t)| format!("{s}@{t}")).collect();
    // The page's clock starts at its navigation: where that falls since `main`.
    let page_painted = timeline.iter().rev().find(|(s, _)| s == "painted").map_or(0, |(_, t)| *t);
    let backend: Vec<String> = lock(&start.steps).iter().map(|(s, t)| format!("{s}@{t}")).collect();
    tracing::info!(
        painted_at_ms,
        since_main_ms,
        before_main_ms = start.before_main_ms,
        backend = %backend.join(" "),
        page_from_ms = since_main_ms.saturating_sub(page_painted as u64),
        page = %steps.join(" "),
        "first container list painted"
    );
}
