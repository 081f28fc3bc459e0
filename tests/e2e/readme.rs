//! The views the README shows, on a scene like a developer's: a compose project, a site with a
//! published port, a migration that failed, a container not started yet. The test checks what
//! each view says about them; with `BERTH_README_SHOTS=<dir>` set it also saves the pictures the
//! README uses and each main view in both themes (`bash scripts/screenshots.sh` writes them to
//! `docs/screenshots/`).

use std::path::PathBuf;
use std::process::Command;

use crate::cli::{docker, try_docker, Cleanup, BUSYBOX};
use crate::harness::App;
use crate::live::wait_state;

const WEB: &str = "berth-test/web:latest";
const API_LOG: &str = r#"i=0; while :; do
  printf '\033[2m%s\033[0m \033[36mGET\033[0m /api/orders/%d \033[32m200\033[0m %dms\n' "$(date +%T)" $i $((i % 13 + 4));
  [ $((i % 6)) -eq 2 ] && echo "warn: slow query on orders ($i)" >&2;
  i=$((i+1)); sleep 0.3; done"#;

fn shot(name: &str) {
    let Some(dir) = std::env::var_os("BERTH_README_SHOTS") else { return };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    let ok = Command::new("import").args(["-window", "root"]).arg(&path).status().unwrap();
    assert!(ok.success(), "import could not save {}", path.display());
}

/// Save `name` as shown, then the same in the other theme as `name-light` or `name-dark` (the
/// page repainted in it; the setting is left as it was).
async fn both_themes(app: &App, name: &str) {
    if std::env::var_os("BERTH_README_SHOTS").is_none() {
        return;
    }
    // Two frames: what the page holds is laid out and painted.
    let frames = "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));";
    app.client.execute_async(frames, vec![]).await.unwrap();
    shot(name);
    let flip = "const r = document.documentElement; const was = r.dataset.theme; \
                r.dataset.theme = was === 'dark' ? 'light' : 'dark'; return [was, r.dataset.theme];";
    let themes = app.client.execute(flip, vec![]).await.unwrap();
    let other = themes[1].as_str().unwrap_or("dark").to_string();
    app.client.execute_async(frames, vec![]).await.unwrap();
    shot(&format!("{name}-{other}"));
    app.client
        .execute("document.documentElement.dataset.theme = arguments[0];", vec![themes[0].clone()])
        .await
        .unwrap();
    app.client.execute_async(frames, vec![]).await.unwrap();
}

/// Show only the containers matching `text` (all for "").
async fn filter(app: &App, text: &str) {
    let field = app.by_role("searchbox", "Filter containers").await;
    field.clear().await.unwrap();
    // WebKit's clear() sends the page no input event: a key and its removal do.
    field.send_keys(&format!(" \u{E003}{text}")).await.unwrap();
}

