//! Compose projects as the engine shows them: containers grouped by the labels compose v1 and v2
//! both set, and a project started, stopped or restarted as one, as `docker compose
//! start|stop|restart` do (every member at once).

use bollard::Docker;

use super::containers::{self, Action, Container};
use super::EngineError;

/// The label docker compose puts on every container (and network, and volume) of a project.
pub const PROJECT: &str = "com.docker.compose.project";
/// The service a container of a project runs.
pub const SERVICE: &str = "com.docker.compose.service";

/// What an action did to one container of a project.
#[derive(Debug)]
pub struct Outcome {
    pub id: String,
    pub name: String,
    pub result: Result<(), EngineError>,
}

/// The containers of `project` in `all`.
pub fn members<'a>(all: &'a [Container], project: &str) -> Vec<&'a Container> {
    all.iter().filter(|c| c.project.as_deref() == Some(project)).collect()
}

/// `action` on every container of `project` at once; what happened to each.
pub async fn act(
    docker: &Docker,
    all: &[Container],
    project: &str,
    action: Action,
) -> Vec<Outcome> {
    let members = members(all, project);
    let calls = members.iter().map(|c| containers::act(docker, &c.id, action));
    let results = futures_util::future::join_all(calls).await;
    members
        .into_iter()
        .zip(results)
        .map(|(c, result)| Outcome { id: c.id.clone(), name: c.name.clone(), result })
        .collect()
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
            ports: vec![],
            project: project.map(str::to_string),
            service: None,
        }
    }

    #[test]
    fn a_project_is_its_labelled_containers() {
        let all = [c("a", Some("shop")), c("b", None), c("c", Some("shop")), c("d", Some("other"))];
        let names: Vec<_> = members(&all, "shop").iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "c"]);
        assert!(members(&all, "none").is_empty());
    }
}
