//! Credentials and registries, against the password registry the test command starts on
//! 127.0.0.1:5001 (user `berth`, a password made at set-up) and the open one on :5000: logging
//! in as the docker CLI would (in `auths`, or through a credential helper this test writes),
//! pushing and pulling with per-layer progress, the typed reasons a pull fails, one transfer
//! for two asks, and a cancelled pull that leaves no image.

use std::path::{Path, PathBuf};

use berth::engine::credentials::{self, Credential};
use berth::engine::images::search;
use berth::engine::images::{self, Direction, LayerPhase, PullProgress, Transfers};
use berth::engine::spec::ImageRef;
use berth::engine::ErrorCode;

use crate::common::{connected_engine, docker, unique, Cleanup, BUSYBOX, LAYERS};

const AUTH_REGISTRY: &str = "127.0.0.1:5001";

/// The password the test command made for the password registry.
fn password() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/berth-env/auth-registry/password");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|_| {
            panic!(
                "no {}: run the tests with scripts/test.sh (it starts the password registry)",
                path.display()
            )
        })
        .trim()
        .to_string()
}

fn config(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("config.json")).unwrap()).unwrap()
}

fn reference(r: &str) -> ImageRef {
    ImageRef::parse(r).unwrap()
}

/// A new image with a layer of its own, tagged `tag`.
fn make_image(tag: &str, bytes: usize) {
    let maker = unique("maker");
    let script = format!("head -c {bytes} /dev/urandom > /blob");
    docker(&["run", "--name", &maker, BUSYBOX, "sh", "-c", &script]);
    docker(&["commit", &maker, tag]);
    docker(&["rm", &maker]);
}

#[tokio::test]
async fn login_checks_the_registry_and_keeps_credentials_as_the_cli_does() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("config.json"), r#"{"detachKeys": "ctrl-x,x"}"#).unwrap();
    let e = credentials::login(d, AUTH_REGISTRY, "berth", "wrong").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AuthFailed, "{e}");
    assert!(!e.message.contains("wrong"), "the secret is never in an error: {e}");
    assert!(config(d).get("auths").is_none(), "nothing kept after a refusal");
    let e = credentials::login(d, "127.0.0.1:5009", "berth", "x").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::RegistryUnreachable, "{e}");

    let login = credentials::login(d, AUTH_REGISTRY, "berth", &password()).await.unwrap();
    assert_eq!((login.server.as_str(), login.username.as_str()), (AUTH_REGISTRY, "berth"));
    let v = config(d);
    assert_eq!(v["detachKeys"], "ctrl-x,x", "keys Berth does not own are kept");
    let auth = v["auths"][AUTH_REGISTRY]["auth"].as_str().unwrap().to_string();
    // The docker CLI reads what Berth wrote: it logs out of it.
    let out = std::process::Command::new("docker")
        .args(["--config", d.to_str().unwrap(), "logout", AUTH_REGISTRY])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(config(d)["auths"].get(AUTH_REGISTRY).is_none(), "the CLI removed {auth}");
    assert!(credentials::get(d, AUTH_REGISTRY).await.unwrap().is_none());
}

/// A credential helper as the docker CLI runs one: `docker-credential-NAME get|store|erase|list`
/// with JSON on stdin and stdout, keeping its entries in a file beside it and writing the
/// environment it was given.
fn write_helper(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let store = dir.join("helper-store.json");
    let env = dir.join("helper-env.txt");
    let script = format!(
        r#"#!/usr/bin/python3
import json, os, sys
store, verb = {store:?}, sys.argv[1]
open({env:?}, "w").write("\n".join(sorted(os.environ)))
data = json.load(open(store)) if os.path.exists(store) else {{}}
if verb == "store":
    c = json.load(sys.stdin); data[c["ServerURL"]] = c; json.dump(data, open(store, "w"))
elif verb == "get":
    url = sys.stdin.read().strip()
    if url not in data:
        print("credentials not found in native keychain"); sys.exit(1)
    print(json.dumps(data[url]))
elif verb == "erase":
    data.pop(sys.stdin.read().strip(), None); json.dump(data, open(store, "w"))
elif verb == "list":
    print(json.dumps({{k: v["Username"] for k, v in data.items()}}))
"#
    );
    let path = bin.join("docker-credential-berthtest");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    bin
}

