//! Desktop notifications for container incidents (a non-zero exit nobody asked for, a failing
//! health check), through the freedesktop notification service on the session bus. Which
//! containers notify is a setting (all, favourites, none); clicking a notification shows the
//! window with that container open.

use crate::engine::sync::lock;
use std::collections::HashMap;

use tauri::{AppHandle, Manager};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::engine::incidents::Incident;
use crate::engine::Engine;
use crate::settings::{NotifyFor, Settings, Store};

/// Whether `incident` should notify under `settings`.
pub fn wanted(settings: &Settings, incident: &Incident) -> bool {
    match settings.notify {
        NotifyFor::All => true,
        NotifyFor::Favourites => settings.favourites.contains(&incident.name),
        NotifyFor::Off => false,
    }
}

/// What the desktop asks of the window.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", content = "data")]
pub enum DesktopRequest {
    /// Show this container (its notification was clicked).
    OpenContainer { id: String, name: String },
}

/// Where desktop requests go; the window subscribes with `watch_desktop`.
#[derive(Clone)]
pub struct Requests(pub broadcast::Sender<DesktopRequest>);

impl Default for Requests {
    fn default() -> Self {
        Self(broadcast::channel(16).0)
    }
}

#[zbus::proxy(
    interface = "org.freedesktop.Notifications",
    default_service = "org.freedesktop.Notifications",
    default_path = "/org/freedesktop/Notifications"
)]
trait Notifications {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: &str,
        replaces_id: u32,
        app_icon: &str,
        summary: &str,
        body: &str,
        actions: &[&str],
        hints: HashMap<&str, zbus::zvariant::Value<'_>>,
        expire_timeout: i32,
    ) -> zbus::Result<u32>;

    #[zbus(signal)]
    fn action_invoked(&self, id: u32, action_key: String) -> zbus::Result<()>;
}

/// Send a notification for each wanted incident for as long as Berth runs.
pub fn spawn(app: AppHandle, engine: &Engine) {
    let incidents = engine.incidents();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = run(app, incidents).await {
            tracing::warn!(error = %e, "no desktop notifications");
        }
    });
}

async fn run(app: AppHandle, mut incidents: broadcast::Receiver<Incident>) -> zbus::Result<()> {
    let bus = zbus::Connection::session().await?;
    let proxy = NotificationsProxy::new(&bus).await?;
    // Which notification shows which container: a container's next incident replaces its last
    // notification (a crash loop is one notification), and a click finds its container.
    let shown = std::sync::Arc::new(std::sync::Mutex::new(HashMap::<u32, Incident>::new()));
    let mut clicks = proxy.receive_action_invoked().await?;
    let (clicked, requests) = (shown.clone(), app.state::<Requests>().inner().clone());
    let opener = app.clone();
    tauri::async_runtime::spawn(async move {
        use futures_util::StreamExt;
        while let Some(signal) = clicks.next().await {
            let Ok(args) = signal.args() else { continue };
            if args.action_key != "default" {
                continue;
            }
            let Some(incident) = lock(&clicked).get(&args.id).cloned() else {
                continue;
            };
            tracing::debug!(container = incident.name, "notification clicked");
            crate::tray::show_window(&opener);
            let _ = requests
                .0
                .send(DesktopRequest::OpenContainer { id: incident.id, name: incident.name });
        }
    });
    loop {
        let incident = match incidents.recv().await {
            Ok(i) => i,
            Err(RecvError::Lagged(n)) => {
                tracing::warn!(missed = n, "container incidents came faster than notified");
                continue;
            }
            Err(RecvError::Closed) => return Ok(()),
        };
        let settings = app.state::<Store>().get();
        if !wanted(&settings, &incident) {
            continue;
        }
        let (summary, body) = incident.text();
        let replaces = {
            let shown = lock(&shown);
            shown.iter().find(|(_, i)| i.id == incident.id).map_or(0, |(n, _)| *n)
        };
        let mut hints = HashMap::new();
        // The packages install `Berth.desktop`.
        hints.insert("desktop-entry", zbus::zvariant::Value::from("Berth"));
        match proxy
            .notify("Berth", replaces, "berth", &summary, &body, &["default", "Open"], hints, -1)
            .await
        {
            Ok(id) => {
                tracing::info!(container = incident.name, id, summary, "notified");
                let mut shown = lock(&shown);
                shown.remove(&replaces);
                shown.insert(id, incident);
                // Only recent notifications are still on screen to be clicked.
                while shown.len() > 64 {
                    let oldest = *shown.keys().min().expect("not empty");
                    shown.remove(&oldest);
                }
            }
            Err(e) => tracing::warn!(error = %e, summary, "notification not shown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::incidents::What;

    #[test]
    fn the_setting_picks_which_containers_notify() {
        let incident = Incident {
            id: "1".into(),
            name: "web".into(),
            what: What::Exited { code: 1, oom: false },
        };
        let mut s = Settings::default();
        assert_eq!(s.notify, NotifyFor::All);
        assert!(wanted(&s, &incident));
        s.notify = NotifyFor::Favourites;
        assert!(!wanted(&s, &incident));
        s.favourites = vec!["db".into(), "web".into()];
        assert!(wanted(&s, &incident));
        s.notify = NotifyFor::Off;
        assert!(!wanted(&s, &incident));
    }
}
