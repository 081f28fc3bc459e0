//! Compose projects as the engine shows them: containers, networks and volumes grouped by the
//! labels compose v1 and v2 both set; a project started, stopped or restarted as one, as `docker
//! compose start|stop|restart` do (every member at once); its containers removed, or the project
//! taken down (containers and networks, volumes only when asked), as `docker compose rm|down` do.
//! Bringing a project up from its files needs the compose program itself: [`program`].

pub mod program;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use bollard::models::{ContainerSummary, Network as EngineNetwork, Volume as EngineVolume};
use bollard::query_parameters::{ListNetworksOptions, ListVolumesOptions};
use bollard::Docker;
use serde::Serialize;
use specta::Type;

use super::containers::{self, Action, Container, ContainerState};
use super::networks::Removal;
use super::{timed, EngineError};

/// The label docker compose puts on every container (and network, and volume) of a project.
pub const PROJECT: &str = "com.docker.compose.project";
/// The service a container of a project runs.
pub const SERVICE: &str = "com.docker.compose.service";
/// Where compose ran, and with which files (comma-separated; v1 may write them relative).
const WORKING_DIR: &str = "com.docker.compose.project.working_dir";
const CONFIG_FILES: &str = "com.docker.compose.project.config_files";
/// Which replica of its service a container is, and whether `compose run` made it.
const NUMBER: &str = "com.docker.compose.container-number";
const ONE_OFF: &str = "com.docker.compose.oneoff";

/// A container of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub service: String,
    /// The replica number (`web-2` is 2).
    pub number: Option<u32>,
    /// Made by `compose run`, not by `up`.
    pub one_off: bool,
    pub state: ContainerState,
    pub up: bool,
}

/// A compose project as the engine knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Project {
    pub name: String,
    /// The directory compose ran in.
    pub working_dir: Option<String>,
    /// The compose files it was made from, as absolute paths.
    pub config_files: Vec<String>,
    /// Every one of those files is on this machine still: "Up again" can run.
    pub files_exist: bool,
    /// Its services, by name.
    pub services: Vec<String>,
    pub members: Vec<Member>,
    pub running: u32,
    /// Networks and volumes made for it (labelled with the project).
    pub networks: Vec<String>,
    pub volumes: Vec<String>,
}

/// The files compose recorded, made absolute against its working directory.
pub fn config_paths(files: &str, working_dir: Option<&str>) -> Vec<String> {
    files
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| match working_dir {
            Some(dir) if !Path::new(f).is_absolute() => {
                Path::new(dir).join(f).display().to_string()
            }
            _ => f.to_string(),
        })
        .collect()
}

