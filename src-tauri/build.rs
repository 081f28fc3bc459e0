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
        "run_container",
        "container_action",
        "rename_container",
        "remove_container",
        "container_changes",
        "check_commit",
        "commit_container",
        "container_spec",
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
        "list_images",
        "pull_image",
        "list_networks",
        "list_volumes",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
    link_voice_first();
}

/// Where libwebkit2gtk links flite's `cmu_time_awb` voice (Debian does), the Berth binary links it
/// too, ahead of the libraries that bring it: the dynamic loader then resolves the voice's 31,000
/// references to its own symbols at once instead of searching WebKit's 169 libraries for each,
/// about 30 ms before `main` (see `src-tauri/webkit.rs`, which does the same for WebKit's
/// processes). Elsewhere nothing changes.
fn link_voice_first() {
    const VOICE: &str = "libflite_cmu_time_awb.so.1";
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let output = |program: &str, args: &[&str]| {
        std::process::Command::new(program)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let Some(libdir) = output("pkg-config", &["--variable=libdir", "webkit2gtk-4.1"]) else {
        return;
    };
    let libdir = std::path::Path::new(libdir.trim());
    let webkit = libdir.join("libwebkit2gtk-4.1.so.0");
    let voice = libdir.join(VOICE);
    if !webkit.exists() {
        return;
    }
    println!("cargo:rerun-if-changed={}", webkit.display());
    let needs_voice = output("objdump", &["-p", &webkit.to_string_lossy()]).is_some_and(|p| {
        p.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["NEEDED", VOICE])
    });
    if needs_voice && voice.exists() {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--push-state,--no-as-needed,{},--pop-state",
            voice.display()
        );
    }
}
