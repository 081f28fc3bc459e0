//! Images against the real engine and the local registry: lineage (a base, a `docker commit`
//! child, a `docker build` grandchild, two config-only siblings, a pulled image found by its
//! layers), history, tag and untag, remove refused while used, and a prune that frees what it
//! said it would.

use berth::engine::images::{self, lineage, Image, ImageUsage, Origin};
use berth::engine::ErrorCode;

use crate::common::{
    connected_engine, docker, engine, list_images, push_to_registry, unique, Cleanup, BUSYBOX,
    LAYERS,
};

fn find<'a>(rows: &'a [Image], id: &str) -> &'a Image {
    rows.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("{id} listed"))
}

/// Build `dockerfile` (with an empty context) as `tag`; the image id.
fn build(tag: &str, dockerfile: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    docker(&["build", "-q", "-t", tag, dir.path().to_str().unwrap()]);
    docker(&["image", "inspect", "-f", "{{.Id}}", tag])
}

/// A new image from the test image with a file of `bytes` random bytes; its id.
fn commit_with_file(tag: &str, bytes: usize) -> String {
    let maker = unique("maker");
    let script = format!("head -c {bytes} /dev/urandom > /blob");
    docker(&["run", "--name", &maker, BUSYBOX, "sh", "-c", &script]);
    let id = docker(&["commit", &maker, tag]);
    docker(&["rm", &maker]);
    id
}

#[tokio::test]
async fn lineage_of_a_base_a_commit_child_a_build_grandchild_and_siblings() {
    let _layers = LAYERS.lock().await;
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let [child, grandchild, sib_a, sib_b] =
        ["child", "grandchild", "sib-a", "sib-b"].map(|w| format!("{}:1", unique(w)));
    for t in [&sib_a, &sib_b, &grandchild, &child] {
        cleanup.image(t);
    }
    let base = docker(&["image", "inspect", "-f", "{{.Id}}", BUSYBOX]);
    let child_id = commit_with_file(&child, 16);
    let grandchild_id = build(&grandchild, &format!("FROM {child}\nRUN echo built > /built\n"));
    let a = build(&sib_a, &format!("FROM {grandchild}\nLABEL flavour=a\n"));
    let b = build(&sib_b, &format!("FROM {grandchild}\nLABEL flavour=b\n"));

    let rows = list_images(&api).await;
    assert_eq!(find(&rows, &base).parent, None, "busybox is a base image");
    assert_eq!(find(&rows, &child_id).parent.as_deref(), Some(base.as_str()));
    assert_eq!(find(&rows, &grandchild_id).parent.as_deref(), Some(child_id.as_str()));
    assert!(find(&rows, &base).children.contains(&child_id));
    let g = find(&rows, &grandchild_id);
    assert!(g.children.contains(&a) && g.children.contains(&b), "{g:?}");
    assert_eq!(find(&rows, &a).siblings, std::slice::from_ref(&b), "same layers, same parent");
    assert_eq!(find(&rows, &b).siblings, std::slice::from_ref(&a));
    assert!(g.siblings.is_empty());
    let places: std::collections::HashMap<String, lineage::Place> = rows
        .iter()
        .map(|i| {
            let place = lineage::Place {
                parent: i.parent.clone(),
                children: i.children.clone(),
                siblings: i.siblings.clone(),
            };
            (i.id.clone(), place)
        })
        .collect();
    assert_eq!(lineage::chain(&places, &a), [a.clone(), grandchild_id, child_id, base]);

    // Removing an image others are built on: the engine refuses, and says it is in use.
    let e = images::remove(&api, find(&rows, &find(&rows, &a).parent.clone().unwrap()), false)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InUse, "{e}");
}

#[tokio::test]
async fn a_pulled_image_has_no_parent_field_and_is_placed_by_its_layers() {
    let _layers = LAYERS.lock().await;
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    // Committed, pushed, forgotten: pulled back, the engine keeps no parent for it.
    let reference = push_to_registry(&unique("pulled"));
    cleanup.image(&reference);
    docker(&["pull", "-q", &reference]);
    assert_eq!(docker(&["image", "inspect", "-f", "{{.Parent}}", &reference]), "");
    let id = docker(&["image", "inspect", "-f", "{{.Id}}", &reference]);
    let base = docker(&["image", "inspect", "-f", "{{.Id}}", BUSYBOX]);

    let rows = list_images(&api).await;
    let pulled = find(&rows, &id);
    assert_eq!(pulled.parent.as_deref(), Some(base.as_str()), "found by the layer prefix");
    assert!(!pulled.local_only && pulled.repo_digests.iter().any(|d| d.contains("@sha256:")));
    assert_eq!(pulled.names[0].origin, Origin::Registry);
    assert!(find(&rows, &base).local_only, "the test image was loaded, never pulled");
}

