use tauri::State;

use crate::engine::{volumes, volumes::Volume, Engine, EngineError};

/// Volumes with how many containers mount each (`docker volume ls`).
#[tauri::command]
#[specta::specta]
pub async fn list_volumes(engine: State<'_, Engine>) -> Result<Vec<Volume>, EngineError> {
    volumes::list(&engine.docker()?).await
}
