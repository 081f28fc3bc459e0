//! The command palette in the real window: Ctrl+K, type "stop NAME", Enter; checked with the CLI.

use crate::cli::{docker, push_to_registry, unique, Cleanup, BUSYBOX};
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

#[tokio::test(flavor = "multi_thread")]
async fn the_palette_pulls_an_image_and_says_when_one_does_not_exist() {
    let mut cleanup = Cleanup::default();
    let reference = push_to_registry(&unique("palette-pull"));
    cleanup.image(&reference);
    let missing = format!("127.0.0.1:5000/{}:v1", unique("absent"));

    let app = App::launch(&[]).await;
    app.wait_connected().await;
    let body = app.client.find(fantoccini::Locator::Css("body")).await.unwrap();
    for what in [&reference, &missing] {
        body.send_keys(CTRL_K).await.unwrap();
        let input = app.by_role("combobox", "Find or do").await;
        input.send_keys(&format!("pull {what}")).await.unwrap();
        app.by_role_containing("option", &format!("Pull {what}")).await;
        input.send_keys(ENTER).await.unwrap();
    }
    // The pull shows in the Images view, ends, and the image is listed (and in the engine).
    app.wait_for("the pull to finish", || async {
        let status = app.try_by_role("listitem", &format!("Pull of {reference}")).await?;
        app.text(&status).await.contains(&format!("Pulled {reference}")).then_some(())
    })
    .await;
    let (repo, tag) = reference.rsplit_once(':').unwrap();
    app.by_role("row", &format!("{repo}:{tag}")).await;
    assert!(docker(&["image", "inspect", "-f", "{{.Id}}", &reference]).starts_with("sha256:"));
    // The one the registry lacks says so, by name.
    let alert = app.by_role("listitem", &format!("Pull of {missing}")).await;
    let text = app
        .wait_for("the failed pull to say why", || async {
            let t = app.text(&alert).await;
            t.contains("could not pull").then_some(t)
        })
        .await;
    assert!(text.contains(&missing), "{text}");
    app.shot("pulls").await;
    app.quit().await;
}
