use tauri::State;

use crate::engine::{images, images::Image, Engine, EngineError};

/// Top-level images with how many containers use each (`docker images`).
#[tauri::command]
#[specta::specta]
pub async fn list_images(engine: State<'_, Engine>) -> Result<Vec<Image>, EngineError> {
    images::list(&engine.docker()?).await
}
