//! Terminals: one stream per session carries its output; input and resizes go to the session
//! through its id. A session ends when its tab closes (`stop_stream`), when its process exits, or
//! when the page that opened it reloads or closes: then the backend holds nothing of it.

use crate::engine::sync::lock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::{State, Webview};
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use crate::engine::exec::{self, Open, Utf8Chunks};
use crate::engine::{Engine, EngineError, ErrorCode};

use super::streams::{StreamId, Streams};

/// What a terminal's stream carries.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "kind", content = "data")]
pub enum TermEvent {
    /// Output to write to the terminal, escape sequences and all.
    Output(String),
    /// The process ended (its exit code, when the engine knows it).
    Exited { code: Option<i32> },
}

/// An open terminal.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TerminalInfo {
    pub stream: StreamId,
    /// True when attached to the container's main process (`-it`) rather than a new process.
    pub attached: bool,
    pub title: String,
}

enum Input {
    Data(String),
    Resize(u16, u16),
}

/// Where each session's input goes.
#[derive(Clone, Default)]
pub struct Terminals(Arc<Mutex<HashMap<StreamId, mpsc::Sender<Input>>>>);

impl Terminals {
    fn sender(&self, id: StreamId) -> Result<mpsc::Sender<Input>, EngineError> {
        lock(&self.0)
            .get(&id)
            .cloned()
            .ok_or_else(|| EngineError::new(ErrorCode::NotFound, "this terminal session has ended"))
    }
}

/// Removes a session's input route when its stream ends, however it ends.
struct Route(Terminals, StreamId);
impl Drop for Route {
    fn drop(&mut self) {
        lock(&self.0 .0).remove(&self.1);
    }
}

/// Open a terminal in `container`, sized `cols` x `rows`.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub async fn open_terminal(
    webview: Webview,
    engine: State<'_, Engine>,
    streams: State<'_, Streams>,
    terminals: State<'_, Terminals>,
    container: String,
    how: Open,
    cols: u16,
    rows: u16,
    on_event: Channel<TermEvent>,
) -> Result<TerminalInfo, EngineError> {
    let docker = engine.docker()?;
    let tty = exec::open(&docker, &container, how, cols, rows).await?;
    let attached = matches!(tty.target, exec::Target::Attached(_));
    let title = tty.title.clone();
    let (tx, mut rx) = mpsc::channel::<Input>(256);
    let routes = terminals.inner().clone();
    // The route is registered under the stream's id, which exists only once the stream does.
    let slot = Arc::new(Mutex::new(None::<Route>));
    let slot_in = slot.clone();
    let id = streams.start(webview.label(), async move {
        let _route = slot_in;
        let exec::Tty { target, mut output, mut input, .. } = tty;
        let mut text = Utf8Chunks::default();
        loop {
            tokio::select! {
                chunk = output.next() => match chunk {
                    Some(Ok(frame)) => {
                        let s = text.push(&frame.into_bytes());
                        if !s.is_empty() && on_event.send(TermEvent::Output(s)).is_err() {
                            return;
                        }
                    }
                    Some(Err(e)) => {
                        tracing::debug!(error = %e, "terminal output ended");
                        break;
                    }
                    None => break,
                },
                msg = rx.recv() => match msg {
                    Some(Input::Data(data)) => {
                        if input.write_all(data.as_bytes()).await.is_err() || input.flush().await.is_err() {
                            break;
                        }
                    }
                    Some(Input::Resize(c, r)) => {
                        if let Err(e) = exec::resize(&docker, &target, c, r).await {
                            tracing::debug!(error = %e, "terminal resize failed");
                        }
                    }
                    None => break,
                },
            }
        }
        let code = exec::exit_code(&docker, &target).await.map(|c| c as i32);
        let _ = on_event.send(TermEvent::Exited { code });
    });
    lock(&routes.0).insert(id, tx);
    *lock(&slot) = Some(Route(routes, id));
    Ok(TerminalInfo { stream: id, attached, title })
}

/// Send keystrokes (or pasted text) to a terminal.
#[tauri::command]
#[specta::specta]
pub async fn terminal_input(
    terminals: State<'_, Terminals>,
    stream: StreamId,
    data: String,
) -> Result<(), EngineError> {
    let tx = terminals.sender(stream)?;
    tx.send(Input::Data(data))
        .await
        .map_err(|_| EngineError::new(ErrorCode::NotFound, "this terminal session has ended"))
}

/// The terminal's window changed size.
#[tauri::command]
#[specta::specta]
pub async fn terminal_resize(
    terminals: State<'_, Terminals>,
    stream: StreamId,
    cols: u16,
    rows: u16,
) -> Result<(), EngineError> {
    let tx = terminals.sender(stream)?;
    tx.send(Input::Resize(cols, rows))
        .await
        .map_err(|_| EngineError::new(ErrorCode::NotFound, "this terminal session has ended"))
}
