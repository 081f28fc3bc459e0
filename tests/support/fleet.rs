//! Many containers at once, for benchmarks: created through the Engine API with the labels a
//! compose project puts on them, and removed again by their label.

use std::collections::HashMap;

use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{
    CreateContainerOptions, ListContainersOptionsBuilder, RemoveContainerOptionsBuilder,
};
use bollard::Docker;
use futures_util::{stream, StreamExt};

/// The label that marks a fleet's containers.
pub const FLEET_LABEL: &str = "berth.bench.fleet";

/// Create `n` stopped containers named `{prefix}-{i}` from `image`.
pub async fn create(docker: &Docker, prefix: &str, n: usize, image: &str) {
    let made = stream::iter(0..n)
        .map(|i| {
            let name = format!("{prefix}-{i:04}");
            let labels = HashMap::from([
                (FLEET_LABEL.to_string(), prefix.to_string()),
                ("com.docker.compose.project".to_string(), format!("{prefix}-p{}", i % 25)),
                ("com.docker.compose.service".to_string(), format!("svc{i}")),
                ("com.docker.compose.oneoff".to_string(), "False".to_string()),
                ("org.opencontainers.image.title".to_string(), "bench".to_string()),
            ]);
            let body = ContainerCreateBody {
                image: Some(image.to_string()),
                cmd: Some(vec!["sleep".into(), "3600".into()]),
                labels: Some(labels),
                ..Default::default()
            };
            async move {
                let opts = CreateContainerOptions { name: Some(name), ..Default::default() };
                docker.create_container(Some(opts), body).await.map(|_| ())
            }
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await;
    let failed: Vec<_> = made.into_iter().filter_map(Result::err).collect();
    assert!(failed.is_empty(), "creating the fleet failed: {:?}", failed.first());
}

/// Remove every container of the fleet `prefix`.
pub async fn remove(docker: &Docker, prefix: &str) {
    let filters = HashMap::from([("label".to_string(), vec![format!("{FLEET_LABEL}={prefix}")])]);
    let opts = ListContainersOptionsBuilder::default().all(true).filters(&filters).build();
    let ids: Vec<String> = docker
        .list_containers(Some(opts))
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.id)
        .collect();
    stream::iter(ids)
        .map(|id| async move {
            let opts = RemoveContainerOptionsBuilder::default().force(true).build();
            let _ = docker.remove_container(&id, Some(opts)).await;
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await;
}
