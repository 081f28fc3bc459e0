//! Remote engines, all on this machine: the second dockerd on tcp://127.0.0.1:2376 with TLS and
//! sshd on 127.0.0.1:2222 (both started by `scripts/test.sh`: `ensure_tls_engine`,
//! `ensure_sshd`), and the docker CLI's contexts made on either side.

use std::path::{Path, PathBuf};
use std::process::Command;

use berth::engine::connect::{self, Engine, ResolveEnv, Target, UnreachableReason};
use berth::engine::contexts::{self, ContextSpec};
use berth::engine::{ChangeSet, EngineStatus};

use crate::cli::{docker2, engine2_certs, test_state, Gone2, TLS_ENGINE};
use crate::common::{docker, unique, wait_change, wait_status, BUSYBOX};

const TLS_HOST: &str = TLS_ENGINE;
const SSH_HOST: &str = "ssh://root@127.0.0.1:2222";

fn state() -> PathBuf {
    test_state()
}

fn client_certs() -> PathBuf {
    engine2_certs()
}

fn tls_env(certs: &Path) -> ResolveEnv {
    ResolveEnv {
        docker_host: Some(TLS_HOST.into()),
        tls_verify: true,
        cert_path: Some(certs.to_path_buf()),
        ..Default::default()
    }
}

/// An ssh config that reaches the test sshd with `identity` and `known_hosts` and sets no port
/// or user, so those come from the address.
fn ssh_config(dir: &Path, identity: &Path, known_hosts: &Path) -> PathBuf {
    let sshd = state().join("sshd");
    assert!(
        sshd.join("id_ed25519").is_file(),
        "no test sshd: scripts/test.sh starts it (ensure_sshd in scripts/lib.sh)"
    );
    let path = dir.join("ssh_config");
    std::fs::write(
        &path,
        format!(
            "Host *\n  IdentityFile {}\n  IdentitiesOnly yes\n  UserKnownHostsFile {}\n  \
             StrictHostKeyChecking yes\n",
            identity.display(),
            known_hosts.display()
        ),
    )
    .unwrap();
    path
}

/// The test sshd as the engine, with its own key and known host, from a config in `dir`.
fn test_ssh_env(dir: &Path) -> ResolveEnv {
    let sshd = state().join("sshd");
    ssh_env(ssh_config(dir, &sshd.join("id_ed25519"), &sshd.join("known_hosts")))
}

fn ssh_env(config: PathBuf) -> ResolveEnv {
    ResolveEnv {
        docker_host: Some(SSH_HOST.into()),
        ssh_config: Some(config),
        ..Default::default()
    }
}

