//! Logs: follow one container or several interleaved, and save what the view holds.

use tauri::ipc::Channel;
use tauri::{AppHandle, State, Webview};
use tauri_plugin_dialog::DialogExt;

use crate::engine::logs::{self, LogEvent, Start};
use crate::engine::{Engine, EngineError, ErrorCode};

use super::streams::{StreamId, Streams};

/// Read the logs of `containers` (several are interleaved by timestamp) from their last `tail`
/// lines (`null`: the whole log) or since `since` (unix seconds), then follow them. Ends with
/// `stop_stream`, or when the page that asked reloads or closes.
#[tauri::command]
#[specta::specta]
pub fn follow_logs(
    webview: Webview,
    engine: State<'_, Engine>,
    streams: State<'_, Streams>,
    containers: Vec<String>,
    tail: Option<u32>,
    since: Option<i64>,
    on_event: Channel<LogEvent>,
) -> Result<StreamId, EngineError> {
    if containers.is_empty() {
        return Err(EngineError::new(ErrorCode::InvalidInput, "choose at least one container"));
    }
    let docker = engine.dedicated()?;
    let start = Start { tail, since };
    Ok(streams.start(
        webview.label(),
        logs::follow(docker, containers, start, move |event| on_event.send(event).is_ok()),
    ))
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
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Save log")
        .set_file_name(&file_name)
        .add_filter("Log", &["log", "txt"])
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let Some(path) = rx.await.ok().flatten() else { return Ok(None) };
    let path = path.into_path().map_err(|e| {
        EngineError::new(ErrorCode::InvalidInput, format!("cannot save there: {e}"))
    })?;
    tokio::fs::write(&path, text).await.map_err(|e| {
        EngineError::new(
            ErrorCode::InvalidInput,
            format!("could not write {}: {e}", path.display()),
        )
    })?;
    Ok(Some(path.display().to_string()))
}
