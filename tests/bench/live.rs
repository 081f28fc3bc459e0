//! Benchmark (c): with the release app open, `docker stop` / `docker start` one container 50 times
//! from the CLI and print how long the row takes to show the new state: from the engine's event
//! (its own timestamp) to the next frame after the row changed, and from the CLI command to that
//! frame. Run with `bash scripts/bench.sh live`.

// Shared with the test binaries, which use more of them.
#[path = "../support/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../support/procs.rs"]
#[allow(dead_code)]
mod procs;

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use berth::engine::connect::{self, ResolveEnv};
use bollard::query_parameters::EventsOptions;
use futures_util::StreamExt;
use serde_json::json;

use cli::{docker, unique, Cleanup, BUSYBOX};
use harness::App;

const ROUNDS: usize = 50;

/// Resolves with the time (ms since the epoch) of the first frame after the row shows `want`.
const WATCH_ROW: &str = r#"
const [name, want, done] = arguments;
const find = () => Array.from(document.querySelectorAll('[role=row]')).find((r) => r.getAttribute('aria-label') === name);
const shows = () => { const r = find(); return r && r.getAttribute('data-state') === want; };
const finish = () => requestAnimationFrame(() => done(performance.timeOrigin + performance.now()));
if (shows()) { done(-1); return; }
const obs = new MutationObserver(() => { if (shows()) { obs.disconnect(); finish(); } });
obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
setTimeout(() => { obs.disconnect(); done(null); }, 10000);
"#;

fn now_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64() * 1e3
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let host = connect::resolve(&ResolveEnv::from_process()).unwrap();
    let (api, _) = connect::connect(&host)
        .await
        .map(|c| (c.docker, c.info))
        .unwrap_or_else(|u| panic!("the benchmark needs a running engine: {}", u.message));
    let mut cleanup = Cleanup::default();
    let name = unique("bench-live");
    cleanup.container(&name);
    // --init: tini passes SIGTERM on, so `docker stop` returns at once instead of after 10 s.
    docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sleep", "100000"]);

    // The engine's own record of each change, with its timestamp.
    let filters = HashMap::from([
        ("container".to_string(), vec![name.clone()]),
        ("event".to_string(), vec!["start".to_string(), "die".to_string()]),
    ]);
    let mut events =
        api.events(Some(EventsOptions { filters: Some(filters), ..Default::default() }));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(Ok(ev)) = events.next().await {
            // The engine's timestamp, and when this raw /events reader got it.
            let stamped = ev.time_nano.unwrap_or(0) as f64 / 1e6;
            let _ = tx.send((ev.action.unwrap_or_default(), stamped, now_ms()));
        }
    });

    let app = App::launch(&[]).await;
    app.by_role("row", &name).await;

    let mut from_event = Vec::new();
    let mut from_cli = Vec::new();
    let mut raw_from_cli = Vec::new();
    let (mut delivered, mut after_raw) = (Vec::new(), Vec::new());
    let (mut stops, mut starts) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (verb, want, action) =
            if round % 2 == 0 { ("stop", "exited", "die") } else { ("start", "running", "start") };
        let cmd_name = name.clone();
        let issued = std::sync::Arc::new(std::sync::Mutex::new(0.0));
        let issued_w = issued.clone();
        let cli = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            *issued_w.lock().unwrap() = now_ms();
            docker(&[verb, &cmd_name]);
        });
        let painted = app
            .client
            .execute_async(WATCH_ROW, vec![json!(name), json!(want)])
            .await
            .expect("watch the row");
        cli.join().unwrap();
        let painted = painted
            .as_f64()
            .filter(|p| *p > 0.0)
            .unwrap_or_else(|| panic!("round {round}: the row never showed {want} ({painted})"));
        let (event_ms, received_ms) = loop {
            let (a, t, r) = tokio::time::timeout(Duration::from_secs(5), rx.recv())
                .await
                .expect("the engine event")
                .expect("event stream");
            if a == action {
                break (t, r);
            }
        };
        let issued = *issued.lock().unwrap();
        from_event.push(painted - event_ms);
        from_cli.push(painted - issued);
        raw_from_cli.push(received_ms - issued);
        delivered.push(received_ms - event_ms);
        after_raw.push(painted - received_ms);
        if round % 2 == 0 {
            stops.push(painted - received_ms)
        } else {
            starts.push(painted - received_ms)
        }
    }
    app.quit().await;

    println!("row update after CLI docker stop/start ({ROUNDS} changes, release app)");
    println!(
        "  engine event -> row painted : p50 {:6.1} ms   p95 {:6.1} ms  (target p95 <= 60 ms)",
        percentile(&from_event, 0.5),
        percentile(&from_event, 0.95)
    );
    println!(
        "  CLI issued   -> row painted : p50 {:6.1} ms   p95 {:6.1} ms  (includes the engine doing the stop/start)",
        percentile(&from_cli, 0.5),
        percentile(&from_cli, 0.95)
    );
    println!(
        "  CLI issued   -> raw /events : p50 {:6.1} ms   p95 {:6.1} ms  (the Engine API alone)",
        percentile(&raw_from_cli, 0.5),
        percentile(&raw_from_cli, 0.95)
    );
    println!(
        "  ratio (row painted / raw event), p50: {:.2}",
        percentile(&from_cli, 0.5) / percentile(&raw_from_cli, 0.5)
    );
    println!("  max engine event -> painted: {:6.1} ms", percentile(&from_event, 1.0));
    println!(
        "  of which the engine stamping its event -> a raw /events reader has it: p50 {:6.1} ms   p95 {:6.1} ms",
        percentile(&delivered, 0.5),
        percentile(&delivered, 0.95)
    );
    println!(
        "  and the raw reader has it -> row painted                           : p50 {:6.1} ms   p95 {:6.1} ms",
        percentile(&after_raw, 0.5),
        percentile(&after_raw, 0.95)
    );
    println!(
        "  stops: p50 {:.1} p95 {:.1}; starts: p50 {:.1} p95 {:.1}",
        percentile(&stops, 0.5),
        percentile(&stops, 0.95),
        percentile(&starts, 0.5),
        percentile(&starts, 0.95)
    );
}
