//! Live stats of a real container: a busy loop shows CPU above zero and memory within its
//! `--memory` limit, computed as `docker stats` does.

use berth::engine::stats;

use crate::common::{docker, engine, unique, Cleanup, BUSYBOX};

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_container_shows_cpu_and_memory_within_its_limit() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let name = unique("busy");
    cleanup.container(&name);
    docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &name,
        "--memory",
        "64m",
        BUSYBOX,
        "sh",
        "-c",
        "while :; do :; done",
    ]);
    let id = docker(&["inspect", "-f", "{{.Id}}", &name]);
    let mut seen = Vec::new();
    let followed = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        stats::follow(&api, &id, |s| {
            seen.push(s);
            seen.len() < 3
        }),
    )
    .await;
    followed.expect("three samples within 20 s").expect("the stats stream");
    let last = seen.last().unwrap();
    assert_eq!(last.id, id);
    assert!(seen.iter().all(|s| s.cpu_percent > 1.0), "a busy loop uses CPU: {seen:?}");
    assert_eq!(last.mem_limit, 64 * 1024 * 1024);
    assert!(last.mem_usage > 0 && last.mem_usage <= last.mem_limit, "{last:?}");
    assert!(last.pids >= 2, "init and the shell: {last:?}");
    assert!(last.at_ms > 1_700_000_000_000, "{last:?}");
}
