//! Benchmark (a): the backend's `list_containers` path against the raw Engine API, with 500
//! containers, measured in the same run.
//!
//! Backend path: the same function the command calls (request, decode, map to Berth's rows) plus
//! the JSON encoding the IPC layer does. Raw: `curl --unix-socket` fetching
//! `/containers/json?all=1`, timed by curl itself (`time_total`, no process start-up).
//! Run with `bash scripts/bench.sh list`.

#[path = "../support/fleet.rs"]
mod fleet;
#[path = "../support/raw.rs"]
mod raw;

use std::time::Instant;

use berth::engine::connect::{self, ResolveEnv};
use berth::engine::containers;

const CONTAINERS: usize = 500;
const ROUNDS: usize = 40;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn curl_ms(socket: &str, api: &str) -> f64 {
    raw::get(socket, &format!("/v{api}/containers/json?all=1")).0
}

#[tokio::main]
async fn main() {
    let host = connect::resolve(&ResolveEnv::from_process()).expect("resolve the engine");
    let socket = host.uri.trim_start_matches("unix://").to_string();
    let (docker, info) = connect::connect(&host)
        .await
        .map(|c| (c.docker, c.info))
        .unwrap_or_else(|u| panic!("the benchmark needs a running engine: {}", u.message));
    let prefix = format!("berth-bench-list-{}", std::process::id());
    eprintln!("creating {CONTAINERS} containers…");
    fleet::create(&docker, &prefix, CONTAINERS, "berth-test/busybox:latest").await;

    let total = containers::list(&docker).await.unwrap().len();
    let mut ours = Vec::new();
    let mut raw = Vec::new();
    let mut bytes = 0;
    for round in 0..ROUNDS + 3 {
        // Alternate which goes first so neither always meets a warmer engine.
        let mut o = 0.0;
        let mut r = 0.0;
        for step in 0..2 {
            if (step == 0) == (round % 2 == 0) {
                let t = Instant::now();
                let list = containers::list(&docker).await.unwrap();
                let json = serde_json::to_string(&list).unwrap();
                o = t.elapsed().as_secs_f64() * 1e3;
                bytes = json.len();
            } else {
                r = curl_ms(&socket, &info.api_version);
            }
        }
        // The first rounds warm both paths up.
        if round >= 3 {
            ours.push(o);
            raw.push(r);
        }
    }
    fleet::remove(&docker, &prefix).await;

    let (o, r) = (median(&mut ours), median(&mut raw));
    println!("list_containers with {total} containers ({ROUNDS} rounds, medians)");
    println!("  berth list_containers path : {o:8.2} ms  ({} kB to the UI)", bytes / 1000);
    println!("  raw Engine API (curl)      : {r:8.2} ms");
    println!("  ratio                      : {:8.3}  (target <= 1.15)", o / r);
}
