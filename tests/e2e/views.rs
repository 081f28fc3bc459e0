//! Images, networks and volumes views list what the CLI made; the keyboard reaches every row.

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
    // Made once this test has the app's turn: another test's prune cannot take them meanwhile.
    let app = App::launch(&[]).await;
    let subnet = format!("10.214.{}.0/24", std::process::id() % 250);
    docker(&["network", "create", "--subnet", &subnet, &net]);
    docker(&["volume", "create", &vol]);
    let nav = |name: &'static str| {
        let app = &app;
        async move { app.by_role("button", name).await.click().await.unwrap() }
    };

    nav("Images").await;
    // One row per image: the new tag joins the test image's row.
    let row = app.by_role_containing("row", &format!("{repo}:v1")).await;
    let name = row.attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(name.contains(BUSYBOX), "both tags name the row: {name}");
    assert!(app.text(&row).await.contains("+1"), "the second tag counted");
    let search = app.by_role("searchbox", "Filter images").await;
    search.send_keys(&repo).await.unwrap();
    app.wait_for("only the matching image", || async {
        let mut names = Vec::new();
        for row in app.query("row", "", true).await {
            // The header row has no name of its own.
            if let Some(name) = row.attr("aria-label").await.ok()? {
                names.push(name);
            }
        }
        (names.len() == 1 && names[0].contains(&repo)).then_some(())
    })
    .await;

    nav("Networks").await;
    let row = app.by_role("row", &net).await;
    let text = app.text(&row).await;
    assert!(text.contains(&subnet), "{text}");

    nav("Volumes").await;
    // Other volumes (anonymous ones sort first) may fill the view: filter to this one.
    app.by_role("searchbox", "Filter volumes").await.send_keys(&vol).await.unwrap();
    let row = app.by_role("row", &vol).await;
    assert!(app.text(&row).await.contains("unused"));
    // A container that mounts it, created from the CLI while the view is open.
    docker(&["create", "--name", &user, "-v", &format!("{vol}:/data"), BUSYBOX]);
    app.wait_for("the volume to count its container", || async {
        let row = app.try_by_role("row", &vol).await?;
        app.text(&row).await.contains(&user).then_some(())
    })
    .await;

    nav("Containers").await;
    app.by_role("row", &user).await;
    app.quit().await;
}

/// The keyboard alone: Tab reaches the list, the arrow keys move between rows, Enter opens one,
/// Escape closes what it opened and focus is back on the row.
#[tokio::test(flavor = "multi_thread")]
async fn rows_are_reached_and_opened_with_the_keyboard() {
    const DOWN: &str = "\u{E015}";
    const ENTER: &str = "\u{E007}";
    const ESCAPE: &str = "\u{E00C}";
    let mut cleanup = Cleanup::default();
    // Two rows at least, the newest first: `name`, then `older`.
    let (older, name) = (unique("keys-older"), unique("keys"));
    for n in [&older, &name] {
        cleanup.container(n);
        docker(&["create", "--name", n, BUSYBOX]);
    }
    let app = App::launch(&[]).await;
    let row = app.by_role("row", &name).await;
    // The focused element's accessible name and row index.
    let focused = || async {
        let v = app
            .client
            .execute(
                "const e = document.activeElement; return [e.getAttribute('aria-label'), Number(e.getAttribute('aria-rowindex'))];",
                vec![],
            )
            .await
            .unwrap();
        (v[0].as_str().unwrap_or_default().to_string(), v[1].as_u64().unwrap_or(0))
    };
    // Focus the row, as Tab would, then move down one.
    app.client
        .execute("arguments[0].focus();", vec![serde_json::to_value(&row).unwrap()])
        .await
        .unwrap();
    let (label, at) = focused().await;
    assert_eq!(label, name);
    row.send_keys(DOWN).await.unwrap();
    let next = app
        .wait_for("the next row to have focus", || async {
            let (label, now) = focused().await;
            (now == at + 1).then_some(label)
        })
        .await;
    // Enter opens the focused row's details beside the list, focus staying on the row; Escape
    // closes them.
    let below = app.by_role("row", &next).await;
    below.send_keys(ENTER).await.unwrap();
    app.by_role("region", &format!("Details of {next}")).await;
    assert_eq!(focused().await.0, next);
    below.send_keys(ESCAPE).await.unwrap();
    app.wait_for("the details to close, focus still on the row", || async {
        (app.try_by_role("region", &format!("Details of {next}")).await.is_none()
            && focused().await.0 == next)
            .then_some(())
    })
    .await;
    app.quit().await;
}
