//! One container in full: what the details view shows, and the engine's own inspect document.

use bollard::Docker;
use serde::Serialize;
use specta::Type;

use super::spec::shell_quote;
use super::{timed, EngineError};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct PublishedPort {
    /// "80/tcp"
    pub container: String,
    pub host_ip: Option<String>,
    pub host_port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MountLine {
    /// "bind", "volume", "tmpfs"
    pub kind: String,
    /// Host path, or the volume's name.
    pub source: String,
    pub destination: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct NetworkLine {
    pub name: String,
    pub ip: String,
    pub gateway: String,
    pub mac: String,
    /// Names others on the network reach it by, besides its own.
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ContainerDetails {
    pub id: String,
    pub name: String,
    pub image: String,
    pub image_id: String,
    /// The process it runs, shell-quoted.
    pub command: String,
    pub created: String,
    /// "running", "exited", ...
    pub state: String,
    pub exit_code: i64,
    pub error: String,
    pub started_at: String,
    pub finished_at: String,
    pub restart_count: i64,
    /// "healthy", "unhealthy", "starting", or None without a health check.
    pub health: Option<String>,
    pub ports: Vec<PublishedPort>,
    pub mounts: Vec<MountLine>,
    pub networks: Vec<NetworkLine>,
    pub env: Vec<String>,
    pub labels: Vec<(String, String)>,
    /// `docker inspect` as the engine returned it, pretty-printed.
    pub inspect: String,
}

fn text<T: Serialize>(v: &Option<T>) -> String {
    match v.as_ref().map(serde_json::to_value) {
        Some(Ok(serde_json::Value::String(s))) => s,
        Some(Ok(serde_json::Value::Null)) | None => String::new(),
        Some(Ok(other)) => other.to_string(),
        Some(Err(_)) => String::new(),
    }
}

pub async fn inspect(docker: &Docker, id: &str) -> Result<ContainerDetails, EngineError> {
    let c = timed("containers.inspect", docker.inspect_container(id, None)).await?;
    let inspect = serde_json::to_string_pretty(&c).unwrap_or_default();
    let state = c.state.clone().unwrap_or_default();
    let config = c.config.clone().unwrap_or_default();
    let mut words = vec![c.path.clone().unwrap_or_default()];
    words.extend(c.args.clone().unwrap_or_default());
    let mut ports: Vec<PublishedPort> = Vec::new();
    let mut published: Vec<_> = c
        .network_settings
        .as_ref()
        .and_then(|n| n.ports.clone())
        .unwrap_or_default()
        .into_iter()
        .collect();
    published.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, bindings) in published {
        match bindings {
            Some(list) if !list.is_empty() => {
                ports.extend(list.into_iter().map(|b| PublishedPort {
                    container: key.clone(),
                    host_ip: b.host_ip.filter(|s| !s.is_empty()),
                    host_port: b.host_port.and_then(|p| p.parse().ok()),
                }))
            }
            _ => ports.push(PublishedPort { container: key, host_ip: None, host_port: None }),
        }
    }
    let mounts = c
        .mounts
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|m| MountLine {
            kind: text(&m.typ),
            source: m.name.filter(|n| !n.is_empty()).or(m.source).unwrap_or_default(),
            destination: m.destination.unwrap_or_default(),
            read_only: !m.rw.unwrap_or(true),
        })
        .collect();
    let mut networks: Vec<NetworkLine> = c
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|(name, e)| NetworkLine {
            aliases: super::networks::own_aliases(Some(&e), c.id.as_deref().unwrap_or_default()),
            name,
            ip: match (e.ip_address.unwrap_or_default(), e.ip_prefix_len) {
                (ip, Some(len)) if !ip.is_empty() => format!("{ip}/{len}"),
                (ip, _) => ip,
            },
            gateway: e.gateway.unwrap_or_default(),
            mac: e.mac_address.unwrap_or_default(),
        })
        .collect();
    networks.sort_by(|a, b| a.name.cmp(&b.name));
    let mut labels: Vec<(String, String)> = config.labels.unwrap_or_default().into_iter().collect();
    labels.sort();
    Ok(ContainerDetails {
        id: c.id.clone().unwrap_or_default(),
        name: c.name.clone().unwrap_or_default().trim_start_matches('/').to_string(),
        image: config.image.unwrap_or_default(),
        image_id: c.image.clone().unwrap_or_default(),
        command: words
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| shell_quote(w))
            .collect::<Vec<_>>()
            .join(" "),
        created: c.created.clone().map(|t| t.to_string()).unwrap_or_default(),
        state: text(&state.status),
        exit_code: state.exit_code.unwrap_or(0),
        error: state.error.unwrap_or_default(),
        started_at: state.started_at.unwrap_or_default(),
        finished_at: state.finished_at.unwrap_or_default(),
        restart_count: c.restart_count.unwrap_or(0),
        health: state.health.and_then(|h| Some(text(&h.status)).filter(|s| !s.is_empty())),
        ports,
        mounts,
        networks,
        env: config.env.unwrap_or_default(),
        labels,
        inspect,
    })
}
