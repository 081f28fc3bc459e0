//! Networks: the list with what is attached to each, one network in full, and what
//! `docker network create|rm|prune|connect|disconnect` do, with the checks that let the window
//! say why before the engine refuses.

pub mod create;
pub mod ipam;

use std::collections::HashMap;

use bollard::models::{
    ContainerSummary, EndpointSettings, Network as EngineNetwork, NetworkConnectRequest,
    NetworkDisconnectRequest, NetworkInspect,
};
use bollard::query_parameters::{InspectNetworkOptions, ListNetworksOptions};
use bollard::Docker;
use serde::Serialize;
use specta::Type;

use super::containers::{self, ContainerState};
pub use super::error::Removal;
use super::spec::{Field, FieldProblem};
use super::{sorted_pairs, timed, EngineError, ErrorCode};
pub use create::{NetworkCheck, NetworkSpec};

/// The networks every engine makes itself; they can be neither removed nor pruned.
pub const BUILT_IN: [&str; 3] = ["bridge", "host", "none"];

/// One row of the networks list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct Network {
    pub id: String,
    pub name: String,
    pub driver: String,
    /// "local", "global" or "swarm".
    pub scope: String,
    /// IPAM subnets, e.g. "172.18.0.0/16".
    pub subnets: Vec<String>,
    pub gateways: Vec<String>,
    pub internal: bool,
    pub attachable: bool,
    pub ipv6: bool,
    /// bridge, host or none: made by the engine, never removed.
    pub built_in: bool,
    /// Containers attached, in any state (a stopped one joins again when it starts).
    pub containers: u32,
    /// Of those, the ones up now (what `docker network inspect` lists).
    pub running: u32,
    /// The compose project that created this network, if any.
    pub project: Option<String>,
}

/// Which networks a container is attached to: the engine's network id when it gives one,
/// else the name.
fn attachments(c: &ContainerSummary) -> impl Iterator<Item = (&str, &EndpointSettings)> {
    let nets = c.network_settings.as_ref().and_then(|n| n.networks.as_ref());
    nets.into_iter().flat_map(|m| m.iter()).map(|(name, ep)| {
        (ep.network_id.as_deref().filter(|id| !id.is_empty()).unwrap_or(name.as_str()), ep)
    })
}

fn attached_to(c: &ContainerSummary, net: &Network) -> bool {
    attachments(c).any(|(key, _)| key == net.id || key == net.name)
}

fn row(n: EngineNetwork) -> Network {
    let config = n.ipam.and_then(|i| i.config).unwrap_or_default();
    let name = n.name.unwrap_or_default();
    Network {
        id: n.id.unwrap_or_default(),
        built_in: BUILT_IN.contains(&name.as_str()),
        name,
        driver: n.driver.unwrap_or_default(),
        scope: n.scope.unwrap_or_default(),
        subnets: config.iter().filter_map(|c| c.subnet.clone()).collect(),
        gateways: config.iter().filter_map(|c| c.gateway.clone()).collect(),
        internal: n.internal.unwrap_or(false),
        attachable: n.attachable.unwrap_or(false),
        ipv6: n.enable_ipv6.unwrap_or(false),
        containers: 0,
        running: 0,
        project: n.labels.and_then(|mut l| l.remove(super::compose::PROJECT)),
    }
}

/// An inspected network as the list describes it.
fn as_listed(n: NetworkInspect) -> EngineNetwork {
    EngineNetwork {
        name: n.name,
        id: n.id,
        scope: n.scope,
        driver: n.driver,
        enable_ipv6: n.enable_ipv6,
        ipam: n.ipam,
        internal: n.internal,
        attachable: n.attachable,
        labels: n.labels,
        ..Default::default()
    }
}

