//! Benchmark: what Berth costs while it waits. The release app with 100 containers listed,
//! started directly (no WebDriver), as a user starts it; the CPU time of the app and its WebKit
//! processes over 60 s: with the window shown and untouched, with it hidden in the tray, and with
//! the stats columns on and 20 running containers on screen, shown and then hidden. Then the
//! stats themselves against the docker CLI for the same 20 containers: `docker stats` following
//! them for the same 60 s (its CPU), and one reading of all 20 (`docker stats --no-stream`)
//! against Berth's engine code reading the same. Run with `bash scripts/bench.sh idle`.

#[path = "../support/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "../support/fleet.rs"]
mod fleet;
#[path = "../support/launch.rs"]
#[allow(dead_code)]
mod launch;
#[path = "../support/procs.rs"]
#[allow(dead_code)]
mod procs;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use berth::engine::connect::{self, Product, ResolveEnv};
use berth::engine::stats;
use bollard::Docker;
use cli::docker;
use launch::{app, launch, now_ms, painted_at, stop};

const FLEET: usize = 100;
const BUSY: usize = 20;
const WINDOW: Duration = Duration::from_secs(60);
/// Time for start-up work (first lists, images, the first stats readings) to finish.
const SETTLE: Duration = Duration::from_secs(10);
const IMAGE: &str = "berth-test/busybox:latest";

/// Limits, in per cent of one core.
const SHOWN_LIMIT: f64 = 0.2;
const HIDDEN_LIMIT: f64 = 0.05;
const STATS_LIMIT: f64 = 3.0;

/// Settings of the app's own (in `config`): the tray hint already given, stats columns as asked.
fn write_settings(config: &Path, stats_columns: bool) {
    let dir = config.join("app.berth.desktop");
    std::fs::create_dir_all(&dir).unwrap();
    let settings = serde_json::json!({ "told_about_tray": true, "stats_columns": stats_columns });
    std::fs::write(dir.join("settings.json"), settings.to_string()).unwrap();
}

/// Per cent of one core that `root` and every process below it used over `window`.
fn cpu_percent(root: u32, window: Duration) -> f64 {
    let family = || {
        let mut all = vec![root];
        all.extend(procs::descendants(root));
        all
    };
    let before: HashMap<u32, u64> =
        family().into_iter().map(|p| (p, procs::cpu_ticks(&[p]))).collect();
    let started = Instant::now();
    std::thread::sleep(window);
    let elapsed = started.elapsed().as_secs_f64();
    let used: u64 = family()
        .into_iter()
        .map(|p| procs::cpu_ticks(&[p]).saturating_sub(before.get(&p).copied().unwrap_or(0)))
        .sum();
    used as f64 / procs::ticks_per_second() / elapsed * 100.0
}

