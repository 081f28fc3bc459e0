//! `docker save` and `docker load` through Berth: an image saved to a file, removed, and loaded
//! back has the same id and tag; a file that is not an archive is refused with a clear error.

use berth::engine::images::archive;
use berth::engine::ErrorCode;

use crate::common::{docker, engine, unique, Cleanup, BUSYBOX, LAYERS};

#[tokio::test]
async fn save_then_load_gives_the_same_image() {
    let _layers = LAYERS.lock().await;
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let tag = format!("{}:1", unique("saved"));
    cleanup.image(&tag);
    let maker = unique("maker");
    docker(&["run", "--name", &maker, BUSYBOX, "sh", "-c", "head -c 100000 /dev/urandom > /b"]);
    let id = docker(&["commit", &maker, &tag]);
    docker(&["rm", &maker]);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("saved.tar");
    let mut saved = Vec::new();
    let bytes = archive::save(&api, std::slice::from_ref(&tag), &file, 2e6, |p| saved.push(p))
        .await
        .unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().len(), bytes);
    assert!(saved.last().is_some_and(|p| p.done == bytes as f64), "progress to the end");
    assert!(!dir.path().join("saved.tar.part").exists(), "no partial file left");

    docker(&["rmi", &tag]);
    let mut loading = Vec::new();
    let loaded = archive::load(&api, &file, |p| loading.push(p)).await.unwrap();
    assert_eq!(loaded, std::slice::from_ref(&tag));
    assert_eq!(docker(&["image", "inspect", "-f", "{{.Id}}", &tag]), id, "the same image");
    let last = loading.last().unwrap();
    assert_eq!(last.done, last.total);

    std::fs::write(dir.path().join("not.tar"), "not an archive").unwrap();
    let e = archive::load(&api, &dir.path().join("not.tar"), |_| {}).await.unwrap_err();
    assert!(matches!(e.code, ErrorCode::InvalidInput | ErrorCode::Engine), "{e:?}");
    assert!(e.message.contains("not.tar"), "{e}");
}
