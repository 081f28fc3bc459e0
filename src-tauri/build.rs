fn main() {
    // Listing the app's commands makes Tauri check them against the capability files, so a
    // window can call only what its capability grants.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "engine_status",
        "engine_retry",
        "watch_engine",
        "watch_desktop",
        "stop_stream",
        "diagnostics",
        "report_first_paint",
        "list_containers",
        "check_run",
        "read_env_file",
        "run_container",
        "container_action",
        "rename_container",
        "remove_container",
        "container_changes",
        "check_commit",
        "commit_container",
        "container_spec",
        "preview_recreate",
        "recreate_container",
        "container_details",
        "open_in_browser",
        "follow_logs",
        "ack_logs",
        "save_log",
        "open_terminal",
        "terminal_input",
        "terminal_resize",
        "get_settings",
        "set_settings",
        "tray_shown",
        "list_images",
        "pull_image",
        "list_networks",
        "list_volumes",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
}
