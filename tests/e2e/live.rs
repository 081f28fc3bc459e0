//! The containers list follows the engine: what the CLI does shows up without a reload.

use crate::cli::{docker, try_docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};

pub async fn row_state(app: &App, name: &str) -> Option<String> {
    let row = app.try_by_role("row", name).await?;
    row.attr("data-state").await.ok().flatten()
}

pub async fn wait_state(app: &App, name: &str, want: &str) {
    app.wait_for(&format!("{name} to show {want}"), || async {
        (row_state(app, name).await.as_deref() == Some(want)).then_some(())
    })
    .await;
}

/// Wait until the docker CLI says `name` is running (or not).
pub async fn wait_running(app: &App, name: &str, running: bool) {
    let want = if running { "true" } else { "false" };
    app.wait_for(&format!("{name} to be running={want} in `docker inspect`"), || async {
        (docker(&["inspect", "-f", "{{.State.Running}}", name]) == want).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_a_cli_container_and_follows_cli_changes_without_reload() {
    let mut cleanup = Cleanup::default();
    let name = unique("live");
    let later = unique("later");
    cleanup.container(&name);
    cleanup.container(&later);
    docker(&["run", "-d", "--name", &name, "-p", "127.0.0.1::80", BUSYBOX, "sleep", "600"]);

    let app = App::launch(&[]).await;
    app.by_role("table", "Containers").await;
    wait_state(&app, &name, "running").await;
    let port = docker(&["port", &name, "80/tcp"]);
    let text = app.text_by_role("row", &name).await.unwrap_or_default();
    assert!(text.contains(&format!("{}->80/tcp", port.lines().next().unwrap())), "{text}");

    docker(&["stop", "-t", "0", &name]);
    wait_state(&app, &name, "exited").await;

    docker(&["start", &name]);
    wait_state(&app, &name, "running").await;

    docker(&["run", "-d", "--name", &later, BUSYBOX, "sleep", "600"]);
    wait_state(&app, &later, "running").await;

    docker(&["rm", "-f", &later]);
    app.wait_for("the removed container to leave the list", || async {
        app.try_by_role("row", &later).await.is_none().then_some(())
    })
    .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_restarts_the_feed_without_leaving_the_old_one_running() {
    let mut cleanup = Cleanup::default();
    let after = unique("after-reload");
    cleanup.container(&after);

    let app = App::launch(&[]).await;
    app.wait_connected().await;
    let streams = |v: serde_json::Value| v["active_streams"].as_u64().unwrap();
    // Each page holds three streams: the engine's change feed, the engines list and the
    // desktop's requests.
    const PER_PAGE: u64 = 3;
    app.wait_for("the page's streams", || async {
        (streams(app.invoke("diagnostics").await) == PER_PAGE).then_some(())
    })
    .await;

    for _ in 0..3 {
        app.client.refresh().await.unwrap();
        app.wait_connected().await;
    }
    // The streams of each earlier page were stopped by the backend; only the current page's run.
    app.wait_for("one page's streams after reloads", || async {
        (streams(app.invoke("diagnostics").await) == PER_PAGE).then_some(())
    })
    .await;
    // Once the page shows a later CLI change, whatever the reloads left behind has had its turn.
    docker(&["run", "-d", "--name", &after, BUSYBOX, "sleep", "600"]);
    wait_state(&app, &after, "running").await;
    assert_eq!(streams(app.invoke("diagnostics").await), PER_PAGE, "no stream outlived its page");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn compose_projects_are_grouped_and_filters_apply() {
    let mut cleanup = Cleanup::default();
    let project = unique("proj").replace('-', "");
    let web = format!("{project}-web-1");
    let db = format!("{project}-db-1");
    let solo = unique("solo");
    for n in [&web, &db, &solo] {
        cleanup.container(n);
    }
    let label = format!("com.docker.compose.project={project}");
    docker(&[
        "run",
        "-d",
        "--name",
        &web,
        "-l",
        &label,
        "-l",
        "com.docker.compose.service=web",
        BUSYBOX,
        "sleep",
        "600",
    ]);
    docker(&[
        "create",
        "--name",
        &db,
        "-l",
        &label,
        "-l",
        "com.docker.compose.service=db",
        BUSYBOX,
    ]);
    docker(&["create", "--name", &solo, BUSYBOX]);

    let app = App::launch(&[]).await;
    // Other tests' containers come and go in the same list, moving rows between drawn places:
    // the project's row is found and read in one step.
    let group = format!("Compose project {project}");
    app.wait_for(&format!("{group} to say 1 of 2 running"), || async {
        app.text_by_role("row", &group).await?.contains("1 of 2 running").then_some(())
    })
    .await;
    app.by_role("row", &web).await;

    // Running only: the created containers go away, the running one stays.
    app.by_role_containing("radio", "Running").await.click().await.unwrap();
    app.wait_for("stopped containers to be filtered out", || async {
        app.try_by_role("row", &solo).await.is_none().then_some(())
    })
    .await;
    assert!(app.try_by_role("row", &db).await.is_none());
    assert!(app.try_by_role("row", &web).await.is_some());

    // Text filter over all containers.
    app.by_role_containing("radio", "All").await.click().await.unwrap();
    let search = app.by_role("searchbox", "Filter containers").await;
    search.send_keys(&solo).await.unwrap();
    app.by_role("row", &solo).await;
    app.wait_for("other containers to be filtered out", || async {
        app.try_by_role("row", &web).await.is_none().then_some(())
    })
    .await;

    // The field's clear button (WebKit's own, drawn by Berth's CSS at the field's right end)
    // empties the filter: every container is back.
    let (x, y, w, h) = search.rectangle().await.unwrap();
    let click = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo { duration: None, x: x + w - 15.0, y: y + h / 2.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    app.client.perform_actions(click).await.unwrap();
    app.by_role("row", &web).await;
    assert_eq!(search.prop("value").await.unwrap().as_deref(), Some(""));
    app.quit().await;
}

/// The text and classes of the state badge in `name`'s row.
async fn badge(app: &App, name: &str) -> Option<(String, String)> {
    let row = app.try_by_role("row", name).await?;
    let badge = row.find(fantoccini::Locator::Css(".badge")).await.ok()?;
    Some((app.text(&badge).await, badge.attr("class").await.ok().flatten().unwrap_or_default()))
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_stand_out_with_their_exit_code_and_health() {
    let mut cleanup = Cleanup::default();
    let tag = unique("badges");
    let (crashed, clean, sick) =
        (format!("{tag}-crashed"), format!("{tag}-clean"), format!("{tag}-sick"));
    for n in [&crashed, &clean, &sick] {
        cleanup.container(n);
    }
    assert!(try_docker(&["run", "--name", &crashed, BUSYBOX, "sh", "-c", "exit 3"]).is_none());
    docker(&["run", "--name", &clean, BUSYBOX, "true"]);
    let app = App::launch(&[]).await;
    let filter = app.by_role("searchbox", "Filter containers").await;
    filter.send_keys(&tag).await.unwrap();

    let (text, class) = app
        .wait_for("the crashed container's badge", || async { badge(&app, &crashed).await })
        .await;
    assert_eq!(text, "exited 3");
    assert!(class.contains("tone-bad"), "a crash is red: {class}");
    let (text, class) = badge(&app, &clean).await.expect("the clean exit's badge");
    assert_eq!(text, "exited 0");
    assert!(class.contains("tone-idle"), "a clean exit is muted: {class}");

    // A health check that always fails: unhealthy after its first try.
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
    app.wait_for("the unhealthy badge", || async {
        let (text, class) = badge(&app, &sick).await?;
        (text == "unhealthy" && class.contains("tone-bad")).then_some(())
    })
    .await;
    let nav = app.by_role("button", "Containers").await;
    let alarm = nav.find(fantoccini::Locator::Id("failing-count")).await.expect("a failing count");
    let said = alarm.attr("title").await.unwrap().unwrap_or_default();
    let count: u32 = said.trim_end_matches(" failing").parse().unwrap_or(0);
    assert!(count >= 2, "the sidebar counts both failures: {said}");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn at_820_pixels_every_rows_actions_are_reachable() {
    let mut cleanup = Cleanup::default();
    let name = unique("narrow");
    cleanup.container(&name);
    docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &name,
        "-p",
        "127.0.0.1::80",
        BUSYBOX,
        "sleep",
        "600",
    ]);
    let app = App::launch(&[]).await;
    app.client.set_window_size(820, 700).await.unwrap();
    app.by_role("searchbox", "Filter containers").await.send_keys(&name).await.unwrap();
    wait_state(&app, &name, "running").await;
    for label in
        [format!("Stop {name}"), format!("Logs of {name}"), format!("More actions for {name}")]
    {
        assert!(app.button_reachable(&label).await, "{label} is on screen and not covered");
    }
    // The menu reaches the rest: details, the published port, the ID; killing looks dangerous.
    app.by_role("button", &format!("More actions for {name}")).await.click().await.unwrap();
    let port = docker(&["port", &name, "80/tcp"]);
    let port = port.lines().next().unwrap().rsplit(':').next().unwrap().to_string();
    app.by_role("menuitem", &format!("Open localhost:{port} of {name} in the browser")).await;
    app.by_role("menuitem", &format!("Copy the ID of {name}")).await;
    let kill = app.by_role("menuitem", &format!("Kill {name}")).await;
    assert!(kill.attr("class").await.unwrap().unwrap_or_default().contains("danger"));
    app.by_role("menuitem", &format!("Details of {name}")).await.click().await.unwrap();
    // At 820 px the details cover the list's right part, and close again.
    app.by_role("region", &format!("Details of {name}")).await;
    app.by_role("button", "Close details").await.click().await.unwrap();
    app.wait_for("the details to close", || async {
        app.try_by_role("region", &format!("Details of {name}")).await.is_none().then_some(())
    })
    .await;
    app.by_role("button", &format!("Stop {name}")).await.click().await.unwrap();
    wait_state(&app, &name, "exited").await;
    app.quit().await;
}