/// The engine's networks as rows, counting the containers attached to each.
pub fn summarize(networks: Vec<EngineNetwork>, all: &[ContainerSummary]) -> Vec<Network> {
    let mut counts: HashMap<&str, (u32, u32)> = HashMap::new();
    for c in all {
        let up = ContainerState::from(c.state).is_up();
        for (key, _) in attachments(c) {
            let e = counts.entry(key).or_default();
            e.0 += 1;
            e.1 += up as u32;
        }
    }
    let mut rows: Vec<Network> = networks.into_iter().map(row).collect();
    for n in &mut rows {
        // Containers created but never started name the network only by name.
        let by_id = counts.get(n.id.as_str()).copied().unwrap_or_default();
        let by_name = counts.get(n.name.as_str()).copied().unwrap_or_default();
        n.containers = by_id.0 + by_name.0;
        n.running = by_id.1 + by_name.1;
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

async fn fetch(docker: &Docker) -> Result<Vec<EngineNetwork>, EngineError> {
    Ok(timed("networks.list", docker.list_networks(None::<ListNetworksOptions>)).await?)
}

pub async fn list(docker: &Docker) -> Result<Vec<Network>, EngineError> {
    let (networks, all) = tokio::try_join!(fetch(docker), containers::fetch_all(docker))?;
    Ok(summarize(networks, &all))
}

/// A container attached to a network, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Endpoint {
    pub container_id: String,
    pub container: String,
    pub state: ContainerState,
    /// "172.18.0.2/16"; empty while the container is not running.
    pub ipv4: String,
    pub ipv6: String,
    pub mac: String,
    /// Names other containers on this network reach it by, besides its own name.
    pub aliases: Vec<String>,
}

/// One network in full: what `docker network inspect` shows, the stopped containers too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct NetworkDetails {
    pub network: Network,
    pub ip_ranges: Vec<String>,
    pub endpoints: Vec<Endpoint>,
    pub options: Vec<(String, String)>,
    pub labels: Vec<(String, String)>,
    /// `docker network inspect` as the engine returned it, pretty-printed.
    pub inspect: String,
}

/// The aliases a container has on a network, without the short id the engine adds itself.
pub fn own_aliases(ep: Option<&EndpointSettings>, container_id: &str) -> Vec<String> {
    let short = &container_id[..container_id.len().min(12)];
    let list = ep.and_then(|e| e.aliases.clone()).unwrap_or_default();
    list.into_iter().filter(|a| a != short).collect()
}

pub async fn inspect(docker: &Docker, id: &str) -> Result<NetworkDetails, EngineError> {
    let opts = InspectNetworkOptions { verbose: false, scope: None };
    let (n, all) = tokio::try_join!(
        async {
            Ok::<_, EngineError>(
                timed("networks.inspect", docker.inspect_network(id, Some(opts))).await?,
            )
        },
        containers::fetch_all(docker),
    )?;
    let inspect = serde_json::to_string_pretty(&n).unwrap_or_default();
    let live = n.containers.clone().unwrap_or_default();
    let ip_ranges = n.ipam.as_ref().and_then(|i| i.config.as_ref()).into_iter().flatten();
    let ip_ranges = ip_ranges.filter_map(|c| c.ip_range.clone()).collect();
    let (options, labels) = (
        sorted_pairs(n.options.clone().unwrap_or_default()),
        sorted_pairs(n.labels.clone().unwrap_or_default()),
    );
    let network = summarize(vec![as_listed(n)], &all).remove(0);
    // The list says who is attached in any state; aliases live only in each container's inspect.
    let members: Vec<&ContainerSummary> = all.iter().filter(|c| attached_to(c, &network)).collect();
    let inspects =
        members.iter().map(|c| docker.inspect_container(c.id.as_deref().unwrap_or_default(), None));
    let inspects = futures_util::future::join_all(inspects).await;
    let mut endpoints: Vec<Endpoint> = members
        .iter()
        .zip(inspects)
        .map(|(c, full)| {
            let id = c.id.clone().unwrap_or_default();
            let res = live.get(&id);
            let nets = full.ok().and_then(|f| f.network_settings).and_then(|s| s.networks);
            let ep = nets.as_ref().and_then(|m| m.get(&network.name));
            Endpoint {
                container: containers::Container::from_summary((*c).clone(), None).name,
                state: ContainerState::from(c.state),
                ipv4: res.and_then(|r| r.ipv4_address.clone()).unwrap_or_default(),
                ipv6: res.and_then(|r| r.ipv6_address.clone()).unwrap_or_default(),
                mac: res.and_then(|r| r.mac_address.clone()).unwrap_or_default(),
                aliases: own_aliases(ep, &id),
                container_id: id,
            }
        })
        .collect();
    endpoints.sort_by(|a, b| a.container.cmp(&b.container));
    Ok(NetworkDetails { network, ip_ranges, endpoints, options, labels, inspect })
}