#[tokio::test]
async fn a_credential_helper_keeps_the_secret_and_runs_with_a_clean_environment() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bin = write_helper(d);
    // Found on PATH, as the CLI finds it; the extra directory does no harm to other tests.
    let path = std::env::var("PATH").unwrap_or_default();
    if !path.split(':').any(|p| Path::new(p) == bin) {
        std::env::set_var("PATH", format!("{path}:{}", bin.display()));
    }
    std::env::set_var("BERTH_TEST_NOT_FOR_HELPERS", "1");
    std::fs::write(d.join("config.json"), r#"{"credHelpers": {"127.0.0.1:5001": "berthtest"}}"#)
        .unwrap();

    let login = credentials::login(d, AUTH_REGISTRY, "berth", &password()).await.unwrap();
    assert_eq!(login.helper.as_deref(), Some("berthtest"));
    let kept = std::fs::read_to_string(d.join("helper-store.json")).unwrap();
    assert!(kept.contains(&password()), "the helper has the secret");
    let v = config(d);
    assert_eq!(v["auths"][AUTH_REGISTRY], serde_json::json!({}), "no secret in config.json");
    let env = std::fs::read_to_string(d.join("helper-env.txt")).unwrap();
    assert!(!env.contains("BERTH_TEST_NOT_FOR_HELPERS") && env.contains("PATH"), "{env}");

    let got = credentials::get(d, AUTH_REGISTRY).await.unwrap().unwrap();
    assert_eq!(got, Credential::new(AUTH_REGISTRY, "berth", &password()));
    let logins = credentials::logins(d).await.unwrap();
    assert_eq!(logins.len(), 1, "{logins:?}");
    credentials::erase(d, AUTH_REGISTRY).await.unwrap();
    assert!(credentials::get(d, AUTH_REGISTRY).await.unwrap().is_none());
}

