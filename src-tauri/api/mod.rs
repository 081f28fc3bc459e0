//! The typed boundary: thin `#[tauri::command]`s over `engine`, registered with tauri-specta so
//! `ui/src/bindings.ts` is generated from them.

pub mod build;
pub mod compose;
pub mod containers;
pub mod disk;
pub mod files;
pub mod images;
pub mod logs;
pub mod networks;
pub mod settings;
pub mod stats;
pub mod streams;
pub mod system;
pub mod terminals;
pub mod volumes;

use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::{Manager, Runtime};
use tauri_specta::{collect_commands, Builder};

use crate::engine::engines::Engines;
use crate::engine::Engine;

/// The engine the window shows, as a command argument: a command acts on the engine that was
/// shown when it was called, whatever is switched to while it runs.
pub struct Active(pub Engine);

impl std::ops::Deref for Active {
    type Target = Engine;
    fn deref(&self) -> &Engine {
        &self.0
    }
}

impl<'de, R: Runtime> CommandArg<'de, R> for Active {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let engines = command
            .message
            .webview_ref()
            .try_state::<Engines>()
            .ok_or_else(|| InvokeError::from("the engines are not set up yet"))?;
        Ok(Active(engines.active()))
    }
}

impl specta::function::FunctionArg for Active {
    fn to_datatype(_: &mut specta::Types) -> Option<specta::datatype::DataType> {
        None
    }
}

/// Every command the UI may call. `build.rs` lists the same names for the capability check.
pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        // Sizes and timestamps are i64/u64 in Rust; every value Berth sends is far below 2^53,
        // so a JavaScript number holds it exactly.
        .dangerously_cast_bigints_to_number()
        // Berth's types only travel one way, so one TypeScript type per Rust type.
        .disable_serde_phases()
        .commands(collect_commands![
            system::engine_status,
            system::engine_retry,
            system::watch_engine,
            system::watch_desktop,
            system::stop_stream,
            system::diagnostics,
            system::report_first_paint,
            system::list_engines,
            system::watch_engines,
            system::switch_engine,
            system::close_engine,
            system::list_contexts,
            system::save_context,
            system::remove_context,
            stats::watch_stats,
            disk::disk_usage,
            disk::cleanup_plan,
            disk::clean_up,
            containers::list_containers,
            containers::containers_since,
            containers::check_run,
            containers::read_env_file,
            containers::run_container,
            containers::container_action,
            containers::rename_container,
            containers::remove_container,
            containers::container_changes,
            containers::check_commit,
            containers::commit_container,
            containers::container_spec,
            containers::preview_recreate,
            containers::recreate_container,
            containers::container_details,
            containers::open_in_browser,
            logs::follow_logs,
            logs::ack_logs,
            logs::save_log,
            terminals::open_terminal,
            terminals::terminal_input,
            terminals::terminal_resize,
            settings::get_settings,
            settings::set_settings,
            settings::tray_shown,
            images::list_images,
            images::image_usage,
            images::image_history,
            images::tag_image,
            images::untag_image,
            images::remove_image,
            images::image_prune_candidates,
            images::prune_images,
            images::pull_image,
            images::push_image,
            images::cancel_transfer,
            images::registry_logins,
            images::registry_login,
            images::registry_logout,
            images::search_hub,
            images::search_registry,
            images::registry_tags,
            images::save_images,
            images::load_images,
            images::cancel_archive,
            build::check_build,
            build::build_image,
            build::cancel_build,
            build::pick_build_folder,
            networks::list_networks,
            networks::network_details,
            networks::check_network,
            networks::create_network,
            networks::remove_network,
            networks::network_prune_candidates,
            networks::prune_networks,
            networks::connect_network,
            networks::disconnect_network,
            volumes::list_volumes,
            volumes::volume_sizes,
            volumes::check_volume,
            volumes::create_volume,
            volumes::remove_volume,
            volumes::volume_prune_candidates,
            volumes::prune_volumes,
            compose::list_projects,
            compose::project_action,
            compose::remove_project_containers,
            compose::down_project,
            compose::compose_program,
            compose::run_compose,
            compose::pick_compose_file,
            files::save_picture,
        ])
}

#[cfg(test)]
mod tests {
    /// Where the generated bindings live.
    const BINDINGS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/bindings.ts");

    /// The bindings as they would be generated now.
    fn render_bindings() -> String {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bindings.ts");
        super::builder()
            .export(
                specta_typescript::Typescript::default()
                    .header("// Generated by `cargo test bindings`. Do not edit.\n"),
                &path,
            )
            .expect("export typescript bindings");
        std::fs::read_to_string(&path).expect("read generated bindings")
    }

    /// Writes `ui/src/bindings.ts` and fails when that changed it, so CI (which never commits)
    /// fails whenever the committed bindings drift from the commands.
    #[test]
    fn bindings_are_current() {
        let fresh = render_bindings();
        let committed = std::fs::read_to_string(BINDINGS_PATH).unwrap_or_default();
        if fresh != committed {
            std::fs::write(BINDINGS_PATH, &fresh).expect("write bindings");
            panic!(
                "ui/src/bindings.ts was out of date and has been regenerated; review and commit it"
            );
        }
    }
}
