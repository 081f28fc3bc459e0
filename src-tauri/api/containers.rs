use tauri::State;

use crate::engine::{containers, containers::Container, Engine, EngineError};

/// Every container, running or not (`docker ps -a`).
#[tauri::command]
#[specta::specta]
pub async fn list_containers(engine: State<'_, Engine>) -> Result<Vec<Container>, EngineError> {
    containers::list(&engine.docker()?).await
}
