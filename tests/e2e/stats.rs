//! Live stats in the real window: with the stats columns on (Settings), a busy container's row
//! shows its CPU rising, and in a wide window its processes and I/O; its details chart fills;
//! the overview ranks it first by CPU; leaving the views stops the stats streams; a stream the
//! engine ends says why, and is asked for again; hidden in the tray, the window measures nothing.

use std::path::PathBuf;

use fantoccini::actions::{InputSource, MouseActions, PointerAction};

use crate::cli::{docker, unique, Cleanup, BUSYBOX};
use crate::desktop::{launch_with_settings, xwindow};
use crate::harness::App;
use crate::proxy::Proxy;

/// The number in a cell's accessible name ("CPU 97.3%" → 97.3).
fn number(label: &str) -> Option<f64> {
    label.split_whitespace().nth(1)?.trim_end_matches('%').parse().ok()
}

/// The accessible name of row `row`'s cell named `name …`, found afresh: other tests'
/// containers come and go in the same list, moving rows between drawn places.
async fn cell_label(app: &App, row: &str, name: &str) -> Option<String> {
    let js = format!(
        "return el.querySelector('[role=cell][aria-label^=\"{name} \"]')?.getAttribute('aria-label') ?? null;"
    );
    let label = app.eval_by_role("row", row, &js).await?;
    Some(label.as_str()?.to_string())
}

/// The number in that cell's accessible name.
async fn cell_number(app: &App, row: &str, name: &str) -> Option<f64> {
    number(&cell_label(app, row, name).await?)
}

/// How many of a chart's canvas pixels are in the theme's accent, its line's colour (the grid and
/// labels are in others); `None` before the chart has a canvas.
async fn line_pixels(app: &App, chart: &fantoccini::elements::Element) -> Option<u64> {
    let js = "const el = arguments[0], canvas = el.querySelector('canvas'); if (!canvas) return null; \
        const hex = getComputedStyle(el).getPropertyValue('--accent').trim(); \
        const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)); \
        const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data; \
        let n = 0; \
        for (let i = 0; i < d.length; i += 4) \
          if (d[i + 3] > 200 && Math.abs(d[i] - want[0]) + Math.abs(d[i + 1] - want[1]) + Math.abs(d[i + 2] - want[2]) < 24) n++; \
        return n;";
    app.on(chart, js).await?.as_u64()
}

/// Turn the stats columns on in Settings and come back to the containers list, which shows them.
async fn stats_columns_on(app: &App) {
    app.by_role("button", "Settings").await.click().await.unwrap();
    let columns =
        "Show each running container's CPU, memory, I/O and processes in the containers list";
    app.by_role("checkbox", columns).await.click().await.unwrap();
    app.wait_for("the stats columns setting to be on", || async {
        let on = app.try_by_role("checkbox", columns).await?.prop("checked").await.ok()??;
        (on == "true").then_some(())
    })
    .await;
    app.by_role("button", "Containers").await.click().await.unwrap();
    app.by_role("heading", "Containers").await;
    app.by_role("columnheader", "CPU").await;
}

/// The engine's socket seen through a proxy that can end some of its streams or count them.
struct Behind {
    proxy: Proxy,
    /// The proxy's address, for `DOCKER_HOST`.
    host: String,
    _dir: tempfile::TempDir,
}

