//! Containers: listing, running from a dialog's plan, and the lifecycle actions.

use bollard::models::{ContainerSummary, ContainerSummaryStateEnum, PortSummaryTypeEnum};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, KillContainerOptions, ListContainersOptionsBuilder,
    RemoveContainerOptionsBuilder, RenameContainerOptionsBuilder, RestartContainerOptions,
    StartContainerOptions, StopContainerOptions,
};
use bollard::Docker;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::clock::{Fields, LocalTime};
use super::spec::{PortSpec, RunPlan};
use super::{timed, EngineError, ErrorCode};

use super::compose::{PROJECT as COMPOSE_PROJECT, SERVICE as COMPOSE_SERVICE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ContainerState {
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
    Unknown,
}

impl ContainerState {
    /// Running, paused or restarting: what `docker ps` without `-a` lists, what a stop stops,
    /// and what a removal must force. The one definition of a container being up.
    pub fn is_up(self) -> bool {
        matches!(self, Self::Running | Self::Paused | Self::Restarting)
    }
}

impl From<Option<ContainerSummaryStateEnum>> for ContainerState {
    fn from(s: Option<ContainerSummaryStateEnum>) -> Self {
        use ContainerSummaryStateEnum as S;
        match s {
            Some(S::CREATED) => Self::Created,
            Some(S::RUNNING) => Self::Running,
            Some(S::PAUSED) => Self::Paused,
            Some(S::RESTARTING) => Self::Restarting,
            Some(S::REMOVING) => Self::Removing,
            Some(S::EXITED) | Some(S::STOPPING) => Self::Exited,
            Some(S::DEAD) => Self::Dead,
            _ => Self::Unknown,
        }
    }
}

/// A health check's verdict, as `docker ps` shows it in the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Starting,
    Healthy,
    Unhealthy,
}

/// The exit code in the engine's status of an exited container ("Exited (137) 5 minutes ago").
fn exit_code_of(status: &str) -> Option<i32> {
    status.strip_prefix("Exited (")?.split_once(')')?.0.parse().ok()
}

/// The health verdict at the end of the engine's status ("Up 5 minutes (unhealthy)").
fn health_of(status: &str) -> Option<Health> {
    if status.ends_with("(healthy)") {
        Some(Health::Healthy)
    } else if status.ends_with("(unhealthy)") {
        Some(Health::Unhealthy)
    } else if status.ends_with("(health: starting)") {
        Some(Health::Starting)
    } else {
        None
    }
}

/// A published (or only exposed) port of a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Port {
    /// Host address the port is published on; None when only exposed.
    pub ip: Option<String>,
    pub private_port: u16,
    pub public_port: Option<u16>,
    /// "tcp", "udp" or "sctp".
    pub protocol: String,
}

/// One row of the containers list.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Container {
    pub id: String,
    /// The primary name, without the leading slash.
    pub name: String,
    /// The image as the container was created from it (a reference or an id).
    pub image: String,
    pub image_id: String,
    pub command: String,
    /// Creation time, seconds since the epoch.
    pub created: i64,
    /// The same, as the list shows it in the machine's time zone.
    pub created_local: LocalTime,
    pub state: ContainerState,
    /// `state.is_up()`, for the window (which has no copy of that rule).
    pub up: bool,
    /// The engine's human status text, e.g. "Up 3 minutes".
    pub status: String,
    /// How an exited container ended.
    pub exit_code: Option<i32>,
    /// Its health check's verdict, when it has one and runs.
    pub health: Option<Health>,
    pub ports: Vec<Port>,
    /// The compose project this container belongs to, if any.
    pub project: Option<String>,
    pub service: Option<String>,
    /// The networks it is attached to, by name, sorted.
    pub networks: Vec<String>,
}

