//! Desktop manners: a second launch hands over to the running Berth and exits; containers that
//! fail send a desktop notification, and clicking it shows the container.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::{docker, unique, Cleanup, BUSYBOX};
use crate::harness::{app_path, App};

#[tokio::test(flavor = "multi_thread")]
async fn a_second_launch_hands_over_to_the_running_one() {
    let app = App::launch(&[]).await;
    app.wait_connected().await;
    let mut second =
        Command::new(app_path()).env("BERTH_LOG", "info").spawn().expect("start a second Berth");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(15) {
            let _ = second.kill();
            panic!("the second launch kept running beside the first");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "the second launch exits cleanly: {status}");
    // The first one is still there and following the engine.
    let mut cleanup = Cleanup::default();
    let name = unique("handover");
    cleanup.container(&name);
    docker(&["run", "-d", "--name", &name, BUSYBOX, "sleep", "600"]);
    crate::live::wait_state(&app, &name, "running").await;
    app.quit().await;
}

/// A session bus of the test's own with a real notification server (dunst) on it, which writes
/// down every notification it shows. Other tests' containers exit too: on a bus of its own, this
/// test sees only what Berth told it.
struct Desktop {
    bus: Child,
    server: Child,
    address: String,
    shown: PathBuf,
    _dir: tempfile::TempDir,
}