/// Check the create dialog against the engine's networks.
pub async fn check_create(
    docker: &Docker,
    spec: &NetworkSpec,
) -> Result<NetworkCheck, EngineError> {
    let existing = fetch(docker).await?.into_iter().map(row).collect::<Vec<_>>();
    Ok(create::check(spec, &existing))
}

/// `docker network create`; the new network's id.
pub async fn create(docker: &Docker, spec: &NetworkSpec) -> Result<String, EngineError> {
    let existing = fetch(docker).await?.into_iter().map(row).collect::<Vec<_>>();
    let plan = create::plan(spec, &existing).map_err(first_problem)?;
    let made = timed("networks.create", docker.create_network(plan.to_create())).await;
    // The engine answers an address pool clash with 403; it is a clash, not a permission.
    let made = made.map_err(EngineError::from).map_err(|e| match e.code {
        ErrorCode::PermissionDenied => EngineError::new(ErrorCode::Conflict, e.message),
        _ => e,
    })?;
    Ok(made.id)
}

pub(crate) fn first_problem(problems: Vec<FieldProblem>) -> EngineError {
    let p = &problems[0];
    EngineError::new(ErrorCode::InvalidInput, format!("{}: {}", p.field, p.message))
}

/// The network as a row, or NotFound.
async fn one(docker: &Docker, id: &str) -> Result<(Network, Vec<ContainerSummary>), EngineError> {
    let (networks, all) = tokio::try_join!(fetch(docker), containers::fetch_all(docker))?;
    let rows = summarize(networks, &all);
    let net = rows.into_iter().find(|n| n.id == id || n.name == id);
    let net =
        net.ok_or_else(|| EngineError::new(ErrorCode::NotFound, format!("no network {id}")))?;
    Ok((net, all))
}

fn names_of(all: &[ContainerSummary], net: &Network) -> Vec<String> {
    all.iter()
        .filter(|c| attached_to(c, net))
        .map(|c| containers::Container::from_summary(c.clone(), None).name)
        .collect()
}

/// Why Berth will not ask the engine to remove `net`: built-in, or containers attached (named,
/// so the window can offer to disconnect them first).
fn refusal(net: &Network, all: &[ContainerSummary]) -> Option<EngineError> {
    if net.built_in {
        return Some(EngineError::new(
            ErrorCode::Conflict,
            format!("{} is made by the engine itself and cannot be removed", net.name),
        ));
    }
    let attached = names_of(all, net);
    (!attached.is_empty()).then(|| {
        EngineError::new(
            ErrorCode::InUse,
            format!("{} has containers attached: {}", net.name, attached.join(", ")),
        )
    })
}

/// `docker network rm`, refused before the engine is asked for a built-in network or one with
/// containers attached.
pub async fn remove(docker: &Docker, id: &str) -> Result<(), EngineError> {
    let (net, all) = one(docker, id).await?;
    if let Some(e) = refusal(&net, &all) {
        return Err(e);
    }
    Ok(timed("networks.remove", docker.remove_network(&net.id)).await?)
}

/// Disconnect every container from the network (running or not), then remove it.
pub async fn disconnect_all_and_remove(docker: &Docker, id: &str) -> Result<(), EngineError> {
    let (net, all) = one(docker, id).await?;
    for c in all.iter().filter(|c| attached_to(c, &net)) {
        disconnect(docker, &net.id, c.id.as_deref().unwrap_or_default(), true).await?;
    }
    remove(docker, &net.id).await
}

/// What "Prune networks" will remove: every network no container is attached to, running or
/// not, except the built-in ones. (The engine's own prune also takes the networks of stopped
/// containers, which then cannot start: Berth keeps those.)
pub async fn prune_candidates(docker: &Docker) -> Result<Vec<Network>, EngineError> {
    let rows = list(docker).await?;
    Ok(rows
        .into_iter()
        .filter(|n| !n.built_in && n.containers == 0 && n.scope != "swarm")
        .collect())
}

