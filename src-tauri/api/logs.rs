//! Logs: follow one container or several interleaved, paced to the page that shows them
//! (`engine::logs::Pacer`), and save what the view holds.

use super::Active;
use crate::engine::sync::lock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tauri::ipc::Channel;
use tauri::{AppHandle, State, Webview};

use crate::engine::logs::{self, LogEvent, Pacer, Start};
use crate::engine::{EngineError, ErrorCode};

use super::streams::{StreamId, Streams};

/// The pacer of each log stream, for the page's acknowledgements.
#[derive(Clone, Default)]
pub struct LogStreams(Arc<Mutex<HashMap<StreamId, Arc<Pacer>>>>);

/// Removes a stream's pacer when the stream ends, however it ends.
struct Registered(LogStreams, StreamId);
impl Drop for Registered {
    fn drop(&mut self) {
        lock(&self.0 .0).remove(&self.1);
    }
}

/// Read the logs of `containers` (several are interleaved by timestamp) from their last `tail`
/// lines (`null`: the whole log) or since `since` (unix seconds), then follow them, for a view
/// that keeps `keep` lines. Each batch of lines must be acknowledged with `ack_logs` once shown.
/// Ends with `stop_stream`, or when the page that asked reloads or closes.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub fn follow_logs(
    webview: Webview,
    engine: Active,
    streams: State<'_, Streams>,
    paced: State<'_, LogStreams>,
    containers: Vec<String>,
    tail: Option<u32>,
    since: Option<i64>,
    keep: u32,
    on_event: Channel<LogEvent>,
) -> Result<StreamId, EngineError> {
    if containers.is_empty() {
        return Err(EngineError::new(ErrorCode::InvalidInput, "choose at least one container"));
    }
    let (docker, raw) = (engine.dedicated()?, engine.raw()?);
    let connection = engine.subscribe().status;
    let start = Start { tail, since };
    let pacer = Arc::new(Pacer::new(keep, move |event| on_event.send(event).is_ok()));
    let registry = paced.inner().clone();
    // Registered under the stream's id, which exists only once the stream does; the reader
    // cannot send before it runs, and the page cannot acknowledge what it has not received.
    let slot = Arc::new(Mutex::new(None::<Registered>));
    let (reader, held) = (pacer.clone(), slot.clone());
    let id = streams.start(webview.label(), async move {
        let _registered = held;
        logs::follow(docker, raw, containers, start, connection, move |event| reader.push(event))
            .await;
    });
    lock(&registry.0).insert(id, pacer);
    *lock(&slot) = Some(Registered(registry, id));
    Ok(id)
}

/// The page has shown `batches` more batches of the log stream `stream`: send more. Does nothing
/// for a stream that has ended.
#[tauri::command]
#[specta::specta]
pub fn ack_logs(paced: State<'_, LogStreams>, stream: StreamId, batches: u32) {
    let pacer = lock(&paced.0).get(&stream).cloned();
    if let Some(pacer) = pacer {
        pacer.ack(batches);
    }
}

/// Ask where to save a log (the native save dialog, suggesting `file_name`) and write `text`
/// there. The chosen path, or `null` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_log(
    app: AppHandle,
    file_name: String,
    text: String,
) -> Result<Option<String>, EngineError> {
    super::files::ask_and_write(
        &app,
        "Save log",
        &file_name,
        ("Log", &["log", "txt"]),
        text.as_bytes(),
    )
    .await
}
