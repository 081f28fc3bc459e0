//! The run dialog and the row actions in the real window, checked with the docker CLI: run a
//! container with a published port, a named volume and an env var; change it, commit it, run the
//! snapshot with --rm; stop and remove the original.

use std::net::TcpListener;

use serde_json::Value;

use crate::cli::{docker, try_docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;
use crate::live::wait_state;

const BACKSPACE: &str = "\u{E003}";
/// Control+A, release, Backspace.
const SELECT_ALL_AND_DELETE: &str = "\u{E009}a\u{E000}\u{E003}";

#[tokio::test(flavor = "multi_thread")]
async fn run_commit_run_the_snapshot_stop_and_remove_by_mouse() {
    let mut cleanup = Cleanup::default();
    let (name, volume) = (unique("dialog"), unique("dialog-data"));
    cleanup.container(&name);
    cleanup.volume(&volume);
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

    let app = App::launch(&[]).await;
    app.by_role("button", "Run a container…").await.click().await.unwrap();
    app.by_role("dialog", "Run a container").await;
    let field = |label: &'static str| app.by_role("textbox", label);
    field("Image").await.send_keys(BUSYBOX).await.unwrap();
    field("Name").await.send_keys(&name).await.unwrap();

    // A bad port is explained beside its field, and Run says why it is disabled.
    let ports = field("Ports, one per line").await;
    ports.send_keys("80:nope").await.unwrap();
    app.wait_for("the port problem", || async {
        let run = app.try_by_role("button", "Run").await?;
        let text = app.text(&app.try_by_role("dialog", "Run a container").await?).await;
        (text.contains("line 1: container port \"nope\" is not a number")
            && !run.is_enabled().await.ok()?)
        .then_some(())
    })
    .await;
    ports.send_keys(&BACKSPACE.repeat(7)).await.unwrap();
    ports.send_keys(&format!("127.0.0.1:{port}:80")).await.unwrap();
    field("Environment, one per line (KEY=value)")
        .await
        .send_keys("GREETING=hello there")
        .await
        .unwrap();
    field("Volumes, one per line").await.send_keys(&format!("{volume}:/data")).await.unwrap();
    // A shell as PID 1 ignores SIGTERM unless it traps it: this one stops at once.
    app.open_advanced().await;
    field("Command")
        .await
        .send_keys("sh -c 'trap \"exit 0\" TERM; sleep 600 & wait'")
        .await
        .unwrap();

    let run = app.by_role("button", "Run").await;
    app.wait_for("Run to be enabled", || async { run.is_enabled().await.ok()?.then_some(()) })
        .await;
    let cli = app.text(&app.by_role("status", "Equivalent docker command").await).await;
    assert!(cli.contains(&format!("-p 127.0.0.1:{port}:80")), "{cli}");
    run.click().await.unwrap();
    wait_state(&app, &name, "running").await;
    // The new row is marked, and a notice says it runs and offers its logs, a terminal, its port.
    app.by_role("row", &name).await;
    let class = app.eval_by_role("row", &name, "return el.className;").await.unwrap_or_default();
    assert!(class.as_str().unwrap_or_default().contains("fresh"), "{class}");
    let notice = app.by_role("status", &format!("Ran {name}")).await;
    let said = app.text(&notice).await;
    assert!(said.contains("is running") && said.contains("Terminal"), "{said}");
    assert!(said.contains(&format!("Open localhost:{port}")), "{said}");

    let v: Value = serde_json::from_str(&docker(&["inspect", &name])).unwrap();
    let env = v[0]["Config"]["Env"].as_array().unwrap();
    assert!(env.iter().any(|e| e == "GREETING=hello there"), "{env:?}");
    assert_eq!(docker(&["port", &name, "80/tcp"]), format!("127.0.0.1:{port}"));
    assert_eq!(v[0]["Mounts"][0]["Name"], volume.as_str());

    // Change it, commit it, and run the snapshot with --rm: the seed's docker commit workflow.
    docker(&["exec", &name, "sh", "-c", "echo snapshot-me > /made"]);
    let snapshot = format!("berth-test/{}:snap", unique("snapshot"));
    let copy = unique("from-snapshot");
    cleanup.container(&copy);
    cleanup.image(&snapshot);
    app.menu_item(&name, "Commit").await;
    app.by_role("dialog", &format!("Commit {name}")).await;
    app.by_role("listitem", "Added /made").await;
    field("Repository:tag").await.send_keys(&snapshot).await.unwrap();
    let commit = app.by_role("button", "Commit").await;
    app.wait_for("Commit to be enabled", || async {
        commit.is_enabled().await.ok()?.then_some(())
    })
    .await;
    commit.click().await.unwrap();
    app.by_role_containing("status", &format!("Committed {snapshot}")).await;
    let parent = docker(&["image", "inspect", "-f", "{{.Parent}}", &snapshot]);
    assert_eq!(parent, docker(&["inspect", "-f", "{{.Image}}", &name]));

    app.by_role("button", "Run this image").await.click().await.unwrap();
    app.by_role("dialog", "Run a container").await;
    assert_eq!(app.prop(&field("Image").await).await, snapshot);
    // Pre-filled from the original's settings: its env, volume and command come along; its host
    // port is still taken by the original, so publish none.
    let env = app.prop(&field("Environment, one per line (KEY=value)").await).await;
    assert_eq!(env, "GREETING=hello there");
    let ports = field("Ports, one per line").await;
    assert_eq!(app.prop(&ports).await, format!("127.0.0.1:{port}:80"));
    ports.send_keys(SELECT_ALL_AND_DELETE).await.unwrap();
    field("Name").await.send_keys(&copy).await.unwrap();
    app.open_advanced().await;
    app.by_role("checkbox", "Remove when it exits (--rm)").await.click().await.unwrap();
    let run = app.by_role("button", "Run").await;
    app.wait_for("Run to be enabled", || async { run.is_enabled().await.ok()?.then_some(()) })
        .await;
    run.click().await.unwrap();
    wait_state(&app, &copy, "running").await;
    assert_eq!(docker(&["exec", &copy, "cat", "/made"]), "snapshot-me");
    assert_eq!(docker(&["inspect", "-f", "{{.HostConfig.AutoRemove}}", &copy]), "true");
    // Stopping a --rm container removes it.
    app.by_role("button", &format!("Stop {copy}")).await.click().await.unwrap();
    app.wait_for("the --rm container to leave the list", || async {
        app.try_by_role("row", &copy).await.is_none().then_some(())
    })
    .await;
    assert!(docker(&["ps", "-aq", "--filter", &format!("name=^{copy}$")]).is_empty());

    app.by_role("button", &format!("Stop {name}")).await.click().await.unwrap();
    wait_state(&app, &name, "exited").await;
    assert_eq!(docker(&["inspect", "-f", "{{.State.Status}}", &name]), "exited");

    // Remove asks first and names the container; the named volume stays.
    app.menu_item(&name, "Remove").await;
    app.by_role("dialog", &format!("Remove container {name}?")).await;
    let confirm = app.query("button", &format!("Remove {name}"), false).await;
    confirm.last().expect("the dialog's Remove button").click().await.unwrap();
    app.wait_for("the removed container to leave the list", || async {
        app.try_by_role("row", &name).await.is_none().then_some(())
    })
    .await;
    assert!(docker(&["ps", "-aq", "--filter", &format!("name=^{name}$")]).is_empty());
    assert!(docker(&["volume", "ls", "-q"]).lines().any(|v| v == volume));
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_previews_the_change_and_recreates_under_the_same_name() {
    let mut cleanup = Cleanup::default();
    let name = unique("edit");
    cleanup.container(&name);
    let old_id = docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &name,
        "-e",
        "MODE=old",
        "--memory",
        "64m",
        "--hostname",
        "edited-host",
        "--cap-add",
        "NET_ADMIN",
        BUSYBOX,
        "sleep",
        "600",
    ]);

    let app = App::launch(&[]).await;
    wait_state(&app, &name, "running").await;
    app.menu_item(&name, "Edit").await;
    app.by_role("dialog", &format!("Edit {name}")).await;
    let env = app.by_role("textbox", "Environment, one per line (KEY=value)").await;
    assert_eq!(app.prop(&env).await, "MODE=old");
    env.send_keys(SELECT_ALL_AND_DELETE).await.unwrap();
    env.send_keys("MODE=new").await.unwrap();
    let preview = app.by_role("region", "What will change").await;
    app.wait_for("the preview to show the env change", || async {
        let text = app.text(&preview).await;
        (text.contains("+ MODE=new") && text.contains("− MODE=old")).then_some(())
    })
    .await;
    // Only that changes; what the dialog does not show is listed as kept.
    let changes = app.text(&preview).await;
    assert!(!changes.contains("Image") && !changes.contains("Ports"), "{changes}");
    app.by_role_containing("button", "Kept as they are").await.click().await.unwrap();
    let kept = app.text(&app.by_role("list", "Settings kept").await).await;
    for flag in ["--init", "--memory 64m", "--hostname edited-host", "--cap-add CAP_NET_ADMIN"] {
        assert!(kept.contains(flag), "{flag} in {kept}");
    }
    app.shot("edit-dialog").await;
    let apply = app.by_role("button", &format!("Recreate {name}")).await;
    app.wait_for("Recreate to be enabled", || async {
        apply.is_enabled().await.ok()?.then_some(())
    })
    .await;
    apply.click().await.unwrap();
    // Between the steps the name is briefly free: a missing container is not yet an answer.
    app.wait_for("the recreated container", || async {
        let id = try_docker(&["inspect", "-f", "{{.Id}}", &name])?;
        (id != old_id).then_some(())
    })
    .await;
    wait_state(&app, &name, "running").await;
    app.wait_for("the old container to be removed", || async {
        let left = docker(&["ps", "-aq", "--filter", &format!("id={old_id}")]);
        left.is_empty().then_some(())
    })
    .await;
    let env = docker(&["inspect", "-f", "{{json .Config.Env}}", &name]);
    assert!(env.contains("MODE=new") && !env.contains("MODE=old"), "{env}");
    let kept = docker(&[
        "inspect",
        "-f",
        "{{.HostConfig.Init}} {{.HostConfig.Memory}} {{.Config.Hostname}} {{.HostConfig.CapAdd}}",
        &name,
    ]);
    assert_eq!(kept, "true 67108864 edited-host [CAP_NET_ADMIN]");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn removes_a_selection_after_confirming_the_names() {
    let mut cleanup = Cleanup::default();
    let (a, b, other) = (unique("pick-a"), unique("pick-b"), unique("not-picked"));
    for n in [&a, &b, &other] {
        cleanup.container(n);
        docker(&["run", "-d", "--init", "--name", n, BUSYBOX, "sleep", "600"]);
    }
    let app = App::launch(&[]).await;
    wait_state(&app, &other, "running").await;
    app.by_role("checkbox", &format!("Select {a}")).await.click().await.unwrap();
    app.by_role("checkbox", &format!("Select {b}")).await.click().await.unwrap();
    app.by_role("button", "Remove 2 selected").await.click().await.unwrap();
    let dialog = app.by_role("dialog", "Remove 2 containers?").await;
    let text = app.text(&dialog).await;
    assert!(text.contains(&a) && text.contains(&b) && !text.contains(&other), "{text}");
    app.by_role("button", "Remove 2 containers").await.click().await.unwrap();
    app.wait_for("both to leave the list", || async {
        let gone = app.try_by_role("row", &a).await.is_none()
            && app.try_by_role("row", &b).await.is_none();
        gone.then_some(())
    })
    .await;
    for n in [&a, &b] {
        assert!(docker(&["ps", "-aq", "--filter", &format!("name=^{n}$")]).is_empty(), "{n}");
    }
    assert_eq!(docker(&["inspect", "-f", "{{.State.Running}}", &other]), "true");
    app.by_role("status", "Removed 2 containers").await;
    // A stop is said and can be taken back: Undo starts it again.
    app.by_role("checkbox", &format!("Select {other}")).await.click().await.unwrap();
    app.by_role("button", "Stop 1 selected").await.click().await.unwrap();
    app.by_role("button", "Stop 1 container").await.click().await.unwrap();
    let stopped = app.by_role("status", &format!("Stopped {other}")).await;
    assert_eq!(docker(&["inspect", "-f", "{{.State.Running}}", &other]), "false");
    let undo = app.query("button", "Undo", false).await;
    undo.first().expect("the notice's Undo").click().await.unwrap();
    drop(stopped);
    app.by_role("status", &format!("Started {other}")).await;
    wait_state(&app, &other, "running").await;
    assert_eq!(docker(&["inspect", "-f", "{{.State.Running}}", &other]), "true");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn details_show_what_the_cli_reports_and_rename_the_container() {
    let mut cleanup = Cleanup::default();
    let (name, renamed) = (unique("details"), unique("renamed"));
    cleanup.container(&name);
    cleanup.container(&renamed);
    docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &name,
        "-e",
        "SECRET=hunter2",
        BUSYBOX,
        "sleep",
        "600",
    ]);
    let ip = docker(&["inspect", "-f", "{{.NetworkSettings.Networks.bridge.IPAddress}}", &name]);

    let app = App::launch(&[]).await;
    app.by_role("button", &format!("Details of {name}")).await.click().await.unwrap();
    let networks = app.by_role("region", "Networks").await;
    app.wait_for("the container's address", || async {
        app.text(&networks).await.contains(&format!("{ip}/")).then_some(())
    })
    .await;
    // Beside the list, which stays usable: the container's row is there, left of the details.
    let panel = app.by_role("region", &format!("Details of {name}")).await;
    let row = app.by_role("row", &name).await;
    let (row_at, panel_at) = (row.rectangle().await.unwrap(), panel.rectangle().await.unwrap());
    assert!(
        row_at.0 + 100.0 < panel_at.0,
        "the row {row_at:?} is left of the details {panel_at:?}"
    );
    app.by_role("tab", "Environment").await.click().await.unwrap();
    let env = app.text(&app.by_role("region", "Environment").await).await;
    assert!(env.contains("SECRET=") && !env.contains("hunter2"), "hidden until revealed: {env}");
    app.by_role("tab", "Overview").await.click().await.unwrap();

    app.by_role("button", &format!("Rename {name}")).await.click().await.unwrap();
    let field = app.by_role("textbox", &format!("New name for {name}")).await;
    field.send_keys(SELECT_ALL_AND_DELETE).await.unwrap();
    field.send_keys(&renamed).await.unwrap();
    app.by_role("button", "Save name").await.click().await.unwrap();
    app.by_role("heading", &renamed).await;
    assert_eq!(docker(&["inspect", "-f", "{{.Name}}", &renamed]), format!("/{renamed}"));
    // The details' own Stop stops it; they stay open through the list's updates and then tell
    // how it ended.
    let stop = format!("Stop {renamed}");
    app.wait_for("the list's row to follow the rename", || async {
        (app.query("button", &stop, false).await.len() == 2).then_some(())
    })
    .await;
    app.query("button", &stop, false).await.pop().unwrap().click().await.unwrap();
    app.wait_for("the details to say it exited", || async {
        let overview = app.try_by_role("region", "Overview").await?;
        app.text(&overview).await.contains("exit code").then_some(())
    })
    .await;
    assert_eq!(docker(&["inspect", "-f", "{{.State.Status}}", &renamed]), "exited");
    app.by_role("region", &format!("Details of {renamed}")).await;
    app.by_role("region", "Last lines").await;
    // Escape closes them (pressed on the list's row).
    app.by_role("row", &renamed).await.send_keys("\u{E00C}").await.unwrap();
    app.wait_for("the details to close", || async {
        app.try_by_role("region", &format!("Details of {renamed}")).await.is_none().then_some(())
    })
    .await;
    app.by_role("button", &format!("Details of {renamed}")).await;
    app.quit().await;
}

