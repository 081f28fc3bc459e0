//! Benchmark (b): start the release app with 500 containers and print the time from process
//! start to the container list painted, then the summed PSS of the app and its WebKit processes
//! after 20 s idle. The raw Engine API list time of the same run is printed beside it.
//! Run with `bash scripts/bench.sh startup` (it builds the release app and provides a display).

#[path = "../support/fleet.rs"]
mod fleet;
#[path = "../support/procs.rs"]
mod procs;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use berth::engine::connect::{self, ResolveEnv};

const CONTAINERS: usize = 500;
const LAUNCHES: usize = 5;
const IDLE: Duration = Duration::from_secs(20);

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

fn app() -> PathBuf {
    std::env::var("BERTH_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/berth"))
}

/// Launch the app with its data (and so its log) in `data`.
fn launch(data: &Path) -> Child {
    Command::new(app())
        .env("XDG_DATA_HOME", data)
        .env("BERTH_LOG", "berth=info")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", app().display()))
}

/// The time the app launched at `started` reported its first container list painted, in ms since
/// the epoch, and the steps it logged on the way, read from its log in `data`.
fn painted_at(data: &Path, started: u64) -> (u64, String) {
    let logs = data.join("app.berth.desktop/logs");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        for entry in std::fs::read_dir(&logs).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let painted = text
                .lines()
                .filter(|l| l.contains("first container list painted"))
                .filter_map(|l| {
                    let rest = l.split("painted_at_ms=").nth(1)?;
                    let (at, steps) = rest.split_once(' ').unwrap_or((rest, ""));
                    Some((at.parse::<u64>().ok()?, steps.trim().to_string()))
                })
                .find(|(t, _)| *t >= started);
            if let Some(p) = painted {
                return p;
            }
        }
        assert!(Instant::now() < deadline, "the app never reported its first paint");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn stop(mut child: Child) {
    let family = procs::descendants(child.id());
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    for pid in family {
        let _ =
            Command::new("kill").args(["-TERM", &pid.to_string()]).stderr(Stdio::null()).status();
    }
}

fn curl_ms(socket: &str, api: &str) -> f64 {
    let out = Command::new("curl")
        .args(["--unix-socket", socket, "-sf", "-o", "/dev/null", "-w", "%{time_total}"])
        .arg(format!("http://localhost/v{api}/containers/json?all=1"))
        .output()
        .expect("run curl");
    String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().unwrap_or(f64::NAN) * 1e3
}

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
        .unwrap_or_else(|u| panic!("the benchmark needs a running engine: {}", u.message));
    let prefix = format!("berth-bench-startup-{}", std::process::id());
    eprintln!("creating {CONTAINERS} containers…");
    fleet::create(&docker, &prefix, CONTAINERS, "berth-test/busybox:latest").await;
    let mut raw: Vec<f64> = (0..7).map(|_| curl_ms(&socket, &info.api_version)).collect();
    raw.sort_by(|a, b| a.partial_cmp(b).unwrap());

    let data = tempfile::tempdir().unwrap();
    let mut times = Vec::new();
    let mut last = None;
    let mut steps = String::new();
    for i in 0..LAUNCHES {
        let started = now_ms();
        let child = launch(data.path());
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
    let mut family = vec![child.id()];
    family.extend(procs::descendants(child.id()));
    let mut total = 0;
    let mut parts = Vec::new();
    for pid in &family {
        if let Some(kb) = procs::pss_kb(*pid) {
            total += kb;
            parts.push(format!("{} {} MB", procs::name(*pid), kb / 1024));
        }
    }
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
    println!("    {}", parts.join(", "));
}