impl Container {
    /// The engine's summary as a row; `today` is [`Fields::now`], made once per list.
    pub fn from_summary(c: ContainerSummary, today: Option<&Fields>) -> Self {
        let mut labels = c.labels.unwrap_or_default();
        let name = c
            .names
            .as_ref()
            .and_then(|n| {
                // Linked containers also list "/other/alias" names; the primary has one slash.
                n.iter().find(|n| n.matches('/').count() == 1).or_else(|| n.first())
            })
            .map(|n| n.trim_start_matches('/').to_string())
            .unwrap_or_default();
        let ports = c
            .ports
            .unwrap_or_default()
            .into_iter()
            .map(|p| Port {
                ip: p.ip.filter(|ip| !ip.is_empty()),
                private_port: p.private_port,
                public_port: p.public_port,
                protocol: match p.typ {
                    Some(PortSummaryTypeEnum::UDP) => "udp",
                    Some(PortSummaryTypeEnum::SCTP) => "sctp",
                    _ => "tcp",
                }
                .to_string(),
            })
            .collect();
        let state = ContainerState::from(c.state);
        let mut networks: Vec<String> =
            c.network_settings.and_then(|n| n.networks).unwrap_or_default().into_keys().collect();
        networks.sort();
        let status = c.status.unwrap_or_default();
        Container {
            networks,
            id: c.id.unwrap_or_default(),
            name,
            image: c.image.unwrap_or_default(),
            image_id: c.image_id.unwrap_or_default(),
            command: c.command.unwrap_or_default(),
            created: c.created.unwrap_or(0),
            created_local: LocalTime::of(c.created.unwrap_or(0), today),
            state,
            up: state.is_up(),
            exit_code: if state == ContainerState::Exited { exit_code_of(&status) } else { None },
            health: if state.is_up() { health_of(&status) } else { None },
            status,
            ports,
            project: labels.remove(COMPOSE_PROJECT),
            service: labels.remove(COMPOSE_SERVICE),
        }
    }
}

impl Container {
    /// The row once the exit the engine announced (`die`, with its code) is committed: the
    /// engine lists the container as up until its clean-up is done.
    pub fn exited(&mut self, code: i64) {
        if self.state.is_up() {
            self.state = ContainerState::Exited;
            self.up = false;
            // As the engine words it for a container that just exited.
            self.status = format!("Exited ({code}) Less than a second ago");
            self.exit_code = i32::try_from(code).ok();
            self.health = None;
        }
    }
}

/// Every container the engine has, running or not, as the engine describes them. Never asks for
/// sizes: that makes the engine walk every container's filesystem.
pub async fn fetch_all(docker: &Docker) -> Result<Vec<ContainerSummary>, EngineError> {
    let opts = ListContainersOptionsBuilder::default().all(true).size(false).build();
    Ok(timed("containers.list", docker.list_containers(Some(opts))).await?)
}

/// The containers list, newest first (the engine's order).
pub async fn list(docker: &Docker) -> Result<Vec<Container>, EngineError> {
    let all = fetch_all(docker).await?;
    let today = Fields::now();
    Ok(all.into_iter().map(|c| Container::from_summary(c, today.as_ref())).collect())
}

/// These containers as [`list`] shows them; one the engine no longer has is left out. The
/// engine looks each id up in its index instead of describing every container.
pub async fn list_some(docker: &Docker, ids: &[String]) -> Result<Vec<Container>, EngineError> {
    let filters =
        std::collections::HashMap::from([("id", ids.iter().map(String::as_str).collect())]);
    let opts =
        ListContainersOptionsBuilder::default().all(true).size(false).filters(&filters).build();
    let some = timed("containers.list_some", docker.list_containers(Some(opts))).await?;
    let today = Fields::now();
    Ok(some
        .into_iter()
        .map(|c| Container::from_summary(c, today.as_ref()))
        // The engine matches ids as prefixes as well; only these exact ones are asked for.
        .filter(|c| ids.contains(&c.id))
        .collect())
}

/// A container that already publishes a host port `ports` asks for (same protocol, addresses
/// that overlap), with that port: the engine would refuse to start the new one. Only containers
/// that are up hold their ports.
pub fn port_holder<'a>(ports: &[PortSpec], list: &'a [Container]) -> Option<(u16, &'a Container)> {
    let any = |ip: &str| ip.is_empty() || ip == "0.0.0.0" || ip == "::";
    for want in ports {
        let Some((low, high)) = want.host else { continue };
        let want_ip = want.ip.map(|ip| ip.to_string()).unwrap_or_default();
        for c in list.iter().filter(|c| c.up) {
            for p in &c.ports {
                let Some(port) = p.public_port.filter(|p| (low..=high).contains(p)) else {
                    continue;
                };
                let held = p.ip.as_deref().unwrap_or("");
                if p.protocol == want.protocol.as_str()
                    && (any(&want_ip) || any(held) || want_ip == held)
                {
                    return Some((port, c));
                }
            }
        }
    }
    None
}