async fn containers_of(env: ResolveEnv) -> (Engine, tokio::task::JoinHandle<()>, Vec<String>) {
    let handle = Engine::following(env, Target::Cli);
    let mut sub = handle.subscribe();
    let task = tokio::spawn(handle.clone().run());
    wait_status(&mut sub, |s| matches!(s, EngineStatus::Connected { .. })).await;
    let names = handle.containers().await.unwrap().iter().map(|c| c.name.clone()).collect();
    (handle, task, names)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tls_engine_lists_what_the_cli_made_there() {
    let certs = client_certs();
    let name = unique("tls");
    let _gone = Gone2(name.clone());
    docker2(&["create", "--name", &name, BUSYBOX, "true"]);
    let (handle, task, names) = containers_of(tls_env(&certs)).await;
    assert!(names.contains(&name), "{name} not in {names:?}");
    // Only the second engine's: a container of the first is not there.
    let first = docker(&["ps", "-aq", "--no-trunc"]);
    let ids: Vec<_> = handle.containers().await.unwrap().iter().map(|c| c.id.clone()).collect();
    assert!(first.lines().all(|id| !ids.contains(&id.to_string())));
    // Raw calls go the same way (the sizes of /system/df).
    assert!(handle.system_df("").await.unwrap().get("Images").is_some());
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tls_engine_refuses_berth_without_the_client_certificate() {
    let certs = client_certs();
    let only_ca = tempfile::tempdir().unwrap();
    std::fs::copy(certs.join("ca.pem"), only_ca.path().join("ca.pem")).unwrap();
    let host = connect::resolve(&tls_env(only_ca.path())).unwrap();
    let e = connect::connect(&host).await.unwrap_err();
    assert_eq!(e.reason, UnreachableReason::Tls, "{e:?}");

    // A CA that did not sign the engine's certificate: the engine is not trusted.
    let other = tempfile::tempdir().unwrap();
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=x"])
        .arg("-keyout")
        .arg(other.path().join("ca-key.pem"))
        .arg("-out")
        .arg(other.path().join("ca.pem"))
        .output()
        .unwrap();
    assert!(made.status.success());
    for f in ["cert.pem", "key.pem"] {
        std::fs::copy(certs.join(f), other.path().join(f)).unwrap();
    }
    let host = connect::resolve(&tls_env(other.path())).unwrap();
    let e = connect::connect(&host).await.unwrap_err();
    assert_eq!(e.reason, UnreachableReason::Tls, "{e:?}");
    assert!(e.message.contains("127.0.0.1:2376"), "{}", e.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ssh_engine_on_another_port_lists_and_follows_events() {
    let dir = tempfile::tempdir().unwrap();
    let name = unique("ssh");
    let mut cleanup = crate::common::Cleanup::default();
    cleanup.container(&name);
    docker(&["create", "--name", &name, BUSYBOX, "true"]);

    let handle = Engine::following(test_ssh_env(dir.path()), Target::Cli);
    let mut sub = handle.subscribe();
    let task = tokio::spawn(handle.clone().run());
    wait_status(&mut sub, |s| matches!(s, EngineStatus::Connected { .. })).await;
    assert_eq!(wait_change(&mut sub, |_| true).await, ChangeSet::ALL);
    let names: Vec<_> = handle.containers().await.unwrap().iter().map(|c| c.name.clone()).collect();
    assert!(names.contains(&name), "{name} not in {names:?}");
    // Events arrive through ssh too.
    docker(&["start", &name]);
    wait_change(&mut sub, |s| s.containers).await;
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn ssh_says_when_the_host_key_is_unknown_or_no_key_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let sshd = state().join("sshd");
    let empty = dir.path().join("known_hosts");
    std::fs::write(&empty, "").unwrap();
    let config = ssh_config(dir.path(), &sshd.join("id_ed25519"), &empty);
    let host = connect::resolve(&ssh_env(config)).unwrap();
    let e = connect::connect(&host).await.unwrap_err();
    assert_eq!(e.reason, UnreachableReason::HostKeyUnknown, "{e:?}");

    let other = dir.path().join("not-authorized");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success());
    let config = ssh_config(dir.path(), &other, &sshd.join("known_hosts"));
    let host = connect::resolve(&ssh_env(config)).unwrap();
    let e = connect::connect(&host).await.unwrap_err();
    assert_eq!(e.reason, UnreachableReason::SshAuth, "{e:?}");
}

fn spec(name: &str, host: &str) -> ContextSpec {
    ContextSpec {
        name: name.into(),
        description: "made by Berth's tests".into(),
        host: host.into(),
        ca: None,
        cert: None,
        key: None,
        skip_tls_verify: false,
        plain_tcp_accepted: false,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn contexts_made_by_the_cli_and_by_berth_work_on_both_sides() {
    let certs = client_certs();
    let config = tempfile::tempdir().unwrap();
    let cli = |args: &[&str]| {
        let out = Command::new("docker")
            .env("DOCKER_CONFIG", config.path())
            .env_remove("DOCKER_HOST")
            .env_remove("DOCKER_CONTEXT")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let env = ResolveEnv { config_dir: Some(config.path().to_path_buf()), ..Default::default() };
    let name = unique("tls");
    let _gone = Gone2(name.clone());
    docker2(&["create", "--name", &name, BUSYBOX, "true"]);

    // Made by the CLI: Berth lists it and connects with its TLS files.
    let c = certs.display();
    cli(&[
        "context",
        "create",
        "from-cli",
        "--docker",
        &format!("host={TLS_HOST},ca={c}/ca.pem,cert={c}/cert.pem,key={c}/key.pem"),
    ]);
    let listed = contexts::list(&env);
    let from_cli = listed.iter().find(|c| c.name == "from-cli").expect("the CLI's context");
    assert_eq!(from_cli.host.as_deref(), Some(TLS_HOST));
    assert!(from_cli.tls);
    let handle = Engine::following(env.clone(), Target::Context("from-cli".into()));
    let mut sub = handle.subscribe();
    let task = tokio::spawn(handle.clone().run());
    wait_status(&mut sub, |s| matches!(s, EngineStatus::Connected { .. })).await;
    let names: Vec<_> = handle.containers().await.unwrap().iter().map(|c| c.name.clone()).collect();
    assert!(names.contains(&name), "{names:?}");
    task.abort();

    // Made by Berth: the CLI uses it, and sees it as Berth described it.
    let mut s = spec("from-berth", TLS_HOST);
    s.ca = Some(certs.join("ca.pem"));
    s.cert = Some(certs.join("cert.pem"));
    s.key = Some(certs.join("key.pem"));
    contexts::save(config.path(), &s, None).unwrap();
    let ps = cli(&["--context", "from-berth", "ps", "-a", "--format", "{{.Names}}"]);
    assert!(ps.lines().any(|l| l == name), "{ps}");
    let described = cli(&["context", "inspect", "from-berth", "--format", "{{json .Metadata}}"]);
    assert!(described.contains(r#""Description":"made by Berth's tests""#), "{described}");
    // The CLI's current context shows in Berth.
    cli(&["context", "use", "from-berth"]);
    let current: Vec<_> = contexts::list(&env).into_iter().filter(|c| c.current).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].name, "from-berth");
    cli(&["context", "use", "default"]);
    // Removed in Berth: gone for the CLI.
    contexts::remove(&env, config.path(), "from-berth").unwrap();
    let all = cli(&["context", "ls", "--format", "{{.Name}}"]);
    assert!(!all.lines().any(|l| l.trim() == "from-berth"), "{all}");
    // And an ssh context made in Berth works for the CLI as for Berth.
    contexts::save(config.path(), &spec("ssh-box", SSH_HOST), None).unwrap();
    let host = cli(&["context", "inspect", "ssh-box", "--format", "{{.Endpoints.docker.Host}}"]);
    assert_eq!(host, SSH_HOST);
}

/// The whole log of `name` through `handle`'s engine, as the log view reads it, until the
/// reader says it follows (which it says only once the tail's answer has ended).
async fn whole_log(handle: &Engine, name: &str) -> Vec<String> {
    use berth::engine::logs::{self, LogEvent, Start};
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let reader = tokio::spawn(logs::follow(
        handle.dedicated().unwrap(),
        handle.raw().unwrap(),
        vec![name.to_string()],
        Start { tail: None, since: None },
        handle.subscribe().status,
        move |e| tx.send(e).is_ok(),
    ));
    let mut texts = Vec::new();
    let read = async {
        loop {
            match rx.recv().await.expect("the reader ended before following") {
                LogEvent::Lines(lines) => texts.extend(lines.into_iter().map(|l| l.text)),
                LogEvent::Following => break,
                _ => {}
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(20), read)
        .await
        .expect("the tail's answer ended within 20 s");
    reader.abort();
    texts
}

#[tokio::test(flavor = "multi_thread")]
async fn a_log_is_read_whole_through_tls_and_ssh() {
    let script = "i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done";
    let want: Vec<String> = (0..2000).map(|i| format!("line{i}")).collect();

    let name = unique("tls-logs");
    let _gone = Gone2(name.clone());
    docker2(&["run", "-d", "--name", &name, BUSYBOX, "sh", "-c", script]);
    docker2(&["wait", &name]);
    let (handle, task, _) = containers_of(tls_env(&client_certs())).await;
    assert_eq!(whole_log(&handle, &name).await, want, "through TLS");
    task.abort();

    let dir = tempfile::tempdir().unwrap();
    let name = unique("ssh-logs");
    let mut cleanup = crate::common::Cleanup::default();
    cleanup.container(&name);
    docker(&["run", "-d", "--name", &name, BUSYBOX, "sh", "-c", script]);
    docker(&["wait", &name]);
    let (handle, task, _) = containers_of(test_ssh_env(dir.path())).await;
    assert_eq!(whole_log(&handle, &name).await, want, "through ssh");
    task.abort();
}
