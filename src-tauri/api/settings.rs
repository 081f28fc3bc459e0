//! Settings: read them (with any problem found loading them) and change them.

use tauri::{Manager, State};

use crate::engine::{EngineError, ErrorCode};
use crate::settings::{autostart, Loaded, Settings, Store};

/// The settings, and why the settings file could not be used, if it could not.
#[tauri::command]
#[specta::specta]
pub fn get_settings(store: State<'_, Store>) -> Loaded {
    store.loaded()
}

/// Replace the settings; returns them as kept (values brought into range).
#[tauri::command]
#[specta::specta]
pub fn set_settings(
    app: tauri::AppHandle,
    store: State<'_, Store>,
    settings: Settings,
) -> Result<Settings, EngineError> {
    if settings.start_at_login != store.get().start_at_login {
        let fail = |e: String| {
            EngineError::new(ErrorCode::Io, format!("could not change start at login: {e}"))
        };
        let home = autostart::config_home().ok_or_else(|| fail("no config directory".into()))?;
        // Inside an AppImage the executable lives in a mount that ends with the app.
        let exe = match app.env().appimage {
            Some(image) => image.into(),
            None => std::env::current_exe().map_err(|e| fail(e.to_string()))?,
        };
        autostart::apply(&home, settings.start_at_login, &exe).map_err(|e| fail(e.to_string()))?;
    }
    store
        .set(settings)
        .map_err(|e| EngineError::new(ErrorCode::Io, format!("could not save the settings: {e}")))
}

/// Whether the desktop shows Berth's tray icon (a StatusNotifier host runs): without one,
/// closing the window quits instead of hiding it.
#[tauri::command]
#[specta::specta]
pub async fn tray_shown(app: tauri::AppHandle) -> bool {
    crate::tray::shown(&app).await
}
