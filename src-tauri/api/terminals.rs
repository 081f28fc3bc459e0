//! Terminals: one stream per session carries its output; input and resizes go to the session
//! through its id. A session ends when its tab closes (`stop_stream`), when its process exits, or
//! when the page that opened it reloads or closes: then the backend holds nothing of it.

use super::Active;
use crate::engine::sync::lock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::{State, Webview};
use tokio::sync::mpsc;

use crate::engine::exec::{self, Input, Open, TermEvent};
use crate::engine::{EngineError, ErrorCode};

use super::streams::{StreamId, Streams};

/// An open terminal.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TerminalInfo {
    pub stream: StreamId,
    /// True when attached to the container's main process (`-it`) rather than a new process.
    pub attached: bool,
    pub title: String,
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
    engine: Active,
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
    let (tx, rx) = mpsc::channel::<Input>(256);
    let routes = terminals.inner().clone();
    // The route is registered under the stream's id, which exists only once the stream does.
    let slot = Arc::new(Mutex::new(None::<Route>));
    let slot_in = slot.clone();
    let id = streams.start(webview.label(), async move {
        let _route = slot_in;
        exec::session(&docker, tty, rx, |event| on_event.send(event).is_ok()).await;
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
