//! The engine handle follows /events: CLI changes arrive as change sets, and a lost engine is
//! noticed and reconnected with a full resync.

use std::path::PathBuf;

use crate::common::{
    connected_engine, docker, engine, unique, wait_change, wait_status, Cleanup, BUSYBOX,
};
use crate::proxy::Proxy;
use berth::engine::connect::{Engine, ResolveEnv, UnreachableReason};
use berth::engine::containers::ContainerState;
use berth::engine::{ChangeSet, EngineStatus};
use std::time::Duration;

fn env_for(host: &str) -> ResolveEnv {
    ResolveEnv { docker_host: Some(host.to_string()), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_changes_arrive_as_change_sets() {
    let _layers = crate::common::LAYERS.lock().await;
    // Connecting announces a full resync so every list loads (checked by connected_engine).
    let (handle, mut sub, task) = connected_engine().await;
    assert!(handle.docker().is_ok());

    let mut cleanup = Cleanup::default();
    let c = unique("ev");
    let net = unique("ev-net");
    let vol = unique("ev-vol");
    let tag = format!("{}:x", unique("ev-img"));
    cleanup.container(&c);
    cleanup.network(&net);
    cleanup.volume(&vol);
    cleanup.image(&tag);

    docker(&["run", "-d", "--name", &c, BUSYBOX, "sleep", "600"]);
    wait_change(&mut sub, |s| s.containers).await;
    docker(&["stop", "-t", "0", &c]);
    wait_change(&mut sub, |s| s.containers).await;
    docker(&["network", "create", &net]);
    wait_change(&mut sub, |s| s.networks).await;
    docker(&["volume", "create", &vol]);
    wait_change(&mut sub, |s| s.volumes).await;
    docker(&["tag", BUSYBOX, &tag]);
    wait_change(&mut sub, |s| s.images).await;
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_socket_is_unreachable_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let host = format!("unix://{}/docker.sock", dir.path().display());
    let handle = Engine::new(env_for(&host));
    let mut sub = handle.subscribe();
    let task = tokio::spawn(handle.clone().run());
    let s = wait_status(&mut sub, |s| matches!(s, EngineStatus::Unreachable { .. })).await;
    let EngineStatus::Unreachable { reason, host: h, message } = s else { unreachable!() };
    assert_eq!(reason, UnreachableReason::SocketMissing);
    assert_eq!(h, host);
    assert!(message.contains("docker.sock"), "{message}");
    let err = handle.docker().unwrap_err();
    assert_eq!(err.code, berth::engine::ErrorCode::Unreachable);
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_engine_is_noticed_and_reconnected_with_a_resync() {
    engine().await;
    let real = berth::engine::connect::resolve(&ResolveEnv::from_process()).unwrap();
    let target = PathBuf::from(real.uri.trim_start_matches("unix://"));
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("engine.sock");
    let proxy = Proxy::start(&sock, target.clone());

    let handle = Engine::new(env_for(&format!("unix://{}", sock.display())));
    let mut sub = handle.subscribe();
    let task = tokio::spawn(handle.clone().run());
    wait_status(&mut sub, |s| matches!(s, EngineStatus::Connected { .. })).await;
    wait_change(&mut sub, |s| *s == ChangeSet::ALL).await;

    proxy.stop();
    let s = wait_status(&mut sub, |s| matches!(s, EngineStatus::Unreachable { .. })).await;
    assert!(
        matches!(
            s,
            EngineStatus::Unreachable {
                reason: UnreachableReason::Lost | UnreachableReason::SocketMissing,
                ..
            }
        ),
        "{s:?}"
    );
    assert!(handle.docker().is_err(), "no connection while the engine is away");

    let proxy = Proxy::start(&sock, target);
    handle.retry();
    wait_status(&mut sub, |s| matches!(s, EngineStatus::Connected { .. })).await;
    wait_change(&mut sub, |s| *s == ChangeSet::ALL).await;
    assert!(handle.docker().is_ok());

    // And it follows events again after the reconnect.
    let mut cleanup = Cleanup::default();
    let net = unique("after-reconnect");
    cleanup.network(&net);
    docker(&["network", "create", &net]);
    wait_change(&mut sub, |s| s.networks).await;
    task.abort();
    proxy.stop();
}

/// The state the containers list gives `id` now.
async fn listed_state(api: &bollard::Docker, id: &str) -> Option<ContainerState> {
    let all = berth::engine::containers::list(api).await.unwrap();
    all.iter().find(|c| c.id == id).map(|c| c.state)
}

/// Run `-it sh`, attach as the Terminal does, type `exit`: the engine announces `die` before its
/// list shows the container exited, so a list asked for on the notice must still be right.
/// Pausing and unpausing are announced the same way. The feed is narrowed to this container, so
/// no other test's events can bring a later notice that hides a stale list.
#[tokio::test(flavor = "multi_thread")]
async fn the_list_asked_for_on_each_notice_shows_the_change() {
    use berth::engine::containers::{act, Action};
    use berth::engine::exec::{self, Open};
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;

    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let name = unique("it-exit");
    cleanup.container(&name);
    let id = docker(&["run", "-dit", "--name", &name, BUSYBOX, "sh"]);

    let (tx, mut notices) = tokio::sync::mpsc::unbounded_channel();
    let ours = id.clone();
    let stream = berth::engine::events::subscribe(&api).filter(move |ev| {
        let about = ev.as_ref().ok().and_then(|e| e.actor.as_ref()?.id.clone());
        std::future::ready(about.as_deref() == Some(ours.as_str()))
    });
    let settle_api = api.clone();
    let pump = tokio::spawn(async move {
        berth::engine::events::pump(
            stream,
            berth::engine::events::COALESCE,
            |ids| {
                let api = settle_api.clone();
                async move { berth::engine::events::settle(&api, ids).await }
            },
            move |set| {
                let _ = tx.send(set);
            },
        )
        .await
    });
    // Each step's notices, until one is followed by a list in the expected state.
    let mut expect = async |want: ContainerState, step: &str| {
        let mut seen = Vec::new();
        loop {
            let next = tokio::time::timeout(Duration::from_secs(10), notices.recv()).await;
            let Ok(Some(set)) = next else {
                panic!("{step}: no notice followed by a list showing {want:?}; lists: {seen:?}")
            };
            if !set.containers {
                continue;
            }
            let state = listed_state(&api, &id).await;
            if state == Some(want) {
                return;
            }
            seen.push(state);
        }
    };

    let mut tty = exec::open(&api, &id, Open::Auto, 80, 24).await.unwrap();
    assert!(matches!(tty.target, exec::Target::Attached(_)), "attached to the -it container");
    tty.input.write_all(b"exit\n").await.unwrap();
    tty.input.flush().await.unwrap();
    expect(ContainerState::Exited, "exit typed in the terminal").await;
    assert_eq!(docker(&["inspect", "-f", "{{.State.Status}}", &name]), "exited");

    act(&api, &id, Action::Start).await.unwrap();
    expect(ContainerState::Running, "start").await;
    act(&api, &id, Action::Pause).await.unwrap();
    expect(ContainerState::Paused, "pause").await;
    act(&api, &id, Action::Unpause).await.unwrap();
    expect(ContainerState::Running, "unpause").await;
    pump.abort();
}