/// Projects from the engine's containers, networks and volumes, by name.
pub fn summarize(
    all: &[ContainerSummary],
    networks: &[EngineNetwork],
    volumes: &[EngineVolume],
) -> Vec<Project> {
    let mut projects: HashMap<String, Project> = HashMap::new();
    for c in all {
        let labels = c.labels.clone().unwrap_or_default();
        let Some(name) = labels.get(PROJECT) else { continue };
        let p = projects.entry(name.clone()).or_insert_with(|| Project {
            name: name.clone(),
            working_dir: None,
            config_files: vec![],
            files_exist: false,
            services: vec![],
            members: vec![],
            running: 0,
            networks: vec![],
            volumes: vec![],
        });
        let row = Container::from_summary(c.clone(), None);
        if p.working_dir.is_none() {
            p.working_dir = labels.get(WORKING_DIR).cloned();
        }
        if p.config_files.is_empty() {
            if let Some(files) = labels.get(CONFIG_FILES) {
                p.config_files = config_paths(files, p.working_dir.as_deref());
            }
        }
        p.running += row.up as u32;
        p.members.push(Member {
            id: row.id,
            name: row.name,
            service: labels.get(SERVICE).cloned().unwrap_or_default(),
            number: labels.get(NUMBER).and_then(|n| n.parse().ok()),
            one_off: labels.get(ONE_OFF).is_some_and(|v| v.eq_ignore_ascii_case("true")),
            state: row.state,
            up: row.up,
        });
    }
    for n in networks {
        let project = n.labels.as_ref().and_then(|l| l.get(PROJECT));
        if let (Some(p), Some(name)) = (project.and_then(|p| projects.get_mut(p)), n.name.as_ref())
        {
            p.networks.push(name.clone());
        }
    }
    for v in volumes {
        if let Some(p) = v.labels.get(PROJECT).and_then(|p| projects.get_mut(p)) {
            p.volumes.push(v.name.clone());
        }
    }
    let mut out: Vec<Project> = projects.into_values().collect();
    for p in &mut out {
        p.members
            .sort_by(|a, b| (&a.service, a.number, &a.name).cmp(&(&b.service, b.number, &b.name)));
        p.services = p
            .members
            .iter()
            .map(|m| m.service.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        p.networks.sort();
        p.volumes.sort();
        p.files_exist =
            !p.config_files.is_empty() && p.config_files.iter().all(|f| Path::new(f).is_file());
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Every compose project the engine has containers of.
pub async fn list(docker: &Docker) -> Result<Vec<Project>, EngineError> {
    let (all, networks, volumes) = tokio::try_join!(
        containers::fetch_all(docker),
        async {
            Ok::<_, EngineError>(
                timed("networks.list", docker.list_networks(None::<ListNetworksOptions>)).await?,
            )
        },
        async {
            Ok::<_, EngineError>(
                timed("volumes.list", docker.list_volumes(None::<ListVolumesOptions>)).await?,
            )
        },
    )?;
    Ok(summarize(&all, &networks, &volumes.volumes.unwrap_or_default()))
}

/// What an action did to one container of a project.
#[derive(Debug)]
pub struct Outcome {
    pub id: String,
    pub name: String,
    pub result: Result<(), EngineError>,
}

impl From<Outcome> for Removal {
    fn from(o: Outcome) -> Removal {
        Removal { name: o.name, error: o.result.err() }
    }
}

/// The containers of `project` in `all`.
pub fn members<'a>(all: &'a [Container], project: &str) -> Vec<&'a Container> {
    all.iter().filter(|c| c.project.as_deref() == Some(project)).collect()
}

async fn each<'a, F, Fut>(members: Vec<&'a Container>, call: F) -> Vec<Outcome>
where
    F: Fn(&'a Container) -> Fut,
    Fut: std::future::Future<Output = Result<(), EngineError>>,
{
    let results = futures_util::future::join_all(members.iter().map(|c| call(c))).await;
    members
        .into_iter()
        .zip(results)
        .map(|(c, result)| Outcome { id: c.id.clone(), name: c.name.clone(), result })
        .collect()
}

/// `action` on every container of `project` at once; what happened to each.
pub async fn act(
    docker: &Docker,
    all: &[Container],
    project: &str,
    action: Action,
) -> Vec<Outcome> {
    each(members(all, project), |c| containers::act(docker, &c.id, action)).await
}

/// `docker compose rm -sf`: every container of the project, stopped first; volumes stay.
pub async fn remove_containers(docker: &Docker, all: &[Container], project: &str) -> Vec<Outcome> {
    each(members(all, project), |c| containers::remove(docker, &c.id, true, false)).await
}

/// What taking a project down did, to each thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Down {
    pub containers: Vec<Removal>,
    pub networks: Vec<Removal>,
    pub volumes: Vec<Removal>,
}

