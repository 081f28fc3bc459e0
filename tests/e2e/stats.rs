//! Live stats in the real window: with the stats columns on (Settings), a busy container's row
//! shows its CPU rising, and in a wide window its processes and I/O; its details chart fills;
//! the overview ranks it first by CPU; leaving the views stops the stats streams.

use crate::cli::{docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;

/// The number in a cell's accessible name ("CPU 97.3%" → 97.3).
fn number(label: &str) -> Option<f64> {
    label.split_whitespace().nth(1)?.trim_end_matches('%').parse().ok()
}

/// The number in the accessible name of row `row`'s cell named `name …`, found afresh: other
/// tests' containers come and go in the same list, moving rows between drawn places.
async fn cell_number(app: &App, row: &str, name: &str) -> Option<f64> {
    let js = format!(
        "return el.querySelector('[role=cell][aria-label^=\"{name} \"]')?.getAttribute('aria-label') ?? null;"
    );
    let label = app.eval_by_role("row", row, &js).await?;
    number(label.as_str()?)
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
    app.by_role_containing("img", "CPU over the last 5 minutes, now").await;
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
    // Leaving the views unmounts what measured: their streams stop.
    app.by_role("button", "Images").await.click().await.unwrap();
    app.wait_for("the stats streams to stop", || async {
        (streams(app.invoke("diagnostics").await) < before).then_some(())
    })
    .await;
    app.quit().await;
}
