//! Editing a container (recreate): everything the user did not change is kept, field by field;
//! a `--rm` container is handled without racing the engine's removal; and each step that can
//! fail leaves exactly one container under the name, as it was, with an error saying what
//! happened.

use std::net::TcpListener;

use berth::engine::containers;
use berth::engine::recreate::{self, RecreateOptions, Step};
use berth::engine::spec::RunSpec;
use berth::engine::ErrorCode;
use serde_json::Value;

use crate::common::{docker, engine, unique, Cleanup, BUSYBOX};

fn inspect(name: &str) -> Value {
    serde_json::from_str::<Value>(&docker(&["inspect", name])).unwrap()[0].clone()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Every container whose name starts with `name` (the container, and anything set aside).
fn named_like(name: &str) -> Vec<String> {
    docker(&["ps", "-a", "--format", "{{.Names}}", "--filter", &format!("name={name}")])
        .lines()
        .map(str::to_string)
        .filter(|n| n.starts_with(name))
        .collect()
}

/// The dialog's fields for `id` with `edit` applied, as the UI sends them.
async fn edited(api: &bollard::Docker, id: &str, edit: impl FnOnce(&mut RunSpec)) -> RunSpec {
    let mut spec = containers::spec_of(api, id).await.unwrap();
    edit(&mut spec);
    spec
}

/// A short subnet of its own per test run, for a static address.
fn subnet() -> (String, String) {
    let n = std::process::id() % 200 + 20;
    (format!("10.213.{n}.0/24"), format!("10.213.{n}.45"))
}

#[tokio::test]
async fn an_edit_of_one_field_keeps_every_other_setting() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (name, volume, net, other) =
        (unique("keep-all"), unique("keep-vol"), unique("keep-net"), unique("keep-net2"));
    cleanup.container(&name);
    cleanup.volume(&volume);
    cleanup.network(&net);
    cleanup.network(&other);
    let (range, ip) = subnet();
    docker(&["network", "create", "--subnet", &range, &net]);
    docker(&["network", "create", &other]);
    let port = free_port();
    let port_map = format!("127.0.0.1:{port}:80");
    let mount = format!("{volume}:/data");
    let old_id = docker(&[
        "run",
        "-d",
        "--name",
        &name,
        "--init",
        "--cap-add",
        "NET_ADMIN",
        "--cap-drop",
        "MKNOD",
        "--memory",
        "64m",
        "--hostname",
        "h",
        "--dns",
        "127.0.0.1",
        "--dns-search",
        "example.invalid",
        "--add-host",
        "db.internal:127.0.0.1",
        "--health-cmd",
        "true",
        "--health-interval",
        "30s",
        "--tmpfs",
        "/scratch:size=1m",
        "--label",
        "team=edit",
        "-e",
        "MODE=old",
        "-e",
        "KEEP=me",
        "-v",
        &mount,
        "-v",
        "/anon",
        "--restart",
        "on-failure:3",
        "-w",
        "/data",
        "-u",
        "0:0",
        "--network",
        &net,
        "--network-alias",
        "web-alias",
        "--ip",
        &ip,
        "-p",
        &port_map,
        "--expose",
        "9000",
        "--stop-signal",
        "SIGINT",
        "--stop-timeout",
        "3",
        "--pids-limit",
        "100",
        "--shm-size",
        "32m",
        "--ulimit",
        "nofile=1024:2048",
        "--security-opt",
        "no-new-privileges",
        "--log-opt",
        "max-size=1m",
        "--read-only",
        BUSYBOX,
        "sh",
        "-c",
        "echo kept > /anon/file; exec sleep 600",
    ]);
    docker(&["network", "connect", "--alias", "other-alias", &other, &name]);
    let before = inspect(&name);
    let anon = before["Mounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["Destination"] == "/anon")
        .map(|m| m["Name"].as_str().unwrap().to_string())
        .expect("an anonymous volume at /anon");

    // The preview names the one change, and what the dialog cannot show but will keep.
    let spec = edited(&api, &old_id, |s| {
        for e in &mut s.env {
            if e == "MODE=old" {
                *e = "MODE=new".into();
            }
        }
    })
    .await;
    let preview = recreate::preview(&api, &old_id, &spec).await.unwrap();
    assert_eq!(preview.changes, vec!["Environment: + MODE=new, − MODE=old"]);
    for flag in [
        "--init",
        // The engine keeps capabilities by their full name.
        "--cap-add CAP_NET_ADMIN",
        "--cap-drop CAP_MKNOD",
        "--memory 64m",
        "--hostname h",
        "--dns 127.0.0.1",
        "--add-host db.internal:127.0.0.1",
        "--health-cmd true",
        "--tmpfs /scratch:size=1m",
        "--pids-limit 100",
        "--shm-size 32m",
        "--read-only",
        "--expose 9000/tcp",
    ] {
        assert!(preview.kept.iter().any(|k| k == flag), "{flag} in {:?}", preview.kept);
    }
    let on = |n: &str| preview.kept.iter().any(|k| k.starts_with(&format!("network {n}")));
    assert!(on(&net) && on(&other), "{:?}", preview.kept);
    assert!(
        preview.kept.iter().any(|k| k.starts_with("anonymous volume /anon")),
        "{:?}",
        preview.kept
    );
    assert!(!preview.removed_on_stop);

    let done = recreate::recreate(&api, &old_id, &spec, &RecreateOptions::default()).await.unwrap();
    assert_eq!(done.warning, None);
    let after = inspect(&name);
    assert_eq!(after["Id"], done.id.as_str());
    assert_eq!(after["State"]["Running"], true);
    assert_eq!(named_like(&name), vec![name.clone()], "nothing left aside");

    // Config: everything but the edited variable.
    let mut a = before["Config"].clone();
    let mut b = after["Config"].clone();
    let env = |v: &Value| -> Vec<String> { serde_json::from_value(v["Env"].clone()).unwrap() };
    let (old_env, new_env) = (env(&a), env(&b));
    assert_eq!(
        old_env.iter().map(|e| e.replace("MODE=old", "MODE=new")).collect::<Vec<_>>(),
        new_env,
        "only MODE changed, in place"
    );
    a["Env"] = Value::Null;
    b["Env"] = Value::Null;
    assert_eq!(a, b, "Config");

    // HostConfig: everything; the anonymous volume is now mounted by its name.
    let mut a = before["HostConfig"].clone();
    let mut b = after["HostConfig"].clone();
    let carried = b["Mounts"].take();
    assert_eq!(a["Mounts"].take(), Value::Null);
    assert_eq!(carried.as_array().map(Vec::len), Some(1), "{carried}");
    assert_eq!(
        (carried[0]["Type"].as_str(), carried[0]["Target"].as_str()),
        (Some("volume"), Some("/anon"))
    );
    assert_eq!(carried[0]["Source"], anon.as_str());
    assert_eq!(a, b, "HostConfig");

    // The same volumes, with their data; the same networks, aliases and address.
    assert_eq!(docker(&["exec", &name, "cat", "/anon/file"]), "kept");
    let mounts = |v: &Value| -> Vec<(String, String)> {
        let mut m: Vec<_> = v["Mounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (m["Destination"].as_str().unwrap().into(), m["Name"].as_str().unwrap_or("").into())
            })
            .collect();
        m.sort();
        m
    };
    assert_eq!(mounts(&before), mounts(&after));
    let endpoint = |v: &Value, n: &str| {
        let e = &v["NetworkSettings"]["Networks"][n];
        let short = &v["Id"].as_str().unwrap()[..12];
        let mut aliases: Vec<String> =
            serde_json::from_value(e["Aliases"].clone()).unwrap_or_default();
        // The engine adds the short id and the host name itself.
        aliases.retain(|a| a != short && a != "h");
        (aliases, e["IPAMConfig"].clone(), e["IPAddress"].clone())
    };
    assert_eq!(endpoint(&before, &net), endpoint(&after, &net));
    assert_eq!(endpoint(&after, &net).2, ip.as_str());
    assert_eq!(endpoint(&before, &other).0, endpoint(&after, &other).0);
    assert_eq!(endpoint(&after, &other).0, vec!["other-alias"]);
}

