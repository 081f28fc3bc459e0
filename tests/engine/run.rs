//! Running containers from the dialog's spec, and the lifecycle actions, against the real engine,
//! checked with the docker CLI.

use std::net::TcpListener;

use berth::engine::containers::{self, Action};
use berth::engine::spec::{self, RunSpec};
use berth::engine::ErrorCode;
use serde_json::Value;

use crate::common::{docker, engine, unique, Cleanup, BUSYBOX};

fn inspect(name: &str) -> Value {
    let out = docker(&["inspect", name]);
    serde_json::from_str::<Value>(&out).unwrap()[0].clone()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn sample(name: &str, volume: &str, port: u16) -> RunSpec {
    RunSpec {
        image: BUSYBOX.into(),
        name: name.into(),
        ports: vec![format!("127.0.0.1:{port}:80"), "127.0.0.1::81/udp".into()],
        env: vec!["GREETING=hello world".into(), "EMPTY=".into()],
        volumes: vec![format!("{volume}:/data"), "/scratch".into()],
        restart: "on-failure:2".into(),
        command: "sh -c 'echo \"$GREETING\" > /data/hello; exec sleep 600'".into(),
        workdir: "/data".into(),
        user: "0:0".into(),
        labels: vec!["berth.test=run".into()],
        ..Default::default()
    }
}

/// The fields of `docker inspect` the dialog sets.
fn dialog_fields(v: &Value) -> Value {
    let c = &v["Config"];
    let h = &v["HostConfig"];
    // The CLI does not keep the order of -e flags; order does not matter to the process.
    let mut env: Vec<String> = serde_json::from_value(c["Env"].clone()).unwrap_or_default();
    env.sort();
    serde_json::json!({
        "Image": c["Image"], "Env": env, "Cmd": c["Cmd"], "Entrypoint": c["Entrypoint"],
        "WorkingDir": c["WorkingDir"], "User": c["User"], "Labels": c["Labels"], "Tty": c["Tty"],
        "OpenStdin": c["OpenStdin"], "ExposedPorts": c["ExposedPorts"], "Volumes": c["Volumes"],
        "PortBindings": h["PortBindings"], "Binds": h["Binds"], "NetworkMode": h["NetworkMode"],
        "RestartPolicy": h["RestartPolicy"], "AutoRemove": h["AutoRemove"],
    })
}

#[tokio::test]
async fn runs_what_the_dialog_says_and_the_copied_cli_line_makes_the_same_container() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (ours, theirs, volume) = (unique("run"), unique("run-cli"), unique("vol"));
    cleanup.container(&ours);
    cleanup.container(&theirs);
    cleanup.volume(&volume);

    let port = free_port();
    let plan = spec::plan(&sample(&ours, &volume, port)).unwrap();
    containers::run(&api, &plan).await.unwrap();
    let v = inspect(&ours);
    assert_eq!(v["State"]["Running"], true);
    assert_eq!(docker(&["exec", &ours, "cat", "/data/hello"]), "hello world");
    assert_eq!(docker(&["port", &ours, "80/tcp"]), format!("127.0.0.1:{port}"));

    // The dialog's copied line, run in a shell, makes a container equal on every field it sets.
    let other = spec::plan(&sample(&theirs, &volume, free_port())).unwrap();
    let line = other.to_cli();
    let out = std::process::Command::new("sh").arg("-c").arg(&line).output().unwrap();
    assert!(out.status.success(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
    let mut a = dialog_fields(&v);
    let mut b = dialog_fields(&inspect(&theirs));
    // Only the host port differs, because two containers cannot share it.
    a["PortBindings"]["80/tcp"][0]["HostPort"] = Value::Null;
    b["PortBindings"]["80/tcp"][0]["HostPort"] = Value::Null;
    assert_eq!(a, b, "dialog vs `{line}`");
}

#[tokio::test]
async fn run_failures_are_typed_and_leave_nothing_behind() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (first, second) = (unique("taken"), unique("clash"));
    cleanup.container(&first);
    cleanup.container(&second);
    let port = free_port();
    let spec = |name: &str| RunSpec {
        image: BUSYBOX.into(),
        name: name.into(),
        ports: vec![format!("127.0.0.1:{port}:80")],
        command: "sleep 600".into(),
        ..Default::default()
    };
    containers::run(&api, &spec::plan(&spec(&first)).unwrap()).await.unwrap();

    // Same name: a conflict, and the existing container is untouched.
    let e = containers::run(&api, &spec::plan(&spec(&first)).unwrap()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e}");
    assert_eq!(inspect(&first)["State"]["Running"], true);

    // Same host port: typed as such, and the half-made container is gone again.
    let e = containers::run(&api, &spec::plan(&spec(&second)).unwrap()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::PortInUse, "{e}");
    let left = docker(&["ps", "-aq", "--filter", &format!("name=^{second}$")]);
    assert!(left.is_empty(), "a container that could not start was left behind");

    // An image the engine does not have.
    let missing = RunSpec { image: "berth-test/no-such-image:1".into(), ..Default::default() };
    let e = containers::run(&api, &spec::plan(&missing).unwrap()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ImageMissing);
    assert!(e.message.contains("berth-test/no-such-image:1"), "{e}");
}

#[tokio::test]
async fn lifecycle_actions_rename_and_remove() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (name, renamed, volume) = (unique("life"), unique("life-renamed"), unique("keep"));
    cleanup.container(&name);
    cleanup.container(&renamed);
    cleanup.volume(&volume);
    // --init: `docker stop` then ends it at once instead of after the 10 s timeout.
    let id = docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &name,
        "-v",
        &format!("{volume}:/keep"),
        "-v",
        "/anon",
        BUSYBOX,
        "sleep",
        "600",
    ]);
    let state = |n: &str| inspect(n)["State"]["Status"].as_str().unwrap().to_string();

    containers::act(&api, &id, Action::Pause).await.unwrap();
    assert_eq!(state(&name), "paused");
    containers::act(&api, &id, Action::Unpause).await.unwrap();
    assert_eq!(state(&name), "running");
    containers::act(&api, &id, Action::Stop).await.unwrap();
    assert_eq!(state(&name), "exited");
    containers::act(&api, &id, Action::Start).await.unwrap();
    let started = inspect(&name)["State"]["StartedAt"].clone();
    containers::act(&api, &id, Action::Restart).await.unwrap();
    assert_ne!(inspect(&name)["State"]["StartedAt"], started);
    containers::act(&api, &id, Action::Kill).await.unwrap();
    assert_eq!(state(&name), "exited");

    let e = containers::rename(&api, &id, "bad name").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    containers::rename(&api, &id, &renamed).await.unwrap();
    assert_eq!(inspect(&id)["Name"], format!("/{renamed}"));

    let e = containers::act(&api, "berth-no-such-container", Action::Start).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);

    // Removing a running container needs force; anonymous volumes go, named ones stay.
    containers::act(&api, &id, Action::Start).await.unwrap();
    let anon = inspect(&id)["Mounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["Destination"] == "/anon")
        .map(|m| m["Name"].as_str().unwrap().to_string())
        .unwrap();
    let e = containers::remove(&api, &id, false, true).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e}");
    containers::remove(&api, &id, true, true).await.unwrap();
    assert!(docker(&["ps", "-aq", "--filter", &format!("id={id}")]).is_empty());
    assert!(docker(&["volume", "ls", "-q"]).lines().any(|v| v == volume), "named volume kept");
    assert!(!docker(&["volume", "ls", "-q"]).lines().any(|v| v == anon), "anonymous volume gone");
}

