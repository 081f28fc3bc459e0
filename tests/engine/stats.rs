//! Live stats of a real container: a busy loop shows CPU above zero and memory within its
//! `--memory` limit, computed as `docker stats` does; a stream says why it could not start, and
//! ends when its container goes.

use berth::engine::connect::Product;
use berth::engine::stats;
use berth::engine::ErrorCode;

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
        stats::follow(&api, Product::Docker, &id, |s| {
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

#[tokio::test(flavor = "multi_thread")]
async fn a_stats_stream_says_why_it_cannot_start_and_ends_when_its_container_goes() {
    let api = engine().await;
    let missing = stats::follow(&api, Product::Docker, &unique("absent"), |_| true).await;
    assert_eq!(missing.expect_err("no such container").code, ErrorCode::NotFound);

    let mut cleanup = Cleanup::default();
    let name = unique("goes");
    cleanup.container(&name);
    docker(&["run", "-d", "--name", &name, BUSYBOX, "sleep", "300"]);
    let id = docker(&["inspect", "-f", "{{.Id}}", &name]);
    let (first, mut sampled) = tokio::sync::mpsc::unbounded_channel();
    let follower = tokio::spawn({
        let (api, id) = (api.clone(), id.clone());
        async move {
            stats::follow(&api, Product::Docker, &id, |s| {
                let _ = first.send(s);
                true
            })
            .await
        }
    });
    let timeout = std::time::Duration::from_secs(20);
    tokio::time::timeout(timeout, sampled.recv()).await.expect("a first sample within 20 s");
    docker(&["rm", "-f", &name]);
    let ended = tokio::time::timeout(timeout, follower)
        .await
        .expect("the stream ends within 20 s of the removal");
    ended.expect("the follower task").expect("a removed container's stream ends without an error");
}
