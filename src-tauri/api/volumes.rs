use super::Active;
use crate::engine::networks::Removal;
use crate::engine::spec::FieldProblem;
use crate::engine::volumes::{self, Volume, VolumeSize, VolumeSpec};
use crate::engine::EngineError;

/// Volumes with the containers that mount each (`docker volume ls`).
#[tauri::command]
#[specta::specta]
pub async fn list_volumes(engine: Active) -> Result<Vec<Volume>, EngineError> {
    volumes::list(&engine.docker()?).await
}

/// Volume sizes as `docker system df -v` reports them (the engine measures each: slow with
/// large volumes, so asked for apart from the list).
#[tauri::command]
#[specta::specta]
pub async fn volume_sizes(engine: Active) -> Result<Vec<VolumeSize>, EngineError> {
    Ok(volumes::sizes_from_df(&engine.system_df("?type=volume").await?))
}

/// Check the create-volume dialog: each problem beside its field.
#[tauri::command]
#[specta::specta]
pub async fn check_volume(
    engine: Active,
    spec: VolumeSpec,
) -> Result<Vec<FieldProblem>, EngineError> {
    volumes::problems(&engine.docker()?, &spec).await
}

/// `docker volume create`; the new volume's name.
#[tauri::command]
#[specta::specta]
pub async fn create_volume(engine: Active, spec: VolumeSpec) -> Result<String, EngineError> {
    volumes::create(&engine.docker()?, &spec).await
}

/// `docker volume rm NAME` (refused while containers use it).
#[tauri::command]
#[specta::specta]
pub async fn remove_volume(engine: Active, name: String) -> Result<(), EngineError> {
    volumes::remove(&engine.docker()?, &name).await
}

/// The volumes a prune would remove: unused anonymous ones, or with `named` every unused one.
#[tauri::command]
#[specta::specta]
pub async fn volume_prune_candidates(
    engine: Active,
    named: bool,
) -> Result<Vec<Volume>, EngineError> {
    volumes::prune_candidates(&engine.docker()?, named).await
}

/// Remove the volumes the user confirmed, by name; what happened to each.
#[tauri::command]
#[specta::specta]
pub async fn prune_volumes(
    engine: Active,
    names: Vec<String>,
) -> Result<Vec<Removal>, EngineError> {
    Ok(volumes::prune(&engine.docker()?, &names).await)
}
