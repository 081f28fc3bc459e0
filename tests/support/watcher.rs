//! A StatusNotifierWatcher with a host registered, as a desktop with a tray (KDE, GNOME with the
//! AppIndicator extension, Xfce's panel) has on its session bus. While it lives, Berth sees a
//! tray; the e2e session bus has none otherwise.

pub struct TrayHost {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

struct Watcher {
    items: Vec<String>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(&mut self, service: String) {
        self.items.push(service);
    }

    fn register_status_notifier_host(&mut self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

impl TrayHost {
    /// Own `org.kde.StatusNotifierWatcher` on the session bus until dropped. It answers from a
    /// thread of its own, so a test blocked in a `gdbus` call to every bus name gets its answer.
    pub fn start() -> TrayHost {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, up) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let bus = zbus::connection::Builder::session()
                    .expect(
                        "a D-Bus session bus: run under dbus-run-session (scripts/test.sh does)",
                    )
                    .name("org.kde.StatusNotifierWatcher")
                    .expect("the watcher's name")
                    .serve_at("/StatusNotifierWatcher", Watcher { items: Vec::new() })
                    .expect("serve the watcher")
                    .build()
                    .await
                    .expect("own org.kde.StatusNotifierWatcher on the session bus");
                ready.send(()).unwrap();
                let _ = stopped.await;
                drop(bus);
            });
        });
        up.recv().expect("the watcher started");
        TrayHost { stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for TrayHost {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
