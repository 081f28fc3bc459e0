use std::time::{Duration, Instant};

use tauri::ipc::Channel;
use tauri::State;

use crate::engine::images::{self, Image, PullProgress};
use crate::engine::spec::ImageRef;
use crate::engine::{Engine, EngineError, ErrorCode};

/// Top-level images with how many containers use each (`docker images`).
#[tauri::command]
#[specta::specta]
pub async fn list_images(engine: State<'_, Engine>) -> Result<Vec<Image>, EngineError> {
    images::list(&engine.docker()?).await
}

/// Pull an image (`docker pull`; no tag means `latest`), reporting progress at most ten times a
/// second. The reference as pulled.
#[tauri::command]
#[specta::specta]
pub async fn pull_image(
    engine: State<'_, Engine>,
    reference: String,
    on_progress: Channel<PullProgress>,
) -> Result<String, EngineError> {
    let reference = ImageRef::parse(&reference).map_err(|why| {
        EngineError::new(
            ErrorCode::InvalidInput,
            format!("“{}” is not an image reference: {why}", reference.trim()),
        )
    })?;
    let docker = engine.docker()?;
    let mut last = Instant::now() - Duration::from_secs(1);
    images::pull(&docker, &reference, |p| {
        if last.elapsed() >= Duration::from_millis(100) {
            last = Instant::now();
            let _ = on_progress.send(p.clone());
        }
    })
    .await
}
