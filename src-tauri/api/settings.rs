//! Settings: read them (with any problem found loading them) and change them.

use tauri::State;

use crate::engine::{EngineError, ErrorCode};
use crate::settings::{Loaded, Settings, Store};

/// The settings, and why the settings file could not be used, if it could not.
#[tauri::command]
#[specta::specta]
pub fn get_settings(store: State<'_, Store>) -> Loaded {
    store.loaded()
}

/// Replace the settings; returns them as kept (values brought into range).
#[tauri::command]
#[specta::specta]
pub fn set_settings(store: State<'_, Store>, settings: Settings) -> Result<Settings, EngineError> {
    store.set(settings).map_err(|e| {
        EngineError::new(ErrorCode::Engine, format!("could not save the settings: {e}"))
    })
}
