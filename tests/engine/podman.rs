//! Podman's Docker-compatible API (started by `scripts/test.sh`: `ensure_podman`): Berth says it
//! is Podman, and its lists follow its changes, although its events name some differently from
//! Docker's and some not at all.

use std::process::Command;
use std::time::{Duration, Instant};

use berth::engine::connect::{Engine, Product, ResolveEnv, Subscription};
use berth::engine::events::{classify, row_of, Row};
use berth::engine::networks::NetworkSpec;
use berth::engine::{ChangeSet, EngineStatus};
use bollard::models::{EventMessage, EventMessageTypeEnum};
use futures_util::{Stream, StreamExt};

use crate::cli::test_state;
use crate::common::{unique, wait_change, wait_status, BUSYBOX};

/// Podman's Docker-compatible API, which must be up (`ensure_podman` in scripts/lib.sh).
fn podman_host() -> String {
    let socket = test_state().join("podman/podman.sock");
    assert!(
        socket.exists(),
        "no Podman API at {}: scripts/test.sh starts it (ensure_podman in scripts/lib.sh)",
        socket.display()
    );
    format!("unix://{}", socket.display())
}

/// The docker CLI against Podman's API, or `None` when it fails.
fn try_docker_podman(args: &[&str]) -> Option<String> {
    let out = Command::new("docker").args(["-H", &podman_host()]).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The docker CLI against Podman's API.
fn docker_podman(args: &[&str]) -> String {
    try_docker_podman(args).unwrap_or_else(|| panic!("docker -H <podman> {args:?} failed"))
}

/// Removes a container, a volume and a network from Podman when dropped.
struct Gone(String, String, String);

impl Drop for Gone {
    fn drop(&mut self) {
        let _ = try_docker_podman(&["rm", "-f", &self.0]);
        let _ = try_docker_podman(&["volume", "rm", "-f", &self.1]);
        let _ = try_docker_podman(&["network", "rm", &self.2]);
    }
}

/// An engine handle connected to Podman: its subscription, the status it connected with, and
/// the task that runs it.
async fn on_podman() -> (Engine, Subscription, EngineStatus, tokio::task::JoinHandle<()>) {
    let handle = Engine::new(ResolveEnv { docker_host: Some(podman_host()), ..Default::default() });
    let mut sub = handle.subscribe();
    let task = tokio::spawn(handle.clone().run());
    let status = wait_status(&mut sub, |s| matches!(s, EngineStatus::Connected { .. })).await;
    (handle, sub, status, task)
}

/// Wait, notice by notice, until the engine handle's container list has `name` or not.
async fn until_listed(handle: &Engine, sub: &mut Subscription, name: &str, listed: bool) {
    let what = if listed { "never showed" } else { "stayed listed" };
    let deadline = Instant::now() + Duration::from_secs(8);
    while handle.containers().await.unwrap().iter().any(|c| c.name == name) != listed {
        let left = deadline.saturating_duration_since(Instant::now());
        tokio::time::timeout(left, wait_change(sub, |s| s.containers))
            .await
            .unwrap_or_else(|_| panic!("{name} {what}: no notice of it"));
    }
}

/// The next event of `events` that `wanted` takes, within 15 s.
async fn next_event<S>(
    events: &mut S,
    what: &str,
    wanted: impl Fn(&EventMessage) -> bool,
) -> EventMessage
where
    S: Stream<Item = Result<EventMessage, bollard::errors::Error>> + Unpin,
{
    let found = async {
        loop {
            let ev = events.next().await.expect("the event stream ended").unwrap();
            if wanted(&ev) {
                return ev;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(15), found)
        .await
        .unwrap_or_else(|_| panic!("no event for {what}"))
}

/// Podman is named as such; its lists follow networks made and removed in Berth, of which it
/// sends no event; a connect finds its container's row; and it says `remove` where Docker says
/// `destroy`, for containers and volumes alike.
#[tokio::test(flavor = "multi_thread")]
async fn podman_is_named_and_its_lists_follow_its_changes() {
    let (handle, mut sub, status, task) = on_podman().await;
    let EngineStatus::Connected { engine, .. } = status else { unreachable!() };
    assert_eq!(engine.product, Product::Podman, "the window would say Docker {}", engine.version);
    assert_eq!(wait_change(&mut sub, |_| true).await, ChangeSet::ALL);
    let (name, vol, net) = (unique("podman"), unique("podman-vol"), unique("podman-net"));
    let _gone = Gone(name.clone(), vol.clone(), net.clone());

    // Networks: Podman sends no event at all, so Berth's own changes announce themselves.
    let announced = |sub: &mut Subscription| {
        std::iter::from_fn(|| sub.changes.try_recv().ok()).any(|s: ChangeSet| s.networks)
    };
    while sub.changes.try_recv().is_ok() {}
    let spec = NetworkSpec { name: net.clone(), ..Default::default() };
    handle.create_network(&spec).await.unwrap();
    assert!(announced(&mut sub), "no notice of the network made");
    handle.remove_network(&net, false).await.unwrap();
    assert!(announced(&mut sub), "no notice of the network removed");
    // A compose project's network, taken down with the project.
    docker_podman(&[
        "network",
        "create",
        "--label",
        &format!("com.docker.compose.project={net}"),
        &net,
    ]);
    while sub.changes.try_recv().is_ok() {}
    let down = handle.down_project(&net, false).await.unwrap();
    assert_eq!(
        down.networks.iter().map(|r| (r.name.as_str(), r.error.is_none())).collect::<Vec<_>>(),
        [(net.as_str(), true)]
    );
    assert!(announced(&mut sub), "no notice of the project's network taken down");

    let docker = handle.docker().unwrap();
    let mut events = Box::pin(berth::engine::events::subscribe(&docker));
    docker_podman(&["create", "--name", &name, BUSYBOX, "true"]);
    until_listed(&handle, &mut sub, &name, true).await;
    // A connect names the container as the event's actor, not among its attributes.
    docker_podman(&["network", "create", &net]);
    docker_podman(&["network", "connect", &net, &name]);
    let connect = next_event(&mut events, "connect", |ev| {
        ev.typ == Some(EventMessageTypeEnum::NETWORK) && ev.action.as_deref() == Some("connect")
    })
    .await;
    let id = docker_podman(&["inspect", "--format", "{{.Id}}", &name]);
    assert_eq!(row_of(&connect), Row::Of(id), "{connect:?}");
    docker_podman(&["rm", &name]);
    until_listed(&handle, &mut sub, &name, false).await;

    // Volumes: the event itself, since the volume list is asked of the engine, not kept.
    docker_podman(&["volume", "create", &vol]);
    docker_podman(&["volume", "rm", &vol]);
    let removed = next_event(&mut events, "the volume removed", |ev| {
        let named = ev.actor.as_ref().and_then(|a| a.attributes.as_ref()?.get("name").cloned());
        ev.typ == Some(EventMessageTypeEnum::VOLUME)
            && named.as_deref() == Some(vol.as_str())
            && ev.action.as_deref() != Some("create")
    })
    .await;
    let action = removed.action.unwrap_or_default();
    assert!(classify(removed.typ, &action).volumes, "{action} does not change the volumes list");
    task.abort();
}

/// Podman's disk usage names each image by its repository and tag, as its image list does, and
/// counts the images' layers: its own answer gives the tag alone, ids without `sha256:` and
/// (Podman 4) no layers size.
#[tokio::test(flavor = "multi_thread")]
async fn podmans_disk_usage_names_its_images_and_counts_their_layers() {
    let (handle, _, _, task) = on_podman().await;

    let listed = handle.images().await.unwrap();
    assert!(listed.iter().any(|i| i.repo_tags.iter().any(|t| t.ends_with(BUSYBOX))));
    let usage = berth::engine::disk::usage(&handle).await.unwrap();
    assert_eq!(usage.image_items.len(), listed.len());
    for item in &usage.image_items {
        let image = listed.iter().find(|i| i.id == item.id);
        let image = image.unwrap_or_else(|| panic!("{} is not an id of the image list", item.id));
        let name = image.repo_tags.first().cloned().unwrap_or_else(|| item.id[7..19].to_string());
        assert_eq!(item.name, name, "the Disk view would name {} so", item.id);
        assert_eq!(item.size, image.size);
    }
    let largest = listed.iter().map(|i| i.size).max().unwrap();
    let sum: i64 = listed.iter().map(|i| i.size).sum();
    assert!(
        (largest..=sum).contains(&usage.images.size),
        "images take {} B: not between the largest image and all of them",
        usage.images.size
    );
    // The Images view's own sizes meet the list's rows.
    let (own, _) = berth::engine::images::usage_from_df(&handle.system_df("").await.unwrap());
    assert!(listed.iter().all(|i| own.iter().any(|u| u.id == i.id)));
    task.abort();
}

/// A busy thread on Podman reads as about one CPU's worth, as `podman stats` says: Podman's own
/// system CPU time counts only what the machine used, so the docker CLI's formula would double
/// it on an idle two-CPU machine.
#[tokio::test(flavor = "multi_thread")]
async fn a_busy_thread_on_podman_reads_as_one_cpu() {
    let (handle, _, _, task) = on_podman().await;
    let name = unique("podman-busy");
    let _gone = Gone(name.clone(), String::new(), String::new());
    // This machine refuses the limits Podman would set by default (runc: "error setting rlimits").
    let limits = ["--ulimit", "nproc=4096:4096", "--ulimit", "nofile=1024:1024"];
    docker_podman(
        &[
            &["run", "-d", "--name", &name][..],
            &limits,
            &[BUSYBOX, "sh", "-c", "while :; do :; done"],
        ]
        .concat(),
    );
    let (docker, product) = (handle.docker().unwrap(), handle.info().unwrap().product);
    let mut seen = None;
    let read = berth::engine::stats::follow(&docker, product, &name, |s| {
        seen = Some(s);
        false
    });
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("a reading within 20 s (Podman sends one every 5 s)")
        .expect("the stats stream");
    let cpu = seen.expect("a reading").cpu_percent;
    assert!((10.0..=110.0).contains(&cpu), "one busy thread read as {cpu:.1} % of a CPU");
    task.abort();
}