/// A running busy container named after `prefix`, and the engine behind a proxy.
fn busy_behind_a_proxy(cleanup: &mut Cleanup, prefix: &str) -> (String, Behind) {
    let busy = unique(prefix);
    cleanup.container(&busy);
    docker(&["run", "-d", "--init", "--name", &busy, BUSYBOX, "sh", "-c", "while :; do :; done"]);
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("docker.sock");
    let proxy = Proxy::start(&sock, PathBuf::from("/var/run/docker.sock"));
    (busy, Behind { proxy, host: format!("unix://{}", sock.display()), _dir: dir })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_stats_columns_show_a_busy_containers_cpu() {
    let mut cleanup = Cleanup::default();
    let (busy, idle) = (unique("stats-busy"), unique("stats-idle"));
    cleanup.container(&busy);
    cleanup.container(&idle);
    docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &busy,
        "--memory",
        "64m",
        BUSYBOX,
        "sh",
        "-c",
        "while :; do :; done",
    ]);
    docker(&["create", "--name", &idle, BUSYBOX, "true"]);

    let app = App::launch(&[]).await;
    stats_columns_on(&app).await;
    let cpu = app
        .wait_for(&format!("{busy}'s CPU above 10%"), || async {
            cell_number(&app, &busy, "CPU").await.filter(|n| *n > 10.0)
        })
        .await;
    assert!(cpu > 10.0);
    let memory = app.text_by_role("row", &busy).await.unwrap_or_default();
    assert!(memory.contains("MB") || memory.contains("kB"), "{memory}");
    // A container that is not running has no stream and shows nothing.
    app.by_role("row", &idle).await;
    let idle_text = app.text_by_role("row", &idle).await.unwrap_or_default();
    assert!(!idle_text.contains('%'), "{idle_text}");
    // A wide window has room for PIDs and I/O too (`--init` and the shell: two processes).
    app.client.set_window_size(1600, 740).await.unwrap();
    app.by_role("columnheader", "PIDs").await;
    app.by_role("columnheader", "Net I/O").await;
    let pids = app.wait_for(&format!("{busy}'s PIDs"), || cell_number(&app, &busy, "PIDs")).await;
    assert!(pids >= 2.0, "{pids}");
    let row = app.text_by_role("row", &busy).await.unwrap_or_default();
    assert!(row.contains(" / "), "network and block I/O as docker stats writes them: {row}");
    // The details chart fills while their Stats tab stays open.
    app.by_role("button", &format!("Details of {busy}")).await.click().await.unwrap();
    app.by_role("tab", "Stats").await.click().await.unwrap();
    let charts = app.by_role("region", "Resource use").await;
    app.wait_for("three samples in the details charts", || async {
        let n: u32 = charts.attr("data-samples").await.ok().flatten()?.parse().ok()?;
        (n >= 3).then_some(())
    })
    .await;
    let cpu_chart = app.by_role_containing("img", "CPU over the last 5 minutes, now").await;
    // Drawn on the canvas in the theme's colours, and drawn again when the theme changes.
    app.wait_for("the CPU line drawn", || async {
        line_pixels(&app, &cpu_chart).await.filter(|n| *n > 0)
    })
    .await;
    let flip = "const r = document.documentElement; r.dataset.theme = r.dataset.theme === 'dark' ? 'light' : 'dark';";
    app.client.execute(flip, vec![]).await.unwrap();
    app.wait_for("the CPU line drawn in the other theme", || async {
        line_pixels(&app, &cpu_chart).await.filter(|n| *n > 0)
    })
    .await;
    app.shot("stats-chart-other-theme").await;
    app.client.execute(flip, vec![]).await.unwrap();
    // The pointer over the chart reads the sample under it (the nearest in time).
    let (x, y, _, h) = cpu_chart.rectangle().await.unwrap();
    let point = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
        duration: None,
        x: x + 90.0,
        y: y + h / 2.0,
    });
    app.client.perform_actions(point).await.unwrap();
    let read = app
        .wait_for("the CPU chart to read the sample under the pointer", || async {
            let v = app
                .on(
                    &cpu_chart,
                    "return arguments[0].parentElement.querySelector('figcaption').innerText",
                )
                .await?;
            let text = v.as_str()?.to_string();
            text.contains(" at ").then_some(text)
        })
        .await;
    let at = read.split(" at ").nth(1).unwrap_or_default();
    assert!(at.len() > 9 && at.as_bytes()[2] == b':' && at.ends_with('%'), "{read}");
    // A reading as the row writes it: at most one decimal.
    let value = at.rsplit(": ").next().unwrap_or_default().trim_end_matches('%');
    assert!(value.split('.').nth(1).is_none_or(|d| d.len() == 1), "{read}");
    app.by_role("button", "Close details").await.click().await.unwrap();

    let streams = |v: serde_json::Value| v["active_streams"].as_u64().unwrap_or(0);
    let before = streams(app.invoke("diagnostics").await);
    assert!(before >= 1, "a stats stream runs for {busy}");
    // The overview ranks it first by CPU.
    app.by_role("button", "Overview").await.click().await.unwrap();
    let top = app.by_role("list", "Top CPU").await;
    app.wait_for(&format!("{busy} first in Top CPU"), || async {
        let text = app.text(&top).await;
        text.starts_with(&busy).then_some(())
    })
    .await;
    // Its name there opens its details.
    app.by_role("button", &busy).await.click().await.unwrap();
    app.by_role("toolbar", &format!("Actions on {busy}")).await;
    // Leaving the views unmounts what measured: their streams stop.
    app.by_role("button", "Images").await.click().await.unwrap();
    app.wait_for("the stats streams to stop", || async {
        (streams(app.invoke("diagnostics").await) < before).then_some(())
    })
    .await;
    app.quit().await;
}

