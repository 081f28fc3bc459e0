//! Benchmarks for logs, each against the raw Engine API measured in the same run:
//!   pipeline  1,000,000 lines (`seq 1 1000000`) through the backend log pipeline (decode, batch,
//!             JSON as the IPC sends it) vs `curl --unix-socket` reading the same log; and the
//!             newest 100,000 of them (what the window reads for "All") the same way.
//!   window    the same log opened in the release app's window until its last line shows, vs the
//!             raw read; the window's memory before and after.
//!   firehose  a container writing about 50,000 lines/s for 30 s while the window follows: how
//!             long a click takes to answer, and the window's memory over time.
//! Run with `bash scripts/bench.sh logs`.

#[path = "../support/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "../support/clicks.rs"]
mod clicks;
#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../support/procs.rs"]
#[allow(dead_code)]
mod procs;
#[path = "../support/raw.rs"]
mod raw;

use std::time::{Duration, Instant};

use berth::engine::connect::{self, ResolveEnv};
use berth::engine::images::RawEngine;
use berth::engine::logs::{self, LogEvent, Start};
use serde_json::json;

use cli::{docker, unique, Cleanup, BUSYBOX};
use harness::App;

const LINES: u32 = 1_000_000;
const ROUNDS: usize = 5;

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[s.len() / 2]
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

/// Read the whole log with curl, as Berth asks for it (both streams, timestamps); ms.
fn curl_ms(socket: &str, api: &str, id: &str) -> f64 {
    curl_tail_ms(socket, api, id, "all")
}

/// Read the last `tail` lines with curl; ms.
fn curl_tail_ms(socket: &str, api: &str, id: &str, tail: &str) -> f64 {
    let query = "stdout=1&stderr=1&timestamps=1";
    let (ms, size) = raw::get(socket, &format!("/v{api}/containers/{id}/logs?{query}&tail={tail}"));
    assert!(size > 1_000_000, "the log came: {size} bytes");
    ms
}

/// Berth's pipeline over the whole log until the last line; ms and the JSON bytes it made.
async fn pipeline_ms(
    docker: &bollard::Docker,
    raw: &RawEngine,
    id: &str,
    tail: Option<u32>,
    connection: logs::Connection,
) -> (f64, usize) {
    use std::sync::{Arc, Mutex};
    let started = Instant::now();
    let seen = Arc::new(Mutex::new((0usize, String::new())));
    let into = seen.clone();
    let want = LINES.to_string();
    logs::follow(
        docker.clone(),
        raw.clone(),
        vec![id.to_string()],
        Start { tail, since: None },
        connection,
        move |event| {
            let json = serde_json::to_string(&event).unwrap();
            let mut seen = into.lock().unwrap();
            seen.0 += json.len();
            if let LogEvent::Lines(lines) = &event {
                seen.1 = lines.last().unwrap().text.clone();
            }
            seen.1 != want
        },
    )
    .await;
    let elapsed = started.elapsed().as_secs_f64() * 1e3;
    let (bytes, last) = seen.lock().unwrap().clone();
    assert_eq!(last, LINES.to_string(), "the pipeline delivered the last line");
    (elapsed, bytes)
}

const LAST_LINE_SHOWN: &str = r#"
const [want, done] = arguments;
const log = document.querySelector('[role=log]');
const shows = () => log && [...log.querySelectorAll('.line')].some((l) => l.textContent === want);
if (shows()) { done(performance.now()); return; }
// Cleared once the line shows: a pending timer would keep the view it names (and its lines) alive.
let timer;
const obs = new MutationObserver(() => { if (shows()) { obs.disconnect(); clearTimeout(timer); done(performance.now()); } });
obs.observe(document.body, { subtree: true, childList: true, characterData: true });
timer = setTimeout(() => { obs.disconnect(); done(null); }, 120000);
"#;

/// The processes whose CPU a log read in the window uses: the app's (Berth, WebKit's) and the
/// engine's, when its pid file says which it is.
fn cpu_processes(app: &App) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> =
        app.app_processes().into_iter().map(|p| (procs::name(p), p)).collect();
    if let Some(pid) = std::fs::read_to_string("/var/run/docker.pid")
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
    {
        out.push(("dockerd".into(), pid));
    }
    out
}

