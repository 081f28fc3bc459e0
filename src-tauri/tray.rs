//! The tray icon. What it shows is computed by pure functions from the engine state; this file
//! only renders it.

use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::AppHandle;

use crate::engine::{Engine, EngineStatus};

/// The tray tooltip for an engine state.
pub fn tooltip(status: &EngineStatus) -> String {
    match status {
        EngineStatus::Connecting { .. } => "Berth: connecting to the Docker engine".into(),
        EngineStatus::Connected { engine, .. } => {
            format!("Berth: Docker {} connected", engine.version)
        }
        EngineStatus::Unreachable { message, .. } => {
            format!("Berth: Docker engine unreachable ({message})")
        }
    }
}

/// Create the tray icon and keep its tooltip in step with the engine state.
pub fn install(app: &AppHandle, engine: &Engine) -> tauri::Result<TrayIcon> {
    let tray = TrayIconBuilder::with_id("berth")
        .icon(tauri::include_image!("icons/64x64.png"))
        .tooltip(tooltip(&engine.status()))
        .build(app)?;
    let mut status = engine.subscribe().status;
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        while status.changed().await.is_ok() {
            let text = tooltip(&status.borrow_and_update());
            if let Some(tray) = handle.tray_by_id("berth") {
                let _ = tray.set_tooltip(Some(&text));
            }
        }
    });
    Ok(tray)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::connect::{EngineInfo, HostSource, ResolvedHost, UnreachableReason};

    #[test]
    fn tooltip_names_the_state() {
        let up = EngineStatus::Connected {
            host: ResolvedHost {
                uri: "unix:///var/run/docker.sock".into(),
                source: HostSource::Default,
            },
            engine: EngineInfo {
                name: "box".into(),
                version: "20.10.24".into(),
                api_version: "1.41".into(),
                os: "linux".into(),
                arch: "amd64".into(),
            },
        };
        assert_eq!(tooltip(&up), "Berth: Docker 20.10.24 connected");
        let down = EngineStatus::Unreachable {
            host: "unix:///x".into(),
            reason: UnreachableReason::SocketMissing,
            message: "no Docker engine socket at /x".into(),
        };
        assert!(tooltip(&down).contains("unreachable"));
        assert!(tooltip(&down).contains("/x"));
    }
}
