use std::time::{Duration, Instant};

use super::Active;
use tauri::ipc::Channel;

use crate::engine::credentials::{self, Login};
use crate::engine::images::archive::{self, ByteProgress};
use crate::engine::images::search::{self, SearchResult};
use crate::engine::images::{
    self, Direction, HistoryStep, Image, ImagePrune, ImageUsage, LayerPhase, PullProgress,
};
use crate::engine::spec::ImageRef;
use crate::engine::{Engine, EngineError, ErrorCode};

/// The images `docker images` shows, each with its tags, users and lineage.
#[tauri::command]
#[specta::specta]
pub async fn list_images(engine: Active) -> Result<Vec<Image>, EngineError> {
    engine.images().await
}

/// Each image's size and the part shared with others (`docker system df -v`; slow on a big
/// engine, so asked for apart from the list).
#[tauri::command]
#[specta::specta]
pub async fn image_usage(engine: Active) -> Result<Vec<ImageUsage>, EngineError> {
    Ok(images::usage_from_df(&engine.system_df("").await?).0)
}

/// `docker history ID`.
#[tauri::command]
#[specta::specta]
pub async fn image_history(engine: Active, id: String) -> Result<Vec<HistoryStep>, EngineError> {
    images::history(&engine.docker()?, &id).await
}

/// `docker tag ID TARGET`; the new reference.
#[tauri::command]
#[specta::specta]
pub async fn tag_image(engine: Active, id: String, target: String) -> Result<String, EngineError> {
    images::tag(&engine.docker()?, &id, &target).await
}

/// `docker rmi REFERENCE` for one tag.
#[tauri::command]
#[specta::specta]
pub async fn untag_image(engine: Active, reference: String) -> Result<(), EngineError> {
    images::untag(&engine.docker()?, &reference).await
}