impl Desktop {
    fn start() -> Desktop {
        let dir = tempfile::tempdir().unwrap();
        // No service directories: nothing is started on demand, so the only notification server
        // is the one started here.
        let bus_config = dir.path().join("bus.conf");
        std::fs::write(
            &bus_config,
            format!(
                "<busconfig><type>session</type><listen>unix:dir={}</listen><auth>EXTERNAL</auth>\
             <policy context=\"default\"><allow user=\"*\"/><allow own=\"*\"/>\
             <allow send_destination=\"*\"/><allow receive_sender=\"*\"/></policy></busconfig>",
                dir.path().display()
            ),
        )
        .unwrap();
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", bus_config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (Debian package dbus) is needed for this test");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap()).read_line(&mut address).unwrap();
        let address = address.trim().to_string();
        let (shown, record, config) =
            (dir.path().join("shown"), dir.path().join("record.sh"), dir.path().join("dunstrc"));
        write_script(&record, &format!("printf '%s|%s\\n' \"$2\" \"$3\" >> '{}'", shown.display()));
        std::fs::write(
            &config,
            format!("[global]\n    font = Monospace 8\n[record]\n    summary = \"*\"\n    script = {}\n", record.display()),
        )
        .unwrap();
        let server = Command::new("dunst")
            .arg("-config")
            .arg(&config)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .stderr(Stdio::null())
            .spawn()
            .expect("dunst (Debian package dunst) is needed for this test");
        let this = Desktop { bus, server, address, shown, _dir: dir };
        let started = Instant::now();
        while !this.ctl(&["is-paused"]) {
            assert!(started.elapsed() < Duration::from_secs(10), "dunst did not come up");
            std::thread::sleep(Duration::from_millis(100));
        }
        this
    }

    fn ctl(&self, args: &[&str]) -> bool {
        Command::new("dunstctl")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Every notification shown so far, as `summary|body`.
    fn shown(&self) -> Vec<String> {
        std::fs::read_to_string(&self.shown).unwrap_or_default().lines().map(String::from).collect()
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_container_notifies_and_the_notification_opens_it() {
    let desktop = Desktop::start();
    let (stopped, sick, failing) = (unique("asked-stop"), unique("sick"), unique("fails"));
    let mut cleanup = Cleanup::default();
    for n in [&stopped, &sick, &failing] {
        cleanup.container(n);
    }
    docker(&["run", "-d", "--name", &stopped, BUSYBOX, "sleep", "600"]);
    let app = App::launch(&[("DBUS_SESSION_BUS_ADDRESS", &desktop.address)]).await;
    app.wait_connected().await;

    // A stop someone asked for dies with 137 and is no incident; a failing health check is.
    docker(&["stop", "-t", "1", &stopped]);
    docker(&[
        "run",
        "-d",
        "--name",
        &sick,
        "--health-cmd",
        "false",
        "--health-interval",
        "1s",
        "--health-retries",
        "1",
        BUSYBOX,
        "sleep",
        "600",
    ]);
    let want = format!("{sick} is unhealthy|");
    app.wait_for("the unhealthy notification", || async {
        desktop.shown().iter().any(|n| n.starts_with(&want)).then_some(())
    })
    .await;
    assert!(desktop.ctl(&["close-all"]));

    docker(&["run", "-d", "--name", &failing, BUSYBOX, "sh", "-c", "sleep 1; exit 3"]);
    let want = format!("{failing} exited with code 3|");
    app.wait_for("the exit notification", || async {
        desktop.shown().iter().any(|n| n.starts_with(&want)).then_some(())
    })
    .await;
    // Events arrive in order: the stop came long before, and told nobody.
    let shown = desktop.shown();
    assert!(!shown.iter().any(|n| n.contains(&stopped)), "a stop asked for notified: {shown:?}");
    assert_eq!(shown.len(), 2, "one notification each: {shown:?}");

    // Clicking it (dunst's default action) shows that container.
    assert!(desktop.ctl(&["action", "0"]));
    app.by_role("region", &format!("Details of {failing}")).await;
    app.shot("notification-opened").await;
    app.quit().await;
}

/// Ask the window manager's way (there is none under Xvfb: `xwindow.py` does what one would).
pub fn xwindow(what: &str, pid: u32) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/xwindow.py");
    let out = Command::new("/usr/bin/python3")
        .arg(script)
        .args([what, &pid.to_string()])
        .output()
        .expect("python3 with python3-xlib (Debian packages) is needed for this test");
    assert!(out.status.success(), "xwindow.py {what}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// An app whose settings file says `settings` (JSON), with more environment variables.
pub async fn launch_with_settings(
    settings: &str,
    env: &[(&str, &str)],
) -> (App, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("app.berth.desktop");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("settings.json"), settings).unwrap();
    let mut env = env.to_vec();
    env.push(("XDG_CONFIG_HOME", home.path().to_str().unwrap()));
    let app = App::launch(&env).await;
    app.wait_connected().await;
    (app, home)
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_the_window_keeps_berth_in_the_tray_until_shown_again() {
    let (app, _home) = launch_with_settings(r#"{"told_about_tray": true}"#, &[]).await;
    // A desktop with a tray: a StatusNotifier host on the session bus.
    let host = crate::watcher::TrayHost::start();
    let pid = app.app_pid().expect("the app's process");
    assert_eq!(xwindow("shown", pid), "yes");
    xwindow("close", pid);
    app.wait_for("the window to hide", || async { (xwindow("shown", pid) == "no").then_some(()) })
        .await;
    // Still running: its tray menu answers and brings the window back. (The page is not asked:
    // WebKit answers a hidden page's scripts only after tens of seconds.)
    assert!(alive(pid), "closing the window quit Berth");
    crate::tray::click(&app, None, "Show Berth").await;
    app.wait_for("the window to show again", || async {
        (xwindow("shown", pid) == "yes").then_some(())
    })
    .await;
    // The same page, still live, and Settings offers the tray.
    app.wait_connected().await;
    app.by_role("button", "Settings").await.click().await.unwrap();
    app.by_role("region", "Settings").await;
    let offer = app.by_role("checkbox", "Closing the window keeps Berth running in the tray").await;
    app.wait_for("close-to-tray offered", || async {
        offer.is_enabled().await.ok()?.then_some(())
    })
    .await;
    drop(host);
    app.quit().await;
}

/// Stock GNOME shows no tray icons: a window hidden there could never be brought back, so closing
/// it quits, and Settings says why it cannot keep Berth in the tray.
#[tokio::test(flavor = "multi_thread")]
async fn without_a_tray_closing_the_window_quits_and_settings_says_why() {
    let (app, _home) = launch_with_settings(r#"{"told_about_tray": true}"#, &[]).await;
    let pid = app.app_pid().expect("the app's process");
    app.by_role("button", "Settings").await.click().await.unwrap();
    let offer = app.by_role("checkbox", "Closing the window keeps Berth running in the tray").await;
    app.wait_for("close-to-tray to be unavailable", || async {
        (!offer.is_enabled().await.ok()?).then_some(())
    })
    .await;
    let why = app.by_role_containing("paragraph", "shows no tray icons").await;
    assert!(app.text(&why).await.contains("closing the window quits Berth"));
    xwindow("close", pid);
    let started = Instant::now();
    while alive(pid) {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "Berth kept running hidden, with no tray to bring it back"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_close_to_tray_off_closing_the_window_quits() {
    let (app, _home) = launch_with_settings(r#"{"close_to_tray": false}"#, &[]).await;
    let pid = app.app_pid().expect("the app's process");
    xwindow("close", pid);
    let started = Instant::now();
    while alive(pid) {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "Berth kept running after its window closed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    app.quit().await;
}

/// An executable shell script at `path` running `body`.
fn write_script(path: &std::path::Path, body: &str) {
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}

/// The environment of process `pid`, as it started.
fn environment(pid: u32) -> Vec<String> {
    let raw = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
    raw.split(|b| *b == 0).map(|v| String::from_utf8_lossy(v).into_owned()).collect()
}

/// Berth's settings for WebKit reach WebKit's processes, and nothing else that is tied to how one
/// distribution built its libraries (a preloaded library, a chosen Mesa driver); what Berth
/// starts afterwards, here the browser it opens on a port, gets none of them.
#[tokio::test(flavor = "multi_thread")]
async fn webkit_processes_get_berths_settings_and_a_browser_berth_opens_does_not() {
    const FOR_WEBKIT: [&str; 3] =
        ["WEBKIT_DISABLE_COMPOSITING_MODE=1", "WEBKIT_DISABLE_DMABUF_RENDERER=1", "GDK_GL=disable"];
    for setting in FOR_WEBKIT {
        let name = setting.split('=').next().unwrap();
        assert!(std::env::var_os(name).is_none(), "run the tests without {name} set");
    }
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("browser-env");
    let browser = dir.path().join("browser");
    write_script(&browser, &format!("env > {}.part\nmv {0}.part {0}", seen.display()));
    let browser = browser.to_string_lossy().into_owned();
    // xdg-open outside a desktop session opens URLs with $BROWSER.
    let app = App::launch(&[("BROWSER", browser.as_str())]).await;
    app.wait_connected().await;

    let pid = app.app_pid().expect("the app's process");
    let helpers: Vec<u32> = crate::procs::descendants(pid)
        .into_iter()
        .filter(|p| crate::procs::name(*p).starts_with("WebKit"))
        .collect();
    assert!(helpers.len() >= 2, "WebKit's web and network processes run: {helpers:?}");
    for helper in helpers {
        let env = environment(helper);
        let name = crate::procs::name(helper);
        for setting in FOR_WEBKIT {
            assert!(env.iter().any(|v| v == setting), "{name} starts with {setting}");
        }
        for tied in ["LD_PRELOAD=", "GALLIUM_DRIVER=", "JSC_useJIT="] {
            assert!(!env.iter().any(|v| v.starts_with(tied)), "{name} got {tied}");
        }
    }

    app.invoke_with("open_in_browser", serde_json::json!({ "port": 8080 })).await;
    let started = Instant::now();
    while !seen.exists() {
        assert!(started.elapsed() < Duration::from_secs(10), "xdg-open never ran $BROWSER");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let env = std::fs::read_to_string(&seen).unwrap();
    assert!(env.lines().any(|l| l == format!("BROWSER={browser}")), "the browser ran: {env}");
    for setting in FOR_WEBKIT {
        let name = setting.split('=').next().unwrap();
        assert!(
            !env.lines().any(|l| l.starts_with(&format!("{name}="))),
            "the browser got Berth's {name} for WebKit: {env}"
        );
    }
    app.quit().await;
}

/// The window's content policy lets the page reach the backend over Tauri's IPC protocol. Were
/// it blocked, every command and stream would fall back to messages that carry their answers as
/// scripts to evaluate, which costs more for every large list and log batch.
#[tokio::test(flavor = "multi_thread")]
async fn the_page_reaches_the_backend_over_the_ipc_protocol() {
    let app = App::launch(&[]).await;
    app.wait_connected().await;
    let out = app
        .client
        .execute_async(
            r#"const done = arguments[0];
            const blocked = [];
            document.addEventListener('securitypolicyviolation', (e) => blocked.push(`${e.violatedDirective} ${e.blockedURI}`));
            const url = window.__TAURI_INTERNALS__.convertFileSrc('list_engines', 'ipc');
            fetch(url, { method: 'POST', body: '{}' }).then(
              (r) => done({ answered: r.status, blocked }),
              (e) => setTimeout(() => done({ failed: String(e), blocked }), 50),
            );"#,
            vec![],
        )
        .await
        .unwrap();
    app.quit().await;
    // Without the page's invoke key the backend refuses the call, but it is the backend that
    // answers: the request was let through.
    assert!(out.get("answered").is_some(), "the IPC protocol is blocked: {out}");
    assert_eq!(out["blocked"], serde_json::json!([]), "{out}");
}
