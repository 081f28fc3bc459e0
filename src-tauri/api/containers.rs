use super::Active;
use crate::engine::containers::{self, Action, Committed, Container, FsChange};
use crate::engine::details::{self, ContainerDetails};
use crate::engine::recreate::{self, RecreateOptions, RecreatePreview, Recreated};
use crate::engine::shared::ListUpdate;
use crate::engine::spec::{self, CommitSpec, FieldProblem, RunCheck, RunSpec};
use crate::engine::{EngineError, ErrorCode};

/// Every container, running or not (`docker ps -a`).
#[tauri::command]
#[specta::specta]
pub async fn list_containers(engine: Active) -> Result<Vec<Container>, EngineError> {
    Ok(engine.containers().await?.as_ref().clone())
}

/// The containers list for a window that has `version` of it: only the rows changed since when
/// the list knows that version, else the whole list.
#[tauri::command]
#[specta::specta]
pub async fn containers_since(
    engine: Active,
    version: Option<u32>,
) -> Result<ListUpdate, EngineError> {
    engine.containers_since(version).await
}

/// The dialog's spec as a plan, or its first problem as an error (the dialog checks first).
fn plan(spec: &RunSpec) -> Result<spec::RunPlan, EngineError> {
    spec::plan(spec).map_err(|problems| {
        let first = &problems[0];
        EngineError::new(ErrorCode::InvalidInput, format!("{}: {}", first.field, first.message))
    })
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
pub async fn run_container(engine: Active, spec: RunSpec) -> Result<String, EngineError> {
    let plan = plan(&spec)?;
    // A port another container publishes is refused before anything is made, naming it.
    if let Some((port, holder)) = containers::port_holder(&plan.ports, &engine.containers().await?)
    {
        return Err(EngineError::new(
            ErrorCode::PortInUse,
            format!("host port {port} is already published by {}", holder.name),
        ));
    }
    containers::run(&engine.docker()?, &plan).await
}

/// Start, stop, restart, pause, unpause or kill one container.
#[tauri::command]
#[specta::specta]
pub async fn container_action(
    engine: Active,
    id: String,
    action: Action,
) -> Result<(), EngineError> {
    containers::act(&engine.docker()?, &id, action).await
}

#[tauri::command]
#[specta::specta]
pub async fn rename_container(engine: Active, id: String, name: String) -> Result<(), EngineError> {
    containers::rename(&engine.docker()?, &id, name.trim()).await
}

/// Remove one container; `force` for a running one; named volumes are never removed.
#[tauri::command]
#[specta::specta]
pub async fn remove_container(
    engine: Active,
    id: String,
    force: bool,
    anonymous_volumes: bool,
) -> Result<(), EngineError> {
    containers::remove(&engine.docker()?, &id, force, anonymous_volumes).await
}

/// What changed in the container's filesystem (`docker diff`).
#[tauri::command]
#[specta::specta]
pub async fn container_changes(engine: Active, id: String) -> Result<Vec<FsChange>, EngineError> {
    containers::changes(&engine.docker()?, &id).await
}

/// Read a pasted `.env` file by `.env` rules (`export`, quotes, `#` comments; no `$VAR`
/// expansion) into exact `KEY=value` rows for the run dialog.
#[tauri::command]
#[specta::specta]
pub fn read_env_file(text: String) -> Result<Vec<String>, EngineError> {
    spec::parse_env_block(&text).map_err(|m| EngineError::new(ErrorCode::InvalidInput, m))
}

/// Check the commit dialog: each problem beside its field.
#[tauri::command]
#[specta::specta]
pub fn check_commit(spec: CommitSpec) -> Vec<FieldProblem> {
    spec::plan_commit(&spec).err().unwrap_or_default()
}

/// `docker commit`: the new image's id and reference.
#[tauri::command]
#[specta::specta]
pub async fn commit_container(
    engine: Active,
    id: String,
    spec: CommitSpec,
) -> Result<Committed, EngineError> {
    containers::commit(&engine.docker()?, &id, &spec).await
}

/// The run dialog's fields that would make this container again (for edit, and for running a
/// commit of it with the same settings).
#[tauri::command]
#[specta::specta]
pub async fn container_spec(engine: Active, id: String) -> Result<RunSpec, EngineError> {
    containers::spec_of(&engine.docker()?, &id).await
}

/// What applying the edit dialog to container `id` would change, and what it keeps.
#[tauri::command]
#[specta::specta]
pub async fn preview_recreate(
    engine: Active,
    id: String,
    spec: RunSpec,
) -> Result<RecreatePreview, EngineError> {
    recreate::preview(&engine.docker()?, &id, &spec).await
}

/// Make container `id` again with what the edit dialog changed, under the same name, keeping
/// everything else. Returns the new container.
#[tauri::command]
#[specta::specta]
pub async fn recreate_container(
    engine: Active,
    id: String,
    spec: RunSpec,
    options: RecreateOptions,
) -> Result<Recreated, EngineError> {
    recreate::recreate(&engine.docker()?, &id, &spec, &options).await
}

/// One container in full, with its inspect document (the details view).
#[tauri::command]
#[specta::specta]
pub async fn container_details(
    engine: Active,
    id: String,
) -> Result<ContainerDetails, EngineError> {
    details::inspect(&engine.docker()?, &id).await
}

/// Open `http://localhost:PORT` in the user's browser. Only a port crosses the boundary: the
/// page can open nothing else.
#[tauri::command]
#[specta::specta]
pub async fn open_in_browser(port: u16) -> Result<(), EngineError> {
    let url = format!("http://localhost:{port}");
    tauri::async_runtime::spawn_blocking(move || crate::engine::process::open_url(&url))
        .await
        .map_err(|e| {
            EngineError::new(ErrorCode::Engine, format!("could not open a browser: {e}"))
        })?
}
