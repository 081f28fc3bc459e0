//! Berth: a native desktop manager for Docker engines.

pub mod api;
pub mod engine;
mod logging;
mod tray;

use std::time::SystemTime;

use tauri::webview::PageLoadEvent;
use tauri::{Manager, WindowEvent};

use api::streams::Streams;
use api::system::ProcessStart;
use engine::{Engine, ResolveEnv};

pub fn run() {
    let started = SystemTime::now();
    let commands = api::builder();
    let engine = Engine::new(ResolveEnv::from_process());

    tauri::Builder::default()
        .invoke_handler(commands.invoke_handler())
        .manage(engine.clone())
        .manage(Streams::default())
        .manage(ProcessStart(started))
        // A reload or navigation starts the page over: whatever it was streaming must stop.
        .on_page_load(|webview, payload| {
            if payload.event() == PageLoadEvent::Started {
                webview.state::<Streams>().stop_owner(webview.label());
            }
        })
        .on_window_event(|window, event| {
            if let WindowEvent::Destroyed = event {
                let streams = window.state::<Streams>();
                for webview in window.webviews() {
                    streams.stop_owner(webview.label());
                }
                streams.stop_owner(window.label());
            }
        })
        .setup(move |app| {
            logging::init(app.path().app_log_dir().ok());
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "berth starting");
            tauri::async_runtime::spawn(engine.clone().run());
            if let Err(e) = tray::install(app.handle(), &engine) {
                tracing::warn!(error = %e, "no tray icon");
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Berth");
}
