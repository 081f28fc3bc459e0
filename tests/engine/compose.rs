//! Compose projects through Berth's engine layer, on a project brought up by the machine's own
//! compose program (Debian's docker-compose 1.29 here): two services, a named network and a
//! named volume. Checked with the docker CLI.

use berth::engine::compose::program::{self, ComposeTarget, ComposeVerb};
use berth::engine::compose::{self, Project};
use berth::engine::connect::{self, ResolveEnv};
use berth::engine::containers::{self, Action};

use crate::cli::try_docker;
use crate::common::{docker, engine, unique, BUSYBOX};

const FILE: &str = "version: \"3.7\"
services:
  web:
    image: IMAGE
    init: true
    command: [\"httpd\", \"-f\", \"-p\", \"80\"]
    networks: [front]
    volumes: [\"data:/data\"]
  worker:
    image: IMAGE
    init: true
    command: [\"sleep\", \"600\"]
    networks: [front]
networks:
  front: {}
volumes:
  data: {}
";

/// A project directory with its compose file; taken down (volumes too) when dropped.
struct Fixture {
    dir: tempfile::TempDir,
    name: String,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("docker-compose.yml"), FILE.replace("IMAGE", BUSYBOX))
            .unwrap();
        // Compose folds the name to lower case letters, digits, - and _.
        Fixture { dir, name: unique("proj").replace('-', "") }
    }

    fn file(&self) -> String {
        self.dir.path().join("docker-compose.yml").display().to_string()
    }

    fn target(&self) -> ComposeTarget {
        ComposeTarget {
            files: vec![self.file()],
            project: Some(self.name.clone()),
            working_dir: None,
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::process::Command::new("docker-compose")
            .args(["-p", &self.name, "-f", &self.file(), "down", "-v"])
            .output();
    }
}

async fn project(api: &bollard::Docker, name: &str) -> Option<Project> {
    compose::list(api).await.unwrap().into_iter().find(|p| p.name == name)
}

/// The engine these tests use, as `DOCKER_HOST` names it.
fn host() -> String {
    connect::resolve(&ResolveEnv::from_process()).expect("resolve the engine").uri
}

fn names(name: &str) -> Vec<String> {
    let filter = format!("label=com.docker.compose.project={name}");
    let out = docker(&["ps", "-a", "--format", "{{.Names}} {{.State}}", "--filter", &filter]);
    let mut v: Vec<String> = out.lines().map(str::to_string).collect();
    v.sort();
    v
}

#[tokio::test]
async fn the_machines_compose_program_is_found() {
    let p = program::detect().await.expect(
        "no compose program: scripts/test.sh installs Debian's docker-compose (the plugin is not installable here)",
    );
    assert!(p.version.starts_with(|c: char| c.is_ascii_digit()), "{p:?}");
    let said = std::process::Command::new(&p.command[0])
        .args(&p.command[1..])
        .arg("version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&said.stdout).contains(&p.version), "{p:?}");
}

#[tokio::test]
async fn a_project_is_listed_acted_on_as_one_and_taken_down() {
    let api = engine().await;
    let fx = Fixture::new();
    let program = program::detect().await.expect("a compose program");
    let host = host();

    // Up from its file, through Berth, with its output streamed.
    let mut lines = Vec::new();
    program::run(&program, &fx.target(), ComposeVerb::Up, &host, |l| lines.push(l.text))
        .await
        .unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Creating") || l.contains("Created") || l.contains("Started")),
        "{lines:?}"
    );
    let web = format!("{}_web_1", fx.name);
    // Compose v1 names it project_web_1, v2 project-web-1.
    let web_v2 = format!("{}-web-1", fx.name);
    let on = names(&fx.name);
    assert_eq!(on.len(), 2, "{on:?}");
    assert!(on.iter().all(|l| l.ends_with(" running")), "{on:?}");

    let p = project(&api, &fx.name).await.expect("the project is listed");
    assert_eq!(p.services, ["web", "worker"]);
    assert_eq!(p.running, 2);
    assert_eq!(p.working_dir.as_deref().map(std::path::Path::new), Some(fx.dir.path()));
    assert_eq!(p.config_files, [fx.file()]);
    assert!(p.files_exist);
    assert_eq!(p.networks, [format!("{}_front", fx.name)]);
    assert_eq!(p.volumes, [format!("{}_data", fx.name)]);
    assert!(p.members.iter().all(|m| m.number == Some(1) && !m.one_off), "{:?}", p.members);
    assert!(p.members.iter().any(|m| m.name == web || m.name == web_v2), "{:?}", p.members);

    // Stop and start as one.
    let all = containers::list(&api).await.unwrap();
    let done = compose::act(&api, &all, &fx.name, Action::Stop).await;
    assert!(done.iter().all(|o| o.result.is_ok()) && done.len() == 2, "{done:?}");
    assert!(names(&fx.name).iter().all(|l| l.ends_with(" exited")), "{:?}", names(&fx.name));
    let done = compose::act(&api, &all, &fx.name, Action::Start).await;
    assert!(done.iter().all(|o| o.result.is_ok()), "{done:?}");
    assert!(names(&fx.name).iter().all(|l| l.ends_with(" running")));

    // Remove its containers: the network and the volume stay.
    let all = containers::list(&api).await.unwrap();
    let done = compose::remove_containers(&api, &all, &fx.name).await;
    assert!(done.iter().all(|o| o.result.is_ok()), "{done:?}");
    assert!(names(&fx.name).is_empty());
    assert!(try_docker(&["network", "inspect", &format!("{}_front", fx.name)]).is_some());
    assert!(try_docker(&["volume", "inspect", &format!("{}_data", fx.name)]).is_some());

    // Up again, then down without volumes: the named volume survives.
    program::run(&program, &fx.target(), ComposeVerb::Up, &host, |_| {}).await.unwrap();
    docker(&["exec", names(&fx.name)[0].split(' ').next().unwrap(), "true"]);
    let all = containers::list(&api).await.unwrap();
    let down = compose::down(&api, &all, &fx.name, false).await.unwrap();
    assert!(
        down.containers.iter().all(|r| r.error.is_none()) && down.containers.len() == 2,
        "{down:?}"
    );
    assert_eq!(down.networks.len(), 1, "{down:?}");
    assert!(down.volumes.is_empty());
    assert!(names(&fx.name).is_empty());
    assert!(try_docker(&["network", "inspect", &format!("{}_front", fx.name)]).is_none());
    assert!(
        try_docker(&["volume", "inspect", &format!("{}_data", fx.name)]).is_some(),
        "kept without -v"
    );

    // Up, then down with volumes: the volume goes too.
    program::run(&program, &fx.target(), ComposeVerb::Up, &host, |_| {}).await.unwrap();
    let all = containers::list(&api).await.unwrap();
    let down = compose::down(&api, &all, &fx.name, true).await.unwrap();
    assert_eq!(
        down.volumes.iter().map(|r| (r.name.as_str(), r.error.is_none())).collect::<Vec<_>>(),
        [(format!("{}_data", fx.name).as_str(), true)]
    );
    assert!(try_docker(&["volume", "inspect", &format!("{}_data", fx.name)]).is_none());
    assert!(project(&api, &fx.name).await.is_none());
}

#[tokio::test]
async fn compose_down_by_its_files_and_a_failure_in_the_programs_words() {
    let api = engine().await;
    let fx = Fixture::new();
    let program = program::detect().await.expect("a compose program");
    let host = &host();
    program::run(&program, &fx.target(), ComposeVerb::Up, host, |_| {}).await.unwrap();
    assert_eq!(project(&api, &fx.name).await.unwrap().running, 2);
    program::run(&program, &fx.target(), ComposeVerb::Down, host, |_| {}).await.unwrap();
    assert!(names(&fx.name).is_empty());

    // A broken file: the error carries what compose said about it.
    std::fs::write(fx.dir.path().join("docker-compose.yml"), "services: [not, a, map]\n").unwrap();
    let e = program::run(&program, &fx.target(), ComposeVerb::Up, host, |_| {}).await.unwrap_err();
    assert!(e.message.contains("failed"), "{}", e.message);
    assert!(
        e.message.len() > "docker-compose ... failed (exit status: 1)".len(),
        "the program's words: {}",
        e.message
    );
}
