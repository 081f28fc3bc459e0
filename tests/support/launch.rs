//! The release app started directly (no WebDriver), as a user starts it, for the start-up
//! benchmarks: when it painted its first list, and stopping it with its WebKit processes.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

pub fn app() -> PathBuf {
    std::env::var("BERTH_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/berth"))
}

/// Launch the app with its data (and so its log) in `data`, and `env` added.
pub fn launch(data: &Path, env: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(app());
    cmd.env("XDG_DATA_HOME", data)
        .env("BERTH_LOG", "berth=info")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap_or_else(|e| panic!("start {}: {e}", app().display()))
}

/// The time the app launched at `started` reported its first container list painted, in ms since
/// the epoch, and the steps it logged on the way, read from its log in `data`.
pub fn painted_at(data: &Path, started: u64) -> (u64, String) {
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

/// Stop the app and whatever it started.
pub fn stop(mut child: Child) {
    let family = crate::procs::descendants(child.id());
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    for pid in family {
        let _ =
            Command::new("kill").args(["-TERM", &pid.to_string()]).stderr(Stdio::null()).status();
    }
}

/// The app's memory: PSS in kB of its process and every process below it, and the split.
pub fn pss(child: &Child) -> (u64, String) {
    let mut family = vec![child.id()];
    family.extend(crate::procs::descendants(child.id()));
    let mut total = 0;
    let mut parts = Vec::new();
    for pid in &family {
        if let Some(kb) = crate::procs::pss_kb(*pid) {
            total += kb;
            parts.push(format!("{} {} MB", crate::procs::name(*pid), kb / 1024));
        }
    }
    (total, parts.join(", "))
}

/// The raw Engine API's container list, timed with curl (ms).
pub fn curl_list_ms(socket: &str, api: &str) -> f64 {
    let out = Command::new("curl")
        .args(["--unix-socket", socket, "-sf", "-o", "/dev/null", "-w", "%{time_total}"])
        .arg(format!("http://localhost/v{api}/containers/json?all=1"))
        .output()
        .expect("run curl");
    String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().unwrap_or(f64::NAN) * 1e3
}
