//! `docker system df -v` and the clean-up that removes exactly what it listed.

use super::Active;
use crate::engine::disk::{self, CleanupKind, CleanupPlan, CleanupReport, DiskUsage};
use crate::engine::EngineError;

/// Space used by images, containers, volumes and build cache, with what is reclaimable.
#[tauri::command]
#[specta::specta]
pub async fn disk_usage(engine: Active) -> Result<DiskUsage, EngineError> {
    disk::usage(&engine).await
}

/// Exactly what cleaning up `kinds` would remove now, and the space it takes.
#[tauri::command]
#[specta::specta]
pub async fn cleanup_plan(
    engine: Active,
    kinds: Vec<CleanupKind>,
) -> Result<CleanupPlan, EngineError> {
    disk::plan(&engine, &kinds).await
}

/// Remove what `plan` lists (the plan the user confirmed), nothing else.
#[tauri::command]
#[specta::specta]
pub async fn clean_up(engine: Active, plan: CleanupPlan) -> Result<CleanupReport, EngineError> {
    disk::clean_up(&engine, &plan).await
}
