use tauri::State;

use crate::engine::containers::{self, Action, Container, FsChange};
use crate::engine::spec::{self, CommitSpec, FieldProblem, RunCheck, RunSpec};
use crate::engine::{Engine, EngineError, ErrorCode};

/// Every container, running or not (`docker ps -a`).
#[tauri::command]
#[specta::specta]
pub async fn list_containers(engine: State<'_, Engine>) -> Result<Vec<Container>, EngineError> {
    containers::list(&engine.docker()?).await
}

/// Check the run dialog: each problem beside its field, and the equivalent `docker run` line.
#[tauri::command]
#[specta::specta]
pub fn check_run(spec: RunSpec) -> RunCheck {
    spec::check(&spec)
}

/// Create and start a container from the run dialog (`docker run -d ...`); returns its id.
#[tauri::command]
#[specta::specta]
pub async fn run_container(
    engine: State<'_, Engine>,
    spec: RunSpec,
) -> Result<String, EngineError> {
    let plan = spec::plan(&spec).map_err(|problems| {
        let first = &problems[0];
        EngineError::new(ErrorCode::InvalidInput, format!("{}: {}", first.field, first.message))
    })?;
    containers::run(&engine.docker()?, &plan).await
}

/// Start, stop, restart, pause, unpause or kill one container.
#[tauri::command]
#[specta::specta]
pub async fn container_action(
    engine: State<'_, Engine>,
    id: String,
    action: Action,
) -> Result<(), EngineError> {
    containers::act(&engine.docker()?, &id, action).await
}

#[tauri::command]
#[specta::specta]
pub async fn rename_container(
    engine: State<'_, Engine>,
    id: String,
    name: String,
) -> Result<(), EngineError> {
    containers::rename(&engine.docker()?, &id, name.trim()).await
}

/// Remove one container; `force` for a running one; named volumes are never removed.
#[tauri::command]
#[specta::specta]
pub async fn remove_container(
    engine: State<'_, Engine>,
    id: String,
    force: bool,
    anonymous_volumes: bool,
) -> Result<(), EngineError> {
    containers::remove(&engine.docker()?, &id, force, anonymous_volumes).await
}

/// What changed in the container's filesystem (`docker diff`).
#[tauri::command]
#[specta::specta]
pub async fn container_changes(
    engine: State<'_, Engine>,
    id: String,
) -> Result<Vec<FsChange>, EngineError> {
    containers::changes(&engine.docker()?, &id).await
}

/// Check the commit dialog: each problem beside its field.
#[tauri::command]
#[specta::specta]
pub fn check_commit(spec: CommitSpec) -> Vec<FieldProblem> {
    spec::plan_commit(&spec).err().unwrap_or_default()
}

/// `docker commit`: returns the new image's id.
#[tauri::command]
#[specta::specta]
pub async fn commit_container(
    engine: State<'_, Engine>,
    id: String,
    spec: CommitSpec,
) -> Result<String, EngineError> {
    containers::commit(&engine.docker()?, &id, &spec).await
}