/// Create and start a container from the run dialog's plan; returns its id. When it was
/// created but cannot start (a port already taken, say), it is removed again, so fixing the
/// dialog and running once more does not trip over the name.
pub async fn run(docker: &Docker, plan: &RunPlan) -> Result<String, EngineError> {
    let mut opts = CreateContainerOptionsBuilder::default();
    if let Some(name) = &plan.name {
        opts = opts.name(name);
    }
    let created = match timed(
        "containers.create",
        docker.create_container(Some(opts.build()), plan.to_create()),
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return Err(create_failed(docker, e, &plan.image).await),
    };
    let started = timed(
        "containers.start",
        docker.start_container(&created.id, None::<StartContainerOptions>),
    )
    .await;
    if let Err(e) = started {
        let opts = RemoveContainerOptionsBuilder::default().force(true).v(true).build();
        let _ = docker.remove_container(&created.id, Some(opts)).await;
        return Err(e.into());
    }
    Ok(created.id)
}

/// Why creating a container failed. The engine answers 404 both for a missing image and for a
/// missing network: which one is found out by looking for the image (not by reading its text).
pub async fn create_failed(docker: &Docker, e: bollard::errors::Error, image: &str) -> EngineError {
    let e = EngineError::from(e);
    if e.code == ErrorCode::NotFound && docker.inspect_image(image).await.is_err() {
        return EngineError::new(
            ErrorCode::ImageMissing,
            format!("no image {image} on this engine: pull or build it first"),
        );
    }
    e
}

/// The run dialog's fields that would make this container again.
pub async fn spec_of(docker: &Docker, id: &str) -> Result<super::spec::RunSpec, EngineError> {
    let c = timed("containers.inspect", docker.inspect_container(id, None)).await?;
    let image = c.image.clone().unwrap_or_default();
    let i = timed("images.inspect", docker.inspect_image(&image)).await?;
    Ok(super::spec::spec_from_inspect(&c, &i))
}

/// How a path differs from the container's image (`docker diff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum ChangeKind {
    Added,
    Changed,
    Deleted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FsChange {
    pub path: String,
    pub kind: ChangeKind,
}

