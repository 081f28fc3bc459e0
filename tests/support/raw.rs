//! The raw Engine API, as benchmarks measure it: one GET with `curl --unix-socket`, timed by curl
//! itself (`time_total`, without the process start-up).

use std::process::Command;

/// GET `path` (e.g. `/v1.41/containers/json?all=1`) on the engine socket: milliseconds and bytes.
pub fn get(socket: &str, path: &str) -> (f64, u64) {
    let out = Command::new("curl")
        .args([
            "--unix-socket",
            socket,
            "-sf",
            "-o",
            "/dev/null",
            "-w",
            "%{time_total} %{size_download}",
        ])
        .arg(format!("http://localhost{path}"))
        .output()
        .expect("run curl");
    assert!(out.status.success(), "curl {path} failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let (t, size) = text.trim().split_once(' ').expect("curl's time and size");
    (t.parse::<f64>().expect("curl time") * 1e3, size.parse().expect("curl size"))
}
