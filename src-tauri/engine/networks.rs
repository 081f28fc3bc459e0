//! Networks: listing with how many running containers are attached.

use std::collections::HashMap;

use bollard::models::{ContainerSummary, ContainerSummaryStateEnum, Network as EngineNetwork};
use bollard::query_parameters::ListNetworksOptions;
use bollard::Docker;
use serde::Serialize;
use specta::Type;

use super::{containers, timed, EngineError};

/// One row of the networks list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Network {
    pub id: String,
    pub name: String,
    pub driver: String,
    /// "local", "global" or "swarm".
    pub scope: String,
    /// IPAM subnets, e.g. "172.18.0.0/16".
    pub subnets: Vec<String>,
    pub internal: bool,
    /// Running containers attached (what `docker network inspect` lists).
    pub containers: u32,
    /// The compose project that created this network, if any.
    pub project: Option<String>,
}

fn is_live(c: &ContainerSummary) -> bool {
    matches!(
        c.state,
        Some(ContainerSummaryStateEnum::RUNNING)
            | Some(ContainerSummaryStateEnum::PAUSED)
            | Some(ContainerSummaryStateEnum::RESTARTING)
    )
}

/// Map the engine's networks, counting running containers per network id.
pub fn summarize(networks: Vec<EngineNetwork>, containers: &[ContainerSummary]) -> Vec<Network> {
    let mut attached: HashMap<&str, u32> = HashMap::new();
    for c in containers.iter().filter(|c| is_live(c)) {
        let nets = c.network_settings.as_ref().and_then(|n| n.networks.as_ref());
        for ep in nets.into_iter().flat_map(|m| m.values()) {
            if let Some(id) = ep.network_id.as_deref().filter(|id| !id.is_empty()) {
                *attached.entry(id).or_default() += 1;
            }
        }
    }
    networks
        .into_iter()
        .map(|n| {
            let id = n.id.unwrap_or_default();
            Network {
                containers: attached.get(id.as_str()).copied().unwrap_or(0),
                name: n.name.unwrap_or_default(),
                driver: n.driver.unwrap_or_default(),
                scope: n.scope.unwrap_or_default(),
                subnets: n
                    .ipam
                    .and_then(|i| i.config)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|c| c.subnet)
                    .collect(),
                internal: n.internal.unwrap_or(false),
                project: n.labels.and_then(|mut l| l.remove(super::compose::PROJECT)),
                id,
            }
        })
        .collect()
}

pub async fn list(docker: &Docker) -> Result<Vec<Network>, EngineError> {
    let (mut networks, all) = tokio::try_join!(
        async {
            Ok::<_, EngineError>(
                timed("networks.list", docker.list_networks(None::<ListNetworksOptions>)).await?,
            )
        },
        containers::fetch_all(docker),
    )?;
    networks.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(summarize(networks, &all))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{ContainerSummaryNetworkSettings, EndpointSettings, Ipam, IpamConfig};

    fn on(net: &str, state: ContainerSummaryStateEnum) -> ContainerSummary {
        ContainerSummary {
            state: Some(state),
            network_settings: Some(ContainerSummaryNetworkSettings {
                networks: Some(HashMap::from([(
                    "x".to_string(),
                    EndpointSettings { network_id: Some(net.into()), ..Default::default() },
                )])),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn counts_only_running_attachments() {
        let nets = vec![EngineNetwork {
            id: Some("n1".into()),
            name: Some("front".into()),
            driver: Some("bridge".into()),
            ipam: Some(Ipam {
                config: Some(vec![IpamConfig {
                    subnet: Some("172.30.0.0/16".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        }];
        let cs = vec![
            on("n1", ContainerSummaryStateEnum::RUNNING),
            on("n1", ContainerSummaryStateEnum::EXITED),
            on("n2", ContainerSummaryStateEnum::RUNNING),
        ];
        let out = summarize(nets, &cs);
        assert_eq!(out[0].containers, 1);
        assert_eq!(out[0].subnets, vec!["172.30.0.0/16".to_string()]);
    }
}
