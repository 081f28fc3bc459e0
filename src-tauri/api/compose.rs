//! Compose projects in the window: the list, actions on a project as one, and running the compose
//! program on a project's files with its output streamed to the page.

use super::Active;
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, State, Webview};
use tauri_plugin_dialog::DialogExt;

use crate::engine::compose::program::{
    self, ComposeLine, ComposeProgram, ComposeTarget, ComposeVerb,
};
use crate::engine::compose::{self, Down, Project};
use crate::engine::containers::Action;
use crate::engine::networks::Removal;
use crate::engine::EngineError;

use super::streams::{StreamId, Streams};

/// Every compose project with containers on the engine.
#[tauri::command]
#[specta::specta]
pub async fn list_projects(engine: Active) -> Result<Vec<Project>, EngineError> {
    compose::list(&engine.docker()?).await
}

/// Start, stop or restart every container of a project; what happened to each.
#[tauri::command]
#[specta::specta]
pub async fn project_action(
    engine: Active,
    project: String,
    action: Action,
) -> Result<Vec<Removal>, EngineError> {
    let all = engine.containers().await?;
    let done = compose::act(&engine.docker()?, &all, &project, action).await;
    Ok(done.into_iter().map(Removal::from).collect())
}

/// Remove every container of a project (stopped first); its networks and volumes stay.
#[tauri::command]
#[specta::specta]
pub async fn remove_project_containers(
    engine: Active,
    project: String,
) -> Result<Vec<Removal>, EngineError> {
    let all = engine.containers().await?;
    let done = compose::remove_containers(&engine.docker()?, &all, &project).await;
    Ok(done.into_iter().map(Removal::from).collect())
}

/// Take a project down: containers and networks; `volumes` (confirmed by name) removes its
/// volumes too.
#[tauri::command]
#[specta::specta]
pub async fn down_project(
    engine: Active,
    project: String,
    volumes: bool,
) -> Result<Down, EngineError> {
    engine.down_project(&project, volumes).await
}

/// The compose program Berth uses, or `null` when none is installed.
#[tauri::command]
#[specta::specta]
pub async fn compose_program() -> Option<ComposeProgram> {
    program::found().await
}

/// What a compose run sends.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "kind", content = "data")]
pub enum ComposeEvent {
    Line(ComposeLine),
    /// The program ended: `null` when it succeeded, else why not.
    Done(Option<EngineError>),
}

/// Run the compose program: `verb` on the project of `target`'s files, against the connected
/// engine. Its lines and its end go to `on_output`; `stop_stream` stops it.
#[tauri::command]
#[specta::specta]
pub async fn run_compose(
    webview: Webview,
    engine: Active,
    streams: State<'_, Streams>,
    target: ComposeTarget,
    verb: ComposeVerb,
    on_output: Channel<ComposeEvent>,
) -> Result<StreamId, EngineError> {
    let program = program::found().await.ok_or_else(program::missing)?;
    program::directory(&target)?;
    let host = engine.host_uri()?;
    let networks_changed = engine.networks_changed_after();
    Ok(streams.start(webview.label(), async move {
        let lines = on_output.clone();
        let end = program::run(&program, &target, verb, &host, |l| {
            let _ = lines.send(ComposeEvent::Line(l));
        })
        .await;
        drop(networks_changed);
        let _ = on_output.send(ComposeEvent::Done(end.err()));
    }))
}

/// Ask for a compose file (the native open dialog). Its path, or `null` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_compose_file(app: AppHandle) -> Option<String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Open a compose file")
        .add_filter("Compose file", &["yml", "yaml"])
        .pick_file(move |path| {
            let _ = tx.send(path);
        });
    let path = rx.await.ok().flatten()?;
    path.into_path().ok().map(|p| p.display().to_string())
}