#[tokio::test]
async fn diff_then_commit_makes_an_image_with_the_change() {
    let _layers = crate::common::LAYERS.lock().await;
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let name = unique("commit");
    let reference = format!("berth-test/{}:snap", unique("snapshot"));
    cleanup.container(&name);
    cleanup.image(&reference);
    let id = docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sleep", "600"]);
    docker(&["exec", &name, "sh", "-c", "echo made-in-box > /made && rm /bin/true"]);

    let changes = containers::changes(&api, &id).await.unwrap();
    let kind = |p: &str| changes.iter().find(|c| c.path == p).map(|c| c.kind);
    assert_eq!(kind("/made"), Some(containers::ChangeKind::Added), "{changes:?}");
    assert_eq!(kind("/bin/true"), Some(containers::ChangeKind::Deleted), "{changes:?}");
    assert_eq!(kind("/bin"), Some(containers::ChangeKind::Changed), "{changes:?}");

    let bad = spec::CommitSpec { reference: "Not Valid".into(), ..Default::default() };
    let e = containers::commit(&api, &id, &bad).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);

    let spec = spec::CommitSpec {
        reference: reference.clone(),
        message: "snapshot after exec".into(),
        author: "Berth Tests <tests@berth.invalid>".into(),
        changes: vec!["CMD [\"cat\", \"/made\"]".into(), "ENV MADE=yes".into()],
    };
    let committed = containers::commit(&api, &id, &spec).await.unwrap();
    assert_eq!(committed.reference, reference, "named as typed, tag and all");
    let v: Value = serde_json::from_str(&docker(&["image", "inspect", &reference])).unwrap();
    assert_eq!(v[0]["Id"], committed.id.as_str());
    assert_eq!(v[0]["Comment"], "snapshot after exec");
    assert_eq!(v[0]["Author"], "Berth Tests <tests@berth.invalid>");
    assert_eq!(v[0]["Config"]["Cmd"], serde_json::json!(["cat", "/made"]));
    assert!(v[0]["Config"]["Env"].as_array().unwrap().iter().any(|e| e == "MADE=yes"));
    assert_eq!(v[0]["Parent"], inspect(&name)["Image"]);
    // The committed image runs with the change in it, and the container kept running.
    assert_eq!(docker(&["run", "--rm", &reference]), "made-in-box");
    assert_eq!(inspect(&name)["State"]["Running"], true);
}

