//! Berth: a native desktop manager for Docker engines.

pub mod api;
pub mod engine;
mod logging;
pub mod notify;
pub mod settings;
mod startup;
mod tray;
#[cfg(target_os = "linux")]
mod webkit;

use tauri::webview::PageLoadEvent;
use tauri::{Manager, WindowEvent};

use api::streams::Streams;
use engine::{Engine, ResolveEnv};
use startup::ProcessStart;

/// Closing the window hides it and Berth stays in the tray, unless the setting says otherwise or
/// the desktop shows no tray (then closing quits: a hidden window could not be brought back). The
/// first time, a dialog says so and offers to quit instead.
fn close_to_tray(window: &tauri::Window, api: &tauri::CloseRequestApi) {
    let store = window.state::<settings::Store>().inner().clone();
    if !store.get().close_to_tray {
        return;
    }
    api.prevent_close();
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        if !tray::shown(window.app_handle()).await {
            tracing::info!("no tray on this desktop: closing the window quits");
            window.app_handle().exit(0);
            return;
        }
        if store.get().told_about_tray {
            let _ = window.hide();
            return;
        }
        tell_about_tray(window, store);
    });
}

fn tell_about_tray(window: tauri::Window, store: settings::Store) {
    use tauri_plugin_dialog::{DialogExt, MessageDialogButtons};
    let parent = window.clone();
    window
        .dialog()
        .message(
            "Berth keeps running in the tray, where you can start and stop containers. \
             You can change this in Settings.",
        )
        .title("Berth is still running")
        .parent(&parent)
        .buttons(MessageDialogButtons::OkCancelCustom("Keep running".into(), "Quit Berth".into()))
        .show(move |keep| {
            if keep {
                let _ = store.set(settings::Settings { told_about_tray: true, ..store.get() });
                let _ = window.hide();
            } else {
                window.app_handle().exit(0);
            }
        });
}

/// Set when Berth was started with `--minimized` (at login): the first page load does not show
/// the window.
static START_HIDDEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn run() {
    let start = ProcessStart::now();
    START_HIDDEN
        .store(std::env::args().any(|a| a == "--minimized"), std::sync::atomic::Ordering::SeqCst);
    // Lists show creation times in the machine's time zone: read it while single-threaded.
    engine::clock::init();
    #[cfg(target_os = "linux")]
    webkit::defaults();
    let commands = api::builder();
    let env = ResolveEnv::from_process();
    let engine = Engine::new(env.clone());

    tauri::Builder::default()
        // First: a second launch hands over to the running Berth, which comes to the front.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tracing::info!("another launch: showing the window");
            tray::show_window(app);
        }))
        // Size and position come back as they were; visibility stays ours (shown once loaded).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::all()
                        - tauri_plugin_window_state::StateFlags::VISIBLE,
                )
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(commands.invoke_handler())
        .manage(Streams::default())
        .manage(api::terminals::Terminals::default())
        .manage(api::logs::LogStreams::default())
        .manage(notify::Requests::default())
        .manage(start)
        // A reload or navigation starts the page over: whatever it was streaming must stop.
        .on_page_load(|webview, payload| {
            tracing::debug!(event = ?payload.event(), url = %payload.url(), "page load");
            match payload.event() {
                PageLoadEvent::Started => {
                    webview.state::<ProcessStart>().mark("page started");
                    webview.state::<Streams>().stop_owner(webview.label());
                }
                // The window starts hidden and shows once its page is there: no blank (or, in a
                // dark theme, white) frame first, and WebKit does not stall the first draw
                // waiting for a web process that is still starting.
                PageLoadEvent::Finished => {
                    webview.state::<ProcessStart>().mark("page loaded");
                    // Started at login (`--minimized`): stay in the tray until asked, or
                    // minimized where the desktop shows no tray.
                    let window = webview.window();
                    if !START_HIDDEN.swap(false, std::sync::atomic::Ordering::SeqCst) {
                        let _ = window.show();
                    } else {
                        tauri::async_runtime::spawn(async move {
                            if !tray::shown(window.app_handle()).await {
                                let _ = window.minimize();
                                let _ = window.show();
                            }
                        });
                    }
                }
            }
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                close_to_tray(window, api);
            }
            if let WindowEvent::Destroyed = event {
                let streams = window.state::<Streams>();
                for webview in window.webviews() {
                    streams.stop_owner(webview.label());
                }
                streams.stop_owner(window.label());
            }
        })
        .setup(move |app| {
            app.state::<ProcessStart>().mark("setup");
            logging::init(app.path().app_log_dir().ok());
            let config = app.path().app_config_dir().unwrap_or_else(|_| std::env::temp_dir());
            app.manage(settings::Store::open(config.join("settings.json")));
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "berth starting");
            tauri::async_runtime::spawn(engine.clone().run());
            let engines = {
                let runtime = tauri::async_runtime::handle();
                let _inside = runtime.inner().enter();
                let engines = engine::engines::Engines::new(env.clone(), engine.clone());
                engines.restore(config.join("engines.json"));
                engines
            };
            app.manage(engines);
            if let Err(e) = tray::install(app.handle(), &app.state::<engine::engines::Engines>()) {
                tracing::warn!(error = %e, "no tray icon");
            }
            app.state::<ProcessStart>().mark("tray");
            notify::spawn(app.handle().clone(), &engine);
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Berth");
}