#[tokio::test]
async fn push_and_pull_with_credentials_layer_by_layer_and_typed_failures() {
    let _layers = LAYERS.lock().await;
    let (engine, _sub, _run) = connected_engine().await;
    let api = engine.docker().unwrap();
    let mut cleanup = Cleanup::default();
    let tag = format!("{AUTH_REGISTRY}/{}:1", unique("pushed"));
    cleanup.image(&tag);
    make_image(&tag, 200_000);
    let cred = Credential::new(AUTH_REGISTRY, "berth", &password());
    let r = reference(&tag);

    // Without credentials the registry refuses, and says so.
    let e = images::push(&engine.raw().unwrap(), &r, None, |_| {}).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AuthFailed, "{e}");

    let mut seen: Vec<PullProgress> = Vec::new();
    images::push(&engine.raw().unwrap(), &r, Some(cred.clone()), |p| seen.push(p.clone()))
        .await
        .unwrap();
    let last = seen.last().expect("push progress");
    assert!(last.layers.len() >= 2 && last.layers.iter().all(|l| l.phase == LayerPhase::Done));
    assert!(
        seen.iter().any(|p| p.layers.iter().any(|l| l.phase == LayerPhase::Transferring)),
        "the new layer was pushed with bytes counted"
    );

    docker(&["rmi", &tag]);
    let e = images::pull(&api, &r, None, |_| {}).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AuthFailed, "{e}");
    let wrong = Credential::new(AUTH_REGISTRY, "berth", "wrong");
    let e = images::pull(&api, &r, Some(wrong), |_| {}).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AuthFailed, "{e}");

    let mut seen: Vec<PullProgress> = Vec::new();
    images::pull(&api, &r, Some(cred.clone()), |p| seen.push(p.clone())).await.unwrap();
    assert!(!docker(&["images", "-q", &tag]).is_empty(), "pulled back");
    // Each layer went forward through its phases, never back.
    let order = |p: LayerPhase| p as u8;
    let ids: Vec<String> = seen.last().unwrap().layers.iter().map(|l| l.id.clone()).collect();
    for id in &ids {
        let phases: Vec<u8> = seen
            .iter()
            .filter_map(|p| p.layers.iter().find(|l| &l.id == id).map(|l| order(l.phase)))
            .collect();
        assert!(phases.windows(2).all(|w| w[0] <= w[1]), "{id}: {phases:?}");
        assert_eq!(*phases.last().unwrap(), order(LayerPhase::Done));
    }

    let no_tag = reference(&tag.replace(":1", ":nope"));
    let e = images::pull(&api, &no_tag, Some(cred.clone()), |_| {}).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::TagMissing, "{e}");
    assert!(e.message.contains("it has 1"), "names the tags it has: {e}");
    let no_repo = reference(&format!("{AUTH_REGISTRY}/{}:1", unique("absent")));
    let e = images::pull(&api, &no_repo, Some(cred), |_| {}).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound, "{e}");
    let nowhere = reference("127.0.0.1:5009/nothing:1");
    let e = images::pull(&api, &nowhere, None, |_| {}).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::RegistryUnreachable, "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_asks_share_one_pull_and_a_cancelled_pull_leaves_no_image() {
    let _layers = LAYERS.lock().await;
    let (engine, _sub, _run) = connected_engine().await;
    let mut cleanup = Cleanup::default();
    let tag = format!("127.0.0.1:5000/{}:1", unique("big"));
    cleanup.image(&tag);
    make_image(&tag, 60_000_000);
    docker(&["push", &tag]);
    docker(&["rmi", &tag]);
    let transfers = Transfers::default();

    // Cancelled as soon as it starts: the big layer never arrives whole.
    let t2 = transfers.clone();
    let r = reference(&tag);
    let (docker_api, raw) = (engine.docker().unwrap(), engine.raw().unwrap());
    let mut cancelled = false;
    let e = transfers
        .run(docker_api.clone(), raw.clone(), Direction::Pull, r.clone(), None, |_| {
            if !cancelled {
                cancelled = t2.cancel(Direction::Pull, &r);
            }
        })
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled, "{e}");
    assert_eq!(transfers.running(), 0);
    assert!(docker(&["images", "-q", &tag]).is_empty(), "no half image");

    // Two asks at once: one transfer, both told how it ended.
    let ask = || {
        let (t, d, raw, r) = (transfers.clone(), docker_api.clone(), raw.clone(), r.clone());
        async move {
            let mut saw = 0;
            let out = t.run(d, raw, Direction::Pull, r, None, |_| saw += 1).await;
            (out, saw)
        }
    };
    let watch = async {
        let mut most = 0;
        while transfers.running() > 0 || most == 0 {
            most = most.max(transfers.running());
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        most
    };
    let ((a, saw_a), (b, saw_b), most) = tokio::join!(ask(), ask(), watch);
    assert_eq!(a.unwrap(), tag);
    assert_eq!(b.unwrap(), tag);
    assert_eq!(most, 1, "one transfer for both");
    assert!(saw_a > 0 && saw_b > 0, "both followed its progress");
    assert!(!docker(&["images", "-q", &tag]).is_empty());
}

#[tokio::test]
async fn search_finds_repositories_in_registries_and_says_when_docker_hub_is_out_of_reach() {
    let api = crate::common::engine().await;
    let mut cleanup = Cleanup::default();
    let name = unique("findable");
    let reference = crate::common::push_to_registry(&name);
    cleanup.image(&reference);
    let found = search::in_registry(None, "127.0.0.1:5000", &name).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].reference, format!("127.0.0.1:5000/{name}"));
    assert_eq!(search::tags(None, "127.0.0.1:5000", &name).await.unwrap(), ["v1"]);

    // The password registry lists its catalog only with the credentials the config keeps.
    let dir = tempfile::tempdir().unwrap();
    let e = search::in_registry(Some(dir.path()), AUTH_REGISTRY, "").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AuthFailed, "{e}");
    credentials::store(dir.path(), &Credential::new(AUTH_REGISTRY, "berth", &password()))
        .await
        .unwrap();
    search::in_registry(Some(dir.path()), AUTH_REGISTRY, "").await.unwrap();

    // Docker Hub through the engine: found, or (with no way out, as on the test machines)
    // its own code rather than an engine failure.
    match search::hub(&api, "busybox").await {
        Ok(results) => assert!(results.iter().any(|r| r.reference == "busybox" && r.official)),
        Err(e) => assert_eq!(e.code, ErrorCode::RegistryUnreachable, "{e}"),
    }
}