/// What changed in a container's filesystem since it was created, sorted by path.
pub async fn changes(docker: &Docker, id: &str) -> Result<Vec<FsChange>, EngineError> {
    use bollard::models::ChangeType;
    let list = timed("containers.changes", docker.container_changes(id)).await?.unwrap_or_default();
    let mut out: Vec<FsChange> = list
        .into_iter()
        .map(|c| FsChange {
            path: c.path,
            kind: match c.kind {
                ChangeType::_1 => ChangeKind::Added,
                ChangeType::_2 => ChangeKind::Deleted,
                _ => ChangeKind::Changed,
            },
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// A committed image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Committed {
    /// The image id, `sha256:...`.
    pub id: String,
    /// Its reference as people write it, tag included: `localhost:5000/app:latest`.
    pub reference: String,
}

/// `docker commit`: a new image from the container's filesystem.
pub async fn commit(
    docker: &Docker,
    id: &str,
    spec: &super::spec::CommitSpec,
) -> Result<Committed, EngineError> {
    let (repo, tag, changes) = super::spec::plan_commit(spec).map_err(|p| {
        EngineError::new(ErrorCode::InvalidInput, format!("{}: {}", p[0].field, p[0].message))
    })?;
    let joined = changes.join("\n");
    let mut opts = bollard::query_parameters::CommitContainerOptionsBuilder::default()
        .container(id)
        .repo(&repo)
        .tag(&tag)
        .pause(true);
    if !spec.message.trim().is_empty() {
        opts = opts.comment(spec.message.trim());
    }
    if !spec.author.trim().is_empty() {
        opts = opts.author(spec.author.trim());
    }
    if !joined.is_empty() {
        opts = opts.changes(&joined);
    }
    let out = timed(
        "containers.commit",
        docker.commit_container(opts.build(), bollard::models::ContainerConfig::default()),
    )
    .await?;
    let reference = super::spec::ImageRef::parse(&format!("{repo}:{tag}"))
        .map(|r| r.familiar())
        .unwrap_or_else(|_| format!("{repo}:{tag}"));
    Ok(Committed { id: out.id, reference })
}

/// A lifecycle action on one container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum Action {
    Start,
    /// With the engine's timeout (the container's stop timeout, else 10 s), then kill.
    Stop,
    Restart,
    Pause,
    Unpause,
    Kill,
}

pub async fn act(docker: &Docker, id: &str, action: Action) -> Result<(), EngineError> {
    let out = match action {
        Action::Start => {
            timed("containers.start", docker.start_container(id, None::<StartContainerOptions>))
                .await
        }
        Action::Stop => {
            timed("containers.stop", docker.stop_container(id, None::<StopContainerOptions>)).await
        }
        Action::Restart => {
            timed(
                "containers.restart",
                docker.restart_container(id, None::<RestartContainerOptions>),
            )
            .await
        }
        Action::Pause => timed("containers.pause", docker.pause_container(id)).await,
        Action::Unpause => timed("containers.unpause", docker.unpause_container(id)).await,
        Action::Kill => {
            timed("containers.kill", docker.kill_container(id, None::<KillContainerOptions>)).await
        }
    };
    out.map_err(EngineError::from)
}

pub async fn rename(docker: &Docker, id: &str, name: &str) -> Result<(), EngineError> {
    super::spec::check_name(name)
        .and_then(|_| if name.is_empty() { Err("a name cannot be empty".into()) } else { Ok(()) })
        .map_err(|m| EngineError::new(ErrorCode::InvalidInput, m))?;
    let opts = RenameContainerOptionsBuilder::default().name(name).build();
    Ok(timed("containers.rename", docker.rename_container(id, opts)).await?)
}

/// Remove a container. `force` stops a running one first; `anonymous_volumes` also removes the
/// volumes only it used (named volumes are never removed).
pub async fn remove(
    docker: &Docker,
    id: &str,
    force: bool,
    anonymous_volumes: bool,
) -> Result<(), EngineError> {
    let opts = RemoveContainerOptionsBuilder::default().force(force).v(anonymous_volumes).build();
    Ok(timed("containers.remove", docker.remove_container(id, Some(opts))).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::PortSummary;
    use std::collections::HashMap;

    #[test]
    fn an_announced_exit_shows_only_on_a_container_still_listed_up() {
        let summary = |state| ContainerSummary {
            id: Some("abc".into()),
            state: Some(state),
            status: Some("Up 2 minutes".into()),
            ..Default::default()
        };
        let mut up = Container::from_summary(summary(ContainerSummaryStateEnum::RUNNING), None);
        up.exited(137);
        assert_eq!((up.state, up.up), (ContainerState::Exited, false));
        assert_eq!(up.status, "Exited (137) Less than a second ago");
        assert_eq!(up.exit_code, Some(137));
        let mut listed = Container::from_summary(summary(ContainerSummaryStateEnum::EXITED), None);
        listed.exited(1);
        assert_eq!(listed.status, "Up 2 minutes", "the engine's own word stands once it has one");
    }

    #[test]
    fn the_container_publishing_a_wanted_host_port_is_named() {
        let publishing = |name: &str, state, ip: &str, port: u16| {
            Container::from_summary(
                ContainerSummary {
                    id: Some(name.into()),
                    names: Some(vec![format!("/{name}")]),
                    state: Some(state),
                    ports: Some(vec![PortSummary {
                        ip: Some(ip.into()),
                        private_port: 80,
                        public_port: Some(port),
                        typ: Some(PortSummaryTypeEnum::TCP),
                    }]),
                    ..Default::default()
                },
                None,
            )
        };
        let list = vec![
            publishing("stopped", ContainerSummaryStateEnum::EXITED, "0.0.0.0", 8080),
            publishing("local", ContainerSummaryStateEnum::RUNNING, "127.0.0.1", 8080),
            publishing("web", ContainerSummaryStateEnum::RUNNING, "::", 9000),
        ];
        let want = |p: &str| vec![crate::engine::spec::parse_port(p).unwrap()];
        let name = |p: &str| port_holder(&want(p), &list).map(|(port, c)| (port, c.name.clone()));
        assert_eq!(
            name("8080:80"),
            Some((8080, "local".into())),
            "all addresses overlap 127.0.0.1"
        );
        assert_eq!(name("127.0.0.1:8080:80"), Some((8080, "local".into())));
        assert_eq!(
            name("127.0.0.2:8080:80"),
            None,
            "another address, and the stopped one holds nothing"
        );
        assert_eq!(
            name("127.0.0.1:8999-9001:80"),
            Some((9000, "web".into())),
            "in a range, against ::"
        );
        assert_eq!(name("8080:80/udp"), None, "another protocol");
        assert_eq!(name("80"), None, "a random host port");
    }

    #[test]
    fn exit_codes_and_health_come_from_the_status() {
        assert_eq!(exit_code_of("Exited (137) 5 minutes ago"), Some(137));
        assert_eq!(exit_code_of("Exited (0) Less than a second ago"), Some(0));
        assert_eq!(exit_code_of("Up 5 minutes"), None);
        assert_eq!(health_of("Up 5 minutes (unhealthy)"), Some(Health::Unhealthy));
        assert_eq!(health_of("Up 2 seconds (health: starting)"), Some(Health::Starting));
        assert_eq!(health_of("Up 1 hour (healthy)"), Some(Health::Healthy));
        assert_eq!(health_of("Up 1 hour"), None);
        let c = Container::from_summary(
            ContainerSummary {
                state: Some(ContainerSummaryStateEnum::EXITED),
                status: Some("Exited (1) 3 seconds ago".into()),
                ..Default::default()
            },
            None,
        );
        assert_eq!((c.exit_code, c.health), (Some(1), None));
    }

    #[test]
    fn maps_a_compose_container() {
        let c = ContainerSummary {
            id: Some("abc".into()),
            names: Some(vec!["/other/web".into(), "/shop-web-1".into()]),
            image: Some("shop/web:1".into()),
            state: Some(ContainerSummaryStateEnum::RUNNING),
            status: Some("Up 2 minutes".into()),
            created: Some(1_700_000_000),
            ports: Some(vec![PortSummary {
                ip: Some("127.0.0.1".into()),
                private_port: 80,
                public_port: Some(8080),
                typ: Some(PortSummaryTypeEnum::TCP),
            }]),
            labels: Some(HashMap::from([
                (COMPOSE_PROJECT.to_string(), "shop".to_string()),
                (COMPOSE_SERVICE.to_string(), "web".to_string()),
            ])),
            ..Default::default()
        };
        let m = Container::from_summary(c, None);
        assert_eq!(m.name, "shop-web-1");
        assert_eq!(m.state, ContainerState::Running);
        assert_eq!(m.project.as_deref(), Some("shop"));
        assert_eq!(m.service.as_deref(), Some("web"));
        assert_eq!(m.created, 1_700_000_000);
        assert_eq!(
            m.ports,
            vec![Port {
                ip: Some("127.0.0.1".into()),
                private_port: 80,
                public_port: Some(8080),
                protocol: "tcp".into()
            }]
        );
    }

    #[test]
    fn exposed_only_port_has_no_host_side() {
        let c = ContainerSummary {
            ports: Some(vec![PortSummary {
                ip: Some(String::new()),
                private_port: 53,
                public_port: None,
                typ: Some(PortSummaryTypeEnum::UDP),
            }]),
            ..Default::default()
        };
        let m = Container::from_summary(c, None);
        assert_eq!(m.ports[0].ip, None);
        assert_eq!(m.ports[0].protocol, "udp");
        assert_eq!(m.state, ContainerState::Unknown);
        assert_eq!(m.project, None);
    }
}