/// Remove an image and all its tags; `force` (`docker rmi -f`) after the user confirmed the
/// containers that use it.
#[tauri::command]
#[specta::specta]
pub async fn remove_image(engine: Active, id: String, force: bool) -> Result<(), EngineError> {
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
pub async fn image_prune_candidates(engine: Active, all: bool) -> Result<Vec<Image>, EngineError> {
    Ok(images::prune_candidates(&engine.images().await?, all))
}

/// Remove the images the user confirmed, by id; what happened and the space freed.
#[tauri::command]
#[specta::specta]
pub async fn prune_images(engine: Active, ids: Vec<String>) -> Result<ImagePrune, EngineError> {
    images::prune_measured(&engine, &ids).await
}

fn parse_reference(reference: &str) -> Result<ImageRef, EngineError> {
    ImageRef::parse(reference).map_err(|why| {
        EngineError::new(
            ErrorCode::InvalidInput,
            format!("“{}” is not an image reference: {why}", reference.trim()),
        )
    })
}

/// Pull or push `reference` with the credentials the docker CLI would use for its registry,
/// reporting progress at most ten times a second; a second ask for the same one follows the
/// first. The reference as transferred.
async fn transfer(
    engine: &Engine,
    direction: Direction,
    reference: &str,
    on_progress: Channel<PullProgress>,
) -> Result<String, EngineError> {
    let reference = parse_reference(reference)?;
    let credential = credentials::get(&engine.config_dir()?, &reference.domain).await?;
    let (docker, raw) = (engine.docker()?, engine.raw()?);
    let mut last = Instant::now() - Duration::from_secs(1);
    let mut final_sent = false;
    let out = engine
        .transfers()
        .run(docker, raw, direction, reference, credential, |p: &PullProgress| {
            let done = p.layers.iter().all(|l| l.phase == LayerPhase::Done);
            if last.elapsed() >= Duration::from_millis(100) || (done && !final_sent) {
                last = Instant::now();
                final_sent = done;
                let _ = on_progress.send(p.clone());
            }
        })
        .await;
    out
}

/// `docker pull REFERENCE` (no tag means `latest`).
#[tauri::command]
#[specta::specta]
pub async fn pull_image(
    engine: Active,
    reference: String,
    on_progress: Channel<PullProgress>,
) -> Result<String, EngineError> {
    transfer(&engine, Direction::Pull, &reference, on_progress).await
}

/// `docker push REFERENCE`.
#[tauri::command]
#[specta::specta]
pub async fn push_image(
    engine: Active,
    reference: String,
    on_progress: Channel<PullProgress>,
) -> Result<String, EngineError> {
    transfer(&engine, Direction::Push, &reference, on_progress).await
}

/// Stop a pull (or with `push`, a push) of `reference`; whether one was running.
#[tauri::command]
#[specta::specta]
pub async fn cancel_transfer(
    engine: Active,
    reference: String,
    push: bool,
) -> Result<bool, EngineError> {
    let direction = if push { Direction::Push } else { Direction::Pull };
    Ok(engine.transfers().cancel(direction, &parse_reference(&reference)?))
}

/// Registries with kept credentials, and their users (never the secrets).
#[tauri::command]
#[specta::specta]
pub async fn registry_logins(engine: Active) -> Result<Vec<Login>, EngineError> {
    credentials::logins(&engine.config_dir()?).await
}

/// `docker login SERVER`: checked with the registry, then kept as the docker CLI keeps it.
#[tauri::command]
#[specta::specta]
pub async fn registry_login(
    engine: Active,
    server: String,
    username: String,
    password: String,
) -> Result<Login, EngineError> {
    credentials::login(&engine.config_dir()?, &server, &username, &password).await
}

/// `docker logout SERVER`.
#[tauri::command]
#[specta::specta]
pub async fn registry_logout(engine: Active, server: String) -> Result<(), EngineError> {
    credentials::erase(&engine.config_dir()?, &server).await
}

/// `docker search TERM` on Docker Hub, through the engine.
#[tauri::command]
#[specta::specta]
pub async fn search_hub(engine: Active, term: String) -> Result<Vec<SearchResult>, EngineError> {
    search::hub(&engine.docker()?, &term).await
}

/// The repositories of a v2 registry whose names hold `term`.
#[tauri::command]
#[specta::specta]
pub async fn search_registry(
    engine: Active,
    registry: String,
    term: String,
) -> Result<Vec<SearchResult>, EngineError> {
    search::in_registry(engine.config_dir().ok().as_deref(), &registry, &term).await
}

/// The tags of `repository` in `registry`.
#[tauri::command]
#[specta::specta]
pub async fn registry_tags(
    engine: Active,
    registry: String,
    repository: String,
) -> Result<Vec<String>, EngineError> {
    search::tags(engine.config_dir().ok().as_deref(), &registry, &repository).await
}

/// The key a save or load runs under: one at a time, stopped by `cancel_archive`.
const ARCHIVE: &str = "archive";

/// Stop the save or load in progress; whether there was one.
#[tauri::command]
#[specta::specta]
pub async fn cancel_archive(engine: Active) -> Result<bool, EngineError> {
    Ok(engine.cancels().cancel(ARCHIVE))
}

/// `docker save`: the images named, to a tar file chosen in the native save dialog, with
/// progress. The file's path, or `null` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_images(
    app: tauri::AppHandle,
    engine: Active,
    refs: Vec<String>,
    on_progress: Channel<ByteProgress>,
) -> Result<Option<String>, EngineError> {
    let name = refs.first().map(|r| r.replace(['/', ':'], "_")).unwrap_or_default();
    let filter = ("Image archive", &["tar"][..]);
    let Some(path) =
        super::files::ask_save_path(&app, "Save images", &format!("{name}.tar"), filter).await?
    else {
        return Ok(None);
    };
    let rows = engine.images().await?;
    let estimate: f64 = rows
        .iter()
        .filter(|i| refs.iter().any(|r| i.repo_tags.contains(r) || &i.id == r))
        .map(|i| i.size as f64)
        .sum();
    let docker = engine.docker()?;
    let shown = path.clone();
    let work = async move {
        let mut last = Instant::now() - Duration::from_secs(1);
        archive::save(&docker, &refs, &path, estimate, |p| {
            if last.elapsed() >= Duration::from_millis(100) {
                last = Instant::now();
                let _ = on_progress.send(p);
            }
        })
        .await
    };
    engine.cancels().run(ARCHIVE, "save", work).await?;
    Ok(Some(shown.display().to_string()))
}

/// `docker load`: a tar file chosen in the native open dialog, with progress. What was loaded,
/// or `null` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn load_images(
    app: tauri::AppHandle,
    engine: Active,
    on_progress: Channel<ByteProgress>,
) -> Result<Option<Vec<String>>, EngineError> {
    let filter = ("Image archive", &["tar", "gz", "tgz"][..]);
    let Some(path) = super::files::ask_open_path(&app, "Load images", filter).await else {
        return Ok(None);
    };
    let docker = engine.docker()?;
    let work = async move {
        let mut last = Instant::now() - Duration::from_secs(1);
        archive::load(&docker, &path, |p| {
            if last.elapsed() >= Duration::from_millis(100) || p.done >= p.total {
                last = Instant::now();
                let _ = on_progress.send(p);
            }
        })
        .await
    };
    let loaded = engine.cancels().run(ARCHIVE, "load", work).await?;
    Ok(Some(loaded))
}
