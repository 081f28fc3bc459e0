use super::Active;
use tauri::ipc::Channel;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use crate::engine::build::{self, BuildLine, BuildSpec};
use crate::engine::spec::RunCheck;
use crate::engine::EngineError;

/// Check the build dialog: each problem beside its field, and the `docker build` line.
#[tauri::command]
#[specta::specta]
pub async fn check_build(spec: BuildSpec) -> RunCheck {
    RunCheck { problems: build::problems(&spec), command: build::cli(&spec) }
}

/// `docker build`, its output streamed line by line; stopped by `cancel_build(key)`. The
/// built image's id.
#[tauri::command]
#[specta::specta]
pub async fn build_image(
    engine: Active,
    key: String,
    spec: BuildSpec,
    on_output: Channel<BuildLine>,
) -> Result<String, EngineError> {
    let docker = engine.docker()?;
    let work = async move {
        build::build(&docker, &spec, |line| {
            let _ = on_output.send(line);
        })
        .await
    };
    engine.cancels().run(&key, "build", work).await
}

/// Stop the build started under `key`; whether one was running.
#[tauri::command]
#[specta::specta]
pub async fn cancel_build(engine: Active, key: String) -> Result<bool, EngineError> {
    Ok(engine.cancels().cancel(&key))
}

/// Ask for a folder to build (the native folder dialog). Its path, or `null` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_build_folder(app: AppHandle) -> Option<String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title("Choose a folder with a Dockerfile").pick_folder(move |path| {
        let _ = tx.send(path);
    });
    let path = rx.await.ok().flatten()?;
    path.into_path().ok().map(|p| p.display().to_string())
}
