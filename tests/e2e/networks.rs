//! The tutorial's network steps by mouse, checked with the docker CLI: create a user-defined
//! network, run two containers on it from the run dialog (one serving HTTP on a port published to
//! 127.0.0.1), see the second reach the first by name, see both in the network's details,
//! disconnect one, remove the containers and prune the network.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

use crate::cli::{docker, try_docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;
use crate::live::wait_state;

/// Export the map as SVG and as PNG through the native save dialog, answered as a person would,
/// and check both files: the SVG names every node, the PNG is the same picture at twice its size.
async fn export_map(app: &App, net: &str, containers: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let save = |kind: &str| {
        let path = dir.path().join(format!("map.{kind}"));
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/xwindow.py");
        let out = std::process::Command::new("/usr/bin/python3")
            .args([script, "save", "Export the map", path.to_str().unwrap()])
            .output()
            .expect("python3 with python3-xlib (Debian packages) is needed for this test");
        assert!(out.status.success(), "xwindow.py save: {}", String::from_utf8_lossy(&out.stderr));
        path
    };
    app.by_role("button", "Export SVG").await.click().await.unwrap();
    let svg_path = save("svg");
    app.by_role("status", &format!("Saved {}", svg_path.display())).await;
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(r#"xmlns="http://www.w3.org/2000/svg""#));
    assert!(svg.contains(&format!(r#"aria-label="Network {net}, bridge"#)), "{net} in the SVG");
    for c in containers {
        assert!(svg.contains(&format!(r#"aria-label="Container {c}, running"#)), "{c} in the SVG");
    }
    assert!(svg.contains("style=\"fill:"), "the theme's colours written into the SVG");
    let root = svg.split('>').next().unwrap();
    let width: u32 =
        root.split(" width=\"").nth(1).and_then(|w| w.split('"').next()).unwrap().parse().unwrap();

    app.by_role("button", "Export PNG").await.click().await.unwrap();
    let png_path = save("png");
    app.by_role("status", &format!("Saved {}", png_path.display())).await;
    let png = std::fs::read(&png_path).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    let png_width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(png_width, width * 2, "the PNG is the SVG at twice its size");
}

/// Run `image` named `name` on `network` from the run dialog.
async fn run_on(app: &App, name: &str, network: &str, ports: &str, command: &str) {
    app.by_role("button", "Containers").await.click().await.unwrap();
    app.by_role("button", "Run a container…").await.click().await.unwrap();
    app.by_role("dialog", "Run a container").await;
    let field = |label: &'static str| app.by_role("textbox", label);
    field("Image").await.send_keys(BUSYBOX).await.unwrap();
    field("Name").await.send_keys(name).await.unwrap();
    if !ports.is_empty() {
        field("Ports, one per line").await.send_keys(ports).await.unwrap();
    }
    app.open_advanced().await;
    field("Command").await.send_keys(command).await.unwrap();
    let select = app.by_role("combobox", "Network").await;
    app.wait_for("the network in the run dialog", || async {
        select.clone().select_by_label(network).await.ok()
    })
    .await;
    let run = app.by_role("button", "Run").await;
    app.wait_for("the docker run line", || async {
        let cli = app.text(&app.try_by_role("status", "Equivalent docker command").await?).await;
        cli.contains(&format!("--network {network}")).then_some(())
    })
    .await;
    app.wait_for("Run to be enabled", || async { run.is_enabled().await.ok()?.then_some(()) })
        .await;
    run.click().await.unwrap();
    wait_state(app, name, "running").await;
}

/// `GET path` from 127.0.0.1:`port`, the body.
fn http_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to the published port");
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tutorials_network_steps_by_mouse() {
    let mut cleanup = Cleanup::default();
    let (net, es, web) = (unique("foodtrucks"), unique("es"), unique("web"));
    cleanup.container(&es);
    cleanup.container(&web);
    cleanup.network(&net);
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

    let app = App::launch(&[]).await;
    app.by_role("button", "Networks").await.click().await.unwrap();
    app.by_role("button", "Create network…").await.click().await.unwrap();
    let dialog = app.by_role("dialog", "Create a network").await;
    app.by_role("textbox", "Name").await.send_keys(&net).await.unwrap();
    // A subnet outside any address is explained beside its field.
    let subnet = app.by_role("textbox", "Subnet").await;
    subnet.send_keys("10.0.0.7/8").await.unwrap();
    app.wait_for("the subnet problem", || async {
        app.text(&dialog).await.contains("write 10.0.0.0/8").then_some(())
    })
    .await;
    subnet.send_keys(&"\u{E003}".repeat(10)).await.unwrap();
    app.wait_for("the command line", || async {
        let text = app.text(&app.try_by_role("dialog", "Create a network").await?).await;
        text.contains(&format!("docker network create {net}")).then_some(())
    })
    .await;
    app.by_role("button", "Create").await.click().await.unwrap();
    app.by_role_containing("status", &format!("Created network {net}")).await;
    app.by_role("row", &net).await;
    assert_eq!(docker(&["network", "inspect", "-f", "{{.Driver}}", &net]), "bridge");
    app.shot("networks-created").await;

    run_on(&app, &es, &net, &format!("127.0.0.1:{port}:5000"), "httpd -f -p 5000 -h /etc").await;
    run_on(&app, &web, &net, "", "sleep 600").await;
    assert_eq!(docker(&["port", &es, "5000/tcp"]), format!("127.0.0.1:{port}"));
    assert_eq!(
        http_get(port, "/hostname").trim(),
        docker(&["inspect", "-f", "{{.Config.Hostname}}", &es])
    );
    let reach = || try_docker(&["exec", &web, "ping", "-c", "1", "-W", "2", &es]).is_some();
    assert!(reach(), "{web} resolves {es} by name on {net}");

    // The map, focused on the network: both containers joined to it.
    app.by_role("button", "Networks").await.click().await.unwrap();
    app.by_role("button", &format!("Details of {net}")).await.click().await.unwrap();
    app.by_role("button", &format!("Show {net} on the map")).await.click().await.unwrap();
    app.by_role_containing("button", &format!("Network {net}, bridge")).await;
    for c in [&es, &web] {
        let node = app.by_role_containing("button", &format!("Container {c}, running")).await;
        let name = node.attr("aria-label").await.unwrap().unwrap_or_default();
        assert!(name.ends_with(&format!("on {net}")), "{name}");
    }
    let es_node = app.by_role_containing("button", &format!("Container {es}, running")).await;
    let name = es_node.attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(
        name.contains(&format!("127.0.0.1:{port}→5000/tcp")),
        "published port on the node: {name}"
    );
    app.shot("map").await;
    export_map(&app, &net, &[&es, &web]).await;
    app.by_role("checkbox", "As text").await.click().await.unwrap();
    let words = app.text(&app.by_role("list", "The map in words").await).await;
    assert!(words.contains(&format!("Network {net} (bridge")) && words.contains(&es), "{words}");

    app.by_role("button", "Networks").await.click().await.unwrap();
    app.wait_for("both attached in the list", || async {
        let row = app.try_by_role("row", &net).await?;
        app.text(&row).await.contains("2 up").then_some(())
    })
    .await;
    app.by_role("button", &format!("Details of {net}")).await.click().await.unwrap();
    let details = app.by_role("dialog", &format!("Network {net}")).await;
    for c in [&es, &web] {
        let row = app.by_role("row", c).await;
        let ip = docker(&[
            "inspect",
            "-f",
            &format!("{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}"),
            c,
        ]);
        assert!(app.text(&row).await.contains(&format!("{ip}/")), "{c} shows {ip}");
    }
    app.shot("network-details").await;
    app.by_role("button", &format!("Disconnect {web} from {net}")).await.click().await.unwrap();
    app.wait_for("the disconnected container to leave the details", || async {
        app.try_by_role("row", &web).await.is_none().then_some(())
    })
    .await;
    let nets = docker(&["inspect", "-f", "{{json .NetworkSettings.Networks}}", &web]);
    assert!(!nets.contains(&net), "{nets}");
    assert!(!reach());
    app.by_role("button", "Close network details").await.click().await.unwrap();
    drop(details);

    // Removing the network now is refused, naming the container still attached.
    app.by_role("button", &format!("Remove {net}")).await.click().await.unwrap();
    app.by_role("dialog", &format!("Remove network {net}?")).await;
    // The row's button and the dialog's share the name; the dialog's comes last.
    let both = app.query("button", &format!("Remove {net}"), false).await;
    both.into_iter().last().unwrap().click().await.unwrap();
    let offer = app.by_role("dialog", &format!("Disconnect and remove {net}?")).await;
    assert!(app.text(&offer).await.contains(&es));
    app.by_role("button", "Cancel").await.click().await.unwrap();

    for c in [&es, &web] {
        app.by_role("button", "Containers").await.click().await.unwrap();
        app.menu_item(c, "Remove").await;
        app.by_role("dialog", &format!("Remove container {c}?")).await;
        app.by_role("button", &format!("Remove {c}")).await.click().await.unwrap();
        app.wait_for("the container to go", || async {
            app.try_by_role("row", c).await.is_none().then_some(())
        })
        .await;
    }
    assert!(try_docker(&["inspect", &es]).is_none());

    app.by_role("button", "Networks").await.click().await.unwrap();
    app.by_role("button", "Prune unused…").await.click().await.unwrap();
    let prune = app.by_role_containing("dialog", "network").await;
    app.by_role("listitem", &net).await;
    assert!(app.try_by_role("listitem", "bridge").await.is_none(), "built-in: never pruned");
    drop(prune);
    // "Remove 1 network", "Remove 3 networks" (leftovers of earlier runs go too).
    let confirm = app
        .wait_for("the prune's confirm button", || async {
            for b in app.query("button", " network", true).await {
                if app.text(&b).await.starts_with("Remove ") {
                    return Some(b);
                }
            }
            None
        })
        .await;
    confirm.click().await.unwrap();
    app.by_role_containing("status", "Removed").await;
    app.wait_for("the network to go", || async {
        app.try_by_role("row", &net).await.is_none().then_some(())
    })
    .await;
    assert!(try_docker(&["network", "inspect", &net]).is_none());
    assert!(try_docker(&["network", "inspect", "bridge"]).is_some());
    app.quit().await;
}