/// `docker compose down [-v]`: the project's containers, then its networks; with `volumes`, its
/// named volumes and its containers' anonymous ones too. Without, every volume stays.
pub async fn down(
    docker: &Docker,
    all: &[Container],
    project: &str,
    volumes: bool,
) -> Result<Down, EngineError> {
    let removed =
        each(members(all, project), |c| containers::remove(docker, &c.id, true, volumes)).await;
    // By label: a project whose containers were removed before still has these.
    let (networks, listed) = tokio::try_join!(
        async {
            Ok::<_, EngineError>(
                timed("networks.list", docker.list_networks(None::<ListNetworksOptions>)).await?,
            )
        },
        async {
            Ok::<_, EngineError>(
                timed("volumes.list", docker.list_volumes(None::<ListVolumesOptions>)).await?,
            )
        },
    )?;
    let ours = |labels: Option<&HashMap<String, String>>| {
        labels.and_then(|l| l.get(PROJECT)).is_some_and(|p| p == project)
    };
    let nets: Vec<String> =
        networks.into_iter().filter(|n| ours(n.labels.as_ref())).filter_map(|n| n.name).collect();
    let vols: Vec<String> = listed
        .volumes
        .unwrap_or_default()
        .into_iter()
        .filter(|v| ours(Some(&v.labels)))
        .map(|v| v.name)
        .collect();
    let mut report = Down {
        containers: removed.into_iter().map(Removal::from).collect(),
        networks: vec![],
        volumes: vec![],
    };
    for n in nets {
        let error =
            timed("networks.remove", docker.remove_network(&n)).await.err().map(EngineError::from);
        report.networks.push(Removal { name: n, error });
    }
    if volumes {
        report.volumes = super::volumes::prune(docker, &vols).await;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::clock::LocalTime;
    use crate::engine::containers::ContainerState;

    fn c(name: &str, project: Option<&str>) -> Container {
        Container {
            id: format!("id-{name}"),
            name: name.into(),
            image: "img".into(),
            image_id: "sha256:0".into(),
            command: "sh".into(),
            created: 0,
            created_local: LocalTime::of(0, None),
            state: ContainerState::Running,
            up: true,
            status: String::new(),
            exit_code: None,
            health: None,
            ports: vec![],
            project: project.map(str::to_string),
            service: None,
            networks: vec![],
        }
    }

    #[test]
    fn a_project_is_its_labelled_containers() {
        let all = [c("a", Some("shop")), c("b", None), c("c", Some("shop")), c("d", Some("other"))];
        let names: Vec<_> = members(&all, "shop").iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "c"]);
        assert!(members(&all, "none").is_empty());
    }

    fn labelled(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_project_is_its_containers_networks_and_volumes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("docker-compose.yml"), "services: {}\n").unwrap();
        let wd = dir.path().display().to_string();
        let c = |name: &str, service: &str, n: &str, one_off: &str, state| ContainerSummary {
            id: Some(format!("id-{name}")),
            names: Some(vec![format!("/{name}")]),
            state: Some(state),
            labels: Some(labelled(&[
                (PROJECT, "shop"),
                (SERVICE, service),
                (NUMBER, n),
                (ONE_OFF, one_off),
                (WORKING_DIR, &wd),
                (CONFIG_FILES, "docker-compose.yml"),
            ])),
            ..Default::default()
        };
        use bollard::models::ContainerSummaryStateEnum as S;
        let all = [
            c("shop_web_2", "web", "2", "False", S::RUNNING),
            c("shop_web_1", "web", "1", "False", S::EXITED),
            c("shop_db_run_1", "db", "1", "True", S::RUNNING),
            ContainerSummary { id: Some("x".into()), ..Default::default() },
        ];
        let nets = [
            EngineNetwork {
                name: Some("shop_default".into()),
                labels: Some(labelled(&[(PROJECT, "shop")])),
                ..Default::default()
            },
            EngineNetwork { name: Some("bridge".into()), ..Default::default() },
        ];
        let vols = [EngineVolume {
            name: "shop_data".into(),
            labels: labelled(&[(PROJECT, "shop")]),
            ..Default::default()
        }];
        let out = summarize(&all, &nets, &vols);
        assert_eq!(out.len(), 1);
        let p = &out[0];
        assert_eq!(p.services, ["db", "web"]);
        let order: Vec<_> =
            p.members.iter().map(|m| (m.name.as_str(), m.number, m.one_off)).collect();
        assert_eq!(
            order,
            [
                ("shop_db_run_1", Some(1), true),
                ("shop_web_1", Some(1), false),
                ("shop_web_2", Some(2), false)
            ]
        );
        assert_eq!(p.running, 2);
        assert_eq!(p.networks, ["shop_default"]);
        assert_eq!(p.volumes, ["shop_data"]);
        assert_eq!(p.config_files, [dir.path().join("docker-compose.yml").display().to_string()]);
        assert!(p.files_exist);
        std::fs::remove_file(dir.path().join("docker-compose.yml")).unwrap();
        assert!(!summarize(&all, &nets, &vols)[0].files_exist);
    }

    #[test]
    fn config_files_as_v1_and_v2_write_them() {
        assert_eq!(
            config_paths("docker-compose.yml", Some("/srv/shop")),
            ["/srv/shop/docker-compose.yml"]
        );
        assert_eq!(config_paths("/a/x.yml,/a/y.yml", Some("/srv")), ["/a/x.yml", "/a/y.yml"]);
        assert!(config_paths("", Some("/srv")).is_empty());
    }
}
