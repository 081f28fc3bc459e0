use std::process::Command;

use berth::engine::connect::{self, ResolveEnv};
use bollard::Docker;

pub use crate::cli::{docker, push_to_registry, unique, Cleanup, BUSYBOX};

/// A connection to the engine the docker CLI would use. Fails loudly when there is none.
pub async fn engine() -> Docker {
    let host = connect::resolve(&ResolveEnv::from_process()).expect("resolve the engine");
    let (docker, _) = connect::connect(&host).await.unwrap_or_else(|u| {
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
