use tauri::State;

use crate::engine::{networks, networks::Network, Engine, EngineError};

/// Networks with how many running containers are attached (`docker network ls`).
#[tauri::command]
#[specta::specta]
pub async fn list_networks(engine: State<'_, Engine>) -> Result<Vec<Network>, EngineError> {
    networks::list(&engine.docker()?).await
}
