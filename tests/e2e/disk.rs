//! Disk usage and clean-up in the real window: the Disk view shows each kind's space; Clean up
//! lists a dangling image and a stopped container, removes them (and only what stays ticked),
//! and the docker CLI confirms.

use crate::cli::{docker, try_docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;

#[tokio::test(flavor = "multi_thread")]
async fn clean_up_lists_and_removes_a_dangling_image_and_a_stopped_container() {
    let mut cleanup = Cleanup::default();
    let (stopped, source) = (unique("cleanup-stopped"), unique("cleanup-src"));
    cleanup.container(&stopped);
    cleanup.container(&source);
    docker(&["create", "--name", &stopped, BUSYBOX, "true"]);
    docker(&["run", "--name", &source, BUSYBOX, "sh", "-c", &format!("echo {source} > /made")]);
    let dangling = docker(&["commit", &source]);
    cleanup.image(&dangling);
    docker(&["rm", &source]);
    let short: String = dangling.trim_start_matches("sha256:").chars().take(12).collect();

    let app = App::launch(&[]).await;
    app.by_role("button", "Disk").await.click().await.unwrap();
    app.by_role_containing("group", "Containers: ").await;
    app.by_role("table", "Images by size").await;
    app.by_role("button", "Clean up…").await.click().await.unwrap();
    app.by_role("dialog", "Clean up").await;
    // Only the kinds this test made, and of those only its own.
    for other in ["Unused networks", "Build cache not in use"] {
        app.by_role_containing("checkbox", other).await.click().await.unwrap();
    }
    let ours = [format!("Remove {stopped}"), format!("Remove {short}")];
    app.by_role("checkbox", &ours[0]).await;
    app.by_role("checkbox", &ours[1]).await;
    for cb in app.query("checkbox", "Remove ", true).await {
        let label = cb.attr("aria-label").await.unwrap().unwrap_or_default();
        if !ours.contains(&label) && cb.is_selected().await.unwrap() {
            cb.click().await.unwrap();
        }
    }
    let confirm = app.by_role_containing("button", "Remove 2 items, free about").await;
    confirm.click().await.unwrap();
    app.by_role_containing("status", "Removed 2 items and freed").await;
    assert!(try_docker(&["inspect", &stopped]).is_none(), "{stopped} is gone");
    assert!(try_docker(&["image", "inspect", &dangling]).is_none(), "{short} is gone");
    assert!(try_docker(&["image", "inspect", BUSYBOX]).is_some());
    app.quit().await;
}
