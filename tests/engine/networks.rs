//! Networks through Berth's engine layer, checked with the docker CLI: create with addresses,
//! inspect with every attached container, connect and disconnect with aliases, remove (refused
//! for built-in and attached networks), prune exactly what was shown, and each refusal's code.

use berth::engine::networks::{self, NetworkSpec};
use berth::engine::spec::Field;
use berth::engine::ErrorCode;
use serde_json::Value;

use crate::cli::try_docker;
use crate::common::{docker, engine, unique, Cleanup, BUSYBOX};

/// A /24 no other test of this run uses: `slot` picks one of this run's.
fn subnet(slot: u32) -> String {
    format!("10.{}.{}.0/24", 100 + slot, std::process::id() % 250)
}

fn inspect(net: &str) -> Value {
    serde_json::from_str::<Value>(&docker(&["network", "inspect", net])).unwrap()[0].clone()
}

#[tokio::test]
async fn a_network_made_in_berth_is_what_the_cli_sees() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (net, web, idle) = (unique("net"), unique("web"), unique("idle"));
    cleanup.container(&web);
    cleanup.container(&idle);
    cleanup.network(&net);
    let sub = subnet(0);
    let base = sub.trim_end_matches("0/24");
    let spec = NetworkSpec {
        name: net.clone(),
        subnet: sub.clone(),
        gateway: format!("{base}1"),
        ip_range: format!("{base}128/25"),
        attachable: true,
        labels: vec!["team=food trucks".into()],
        options: vec!["com.docker.network.driver.mtu=1400".into()],
        ..Default::default()
    };
    let check = networks::check_create(&api, &spec).await.unwrap();
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    let id = networks::create(&api, &spec).await.unwrap();

    let n = inspect(&net);
    assert_eq!(n["Id"], id.as_str());
    assert_eq!(n["Driver"], "bridge");
    assert_eq!(n["Attachable"], true);
    assert_eq!(n["Internal"], false);
    assert_eq!(n["IPAM"]["Config"][0]["Subnet"], sub.as_str());
    assert_eq!(n["IPAM"]["Config"][0]["Gateway"], format!("{base}1").as_str());
    assert_eq!(n["IPAM"]["Config"][0]["IPRange"], format!("{base}128/25").as_str());
    assert_eq!(n["Labels"]["team"], "food trucks");
    assert_eq!(n["Options"]["com.docker.network.driver.mtu"], "1400");

    docker(&[
        "run",
        "-d",
        "--name",
        &web,
        "--network",
        &net,
        "--network-alias",
        "api",
        BUSYBOX,
        "sleep",
        "600",
    ]);
    docker(&["create", "--name", &idle, "--network", &net, BUSYBOX]);
    let row = networks::list(&api).await.unwrap().into_iter().find(|n| n.name == net).unwrap();
    assert_eq!((row.containers, row.running), (2, 1), "a created container is attached too");
    assert_eq!(row.gateways, [format!("{base}1")]);
    assert!(row.attachable && !row.built_in);

    let d = networks::inspect(&api, &net).await.unwrap();
    assert_eq!(d.ip_ranges, [format!("{base}128/25")]);
    assert_eq!(d.labels, [("team".to_string(), "food trucks".to_string())]);
    let names: Vec<&str> = d.endpoints.iter().map(|e| e.container.as_str()).collect();
    let mut want = [web.as_str(), idle.as_str()];
    want.sort();
    assert_eq!(names, want);
    let e = d.endpoints.iter().find(|e| e.container == web).unwrap();
    let cli_ip = docker(&[
        "inspect",
        "-f",
        &format!("{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}"),
        &web,
    ]);
    assert_eq!(e.ipv4, format!("{cli_ip}/24"));
    assert!(
        e.ipv4.starts_with(base)
            && cli_ip.rsplit('.').next().unwrap().parse::<u8>().unwrap() >= 128
    );
    assert_eq!(e.mac.len(), 17);
    assert_eq!(e.aliases, ["api"]);
    let stopped = d.endpoints.iter().find(|e| e.container == idle).unwrap();
    assert_eq!(stopped.ipv4, "", "no address until it starts");
    assert!(d.inspect.contains(&id));
}

#[tokio::test]
async fn create_says_which_field_is_wrong_before_the_engine_is_asked() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (net, other) = (unique("net"), unique("net"));
    cleanup.network(&net);
    let sub = subnet(1);
    docker(&["network", "create", "--subnet", &sub, &net]);
    let fields = |spec: &NetworkSpec| {
        let api = api.clone();
        let spec = spec.clone();
        async move {
            let check = networks::check_create(&api, &spec).await.unwrap();
            let err = networks::create(&api, &spec).await.unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidInput, "{err:?}");
            check.problems.into_iter().map(|p| p.field).collect::<Vec<_>>()
        }
    };
    let spec = |name: &str, subnet: &str| NetworkSpec {
        name: name.into(),
        subnet: subnet.into(),
        ..Default::default()
    };
    let overlapping = sub.replace(".0/24", ".128/25");
    assert_eq!(fields(&spec(&other, &overlapping)).await, [Field::Subnet], "overlaps {net}");
    assert_eq!(fields(&spec(&other, "10.300.0.0/16")).await, [Field::Subnet]);
    assert_eq!(fields(&spec(&other, &sub.replace(".0/24", ".7/24"))).await, [Field::Subnet]);
    assert_eq!(fields(&spec(&net, "")).await, [Field::Name]);
    let gw = NetworkSpec { gateway: "192.0.2.1".into(), ..spec(&other, &subnet(2)) };
    assert_eq!(fields(&gw).await, [Field::Gateway]);
    assert!(try_docker(&["network", "inspect", &other]).is_none(), "nothing was created");
}

