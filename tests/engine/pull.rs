//! Pulling from the local registry (127.0.0.1:5000, started by `scripts/test.sh`): an image the
//! engine did not have arrives with progress; one the registry does not have is a typed error.

use berth::engine::images;
use berth::engine::spec::ImageRef;
use berth::engine::ErrorCode;

use crate::common::{docker, engine, push_to_registry, unique, Cleanup};

#[tokio::test]
async fn pull_brings_an_image_from_the_registry_with_progress() {
    let _layers = crate::common::LAYERS.lock().await;
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let reference = push_to_registry(&unique("pull"));
    cleanup.image(&reference);
    let mut seen = Vec::new();
    let pulled =
        images::pull(&api, &ImageRef::parse(&reference).unwrap(), None, |p| seen.push(p.clone()))
            .await
            .unwrap();
    assert_eq!(pulled, reference);
    // The engine has it now.
    assert!(docker(&["image", "inspect", "-f", "{{.Id}}", &reference]).starts_with("sha256:"));
    let last = seen.last().expect("progress was reported");
    assert!(!last.layers.is_empty() && last.layers_done as usize == last.layers.len(), "{seen:?}");
    assert!(seen.iter().any(|p| p.status.starts_with("Status:")), "{seen:?}");
}

#[tokio::test]
async fn pulling_what_the_registry_lacks_says_so() {
    let api = engine().await;
    let missing = format!("127.0.0.1:5000/{}:nope", unique("absent"));
    let e =
        images::pull(&api, &ImageRef::parse(&missing).unwrap(), None, |_| {}).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound, "{e:?}");
    assert!(e.message.contains(&missing), "{}", e.message);
}
