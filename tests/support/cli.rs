//! The docker CLI as tests use it: to make things, to check effects, and to clean up.
//! Shared by the engine and end-to-end test binaries.

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// The base image every test container runs (made by scripts/fixtures.sh).
pub const BUSYBOX: &str = "berth-test/busybox:latest";

/// Run the docker CLI; panics with its stderr when it fails.
pub fn docker(args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the docker CLI ({e}); install docker.io"));
    assert!(
        out.status.success(),
        "docker {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Run the docker CLI; its output, or None when it fails (for probes of something that may be
/// missing for a moment).
#[allow(dead_code)] // not every suite probes
pub fn try_docker(args: &[&str]) -> Option<String> {
    let out = Command::new("docker").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A name no other test (or earlier run) uses.
pub fn unique(what: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("berth-it-{what}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst))
}

/// Removes what a test created, even when the test fails.
#[derive(Default)]
pub struct Cleanup(Vec<Vec<String>>);

impl Cleanup {
    pub fn container(&mut self, name: &str) {
        self.0.push(vec!["rm".into(), "-fv".into(), name.into()]);
    }
    pub fn network(&mut self, name: &str) {
        self.0.push(vec!["network".into(), "rm".into(), name.into()]);
    }
    pub fn volume(&mut self, name: &str) {
        self.0.push(vec!["volume".into(), "rm".into(), "-f".into(), name.into()]);
    }
    pub fn image(&mut self, reference: &str) {
        self.0.push(vec!["rmi".into(), "-f".into(), reference.into()]);
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        // Containers first (pushed first), then what they used.
        for args in &self.0 {
            let _ = Command::new("docker").args(args).output();
        }
    }
}

/// Put a new image (the test image and a layer of its own) in the local registry, and forget it
/// locally: pulling it downloads that layer.
pub fn push_to_registry(name: &str) -> String {
    let reference = format!("127.0.0.1:5000/{name}:v1");
    let reachable = std::process::Command::new("curl")
        .args(["-fsS", "http://127.0.0.1:5000/v2/"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(reachable, "no registry on 127.0.0.1:5000: run the tests with scripts/test.sh");
    let maker = unique("layer");
    docker(&["run", "--name", &maker, BUSYBOX, "sh", "-c", &format!("echo {name} > /made")]);
    docker(&["commit", &maker, &reference]);
    docker(&["rm", &maker]);
    docker(&["push", &reference]);
    docker(&["rmi", &reference]);
    reference
}

/// The second engine's TLS address (`ensure_tls_engine` in scripts/lib.sh).
pub const TLS_ENGINE: &str = "tcp://127.0.0.1:2376";

/// What scripts/lib.sh keeps for the tests (certificates, keys, sockets).
pub fn test_state() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/berth-env")
}

/// The client's TLS files for the second engine, which must be up.
pub fn engine2_certs() -> std::path::PathBuf {
    let dir = test_state().join("engine2/client");
    assert!(
        dir.join("cert.pem").is_file(),
        "no second engine: scripts/test.sh starts it (ensure_tls_engine in scripts/lib.sh)"
    );
    dir
}

/// The docker CLI against the second engine over TLS, or `None` when it fails.
pub fn try_docker2(args: &[&str]) -> Option<String> {
    let out = Command::new("docker")
        .args(["--tlsverify", "-H", TLS_ENGINE])
        .env("DOCKER_CERT_PATH", engine2_certs())
        .args(args)
        .output()
        .ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The docker CLI against the second engine; panics when it fails.
pub fn docker2(args: &[&str]) -> String {
    try_docker2(args)
        .unwrap_or_else(|| panic!("docker --tlsverify -H {TLS_ENGINE} {args:?} failed"))
}

/// Removes a container from the second engine when dropped.
pub struct Gone2(pub String);

impl Drop for Gone2 {
    fn drop(&mut self) {
        let _ = try_docker2(&["rm", "-f", &self.0]);
    }
}
