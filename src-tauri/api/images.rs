use std::time::{Duration, Instant};

use tauri::ipc::Channel;
use tauri::State;

use crate::engine::images::{self, HistoryStep, Image, ImagePrune, ImageUsage, PullProgress};
use crate::engine::spec::ImageRef;
use crate::engine::{Engine, EngineError, ErrorCode};

/// The images `docker images` shows, each with its tags, users and lineage.
#[tauri::command]
#[specta::specta]
pub async fn list_images(engine: State<'_, Engine>) -> Result<Vec<Image>, EngineError> {
    engine.images().await
}

/// Each image's size and the part shared with others (`docker system df -v`; slow on a big
/// engine, so asked for apart from the list).
#[tauri::command]
#[specta::specta]
pub async fn image_usage(engine: State<'_, Engine>) -> Result<Vec<ImageUsage>, EngineError> {
    Ok(images::usage_from_df(&engine.get_json("/system/df").await?).0)
}

/// `docker history ID`.
#[tauri::command]
#[specta::specta]
pub async fn image_history(
    engine: State<'_, Engine>,
    id: String,
) -> Result<Vec<HistoryStep>, EngineError> {
    images::history(&engine.docker()?, &id).await
}

/// `docker tag ID TARGET`; the new reference.
#[tauri::command]
#[specta::specta]
pub async fn tag_image(
    engine: State<'_, Engine>,
    id: String,
    target: String,
) -> Result<String, EngineError> {
    images::tag(&engine.docker()?, &id, &target).await
}

/// `docker rmi REFERENCE` for one tag.
#[tauri::command]
#[specta::specta]
pub async fn untag_image(engine: State<'_, Engine>, reference: String) -> Result<(), EngineError> {
    images::untag(&engine.docker()?, &reference).await
}

/// Remove an image and all its tags; `force` (`docker rmi -f`) after the user confirmed the
/// containers that use it.
#[tauri::command]
#[specta::specta]
pub async fn remove_image(
    engine: State<'_, Engine>,
    id: String,
    force: bool,
) -> Result<(), EngineError> {
    let rows = engine.images().await?;
    let image = rows
        .iter()
        .find(|i| i.id == id)
        .ok_or_else(|| EngineError::new(ErrorCode::NotFound, format!("no image {id}")))?;
    images::remove(&engine.docker()?, image, force).await
}

/// The images a prune would remove: unused dangling ones, or with `all` every unused one.
#[tauri::command]
#[specta::specta]
pub async fn image_prune_candidates(
    engine: State<'_, Engine>,
    all: bool,
) -> Result<Vec<Image>, EngineError> {
    Ok(images::prune_candidates(&engine.images().await?, all))
}

/// Remove the images the user confirmed, by id; what happened and the space freed.
#[tauri::command]
#[specta::specta]
pub async fn prune_images(
    engine: State<'_, Engine>,
    ids: Vec<String>,
) -> Result<ImagePrune, EngineError> {
    images::prune_measured(&engine, &ids).await
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
