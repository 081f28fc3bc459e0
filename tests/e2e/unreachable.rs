//! With no engine at the configured address the window explains what to do, and Retry
//! connects as soon as the engine is there.

use std::path::PathBuf;

use crate::harness::App;
use crate::proxy::Proxy;

#[tokio::test(flavor = "multi_thread")]
async fn explains_a_missing_engine_and_connects_on_retry() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("docker.sock");
    let host = format!("unix://{}", sock.display());

    let app = App::launch(&[("DOCKER_HOST", &host)]).await;
    let alert = app.by_role_containing("alert", "The Docker engine is not running").await;
    let text = app.text(&alert).await;
    assert!(text.contains(&host), "names the address it tried: {text}");
    let status = app.by_role("status", "Engine status").await;
    assert!(app.text(&status).await.contains("Unreachable"));

    // The engine appears at that address; Retry connects without waiting for the backoff.
    let real = PathBuf::from("/var/run/docker.sock");
    let mut lost_races = 0;
    let proxy = loop {
        let retry = app.by_role("button", "Retry now").await;
        let proxy = Proxy::start(&sock, real.clone());
        match retry.click().await {
            Ok(()) => break proxy,
            // The backend's own backoff reached the engine between the proxy starting and the
            // click, and the panel went away with its button. Take the engine away and try again,
            // so that the click is what this test sees connect.
            Err(e) if e.is_stale_element_reference() && lost_races < 3 => {
                lost_races += 1;
                app.wait_connected().await;
                proxy.stop();
                app.by_role("button", "Retry now").await;
            }
            Err(e) => panic!("click Retry now: {e}"),
        }
    };
    // Connected: the status bar says so and the alert is gone (the list may be empty here).
    app.wait_connected().await;
    assert!(app.query("alert", "The Docker engine", true).await.is_empty());

    // And when it goes away again, the window says so.
    proxy.stop();
    app.by_role_containing("alert", "The Docker engine").await;
    app.quit().await;
}
