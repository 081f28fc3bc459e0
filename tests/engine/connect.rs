//! Connecting negotiates the API version the engine speaks.

use berth::engine::connect::{self, ResolveEnv};

use crate::common::{docker, engine};

#[tokio::test]
async fn negotiates_the_engines_api_version() {
    engine().await;
    let host = connect::resolve(&ResolveEnv::from_process()).unwrap();
    let (_docker, info) = connect::connect(&host).await.map(|c| (c.docker, c.info)).unwrap();
    let server_api = docker(&["version", "--format", "{{.Server.APIVersion}}"]);
    let server_version = docker(&["version", "--format", "{{.Server.Version}}"]);
    let parse = |v: &str| -> (u32, u32) {
        let (a, b) = v.split_once('.').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    };
    // Berth speaks the newest version both sides know: never newer than the engine.
    assert!(parse(&info.api_version) <= parse(&server_api), "{} > {server_api}", info.api_version);
    if parse(&server_api) <= (1, 45) {
        assert_eq!(info.api_version, server_api);
    }
    assert_eq!(info.version, server_version);
    assert!(!info.name.is_empty());
    assert_eq!(info.product, connect::Product::Docker);
}