async fn theme(app: &App, theme: &str) {
    app.by_role("button", "Settings").await.click().await.unwrap();
    app.by_role("radio", theme).await.click().await.unwrap();
    let want = theme.to_lowercase();
    app.wait_for(&format!("the {want} theme"), || async {
        let now = app
            .client
            .execute("return document.documentElement.dataset.theme;", vec![])
            .await
            .ok()?;
        (now == want.as_str()).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_main_views_as_the_readme_shows_them() {
    let mut cleanup = Cleanup::default();
    let names =
        ["shop-web-1", "shop-api-1", "shop-db-1", "docs-preview", "migrate-once", "scratch"];
    for n in names {
        let _ = try_docker(&["rm", "-f", n]);
        cleanup.container(n);
    }
    // The project's own network, as compose would make it.
    let _ = try_docker(&["network", "rm", "shop_default"]);
    docker(&["network", "create", "--label", "com.docker.compose.project=shop", "shop_default"]);
    cleanup.network("shop_default");
    let project = |service: &str| {
        ["-l".to_string(), "com.docker.compose.project=shop".to_string()]
            .into_iter()
            .chain(["-l".to_string(), format!("com.docker.compose.service={service}")])
            .chain(["--network".to_string(), "shop_default".to_string()])
            .collect::<Vec<_>>()
    };
    let run = |name: &str, extra: Vec<String>, image: &str, cmd: &[&str]| {
        let mut args = vec!["run", "-d", "--init", "--name", name];
        args.extend(extra.iter().map(String::as_str));
        args.push(image);
        args.extend(cmd);
        docker(&args);
    };
    let mut web = project("web");
    web.extend(["-p".into(), "127.0.0.1::80".into()]);
    run("shop-web-1", web, WEB, &[]);
    run("shop-api-1", project("api"), BUSYBOX, &["sh", "-c", API_LOG]);
    run("shop-db-1", project("db"), BUSYBOX, &["sleep", "86400"]);
    run("docs-preview", vec!["-p".into(), "127.0.0.1::80".into()], WEB, &[]);
    run("migrate-once", vec![], BUSYBOX, &["sh", "-c", "echo migrating; exit 3"]);
    docker(&["wait", "migrate-once"]);
    docker(&["create", "--name", "scratch", BUSYBOX, "sh"]);

    let app = App::launch(&[]).await;
    app.wait_connected().await;
    app.client.set_window_size(1280, 800).await.unwrap();

    // Containers, light: the project folds its three services, every state reads as the CLI's.
    theme(&app, "Light").await;
    app.by_role("button", "Containers").await.click().await.unwrap();
    app.by_role_containing("radio", "All").await.click().await.unwrap();
    // The engine may hold more containers than the window draws: look at each through the filter.
    filter(&app, "shop").await;
    let group = app.by_role("row", "Compose project shop").await;
    app.wait_for("the project to count its services", || async {
        app.text(&group).await.contains("3 of 3 running").then_some(())
    })
    .await;
    filter(&app, "migrate-once").await;
    wait_state(&app, "migrate-once", "exited").await;
    let failed = app.text(&app.by_role("row", "migrate-once").await).await;
    assert!(failed.contains("Exited (3)"), "the exit code shows: {failed}");
    filter(&app, "scratch").await;
    wait_state(&app, "scratch", "created").await;
    filter(&app, "docs-preview").await;
    let port = docker(&["port", "docs-preview", "80/tcp"]);
    let preview = app.text(&app.by_role("row", "docs-preview").await).await;
    assert!(preview.contains(&port.replace("0.0.0.0", "")), "{port} in {preview}");
    filter(&app, "").await;
    both_themes(&app, "containers").await;
    // The failed migration's details beside the list: its exit code and its last lines.
    app.by_role("button", "Details of migrate-once").await.click().await.unwrap();
    app.by_role("region", "Last lines").await;
    both_themes(&app, "details").await;
    app.by_role("button", "Close details").await.click().await.unwrap();

    // The overview and the disk, light (and dark).
    app.by_role("button", "Overview").await.click().await.unwrap();
    app.by_role_containing("heading", "Overview").await;
    app.wait_for("the top five to be measured", || async {
        let main = app.client.find(fantoccini::Locator::Css("main")).await.ok()?;
        (!app.text(&main).await.contains("Measuring")).then_some(())
    })
    .await;
    both_themes(&app, "overview").await;
    app.by_role("button", "Images").await.click().await.unwrap();
    app.by_role("table", "Images").await;
    both_themes(&app, "images").await;
    app.by_role("button", "Disk").await.click().await.unwrap();
    app.by_role_containing("heading", "Disk").await;
    both_themes(&app, "disk").await;

    // Logs, dark: colours drawn, stderr marked, following.
    theme(&app, "Dark").await;
    app.by_role("button", "Containers").await.click().await.unwrap();
    filter(&app, "shop-api").await;
    app.by_role("button", "Logs of shop-api-1").await.click().await.unwrap();
    let log = app.by_role("log", "Log of shop-api-1").await;
    app.wait_for("a warning and twenty requests", || async {
        let text = app.text(&log).await;
        // The view shows its last rows: wait for request 20 or any later one.
        let latest = text
            .split("/api/orders/")
            .skip(1)
            .filter_map(|rest| rest.split(' ').next()?.parse::<u32>().ok())
            .max()?;
        (text.contains("warn: slow query") && latest >= 20).then_some(())
    })
    .await;
    both_themes(&app, "logs").await;

    // The run dialog, light: fields checked as typed, and the docker run line.
    theme(&app, "Light").await;
    app.by_role("button", "Containers").await.click().await.unwrap();
    app.by_role("button", "Run a container…").await.click().await.unwrap();
    app.by_role("dialog", "Run a container").await;
    app.by_role("textbox", "Image").await.send_keys(WEB).await.unwrap();
    app.by_role("textbox", "Name").await.send_keys("docs-next").await.unwrap();
    let ports = app.by_role("textbox", "Ports, one per line").await;
    ports.send_keys("127.0.0.1:8080:80").await.unwrap();
    let env = app.by_role("textbox", "Environment, one per line (KEY=value)").await;
    env.send_keys("SITE_TITLE=Docs preview").await.unwrap();
    let dialog = app.by_role("dialog", "Run a container").await;
    let line = "docker run -d --name docs-next -p 127.0.0.1:8080:80 -e 'SITE_TITLE=Docs preview'";
    app.wait_for("the docker run line", || async {
        app.text(&dialog).await.contains(line).then_some(())
    })
    .await;
    // The check answers after each key: wait for the last answer before the picture.
    app.wait_for("the check to settle", || async {
        (!app.text(&dialog).await.contains("Checking")).then_some(())
    })
    .await;
    both_themes(&app, "run").await;
    ports.send_keys("\u{E007}9000:99999").await.unwrap();
    app.wait_for("the bad port to be named", || async {
        app.text(&dialog).await.contains("99999").then_some(())
    })
    .await;
    assert_eq!(ports.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    let run = app.by_role("button", "Run").await;
    assert!(!run.is_enabled().await.unwrap(), "a bad port keeps Run disabled");
    app.by_role("button", "Cancel").await.click().await.unwrap();

    // The map, light: the project boxed with its network, the rest on the default bridge.
    app.by_role("button", "Map").await.click().await.unwrap();
    app.by_role_containing("button", "Network shop_default").await;
    let web = app.by_role_containing("button", "Container shop-web-1, running").await;
    let name = web.attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(name.ends_with("on shop_default"), "{name}");
    app.by_role_containing("button", "Container docs-preview, running").await;
    both_themes(&app, "map").await;
    app.quit().await;
}