/// Remove the networks the user confirmed (by name), each only if still unused when the prune
/// runs (one look at the engine for all of them); what happened to each.
pub async fn prune(docker: &Docker, names: &[String]) -> Vec<Removal> {
    let found = tokio::try_join!(fetch(docker), containers::fetch_all(docker));
    let mut out = Vec::new();
    for name in names {
        let error = match &found {
            Err(e) => Some(e.clone()),
            Ok((networks, all)) => {
                let net = summarize(networks.clone(), all).into_iter().find(|n| &n.name == name);
                match net {
                    None => {
                        Some(EngineError::new(ErrorCode::NotFound, format!("no network {name}")))
                    }
                    Some(net) => match refusal(&net, all) {
                        Some(e) => Some(e),
                        None => timed("networks.remove", docker.remove_network(&net.id))
                            .await
                            .err()
                            .map(EngineError::from),
                    },
                }
            }
        };
        out.push(Removal { name: name.clone(), error });
    }
    out
}

/// `docker network connect [--alias A]... NETWORK CONTAINER`.
pub async fn connect(
    docker: &Docker,
    network: &str,
    container: &str,
    aliases: &[String],
) -> Result<(), EngineError> {
    let aliases: Vec<String> =
        aliases.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
    if let Some(bad) = aliases.iter().find(|a| a.chars().any(|c| c.is_whitespace() || c == '\0')) {
        return Err(first_problem(vec![FieldProblem {
            field: Field::Aliases,
            row: None,
            message: format!("“{bad}” holds a space: an alias is one name"),
        }]));
    }
    let endpoint =
        EndpointSettings { aliases: Some(aliases).filter(|a| !a.is_empty()), ..Default::default() };
    let req =
        NetworkConnectRequest { container: container.to_string(), endpoint_config: Some(endpoint) };
    Ok(timed("networks.connect", docker.connect_network(network, req)).await?)
}

/// `docker network disconnect [-f] NETWORK CONTAINER`.
pub async fn disconnect(
    docker: &Docker,
    network: &str,
    container: &str,
    force: bool,
) -> Result<(), EngineError> {
    let req = NetworkDisconnectRequest { container: container.to_string(), force: Some(force) };
    Ok(timed("networks.disconnect", docker.disconnect_network(network, req)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{
        ContainerSummaryNetworkSettings, ContainerSummaryStateEnum, Ipam, IpamConfig,
    };

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
    fn counts_attachments_in_any_state_and_the_running_ones() {
        let nets = vec![
            EngineNetwork {
                id: Some("n1".into()),
                name: Some("front".into()),
                driver: Some("bridge".into()),
                ipam: Some(Ipam {
                    config: Some(vec![IpamConfig {
                        subnet: Some("172.30.0.0/16".into()),
                        gateway: Some("172.30.0.1".into()),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }),
                ..Default::default()
            },
            EngineNetwork {
                id: Some("n0".into()),
                name: Some("bridge".into()),
                ..Default::default()
            },
        ];
        let cs = vec![
            on("n1", ContainerSummaryStateEnum::RUNNING),
            on("n1", ContainerSummaryStateEnum::EXITED),
            on("n2", ContainerSummaryStateEnum::RUNNING),
        ];
        let out = summarize(nets, &cs);
        assert_eq!(out[0].name, "bridge");
        assert!(out[0].built_in);
        assert_eq!((out[1].containers, out[1].running), (2, 1));
        assert_eq!(out[1].subnets, ["172.30.0.0/16"]);
        assert_eq!(out[1].gateways, ["172.30.0.1"]);
        assert!(!out[1].built_in);
    }

    #[test]
    fn the_engines_own_alias_is_not_the_users() {
        let ep = EndpointSettings {
            aliases: Some(vec!["fb68354bdf8a".into(), "web".into()]),
            ..Default::default()
        };
        assert_eq!(own_aliases(Some(&ep), "fb68354bdf8a16b710a6"), ["web"]);
        assert!(own_aliases(None, "x").is_empty());
    }
}
