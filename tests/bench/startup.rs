//! Benchmark (b): start the release app with 500 containers and print the time from process
//! start to the container list painted, then the summed PSS of the app and its WebKit processes
//! after 20 s idle. The raw Engine API list time of the same run is printed beside it.
//! Run with `bash scripts/bench.sh startup` (it builds the release app and provides a display).

#[path = "../support/fleet.rs"]
mod fleet;
#[path = "../support/launch.rs"]
mod launch;
#[path = "../support/procs.rs"]
mod procs;

use std::time::Duration;

use launch::{app, curl_list_ms, launch, now_ms, painted_at, pss, stop};

use berth::engine::connect::{self, ResolveEnv};

const CONTAINERS: usize = 500;
const LAUNCHES: usize = 5;
const IDLE: Duration = Duration::from_secs(20);

#[tokio::main]
async fn main() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "needs a display: run under xvfb-run (scripts/bench.sh does)"
    );
    assert!(app().exists(), "{} missing: scripts/bench.sh builds it", app().display());
    let host = connect::resolve(&ResolveEnv::from_process()).unwrap();
    let socket = host.uri.trim_start_matches("unix://").to_string();
    let (docker, info) = connect::connect(&host)
        .await
        .map(|c| (c.docker, c.info))
        .unwrap_or_else(|u| panic!("the benchmark needs a running engine: {}", u.message));
    let prefix = format!("berth-bench-startup-{}", std::process::id());
    eprintln!("creating {CONTAINERS} containers…");
    fleet::create(&docker, &prefix, CONTAINERS, "berth-test/busybox:latest").await;
    let mut raw: Vec<f64> = (0..7).map(|_| curl_list_ms(&socket, &info.api_version)).collect();
    raw.sort_by(|a, b| a.partial_cmp(b).unwrap());

    let data = tempfile::tempdir().unwrap();
    let mut times = Vec::new();
    let mut last = None;
    let mut steps = String::new();
    for i in 0..LAUNCHES {
        let started = now_ms();
        let child = launch(data.path(), &[]);
        let (painted, logged) = painted_at(data.path(), started);
        times.push((painted - started) as f64);
        steps = logged;
        if i + 1 == LAUNCHES {
            last = Some(child);
        } else {
            stop(child);
            std::thread::sleep(Duration::from_millis(300));
        }
    }
    let child = last.unwrap();
    eprintln!("idling {} s…", IDLE.as_secs());
    std::thread::sleep(IDLE);
    let (total, parts) = pss(&child);
    stop(child);
    fleet::remove(&docker, &prefix).await;

    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = times[times.len() / 2];
    let raw_median = raw[raw.len() / 2];
    println!("release app start-up with {CONTAINERS} containers ({LAUNCHES} launches)");
    println!(
        "  process start to list painted: median {median:.0} ms, all {times:?}  (target <= 600 ms)"
    );
    println!("    last launch's steps (ms): {steps}");
    println!(
        "  raw Engine API list (curl)   : {raw_median:.1} ms; start-up is {:.1}x that",
        median / raw_median
    );
    println!(
        "  PSS after {} s idle          : {:.1} MB  (target <= 200 MB)",
        IDLE.as_secs(),
        total as f64 / 1024.0
    );
    println!("    {parts}");
}