fn xwindow(what: &str, pid: u32) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/xwindow.py");
    // Debian's python3, which has python3-xlib (another python3 may come first in PATH).
    let out = Command::new("/usr/bin/python3")
        .args([script, what, &pid.to_string()])
        .output()
        .expect("python3 with python3-xlib (Debian packages)");
    assert!(out.status.success(), "xwindow.py {what}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Start the app with settings of its own; returns once it painted its first list.
fn start(data: &Path, config: &Path) -> Child {
    let started = now_ms();
    let child = launch(data, &[("XDG_CONFIG_HOME", &config.to_string_lossy())]);
    painted_at(data, started);
    child
}

/// Berth's engine code reading one sample of each of `ids` at once, in ms.
async fn berth_one_reading(docker: &Docker, product: Product, ids: &[String]) -> f64 {
    let t = Instant::now();
    let reads = ids.iter().map(|id| async move {
        let mut got = false;
        stats::follow(docker, product, id, |_| {
            got = true;
            false
        })
        .await
        .expect("stats of a running container");
        assert!(got, "no reading of {id}");
    });
    futures_util::future::join_all(reads).await;
    t.elapsed().as_secs_f64() * 1e3
}

fn line(what: &str, percent: f64, limit: f64) {
    println!(
        "  {what:<38}: {percent:6.3} % of one core   (limit {limit} %; ratio {:.2})",
        percent / limit
    );
}

#[tokio::main]
async fn main() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "needs a display: run under xvfb-run (scripts/bench.sh does)"
    );
    assert!(app().exists(), "{} missing: scripts/bench.sh builds it", app().display());
    let host = connect::resolve(&ResolveEnv::from_process()).unwrap();
    let (api, product) = connect::connect(&host)
        .await
        .map(|c| (c.docker, c.info.product))
        .unwrap_or_else(|u| panic!("the benchmark needs a running engine: {}", u.message));
    let prefix = format!("berth-bench-idle-{}", std::process::id());
    eprintln!("creating {FLEET} containers…");
    fleet::create(&api, &prefix, FLEET, IMAGE).await;

    // 1. Shown, then hidden in the tray.
    let (data, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_settings(config.path(), false);
    let child = start(data.path(), config.path());
    std::thread::sleep(SETTLE);
    eprintln!("window shown: {} s…", WINDOW.as_secs());
    let shown = cpu_percent(child.id(), WINDOW);
    eprintln!("  {shown:.3} %");
    hide(child.id());
    eprintln!("window hidden: {} s…", WINDOW.as_secs());
    let hidden = cpu_percent(child.id(), WINDOW);
    eprintln!("  {hidden:.3} %");
    stop(child);

    // 2. Stats columns on, 20 running containers at the top of the list (names sort first).
    let busy: Vec<String> = (0..BUSY).map(|i| format!("0-{prefix}-busy-{i:02}")).collect();
    let mut ids = Vec::new();
    for name in &busy {
        ids.push(docker(&[
            "run",
            "-d",
            "--name",
            name,
            "--label",
            &format!("{}={prefix}", fleet::FLEET_LABEL),
            IMAGE,
            "sleep",
            "3600",
        ]));
    }
    let (data, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_settings(config.path(), true);
    let child = start(data.path(), config.path());
    std::thread::sleep(SETTLE);
    eprintln!("stats columns on, {BUSY} running on screen: {} s…", WINDOW.as_secs());
    let with_stats = cpu_percent(child.id(), WINDOW);
    eprintln!("  {with_stats:.3} %");
    hide(child.id());
    eprintln!("stats columns on, window hidden: {} s…", WINDOW.as_secs());
    let hidden_stats = cpu_percent(child.id(), WINDOW);
    eprintln!("  {hidden_stats:.3} %");
    stop(child);

    // 3. The docker CLI on the same containers.
    eprintln!("docker stats following the same {BUSY}: {} s…", WINDOW.as_secs());
    let mut cli = Command::new("docker")
        .arg("stats")
        .args(&busy)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker stats");
    let cli_stats = cpu_percent(cli.id(), WINDOW);
    let _ = cli.kill();
    let _ = cli.wait();
    let mut no_stream = Vec::new();
    let mut berth_read = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let mut args = vec!["stats", "--no-stream"];
        args.extend(busy.iter().map(String::as_str));
        docker(&args);
        no_stream.push(t.elapsed().as_secs_f64() * 1e3);
        berth_read.push(berth_one_reading(&api, product, &ids).await);
    }
    fleet::remove(&api, &prefix).await;
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let (no_stream, berth_read) = (median(&mut no_stream), median(&mut berth_read));

    println!("idle cost of the release app and its WebKit processes, {FLEET} containers listed, {} s each", WINDOW.as_secs());
    line("window shown, untouched", shown, SHOWN_LIMIT);
    line("window hidden in the tray", hidden, HIDDEN_LIMIT);
    line(&format!("stats columns on, {BUSY} running on screen"), with_stats, STATS_LIMIT);
    line("stats columns on, window hidden", hidden_stats, HIDDEN_LIMIT);
    println!(
        "  docker stats following the same {BUSY}      : {cli_stats:6.3} % of one core   (Berth with stats is {:.2}x that)",
        with_stats / cli_stats
    );
    println!(
        "  one reading of all {BUSY}: Berth's engine {berth_read:.0} ms, docker stats --no-stream {no_stream:.0} ms (ratio {:.2})",
        berth_read / no_stream
    );
}

/// Close the window to the tray, wait until it is hidden, and let what stops on hiding stop.
fn hide(pid: u32) {
    xwindow("close", pid);
    let asked = Instant::now();
    while xwindow("shown", pid) != "no" {
        assert!(asked.elapsed() < Duration::from_secs(10), "the window did not hide");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(child_alive(pid), "closing the window ended Berth (close_to_tray is on)");
    std::thread::sleep(SETTLE);
}

fn child_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}