#[tokio::test]
async fn a_container_started_with_rm_is_edited_without_racing_its_removal() {
    let _layers = crate::common::LAYERS.lock().await;
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let name = unique("edit-rm");
    let snapshot = format!("berth-test/{}:before-edit", unique("snap"));
    cleanup.container(&name);
    cleanup.image(&snapshot);
    let old_id = docker(&[
        "run",
        "-d",
        "--rm",
        "--init",
        "--name",
        &name,
        "-v",
        "/anon",
        "-e",
        "MODE=old",
        BUSYBOX,
        "sh",
        "-c",
        "echo kept > /anon/f; touch /made; exec sleep 600",
    ]);
    let anon = inspect(&name)["Mounts"][0]["Name"].as_str().unwrap().to_string();
    let spec = edited(&api, &old_id, |s| s.env = vec!["MODE=new".into()]).await;
    let preview = recreate::preview(&api, &old_id, &spec).await.unwrap();
    assert!(preview.removed_on_stop, "the preview says the old one is deleted when it stops");

    let options = RecreateOptions { snapshot: Some(snapshot.clone()) };
    let done = recreate::recreate(&api, &old_id, &spec, &options).await.unwrap();
    assert_eq!(named_like(&name), vec![name.clone()]);
    let after = inspect(&name);
    assert_eq!(after["Id"], done.id.as_str());
    assert_eq!(after["HostConfig"]["AutoRemove"], true, "still --rm");
    assert!(after["Config"]["Env"].as_array().unwrap().iter().any(|e| e == "MODE=new"));
    // The engine removed the old one with its anonymous volumes, but this one is in use.
    assert_eq!(docker(&["exec", &name, "cat", "/anon/f"]), "kept");
    assert_eq!(after["HostConfig"]["Mounts"][0]["Source"], anon.as_str());
    // Its files were committed first.
    assert_eq!(docker(&["run", "--rm", &snapshot, "ls", "/made"]), "/made");

    // When the new one cannot start, the old one is already gone: the new one stays, stopped,
    // under the name, and the error says all of it.
    let squatter = unique("edit-rm-squat");
    cleanup.container(&squatter);
    let taken = free_port();
    docker(&[
        "run",
        "-d",
        "--name",
        &squatter,
        "-p",
        &format!("127.0.0.1:{taken}:80"),
        BUSYBOX,
        "sleep",
        "600",
    ]);
    let spec = edited(&api, &done.id, |s| s.ports = vec![format!("127.0.0.1:{taken}:80")]).await;
    let e =
        recreate::recreate(&api, &done.id, &spec, &RecreateOptions::default()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::PortInUse, "{e}");
    assert!(e.message.contains("started with --rm"), "{e}");
    assert!(e.message.contains("is stopped: fix them and start it"), "{e}");
    assert_eq!(named_like(&name), vec![name.clone()]);
    let kept = inspect(&name);
    assert_ne!(kept["Id"], done.id.as_str());
    assert_eq!(kept["State"]["Running"], false);
    assert_eq!(
        kept["HostConfig"]["Mounts"][0]["Source"],
        anon.as_str(),
        "the volume is still held"
    );
}

