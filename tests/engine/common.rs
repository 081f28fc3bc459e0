use std::process::Command;

use std::time::Duration;

use berth::engine::connect::{self, Engine, ResolveEnv, Subscription};
use berth::engine::{ChangeSet, EngineStatus};
use bollard::Docker;

pub use crate::cli::{docker, push_to_registry, unique, Cleanup, BUSYBOX};

/// A connection to the engine the docker CLI would use. Fails loudly when there is none.
pub async fn engine() -> Docker {
    let host = connect::resolve(&ResolveEnv::from_process()).expect("resolve the engine");
    let (docker, _) =
        connect::connect(&host).await.map(|c| (c.docker, c.info)).unwrap_or_else(|u| {
            panic!(
                "engine integration tests need a running Docker engine at {} ({:?}: {}). \
             scripts/test.sh starts one.",
                host.uri, u.reason, u.message
            )
        });
    let fixture = Command::new("docker")
        .args(["image", "inspect", BUSYBOX])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(fixture, "the image {BUSYBOX} is missing: run scripts/fixtures.sh");
    docker
}

/// The engine handle's state once it matches `want` (15 s at most).
pub async fn wait_status(
    sub: &mut Subscription,
    want: impl Fn(&EngineStatus) -> bool,
) -> EngineStatus {
    let r = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let s = sub.status.borrow_and_update().clone();
            if want(&s) {
                return s;
            }
            sub.status.changed().await.expect("engine handle alive");
        }
    })
    .await;
    r.unwrap_or_else(|_| panic!("status never matched; last: {:?}", sub.status.borrow()))
}

/// The next change set that matches `want` (10 s at most).
pub async fn wait_change(sub: &mut Subscription, want: impl Fn(&ChangeSet) -> bool) -> ChangeSet {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match sub.changes.recv().await {
                Ok(set) if want(&set) => return set,
                Ok(_) => {}
                Err(e) => panic!("change feed failed: {e}"),
            }
        }
    })
    .await
    .expect("the change never arrived")
}

/// An engine handle running against the local engine, connected, with the full resync it
/// announces on connecting already received: the next change set is a real change. Abort the
/// task when done.
pub async fn connected_engine() -> (Engine, Subscription, tokio::task::JoinHandle<()>) {
    engine().await;
    let handle = Engine::new(ResolveEnv::from_process());
    let mut sub = handle.subscribe();
    let task = tokio::spawn(handle.clone().run());
    wait_status(&mut sub, |s| matches!(s, EngineStatus::Connected { .. })).await;
    assert_eq!(wait_change(&mut sub, |_| true).await, ChangeSet::ALL);
    (handle, sub, task)
}

/// The images list as the window gets it, from a fresh container list and layer cache.
pub async fn list_images(docker: &Docker) -> Vec<berth::engine::images::Image> {
    let all = berth::engine::containers::list(docker).await.unwrap();
    let cache = berth::engine::images::LayerCache::default();
    berth::engine::images::list(docker, &all, &cache).await.unwrap()
}

/// Tests that add or remove image layers take turns: the prune test measures the engine's total.
pub static LAYERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
