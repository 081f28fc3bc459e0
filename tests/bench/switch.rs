//! Benchmark: switching the window between two connected engines with 500 containers each (the
//! local socket and the second engine over TLS, `ensure_tls_engine`), in the release app. Prints
//! the time from the click on the other engine to its list painted, p50 and max over 10
//! switches each way, against the named limit (300 ms), and the raw list call of each engine
//! (`docker ps -a` through the Engine API) for scale. Run with `bash scripts/bench.sh switch`.

#[path = "../support/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../support/procs.rs"]
#[allow(dead_code)]
mod procs;

use std::process::Command;
use std::time::Instant;

use serde_json::json;

use cli::{docker, docker2, engine2_certs, unique, Cleanup, Gone2, BUSYBOX, TLS_ENGINE};
use harness::App;

const CONTAINERS: usize = 500;
const ROUNDS: usize = 10;
const LIMIT_MS: f64 = 300.0;

/// Open the engine switcher, click `label`'s entry, and resolve with the ms from that click to a
/// row named `prefix…` painted (or null after 10 s).
const SWITCH: &str = r#"
const [label, prefix, done] = arguments;
const switcher = Array.from(document.querySelectorAll('button[aria-expanded]')).find((b) => (b.getAttribute('aria-label') || '').startsWith('Engine '));
if (switcher.getAttribute('aria-expanded') !== 'true') switcher.click();
requestAnimationFrame(() => {
  const entry = Array.from(document.querySelectorAll('button')).find((b) => (b.getAttribute('aria-label') || '').startsWith(`Switch to engine ${label} (`));
  const t0 = performance.now();
  const ready = () => document.querySelector(`[role=row][aria-label^="${prefix}"]`) !== null;
  const obs = new MutationObserver(() => {
    if (ready()) { obs.disconnect(); requestAnimationFrame(() => done(performance.now() - t0)); }
  });
  obs.observe(document.body, { subtree: true, childList: true, attributes: true });
  entry.click();
  setTimeout(() => { obs.disconnect(); done(null); }, 10000);
});
"#;

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

/// ms of `docker ps -a` against each engine, best of three (the CLI's own list call).
fn cli_ms(args: &[&str], second: bool) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            if second {
                docker2(args);
            } else {
                docker(args);
            }
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::MAX, f64::min)
}

#[tokio::main]
async fn main() {
    let certs = engine2_certs();
    let tag = unique("bench-switch");
    let (here, there) = (format!("{tag}-a"), format!("{tag}-b"));
    let mut cleanup = Cleanup::default();
    for i in 0..CONTAINERS {
        cleanup.container(&format!("{here}-{i:03}"));
    }
    let _gone: Vec<Gone2> = (0..CONTAINERS).map(|i| Gone2(format!("{there}-{i:03}"))).collect();
    eprintln!("making {CONTAINERS} containers on each engine…");
    let second = std::thread::spawn({
        let there = there.clone();
        move || {
            for i in 0..CONTAINERS {
                docker2(&["create", "--name", &format!("{there}-{i:03}"), BUSYBOX, "true"]);
            }
        }
    });
    for i in 0..CONTAINERS {
        docker(&["create", "--name", &format!("{here}-{i:03}"), BUSYBOX, "true"]);
    }
    second.join().expect("containers on the second engine");

    let config = tempfile::tempdir().unwrap();
    let c = certs.display();
    let made = Command::new("docker")
        .env("DOCKER_CONFIG", config.path())
        .args(["context", "create", "bench2", "--docker"])
        .arg(format!("host={TLS_ENGINE},ca={c}/ca.pem,cert={c}/cert.pem,key={c}/key.pem"))
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let dir = config.path().to_string_lossy().into_owned();
    let app = App::launch(&[("DOCKER_CONFIG", &dir)]).await;
    app.wait_connected().await;
    app.by_role("row", &format!("{here}-000")).await;

    let switch = |label: &'static str, prefix: String| {
        let client = app.client.clone();
        async move {
            let v = client
                .execute_async(SWITCH, vec![json!(label), json!(prefix)])
                .await
                .expect("switch engines");
            v.as_f64().unwrap_or_else(|| panic!("the list of {label} never showed"))
        }
    };
    // The first switch connects the second engine; then both are connected.
    switch("bench2", there.clone()).await;
    switch("docker", here.clone()).await;
    let (mut to_second, mut to_first) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        to_second.push(switch("bench2", there.clone()).await);
        to_first.push(switch("docker", here.clone()).await);
    }
    app.quit().await;
    let (cli_first, cli_second) = (cli_ms(&["ps", "-aq"], false), cli_ms(&["ps", "-aq"], true));

    println!("switch between two connected engines, {CONTAINERS} containers each (release app)");
    for (what, v) in [("to the TLS engine    ", &to_second), ("to the local socket  ", &to_first)] {
        println!(
            "  {what}: click -> list painted p50 {:5.1} ms, max {:5.1} ms   (limit {LIMIT_MS} ms; ratio {:.2})",
            percentile(v, 0.5),
            percentile(v, 1.0),
            percentile(v, 0.5) / LIMIT_MS
        );
    }
    println!("  docker ps -a, for scale: local {cli_first:.0} ms, TLS engine {cli_second:.0} ms");
}
