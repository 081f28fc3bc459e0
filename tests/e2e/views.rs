//! Images, networks and volumes views list what the CLI made.

use crate::cli::{docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;

#[tokio::test(flavor = "multi_thread")]
async fn every_view_lists_what_the_cli_made() {
    let mut cleanup = Cleanup::default();
    let repo = unique("e2e-img");
    let net = unique("e2e-net");
    let vol = unique("e2e-vol");
    let user = unique("e2e-user");
    cleanup.container(&user);
    cleanup.network(&net);
    cleanup.volume(&vol);
    cleanup.image(&format!("{repo}:v1"));
    docker(&["tag", BUSYBOX, &format!("{repo}:v1")]);
    let subnet = format!("10.214.{}.0/24", std::process::id() % 250);
    docker(&["network", "create", "--subnet", &subnet, &net]);
    docker(&["volume", "create", &vol]);

    let app = App::launch(&[]).await;
    let nav = |name: &'static str| {
        let app = &app;
        async move { app.by_role("button", name).await.click().await.unwrap() }
    };

    nav("Images").await;
    let row = app.by_role("row", &format!("{repo}:v1")).await;
    assert!(app.text(&row).await.contains("v1"));
    let search = app.by_role("searchbox", "Filter images").await;
    search.send_keys(&repo).await.unwrap();
    app.wait_for("only the matching image", || async {
        app.try_by_role("row", BUSYBOX).await.is_none().then_some(())
    })
    .await;

    nav("Networks").await;
    let row = app.by_role("row", &net).await;
    let text = app.text(&row).await;
    assert!(text.contains(&subnet), "{text}");

    nav("Volumes").await;
    let row = app.by_role("row", &vol).await;
    assert!(app.text(&row).await.contains("unused"));
    // A container that mounts it, created from the CLI while the view is open.
    docker(&["create", "--name", &user, "-v", &format!("{vol}:/data"), BUSYBOX]);
    app.wait_for("the volume to count its container", || async {
        let row = app.try_by_role("row", &vol).await?;
        app.text(&row).await.contains("1 container").then_some(())
    })
    .await;

    nav("Containers").await;
    app.by_role("row", &user).await;
    app.quit().await;
}
