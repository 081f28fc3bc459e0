//! Several engines in the real window: add the second engine (TLS, `ensure_tls_engine`) as a
//! context, switch to it, run a container there from the run dialog, switch back, see each
//! engine's own containers; stop the second dockerd and see only its state change; start it
//! again and see it reconnect. Checked with the docker CLI on both engines.

use std::process::Command;

use crate::cli::{
    docker, docker2, engine2_certs, test_state, try_docker2, unique, Cleanup, Gone2, BUSYBOX,
    TLS_ENGINE,
};
use crate::harness::App;
use crate::live::wait_state;

/// Open the sidebar's engine list (if closed) and wait for an entry whose name contains `part`.
async fn engine_entry(app: &App, part: &str) -> fantoccini::elements::Element {
    app.wait_for(&format!("an engine entry like “{part}”"), || async {
        if let Some(e) = app.query("button", part, true).await.into_iter().next() {
            return Some(e);
        }
        let switcher = app.query("button", "Engine ", true).await.into_iter().next()?;
        if switcher.attr("aria-expanded").await.ok().flatten().as_deref() != Some("true") {
            switcher.click().await.ok()?;
        }
        None
    })
    .await
}

/// Start the second engine again as scripts/test.sh did (same certificates); true when it is up.
fn start_engine2() -> bool {
    let ok = Command::new("bash")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["-c", "source scripts/lib.sh && ensure_tls_engine"])
        .status()
        .is_ok_and(|s| s.success());
    ok && try_docker2(&["version"]).is_some()
}

/// Leaves the second engine running, even when the test fails after stopping it.
struct Engine2Back;

impl Drop for Engine2Back {
    fn drop(&mut self) {
        if try_docker2(&["version"]).is_none() {
            start_engine2();
        }
    }
}

/// Run a `BUSYBOX` that sleeps (and stops at once when asked) named `name` from the run dialog,
/// on the engine shown.
async fn run_from_dialog(app: &App, name: &str) {
    app.by_role("button", "Run a container…").await.click().await.unwrap();
    app.by_role("dialog", "Run a container").await;
    app.by_role("textbox", "Image").await.send_keys(BUSYBOX).await.unwrap();
    app.by_role("textbox", "Name").await.send_keys(name).await.unwrap();
    app.open_advanced().await;
    app.by_role("textbox", "Command")
        .await
        .send_keys("sh -c 'trap \"exit 0\" TERM; sleep 600 & wait'")
        .await
        .unwrap();
    let run = app.by_role("button", "Run").await;
    app.wait_for("Run to be enabled", || async { run.is_enabled().await.ok()?.then_some(()) })
        .await;
    run.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tls_engine_is_added_switched_to_used_and_followed_when_it_goes_and_comes_back() {
    let certs = engine2_certs();
    let _back = Engine2Back;
    let config = tempfile::tempdir().unwrap();
    let mut cleanup = Cleanup::default();
    let (here, there) = (unique("engine-here"), unique("engine-there"));
    cleanup.container(&here);
    let _gone = Gone2(there.clone());
    docker(&["create", "--name", &here, BUSYBOX, "true"]);
    let config_dir = config.path().to_string_lossy().into_owned();
    let app = App::launch(&[("DOCKER_CONFIG", &config_dir)]).await;
    app.wait_connected().await;
    wait_state(&app, &here, "created").await;

    // Add the TLS engine as a context, by its address and the client's files.
    engine_entry(&app, "Engines…").await.click().await.unwrap();
    app.by_role("dialog", "Engines").await;
    app.by_role("button", "Add engine…").await.click().await.unwrap();
    let field = |label: &'static str| app.by_role("textbox", label);
    field("Name").await.send_keys("tls-e2e").await.unwrap();
    field("Address").await.send_keys(TLS_ENGINE).await.unwrap();
    for (label, file) in [
        ("CA certificate", "ca.pem"),
        ("Client certificate", "cert.pem"),
        ("Client key", "key.pem"),
    ] {
        field(label).await.send_keys(&certs.join(file).to_string_lossy()).await.unwrap();
    }
    app.by_role("button", "Add").await.click().await.unwrap();
    app.wait_for("the context to be added", || async {
        app.try_by_role("button", "Show engine tls-e2e").await
    })
    .await;
    // The docker CLI uses what Berth wrote.
    let cli = Command::new("docker")
        .env("DOCKER_CONFIG", config.path())
        .args(["--context", "tls-e2e", "info", "--format", "{{.Name}}"])
        .output()
        .unwrap();
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));

    // Show it: the window is about the second engine now.
    app.by_role("button", "Show engine tls-e2e").await.click().await.unwrap();
    engine_entry(&app, "Engine tls-e2e, connected").await;
    app.wait_connected().await;
    app.wait_for(&format!("{here} to leave the list"), || async {
        app.try_by_role("row", &here).await.is_none().then_some(())
    })
    .await;
    run_from_dialog(&app, &there).await;
    wait_state(&app, &there, "running").await;
    assert_eq!(docker2(&["inspect", "-f", "{{.State.Running}}", &there]), "true");
    assert!(
        crate::cli::try_docker(&["inspect", &there]).is_none(),
        "{there} is on the first engine"
    );

    // Back to the docker CLI's engine: its own containers, not the other's.
    engine_entry(&app, "Switch to engine docker").await.click().await.unwrap();
    wait_state(&app, &here, "created").await;
    assert!(app.try_by_role("row", &there).await.is_none());

    // The tray lists the other engine's running container and acts on that engine.
    crate::tray::click(&app, Some(&format!("● {there}")), "Stop").await;
    app.wait_for(&format!("{there} to stop on the second engine"), || async {
        (docker2(&["inspect", "-f", "{{.State.Running}}", &there]) == "false").then_some(())
    })
    .await;

    // The second engine goes away: only its state changes. (Its running container first: a
    // dockerd that stops waits 15 s for each.)
    docker2(&["rm", "-f", &there]);
    let pid = std::fs::read_to_string(test_state().join("engine2/docker.pid")).unwrap();
    let stopped = Command::new("kill").arg(pid.trim()).status().unwrap();
    assert!(stopped.success());
    app.wait_for("tls-e2e to be shown as away", || async {
        let e = engine_entry(&app, "Switch to engine tls-e2e (").await;
        let label = e.attr("aria-label").await.ok().flatten()?;
        (label.contains("(reconnecting)") || label.contains("(unreachable)")).then_some(())
    })
    .await;
    engine_entry(&app, "Switch to engine docker (connected)").await;
    wait_state(&app, &here, "created").await;

    // It comes back: Berth reconnects by itself.
    assert!(start_engine2(), "the second engine did not start again");
    engine_entry(&app, "Switch to engine tls-e2e (connected)").await;
    app.quit().await;
}