/// When the engine ends a running container's stats streams and stays connected (as a proxy
/// before a remote engine may end long responses), the row says that measuring stopped and why
/// until its stream, asked for again, reads again; the details chart says so too, keeps what it
/// drew, and "Measure again" resumes it; the Overview does the same.
#[tokio::test(flavor = "multi_thread")]
async fn stats_say_why_they_stopped_and_measure_again() {
    let mut cleanup = Cleanup::default();
    let (busy, proxy) = busy_behind_a_proxy(&mut cleanup, "stats-cut");
    let app = App::launch(&[("DOCKER_HOST", &proxy.host)]).await;
    stats_columns_on(&app).await;
    app.wait_for(&format!("{busy}'s CPU"), || cell_number(&app, &busy, "CPU")).await;
    proxy.proxy.cut_requests("/stats");
    let why = app
        .wait_for(&format!("{busy}'s CPU cell to say why it stopped"), || async {
            let label = cell_label(&app, &busy, "CPU").await?;
            label.contains("Measuring stopped").then_some(label)
        })
        .await;
    assert!(why.contains("lost the connection to the Docker engine"), "{why}");
    let status = app.by_role("status", "Engine status").await;
    assert!(app.text(&status).await.contains("Connected"), "the rest of the engine still answers");
    app.shot("stats-stopped-row").await;
    // The row asks again by itself a few seconds later.
    app.wait_for(&format!("{busy}'s CPU again"), || cell_number(&app, &busy, "CPU")).await;

    app.by_role("button", &format!("Details of {busy}")).await.click().await.unwrap();
    app.by_role("tab", "Stats").await.click().await.unwrap();
    let charts = app.by_role("region", "Resource use").await;
    let samples =
        || async { charts.attr("data-samples").await.ok().flatten()?.parse::<u32>().ok() };
    app.wait_for("two samples in the details charts", || async {
        samples().await.filter(|n| *n >= 2)
    })
    .await;
    app.shot("stats-filling").await;
    proxy.proxy.cut_requests("/stats");
    let alert = app.by_role_containing("alert", "Measuring stopped").await;
    let said = app.text(&alert).await;
    assert!(said.contains("lost the connection to the Docker engine"), "{said}");
    let kept = samples().await.unwrap_or(0);
    assert!(kept >= 2, "the readings drawn so far stay: {kept}");
    // The last reading is not shown as if it were current.
    app.by_role("img", "CPU over the last 5 minutes").await;
    app.shot("stats-stopped").await;
    app.by_role("button", "Measure again").await.click().await.unwrap();
    app.wait_for("a new sample after measuring again", || async {
        samples().await.filter(|n| *n > kept)
    })
    .await;
    assert!(app.query("alert", "Measuring stopped", true).await.is_empty());
    app.by_role_containing("img", "CPU over the last 5 minutes, now").await;

    // The Overview says which it could not measure, and measures again on request.
    app.by_role("button", "Close details").await.click().await.unwrap();
    app.by_role("button", "Overview").await.click().await.unwrap();
    let ranked = || async {
        let top = app.try_by_role("list", "Top CPU").await?;
        app.text(&top).await.contains(&busy).then_some(())
    };
    app.wait_for(&format!("{busy} in the Overview's top CPU"), ranked).await;
    proxy.proxy.cut_requests("/stats");
    // Other tests' running containers on the same engine are measured (and cut) too.
    let alert = app.by_role_containing("alert", "Could not measure").await;
    let said = app.text(&alert).await;
    assert!(said.contains("lost the connection to the Docker engine"), "{said}");
    app.shot("overview-stopped").await;
    app.by_role("button", "Measure again").await.click().await.unwrap();
    app.wait_for(&format!("{busy} measured again in the Overview"), ranked).await;
    app.wait_for("the Overview's alert to go", || async {
        app.query("alert", "Could not measure", true).await.is_empty().then_some(())
    })
    .await;
    proxy.proxy.stop();
    app.quit().await;
}

/// Hidden in the tray the window draws nothing, so it measures nothing: the stats streams close
/// when it hides and open again when it shows. Counted at the engine's socket, as the page of a
/// hidden window answers scripts only after tens of seconds.
#[tokio::test(flavor = "multi_thread")]
async fn hidden_in_the_tray_the_window_measures_nothing() {
    let mut cleanup = Cleanup::default();
    let (busy, proxy) = busy_behind_a_proxy(&mut cleanup, "stats-tray");
    let (app, _home) = launch_with_settings(
        r#"{"told_about_tray": true, "stats_columns": true}"#,
        &[("DOCKER_HOST", &proxy.host)],
    )
    .await;
    let tray = crate::watcher::TrayHost::start();
    app.wait_for(&format!("{busy}'s CPU"), || cell_number(&app, &busy, "CPU")).await;
    assert!(proxy.proxy.open_requests("/stats") >= 1, "a stats stream for {busy}");

    let pid = app.app_pid().expect("the app's process");
    xwindow("close", pid);
    app.wait_for("the window to hide", || async { (xwindow("shown", pid) == "no").then_some(()) })
        .await;
    app.wait_for("no stats stream while hidden", || async {
        (proxy.proxy.open_requests("/stats") == 0).then_some(())
    })
    .await;

    crate::tray::click(&app, None, "Show Berth").await;
    app.wait_for("the window to show again", || async {
        (xwindow("shown", pid) == "yes").then_some(())
    })
    .await;
    app.wait_for(&format!("{busy}'s CPU once shown"), || cell_number(&app, &busy, "CPU")).await;
    assert!(proxy.proxy.open_requests("/stats") >= 1, "measuring again once shown");
    drop(tray);
    proxy.proxy.stop();
    app.quit().await;
}
