//! `docker save` and `docker load` through Berth: two images saved to one file, removed, and
//! loaded back have the same ids and tags; a file that is not an archive is refused with a clear error.

use berth::engine::images::archive;
use berth::engine::ErrorCode;

use crate::common::{docker, engine, unique, Cleanup, BUSYBOX, LAYERS};

#[tokio::test]
async fn save_then_load_gives_the_same_image() {
    let _layers = LAYERS.lock().await;
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let [tag, other] = ["saved", "saved-too"].map(|w| format!("{}:1", unique(w)));
    let ids: Vec<String> = [&tag, &other]
        .iter()
        .map(|t| {
            cleanup.image(t);
            let maker = unique("maker");
            let script = "head -c 100000 /dev/urandom > /b";
            docker(&["run", "--name", &maker, BUSYBOX, "sh", "-c", script]);
            let id = docker(&["commit", &maker, t]);
            docker(&["rm", &maker]);
            id
        })
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("saved.tar");
    let mut saved = Vec::new();
    let both = [tag.clone(), other.clone()];
    let bytes = archive::save(&api, &both, &file, 2e6, |p| saved.push(p)).await.unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().len(), bytes);
    assert!(saved.last().is_some_and(|p| p.done == bytes as f64), "progress to the end");
    assert!(!dir.path().join("saved.tar.part").exists(), "no partial file left");

    docker(&["rmi", &tag, &other]);
    let mut loading = Vec::new();
    let mut loaded = archive::load(&api, &file, |p| loading.push(p)).await.unwrap();
    loaded.sort();
    let mut want = both.to_vec();
    want.sort();
    assert_eq!(loaded, want);
    for (t, id) in [&tag, &other].iter().zip(&ids) {
        assert_eq!(&docker(&["image", "inspect", "-f", "{{.Id}}", t]), id, "the same image");
    }
    let last = loading.last().unwrap();
    assert_eq!(last.done, last.total);

    std::fs::write(dir.path().join("not.tar"), "not an archive").unwrap();
    let e = archive::load(&api, &dir.path().join("not.tar"), |_| {}).await.unwrap_err();
    assert!(matches!(e.code, ErrorCode::InvalidInput | ErrorCode::Engine), "{e:?}");
    assert!(e.message.contains("not.tar"), "{e}");
}
