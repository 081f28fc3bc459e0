//! Volumes: listing with how many containers use each.

use std::collections::HashMap;

use bollard::models::{ContainerSummary, Volume as EngineVolume};
use bollard::query_parameters::ListVolumesOptions;
use bollard::Docker;
use serde::Serialize;
use specta::Type;

use super::{containers, timed, EngineError};

/// One row of the volumes list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Volume {
    pub name: String,
    pub driver: String,
    pub mountpoint: String,
    /// Containers (running or not) that mount it: the engine refuses to remove it while this is
    /// above zero.
    pub containers: u32,
    /// True for volumes created without a name (64 hex characters).
    pub anonymous: bool,
    pub project: Option<String>,
}

fn looks_anonymous(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn summarize(volumes: Vec<EngineVolume>, containers: &[ContainerSummary]) -> Vec<Volume> {
    let mut users: HashMap<&str, u32> = HashMap::new();
    for c in containers {
        for m in c.mounts.iter().flatten() {
            if m.typ.as_deref() == Some("volume") {
                if let Some(name) = m.name.as_deref() {
                    *users.entry(name).or_default() += 1;
                }
            }
        }
    }
    volumes
        .into_iter()
        .map(|mut v| Volume {
            containers: users.get(v.name.as_str()).copied().unwrap_or(0),
            anonymous: looks_anonymous(&v.name),
            project: v.labels.remove(super::compose::PROJECT),
            name: v.name,
            driver: v.driver,
            mountpoint: v.mountpoint,
        })
        .collect()
}

pub async fn list(docker: &Docker) -> Result<Vec<Volume>, EngineError> {
    let (resp, all) = tokio::try_join!(
        async {
            Ok::<_, EngineError>(
                timed("volumes.list", docker.list_volumes(None::<ListVolumesOptions>)).await?,
            )
        },
        containers::fetch_all(docker),
    )?;
    let mut volumes = resp.volumes.unwrap_or_default();
    volumes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(summarize(volumes, &all))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::MountPoint;

    #[test]
    fn counts_volume_mounts_not_binds() {
        let vols = vec![
            EngineVolume { name: "data".into(), driver: "local".into(), ..Default::default() },
            EngineVolume { name: "a".repeat(64), ..Default::default() },
        ];
        let c = ContainerSummary {
            mounts: Some(vec![
                MountPoint {
                    typ: Some("volume".into()),
                    name: Some("data".into()),
                    ..Default::default()
                },
                MountPoint {
                    typ: Some("bind".into()),
                    name: Some("data".into()),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        let out = summarize(vols, &[c]);
        assert_eq!(out[0].containers, 1);
        assert!(!out[0].anonymous);
        assert!(out[1].anonymous);
        assert_eq!(out[1].containers, 0);
    }
}