#[tokio::main]
async fn main() {
    // `cargo bench` adds its own flags: the first other argument picks one part.
    let which =
        std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or_else(|| "all".into());
    let host = connect::resolve(&ResolveEnv::from_process()).unwrap();
    let socket = host.uri.trim_start_matches("unix://").to_string();
    let (_, info) = connect::connect(&host)
        .await
        .map(|c| (c.docker, c.info))
        .unwrap_or_else(|u| panic!("the benchmark needs a running engine: {}", u.message));
    let mut cleanup = Cleanup::default();

    let seq = unique("bench-seq");
    cleanup.container(&seq);
    if which == "all" || which == "pipeline" || which == "window" {
        eprintln!("writing {LINES} lines…");
        docker(&["run", "--name", &seq, BUSYBOX, "seq", "1", &LINES.to_string()]);
    }

    if which == "all" || which == "pipeline" {
        // The app's engine handle, whose connection state every log reader follows.
        let handle = connect::Engine::new(ResolveEnv::from_process());
        tokio::spawn(handle.clone().run());
        let (mut ours, mut raw) = (Vec::new(), Vec::new());
        let (mut ours_tail, mut raw_tail) = (Vec::new(), Vec::new());
        let mut json_bytes = 0;
        for round in 0..ROUNDS + 1 {
            let r = curl_ms(&socket, &info.api_version, &seq);
            // A client of its own, as the app gives each log reader.
            let dedicated = connect::client(socket.as_ref(), &info.api_version).unwrap();
            let engine = RawEngine { socket: socket.clone(), api: info.api_version.clone() };
            let (o, b) =
                pipeline_ms(&dedicated, &engine, &seq, None, handle.subscribe().status).await;
            json_bytes = b;
            let rt = curl_tail_ms(&socket, &info.api_version, &seq, "100000");
            let (ot, _) =
                pipeline_ms(&dedicated, &engine, &seq, Some(100_000), handle.subscribe().status)
                    .await;
            if round > 0 {
                ours.push(o);
                raw.push(r);
                ours_tail.push(ot);
                raw_tail.push(rt);
            }
        }
        let (o, r) = (median(&ours), median(&raw));
        println!("log replay, {LINES} lines ({ROUNDS} rounds, medians)");
        println!(
            "  berth pipeline (decode, batch, JSON): {o:8.1} ms  ({} MB of JSON)",
            json_bytes / 1_000_000
        );
        println!("  raw Engine API (curl)              : {r:8.1} ms");
        println!("  ratio                              : {:8.3}  (target <= 1.10)", o / r);
        let (ot, rt) = (median(&ours_tail), median(&raw_tail));
        println!(
            "  the newest 100,000 lines: berth pipeline {ot:.1} ms, curl {rt:.1} ms, ratio {:.3}",
            ot / rt
        );
    }

    if which == "all" || which == "window" {
        let app = App::launch(&[]).await;
        app.wait_connected().await;
        app.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(180)),
                None,
                None,
            ))
            .await
            .unwrap();
        std::thread::sleep(Duration::from_secs(3));
        let before = app.app_pss_kb();
        let split_before = app.app_pss_split();
        let mut shown = Vec::new();
        let mut raw = Vec::new();
        let mut raw_tail = Vec::new();
        let mut rounds = Vec::new();
        let mut cpu: Vec<Vec<(String, f64)>> = Vec::new();
        for _ in 0..3 {
            raw.push(curl_ms(&socket, &info.api_version, &seq));
            raw_tail.push(curl_tail_ms(&socket, &info.api_version, &seq, "100000"));
            app.by_role("button", &format!("Logs of {seq}")).await.click().await.unwrap();
            let from = app.by_role("combobox", "Start from").await;
            let procs = cpu_processes(&app);
            let used = procs::CpuSince::start(&procs);
            // Start timing in the page as the whole log is asked for.
            let t0: f64 = app
                .client
                .execute(
                    "const s = arguments[0]; const t = performance.now(); s.value = 'tail:all'; s.dispatchEvent(new Event('change')); return t;",
                    vec![json!(from)],
                )
                .await
                .unwrap()
                .as_f64()
                .unwrap();
            let done = app
                .client
                .execute_async(LAST_LINE_SHOWN, vec![json!(LINES.to_string())])
                .await
                .unwrap();
            let done = done.as_f64().expect("the last line showed within 2 minutes");
            shown.push(done - t0);
            cpu.push(used.seconds().into_iter().map(|(n, s)| (n, s * 1000.0)).collect());
            app.by_role("button", "Close the logs").await.click().await.unwrap();
            app.by_role("table", "Containers").await;
            std::thread::sleep(Duration::from_secs(3));
            rounds.push(app.app_pss_kb() / 1024);
        }
        std::thread::sleep(Duration::from_secs(5));
        let soon = app.app_pss_kb();
        // WebKit collects garbage and returns freed pages to the system on timers of its own.
        std::thread::sleep(Duration::from_secs(25));
        let after = app.app_pss_kb();
        let split_after = app.app_pss_split();
        app.quit().await;
        let (s, r, rt) = (median(&shown), median(&raw), median(&raw_tail));
        println!("log replay to the window, {LINES} lines (3 rounds, medians)");
        println!("  (the window asks for at most the lines it keeps: the newest 100,000)");
        println!("  choose 'All' -> last line shown      : {s:8.1} ms");
        println!(
            "  raw Engine API, whole log (curl)     : {r:8.1} ms   ratio {:.3} (target <= 1.3)",
            s / r
        );
        println!("  raw Engine API, same 100,000 (curl)  : {rt:8.1} ms   ratio {:.3}", s / rt);
        println!(
            "  window memory (PSS) before {} MB, 5 s after {} MB, 30 s after {} MB: {:+} MB (target within 20 MB)",
            before / 1024,
            soon / 1024,
            after / 1024,
            (after as i64 - before as i64) / 1024
        );
        println!("  window memory (PSS, MB) 3 s after each round: {rounds:?}");
        // Two cores give 2 ms of CPU per ms: a sum near twice the wall time means the cores were full.
        for (i, round) in cpu.iter().enumerate() {
            let parts: Vec<String> = round.iter().map(|(n, ms)| format!("{n} {ms:.0}")).collect();
            let sum: f64 = round.iter().map(|(_, ms)| ms).sum();
            println!(
                "  CPU ms during round {} ({:.0} ms): {}; sum {sum:.0}",
                i + 1,
                shown[i],
                parts.join(", ")
            );
        }
        println!("  by process before: {split_before}; after: {split_after}");
    }

    if which == "all" || which == "firehose" {
        let hose = unique("bench-hose");
        cleanup.container(&hose);
        // About 5,000 lines every 100 ms.
        docker(&[
            "run",
            "-d",
            "--init",
            "--name",
            &hose,
            BUSYBOX,
            "sh",
            "-c",
            "while :; do seq 1 5000; sleep 0.1; done",
        ]);
        let app = App::launch(&[]).await;
        app.wait_connected().await;
        app.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(60)),
                None,
                None,
            ))
            .await
            .unwrap();
        app.by_role("button", &format!("Logs of {hose}")).await.click().await.unwrap();
        app.by_role("log", &format!("Log of {hose}")).await;
        let mut memory = Vec::new();
        let timestamps = app.by_role("checkbox", "Timestamps").await;
        let clicker = clicks::Clicker::start(&app, &timestamps, Duration::from_millis(500)).await;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            tokio::time::sleep(Duration::from_millis(2500)).await;
            memory.push((started.elapsed().as_secs(), app.app_pss_kb() / 1024));
        }
        let clicks = clicker.waits(&app).await;
        let written = docker(&["logs", "--since", "40s", &hose]).lines().count();
        app.quit().await;
        println!("firehose: about {} lines/s for 30 s, window following", written / 30);
        println!(
            "  click -> next frame showing it: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms over {} clicks (target within 100 ms)",
            percentile(&clicks, 0.5),
            percentile(&clicks, 0.95),
            percentile(&clicks, 1.0),
            clicks.len()
        );
        println!("  window memory (PSS, MB) by second: {memory:?}");
    }
}
