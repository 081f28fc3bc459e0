//! The engine handle follows /events: CLI changes arrive as change sets, and a lost engine is
//! noticed and reconnected with a full resync.

use std::path::PathBuf;

use crate::common::{
    connected_engine, docker, engine, unique, wait_change, wait_status, Cleanup, BUSYBOX,
};
use crate::proxy::Proxy;
use berth::engine::connect::{Engine, ResolveEnv, UnreachableReason};
use berth::engine::{ChangeSet, EngineStatus};

fn env_for(host: &str) -> ResolveEnv {
    ResolveEnv { docker_host: Some(host.to_string()), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_changes_arrive_as_change_sets() {
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
