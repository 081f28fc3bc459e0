//! Live resource use of the containers on screen: one stats stream per container, owned by the
//! page's stream registry (stopped with `stop_stream`, or when the page goes).

use tauri::ipc::Channel;
use tauri::{State, Webview};

use super::streams::{StreamId, Streams};
use super::Active;
use crate::engine::stats::{self, StatsEvent};
use crate::engine::EngineError;

/// Follow the running container `id`'s CPU, memory, network, block I/O and PIDs, about one
/// sample a second, until `stop_stream`; the last message says when and why the stream ended.
#[tauri::command]
#[specta::specta]
pub fn watch_stats(
    webview: Webview,
    engine: Active,
    streams: State<'_, Streams>,
    id: String,
    on_event: Channel<StatsEvent>,
) -> Result<StreamId, EngineError> {
    let (docker, product) = (engine.docker()?, engine.info()?.product);
    Ok(streams.start(webview.label(), async move {
        let send = |s| on_event.send(StatsEvent::Sample(s)).is_ok();
        let ended = stats::follow(&docker, product, &id, send).await;
        if let Err(e) = &ended {
            tracing::debug!(id, error = %e, "stats stream ended");
        }
        let _ = on_event.send(StatsEvent::Ended(ended.err()));
    }))
}
