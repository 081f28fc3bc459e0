//! The command palette in the real window: Ctrl+K, type "stop NAME", Enter; checked with the CLI.

use crate::cli::{docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;
use crate::live::{wait_running, wait_state};

/// Control+K, release.
const CTRL_K: &str = "\u{E009}k\u{E000}";
const ENTER: &str = "\u{E007}";

#[tokio::test(flavor = "multi_thread")]
async fn the_palette_finds_a_container_and_stops_it() {
    let mut cleanup = Cleanup::default();
    let name = unique("palette");
    cleanup.container(&name);
    docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sleep", "600"]);

    let app = App::launch(&[]).await;
    wait_state(&app, &name, "running").await;
    let body = app.client.find(fantoccini::Locator::Css("body")).await.unwrap();
    body.send_keys(CTRL_K).await.unwrap();
    let input = app.by_role("combobox", "Find or do").await;
    input.send_keys(&format!("stop {name}")).await.unwrap();
    app.by_role_containing("option", &format!("Stop {name}")).await;
    input.send_keys(ENTER).await.unwrap();
    wait_running(&app, &name, false).await;
    wait_state(&app, &name, "exited").await;

    // A bare name jumps to the container's logs.
    body.send_keys(CTRL_K).await.unwrap();
    let input = app.by_role("combobox", "Find or do").await;
    input.send_keys(&name).await.unwrap();
    app.by_role_containing("option", &name).await;
    input.send_keys(ENTER).await.unwrap();
    app.by_role("region", &format!("Logs of {name}")).await;
    app.quit().await;
}
