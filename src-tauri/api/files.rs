//! Saving what the window made (a log, an exported map) where the user chooses.

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use crate::engine::{EngineError, ErrorCode};

/// Ask where to save (the native save dialog, suggesting `file_name`): the path, or `None`
/// when the user cancelled.
pub async fn ask_save_path(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    filter: (&str, &[&str]),
) -> Result<Option<std::path::PathBuf>, EngineError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(filter.0, filter.1)
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let Some(path) = rx.await.ok().flatten() else { return Ok(None) };
    path.into_path()
        .map(Some)
        .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot save there: {e}")))
}

/// Ask for a file to open (the native open dialog): its path, or `None` when cancelled.
pub async fn ask_open_path(
    app: &AppHandle,
    title: &str,
    filter: (&str, &[&str]),
) -> Option<std::path::PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).add_filter(filter.0, filter.1).pick_file(move |path| {
        let _ = tx.send(path);
    });
    rx.await.ok().flatten()?.into_path().ok()
}

/// Ask where to save (the native save dialog, suggesting `file_name`) and write `contents`
/// there. The chosen path, or `None` when the user cancelled.
pub async fn ask_and_write(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    filter: (&str, &[&str]),
    contents: &[u8],
) -> Result<Option<String>, EngineError> {
    let Some(path) = ask_save_path(app, title, file_name, filter).await? else { return Ok(None) };
    tokio::fs::write(&path, contents)
        .await
        .map_err(|e| EngineError::io(format!("could not write {}", path.display()), e))?;
    Ok(Some(path.display().to_string()))
}

/// Save an exported picture of the map: `file_name` ends in `.svg` or `.png`.
#[tauri::command]
#[specta::specta]
pub async fn save_picture(
    app: AppHandle,
    file_name: String,
    contents: Vec<u8>,
) -> Result<Option<String>, EngineError> {
    let filter = if file_name.ends_with(".png") {
        ("PNG image", &["png"][..])
    } else {
        ("SVG image", &["svg"][..])
    };
    ask_and_write(&app, "Export the map", &file_name, filter, &contents).await
}
