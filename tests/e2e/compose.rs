//! A compose project by mouse, checked with the docker CLI: brought up from its file through
//! Berth (the machine's compose program: Debian's docker-compose 1.29 here), stopped and started
//! as one, its logs read with one service hidden, taken down with its named volume kept, then up
//! again and down with the volume, after the second confirmation naming it.

use std::path::PathBuf;

use crate::cli::{docker, try_docker, unique, BUSYBOX};
use crate::harness::App;

const FILE: &str = "version: \"3.7\"
services:
  web:
    image: IMAGE
    init: true
    command: [\"sh\", \"-c\", \"echo web is serving; exec httpd -f -p 80\"]
    volumes: [\"data:/data\"]
  worker:
    image: IMAGE
    init: true
    command: [\"sh\", \"-c\", \"echo worker is waiting; exec sleep 600\"]
volumes:
  data: {}
";

/// The project's folder; everything compose made is taken down when dropped.
struct Folder(PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let file = self.0.join("docker-compose.yml");
        let _ = std::process::Command::new("docker-compose")
            .args(["-f", &file.display().to_string(), "down", "-v"])
            .current_dir(&self.0)
            .output();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The states of the project's containers as the CLI sees them, sorted.
fn states(dir: &str) -> Vec<String> {
    let filter = format!("label=com.docker.compose.project.working_dir={dir}");
    let mut v: Vec<String> = docker(&["ps", "-a", "--format", "{{.State}}", "--filter", &filter])
        .lines()
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

async fn up_from_the_file(app: &App, file: &str) {
    app.by_role("button", "Projects").await.click().await.unwrap();
    app.by_role("button", "Open a compose file…").await.click().await.unwrap();
    app.by_role("dialog", "Open a compose file").await;
    app.by_role("textbox", "Compose file").await.send_keys(file).await.unwrap();
    app.by_role_containing("paragraph", "docker-compose").await;
    app.by_role("button", "Up").await.click().await.unwrap();
    // Found by its text in one query: a status read after being found may be gone already.
    app.by_role("status", "Finished.").await;
    let output = app.by_role("log", "Output of compose").await;
    assert!(app.text(&output).await.contains("web"), "compose printed what it made");
    app.by_role("button", "Close").await.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_compose_project_up_stop_start_and_down_by_mouse() {
    let folder = Folder(std::env::temp_dir().join(unique("shop")));
    std::fs::create_dir_all(&folder.0).unwrap();
    let file = folder.0.join("docker-compose.yml");
    std::fs::write(&file, FILE.replace("IMAGE", BUSYBOX)).unwrap();
    let (dir, file) = (folder.0.display().to_string(), file.display().to_string());

    let app = App::launch(&[]).await;
    up_from_the_file(&app, &file).await;
    assert_eq!(states(&dir), ["running", "running"]);
    let filter = format!("label=com.docker.compose.project.working_dir={dir}");
    let project = docker(&[
        "ps",
        "-a",
        "--format",
        "{{.Label \"com.docker.compose.project\"}}",
        "--filter",
        &filter,
    ]);
    let project = project.lines().next().unwrap().to_string();
    let volume = format!("{project}_data");
    assert!(try_docker(&["volume", "inspect", &volume]).is_some());

    let row = app.by_role("row", &format!("Project {project}")).await;
    app.wait_for("2 of 2 running", || async {
        app.text(&row).await.contains("2 of 2").then_some(())
    })
    .await;
    app.by_role("button", &format!("Stop project {project}")).await.click().await.unwrap();
    app.wait_for("the CLI to see it stopped", || async {
        (states(&dir) == ["exited", "exited"]).then_some(())
    })
    .await;
    // Partly running (one service started by the CLI), the row offers all four actions.
    let web = docker(&[
        "ps",
        "-aq",
        "--filter",
        &filter,
        "--filter",
        "label=com.docker.compose.service=web",
    ]);
    docker(&["start", &web]);
    app.wait_for("1 of 2 running", || async {
        app.text(&row).await.contains("1 of 2").then_some(())
    })
    .await;
    for verb in ["Start", "Stop", "Open", "Down"] {
        let label = format!("{verb} project {project}");
        assert!(app.button_reachable(&label).await, "{label} is on screen and not covered");
    }
    app.by_role("button", &format!("Start project {project}")).await.click().await.unwrap();
    app.wait_for("the CLI to see it running", || async {
        (states(&dir) == ["running", "running"]).then_some(())
    })
    .await;
    // The row's buttons move while it catches up (Start and Stop both show at 1 of 2): a click
    // then lands on whatever has moved under it.
    let (start, stop) = (format!("Start project {project}"), format!("Stop project {project}"));
    app.wait_for("the row to show it running", || async {
        let settled = app.text(&row).await.contains("2 of 2")
            && app.try_by_role("button", &stop).await.is_some()
            && app.try_by_role("button", &start).await.is_none();
        settled.then_some(())
    })
    .await;

    // Its page: services, files, volumes.
    app.by_role("button", &format!("Open project {project}")).await.click().await.unwrap();
    let page = app.by_role("dialog", &format!("Project {project}")).await;
    let text = app.text(&page).await;
    assert!(text.contains(&file) && text.contains(&volume) && text.contains("worker"), "{text}");
    app.shot("project-page").await;

    // Its logs: titled by the project, one line from each service, and each service toggled.
    app.by_role("button", "Logs").await.click().await.unwrap();
    let log = app.by_role("log", &format!("Log of project {project}")).await;
    app.wait_for("a line from each service", || async {
        let text = app.text(&log).await;
        (text.contains("web is serving") && text.contains("worker is waiting")).then_some(())
    })
    .await;
    app.by_role("group", &format!("Services of {project} shown")).await;
    app.by_role("checkbox", "worker").await.click().await.unwrap();
    app.wait_for("the worker's lines to be hidden", || async {
        let text = app.text(&log).await;
        (text.contains("web is serving") && !text.contains("worker is waiting")).then_some(())
    })
    .await;
    app.shot("project-logs").await;
    app.by_role("button", "Close the logs").await.click().await.unwrap();
    app.by_role("button", "Projects").await.click().await.unwrap();

    // Down, volumes kept.
    app.by_role("button", &format!("Down project {project}")).await.click().await.unwrap();
    app.by_role("dialog", &format!("Take {project} down?")).await;
    app.by_role("button", &format!("Down {project}")).await.click().await.unwrap();
    app.wait_for("the containers to go", || async { states(&dir).is_empty().then_some(()) }).await;
    assert!(
        try_docker(&["volume", "inspect", &volume]).is_some(),
        "the named volume survives down"
    );
    app.wait_for("the project to leave the list", || async {
        app.try_by_role("row", &format!("Project {project}")).await.is_none().then_some(())
    })
    .await;

    // Up again, down with the volume: asked a second time, by name.
    up_from_the_file(&app, &file).await;
    app.by_role("button", &format!("Down project {project}")).await.click().await.unwrap();
    app.by_role("dialog", &format!("Take {project} down?")).await;
    app.by_role_containing("checkbox", "Also remove its volumes").await.click().await.unwrap();
    app.by_role("button", &format!("Down {project}")).await.click().await.unwrap();
    app.by_role("dialog", &format!("Delete the volumes of {project}?")).await;
    assert!(
        try_docker(&["volume", "inspect", &volume]).is_some(),
        "nothing goes before the second yes"
    );
    app.by_role("button", &format!("Delete {volume}")).await.click().await.unwrap();
    app.wait_for("the volume to go", || async {
        try_docker(&["volume", "inspect", &volume]).is_none().then_some(())
    })
    .await;
    assert!(states(&dir).is_empty());
    app.quit().await;
}