/// A host port another container publishes is refused before anything is made: the Ports field
/// says which container holds it.
#[tokio::test(flavor = "multi_thread")]
async fn a_port_another_container_publishes_names_its_holder_on_the_ports_field() {
    let mut cleanup = Cleanup::default();
    let (holder, wanted) = (unique("holder"), unique("wants-port"));
    cleanup.container(&holder);
    cleanup.container(&wanted);
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let published = format!("127.0.0.1:{port}:80");
    docker(&["run", "-d", "--init", "--name", &holder, "-p", &published, BUSYBOX, "sleep", "600"]);

    let app = App::launch(&[]).await;
    wait_state(&app, &holder, "running").await;
    app.by_role("button", "Run a container…").await.click().await.unwrap();
    let dialog = app.by_role("dialog", "Run a container").await;
    let field = |label: &'static str| app.by_role("textbox", label);
    field("Image").await.send_keys(BUSYBOX).await.unwrap();
    field("Name").await.send_keys(&wanted).await.unwrap();
    field("Ports, one per line").await.send_keys(&published).await.unwrap();
    app.open_advanced().await;
    field("Command").await.send_keys("sleep 600").await.unwrap();
    let run = app.by_role("button", "Run").await;
    app.wait_for("Run to be enabled", || async { run.is_enabled().await.ok()?.then_some(()) })
        .await;
    run.click().await.unwrap();
    let said = format!("host port {port} is already published by {holder}");
    app.wait_for("the holder named on the Ports field", || async {
        app.text(&dialog).await.contains(&said).then_some(())
    })
    .await;
    assert!(try_docker(&["inspect", &wanted]).is_none(), "nothing was made");
    app.quit().await;
}