#[tokio::test]
async fn remove_refuses_built_in_and_attached_networks_and_can_disconnect_first() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (net, c) = (unique("net"), unique("on"));
    cleanup.container(&c);
    cleanup.network(&net);
    for builtin in ["bridge", "host", "none"] {
        let e = networks::remove(&api, builtin).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict, "{builtin}: {e:?}");
    }
    docker(&["network", "create", &net]);
    docker(&["run", "-d", "--name", &c, "--network", &net, BUSYBOX, "sleep", "600"]);
    let e = networks::remove(&api, &net).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InUse);
    assert!(e.message.contains(&c), "names the container: {}", e.message);
    assert!(try_docker(&["network", "inspect", &net]).is_some());

    networks::disconnect_all_and_remove(&api, &net).await.unwrap();
    assert!(try_docker(&["network", "inspect", &net]).is_none(), "removed");
    assert_eq!(
        docker(&["inspect", "-f", "{{.State.Running}}", &c]),
        "true",
        "the container kept running"
    );
    assert_eq!(networks::remove(&api, &net).await.unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn connect_with_an_alias_lets_others_reach_it_and_disconnect_undoes_it() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (net, server, client) = (unique("net"), unique("server"), unique("client"));
    cleanup.container(&server);
    cleanup.container(&client);
    cleanup.network(&net);
    docker(&["network", "create", &net]);
    docker(&["run", "-d", "--name", &server, BUSYBOX, "sleep", "600"]);
    docker(&["run", "-d", "--name", &client, "--network", &net, BUSYBOX, "sleep", "600"]);
    let reach =
        |name: &str| try_docker(&["exec", &client, "ping", "-c", "1", "-W", "2", name]).is_some();
    assert!(!reach("menu"));

    let e = networks::connect(&api, &net, &server, &["two words".into()]).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    networks::connect(&api, &net, &server, &["menu".into(), " ".into()]).await.unwrap();
    assert!(reach("menu"), "the alias resolves on the network");
    assert!(reach(&server), "so does the name");
    let d = networks::inspect(&api, &net).await.unwrap();
    assert_eq!(d.endpoints.iter().find(|e| e.container == server).unwrap().aliases, ["menu"]);
    let e = networks::connect(&api, &net, &server, &[]).await.unwrap_err();
    assert_ne!(e.code, ErrorCode::Unreachable, "a second connect is refused: {e:?}");

    networks::disconnect(&api, &net, &server, false).await.unwrap();
    let nets = docker(&["inspect", "-f", "{{json .NetworkSettings.Networks}}", &server]);
    assert!(!nets.contains(&net), "{nets}");
    assert!(!reach("menu"));
}

#[tokio::test]
async fn prune_removes_exactly_the_networks_it_showed() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (unused, kept, c) = (unique("unused"), unique("kept"), unique("stopped"));
    cleanup.container(&c);
    cleanup.network(&unused);
    cleanup.network(&kept);
    docker(&["network", "create", &unused]);
    docker(&["network", "create", &kept]);
    docker(&["create", "--name", &c, "--network", &kept, BUSYBOX]);

    let shown: Vec<String> =
        networks::prune_candidates(&api).await.unwrap().into_iter().map(|n| n.name).collect();
    assert!(shown.contains(&unused), "{shown:?}");
    assert!(!shown.contains(&kept), "a stopped container's network stays: {shown:?}");
    assert!(!shown.iter().any(|n| ["bridge", "host", "none"].contains(&n.as_str())));

    // Between showing and confirming, a container joins the unused one: it is kept, and said so.
    let late = unique("late");
    cleanup.container(&late);
    docker(&["create", "--name", &late, "--network", &unused, BUSYBOX]);
    let done = networks::prune(&api, std::slice::from_ref(&unused)).await;
    assert_eq!(done[0].error.as_ref().map(|e| e.code), Some(ErrorCode::InUse));
    docker(&["rm", &late]);
    let done = networks::prune(&api, std::slice::from_ref(&unused)).await;
    assert_eq!(done[0].error, None);
    assert!(try_docker(&["network", "inspect", &unused]).is_none());
    assert!(try_docker(&["network", "inspect", &kept]).is_some());
}
