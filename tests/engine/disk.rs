//! Disk usage against `docker system df`, and a clean-up that removes exactly what it was given:
//! a dangling image and a stopped container go; a named volume, a used image and everything not
//! listed stay.

use berth::engine::connect::{Engine, ResolveEnv};
use berth::engine::disk::{self, CleanupKind, DiskUsage, KindUsage};
use berth::engine::EngineStatus;

use crate::cli::try_docker;
use crate::common::{docker, unique, wait_status, Cleanup, BUSYBOX, LAYERS};

/// go-units' HumanSize, as `docker system df` prints sizes: four significant digits, units of
/// 1000.
fn human(size: i64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let (mut v, mut i) = (size as f64, 0);
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    let digits = if v == 0.0 { 0 } else { (3 - v.log10().floor() as i32).max(0) as usize };
    let mut s = format!("{v:.digits$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{s}{}", UNITS[i])
}

async fn connected() -> (Engine, tokio::task::JoinHandle<()>) {
    crate::common::engine().await;
    let handle = Engine::new(ResolveEnv::from_process());
    let mut sub = handle.subscribe();
    let task = tokio::spawn(handle.clone().run());
    wait_status(&mut sub, |s| matches!(s, EngineStatus::Connected { .. })).await;
    (handle, task)
}

fn row<'a>(u: &'a DiskUsage, kind: &str) -> &'a KindUsage {
    match kind {
        "Images" => &u.images,
        "Containers" => &u.containers,
        "Local Volumes" => &u.volumes,
        _ => &u.build_cache,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_agrees_with_docker_system_df() {
    let (handle, task) = connected().await;
    let mut cleanup = Cleanup::default();
    let name = unique("df");
    cleanup.container(&name);
    docker(&["create", "--name", &name, BUSYBOX, "true"]);
    // Other tests change the engine meanwhile: compare when nothing moved around the CLI's look.
    let mut tries = 0;
    loop {
        tries += 1;
        let before = disk::usage(&handle).await.unwrap();
        // The CLI does not ask again when the engine is measuring for another test.
        let cli = try_docker(&["system", "df", "--format", "{{json .}}"]);
        let after = disk::usage(&handle).await.unwrap();
        let Some(cli) = cli.filter(|_| before == after || tries >= 20) else {
            assert!(tries < 20, "`docker system df` kept failing or the engine kept changing");
            continue;
        };
        for line in cli.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let kind = v["Type"].as_str().unwrap();
            let ours = row(&before, kind);
            assert_eq!(v["TotalCount"], ours.count.to_string(), "{kind}: {line} vs {ours:?}");
            assert_eq!(v["Active"], ours.active.to_string(), "{kind}: {line} vs {ours:?}");
            assert_eq!(v["Size"], human(ours.size), "{kind}: {line} vs {ours:?}");
            let reclaimable = v["Reclaimable"].as_str().unwrap();
            let size_part = reclaimable.split(" (").next().unwrap();
            assert_eq!(size_part, human(ours.reclaimable), "{kind}: {line} vs {ours:?}");
        }
        assert!(before.container_items.iter().any(|c| c.name == name && !c.in_use));
        break;
    }
    task.abort();
}

/// dockerd 20.10 refuses a disk usage request while another runs: asked at once from two
/// handles, every caller still gets its answer.
#[tokio::test(flavor = "multi_thread")]
async fn disk_usage_asked_at_once_answers_every_caller() {
    let ((a, task_a), (b, task_b)) = (connected().await, connected().await);
    let asks = (0..4).flat_map(|_| [disk::usage(&a), disk::usage(&b)]);
    for answer in futures_util::future::join_all(asks).await {
        answer.unwrap();
    }
    task_a.abort();
    task_b.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn clean_up_removes_exactly_what_it_listed() {
    let _layers = LAYERS.lock().await;
    let (handle, task) = connected().await;
    let mut cleanup = Cleanup::default();
    let (stopped, spare, user, volume, source) = (
        unique("stopped"),
        unique("spare"),
        unique("user"),
        unique("keep-vol"),
        unique("commit-src"),
    );
    for c in [&stopped, &spare, &user, &source] {
        cleanup.container(c);
    }
    cleanup.volume(&volume);
    docker(&["create", "--name", &stopped, BUSYBOX, "true"]);
    docker(&["create", "--name", &spare, BUSYBOX, "true"]);
    docker(&[
        "run",
        "-d",
        "--name",
        &user,
        "-v",
        &format!("{volume}:/data"),
        BUSYBOX,
        "sleep",
        "600",
    ]);
    let named = unique("keep-named");
    cleanup.volume(&named);
    docker(&["volume", "create", &named]);
    // A dangling image: a commit without a name.
    docker(&["run", "--name", &source, BUSYBOX, "sh", "-c", &format!("echo {source} > /made")]);
    let dangling = docker(&["commit", &source]);
    cleanup.image(&dangling);
    docker(&["rm", &source]);

    let plan = disk::plan(&handle, &[CleanupKind::StoppedContainers, CleanupKind::DanglingImages])
        .await
        .unwrap();
    assert!(plan.containers.iter().any(|c| c.name == stopped), "{plan:?}");
    assert!(plan.containers.iter().any(|c| c.name == spare), "{plan:?}");
    assert!(!plan.containers.iter().any(|c| c.name == user), "a running container is not listed");
    assert!(plan.images.iter().any(|i| i.id == dangling), "{plan:?}");
    assert!(plan.volumes.is_empty() && plan.networks.is_empty() && plan.build_cache == 0);
    // Only ours: other tests' leftovers are theirs to remove.
    let mut ours = plan.clone();
    ours.containers.retain(|c| c.name == stopped);
    ours.images.retain(|i| i.id == dangling);
    let report = disk::clean_up(&handle, &ours).await.unwrap();
    assert_eq!(report.removals.len(), 2, "{report:?}");
    assert!(report.removals.iter().all(|r| r.error.is_none()), "{report:?}");
    assert!(try_docker(&["inspect", &stopped]).is_none(), "the stopped container went");
    assert!(try_docker(&["image", "inspect", &dangling]).is_none(), "the dangling image went");
    // Listed but not chosen: other tests remove their own stopped containers meanwhile, so this
    // one of ours stands for everything the clean-up was not given.
    assert!(try_docker(&["inspect", &spare]).is_some(), "a listed container not chosen stays");
    assert!(try_docker(&["inspect", &user]).is_some());
    assert!(try_docker(&["volume", "inspect", &volume]).is_some());
    assert!(try_docker(&["image", "inspect", BUSYBOX]).is_some());
    task.abort();
}

#[test]
fn sizes_print_as_the_docker_cli_prints_them() {
    assert_eq!(human(0), "0B");
    assert_eq!(human(285), "285B");
    assert_eq!(human(1_984_000), "1.984MB");
    assert_eq!(human(1_048_576), "1.049MB");
    assert_eq!(human(20_000), "20kB");
}