#[tokio::test]
async fn an_existing_container_reads_back_into_the_dialog() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (name, volume) = (unique("readback"), unique("readback-vol"));
    cleanup.container(&name);
    cleanup.volume(&volume);
    let original = sample(&name, &volume, free_port());
    let id = containers::run(&api, &spec::plan(&original).unwrap()).await.unwrap();
    let back = containers::spec_of(&api, &id).await.unwrap();
    assert_eq!(back.name, name);
    assert_eq!(
        spec::plan(&back).unwrap().to_cli(),
        spec::plan(&original).unwrap().to_cli(),
        "read back: {back:?}"
    );
}

#[tokio::test]
async fn details_show_ports_mounts_networks_env_and_the_inspect_document() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (name, volume) = (unique("details"), unique("details-vol"));
    cleanup.container(&name);
    cleanup.volume(&volume);
    let port = free_port();
    let spec = RunSpec {
        image: BUSYBOX.into(),
        name: name.clone(),
        ports: vec![format!("127.0.0.1:{port}:80")],
        env: vec!["SECRET=hunter2".into()],
        volumes: vec![format!("{volume}:/data:ro")],
        labels: vec!["team=web".into()],
        command: "sleep 600".into(),
        ..Default::default()
    };
    let id = containers::run(&api, &spec::plan(&spec).unwrap()).await.unwrap();
    let d = berth::engine::details::inspect(&api, &id).await.unwrap();
    assert_eq!(
        (d.id.as_str(), d.name.as_str(), d.state.as_str()),
        (id.as_str(), name.as_str(), "running")
    );
    assert_eq!(d.command, "sleep 600");
    assert_eq!(d.ports.len(), 1);
    assert_eq!(d.ports[0].container, "80/tcp");
    assert_eq!(d.ports[0].host_port, Some(port));
    assert_eq!(d.mounts.len(), 1);
    assert_eq!((d.mounts[0].source.as_str(), d.mounts[0].read_only), (volume.as_str(), true));
    let bridge = d.networks.iter().find(|n| n.name == "bridge").expect("on the default bridge");
    let cli_ip =
        docker(&["inspect", "-f", "{{.NetworkSettings.Networks.bridge.IPAddress}}", &name]);
    assert!(bridge.ip.starts_with(&format!("{cli_ip}/")), "{bridge:?} vs {cli_ip}");
    assert!(d.env.contains(&"SECRET=hunter2".to_string()));
    assert!(d.labels.contains(&("team".to_string(), "web".to_string())));
    let doc: Value = serde_json::from_str(&d.inspect).unwrap();
    assert_eq!(doc["Id"], id.as_str());
}