#[tokio::test]
async fn history_tag_untag_and_remove_refused_while_used() {
    let _layers = LAYERS.lock().await;
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let built = format!("{}:1", unique("hist"));
    let more = format!("{}:extra", unique("hist-tag"));
    let user = unique("hist-user");
    cleanup.container(&user);
    cleanup.image(&more);
    cleanup.image(&built);
    let id = build(&built, &format!("FROM {BUSYBOX}\nENV GREETING=hi\nRUN echo x > /x\n"));

    let steps = images::history(&api, &id).await.unwrap();
    assert!(steps[0].created_by.contains("echo x > /x") && !steps[0].empty, "{:?}", steps[0]);
    assert!(steps[1].created_by.contains("GREETING=hi") && steps[1].empty, "{:?}", steps[1]);
    assert_eq!(steps[0].tags, std::slice::from_ref(&built));
    // As many layer-making steps as the image has layers.
    let layers: usize =
        docker(&["image", "inspect", "-f", "{{len .RootFS.Layers}}", &id]).parse().unwrap();
    assert_eq!(steps.iter().filter(|s| !s.empty).count(), layers, "{steps:#?}");

    assert_eq!(images::tag(&api, &id, &more).await.unwrap(), more);
    let e = images::tag(&api, &id, "Not A Tag").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let rows = list_images(&api).await;
    let image = find(&rows, &id);
    assert_eq!(image.names.len(), 2, "one row, both tags: {:?}", image.names);

    docker(&["create", "--name", &user, &built]);
    let rows = list_images(&api).await;
    let e = images::remove(&api, find(&rows, &id), false).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InUse, "{e}");
    assert!(docker(&["images", "-q", "--no-trunc", &built]).contains(&id), "still there");

    images::untag(&api, &more).await.unwrap();
    assert!(docker(&["images", "-q", &more]).is_empty());
    // Forced (the user confirmed the container): the image goes.
    images::remove(&api, find(&rows, &id), true).await.unwrap();
    assert!(docker(&["images", "-q", &built]).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_removes_the_chosen_images_and_frees_what_it_said() {
    let _layers = LAYERS.lock().await;
    let (engine, _sub, _run) = connected_engine().await;
    let tag = format!("{}:1", unique("prune"));
    let mut cleanup = Cleanup::default();
    // The tag moves on twice: the first two images are left dangling, the third keeps it.
    let ids: Vec<String> = (0..3)
        .map(|_| {
            let id = commit_with_file(&tag, 300_000);
            cleanup.image(&id);
            id
        })
        .collect();

    let rows = engine.images().await.unwrap();
    let dangling = images::prune_candidates(&rows, false);
    for id in &ids[..2] {
        assert!(dangling.iter().any(|i| &i.id == id), "{id} is a candidate");
    }
    assert!(!dangling.iter().any(|i| i.id == ids[2]), "a tagged image is not dangling");
    assert!(images::prune_candidates(&rows, true).iter().any(|i| i.id == ids[2]));

    let (usage, _) = images::usage_from_df(&engine.system_df("").await.unwrap());
    let said: i64 =
        usage.iter().filter(|u: &&ImageUsage| ids[..2].contains(&u.id)).map(|u| u.unique).sum();
    assert!(said >= 600_000, "each has a layer of its own: {said}");
    let done = images::prune_measured(&engine, &ids[..2]).await.unwrap();
    assert!(done.removals.iter().all(|r| r.error.is_none()), "{:?}", done.removals);
    assert_eq!(done.freed, said, "freed what it said it would");
    for id in &ids[..2] {
        assert!(docker(&["images", "-q", "--no-trunc"]).lines().all(|l| l != id), "{id} gone");
    }
    assert!(docker(&["images", "-q", "--no-trunc"]).lines().any(|l| l == ids[2]), "kept");
}