#[tokio::test]
async fn each_step_that_fails_leaves_the_container_as_it_was() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (name, squatter) = (unique("edit-fail"), unique("edit-squat"));
    cleanup.container(&name);
    cleanup.container(&squatter);
    let old_id = docker(&[
        "run", "-d", "--init", "--name", &name, "-e", "MODE=old", BUSYBOX, "sleep", "600",
    ]);
    let short = &old_id[..12];
    let (aside, temporary) =
        (format!("{name}-berth-previous-{short}"), format!("{name}-berth-new-{short}"));
    cleanup.container(&aside);
    cleanup.container(&temporary);
    let as_it_was = || {
        let v = inspect(&name);
        assert_eq!(v["Id"], old_id.as_str(), "the same container under {name}");
        assert_eq!(v["State"]["Running"], true, "running, as it was");
        assert_eq!(named_like(&name), vec![name.clone()], "nothing else left");
    };

    // Create fails: an image the engine does not have.
    let spec = edited(&api, &old_id, |s| s.image = "berth-test/no-such-image:1".into()).await;
    let e =
        recreate::recreate(&api, &old_id, &spec, &RecreateOptions::default()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ImageMissing, "{e}");
    assert!(e.message.contains("no image berth-test/no-such-image:1"), "{e}");
    assert!(e.message.contains("is as it was"), "{e}");
    as_it_was();

    // The name to set the old one aside under is taken by another container between steps.
    let spec = edited(&api, &old_id, |s| s.env = vec!["MODE=new".into()]).await;
    let e =
        recreate::recreate_observed(&api, &old_id, &spec, &RecreateOptions::default(), |step| {
            if step == Step::Created {
                docker(&["create", "--name", &aside, BUSYBOX]);
            }
            async {}
        })
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e}");
    assert!(e.message.contains(&format!("rename {name} to {aside}")), "{e}");
    docker(&["rm", &aside]);
    as_it_was();

    // Start fails: the host port is taken. The old one gets its name back and runs again.
    let taken = free_port();
    docker(&[
        "run",
        "-d",
        "--name",
        &squatter,
        "-p",
        &format!("127.0.0.1:{taken}:80"),
        BUSYBOX,
        "sleep",
        "600",
    ]);
    let spec = edited(&api, &old_id, |s| s.ports = vec![format!("127.0.0.1:{taken}:80")]).await;
    let e =
        recreate::recreate(&api, &old_id, &spec, &RecreateOptions::default()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::PortInUse, "{e}");
    assert!(e.message.contains("the new container could not start"), "{e}");
    assert!(e.message.contains("was kept as it was"), "{e}");
    as_it_was();

    // The name is taken between setting the old one aside and giving it to the new one: the
    // error says where the old one is; it still runs, and the new one is gone.
    let spec = edited(&api, &old_id, |s| s.env = vec!["MODE=new".into()]).await;
    let e =
        recreate::recreate_observed(&api, &old_id, &spec, &RecreateOptions::default(), |step| {
            if step == Step::Aside {
                docker(&["create", "--name", &name, BUSYBOX]);
            }
            async {}
        })
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e}");
    assert!(e.message.contains(&format!("the old container is {aside}")), "{e}");
    assert_eq!(inspect(&aside)["Id"], old_id.as_str());
    assert_eq!(inspect(&aside)["State"]["Running"], true);
    assert!(!named_like(&name).contains(&temporary), "the new container was removed");
    docker(&["rm", &name]);
    docker(&["rename", &aside, &name]);
    as_it_was();

    // Nothing changed: refused before anything is done.
    let same = containers::spec_of(&api, &old_id).await.unwrap();
    let e =
        recreate::recreate(&api, &old_id, &same, &RecreateOptions::default()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    as_it_was();
}
