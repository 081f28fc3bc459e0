//! Volumes through Berth's engine layer, checked with the docker CLI: create with options and
//! labels, who uses each, sizes from `/system/df` on this engine's API, remove refused while in
//! use, and a prune that removes the anonymous set it showed (named ones only when asked).

use berth::engine::spec::Field;
use berth::engine::volumes::{self, VolumeSpec};
use berth::engine::ErrorCode;

use crate::cli::try_docker;
use crate::common::{connected_engine, docker, engine, unique, Cleanup, BUSYBOX};

#[tokio::test]
async fn a_volume_made_in_berth_is_what_the_cli_sees_with_its_users_and_size() {
    let (handle, _sub, task) = connected_engine().await;
    let api = handle.docker().unwrap();
    let mut cleanup = Cleanup::default();
    let (vol, tmp, c) = (unique("vol"), unique("tmp"), unique("writer"));
    cleanup.container(&c);
    cleanup.volume(&vol);
    cleanup.volume(&tmp);
    let spec = VolumeSpec {
        name: tmp.clone(),
        options: vec!["type=tmpfs".into(), "device=tmpfs".into(), "o=size=8m".into()],
        labels: vec!["team=food trucks".into()],
        ..Default::default()
    };
    assert!(volumes::problems(&api, &spec).await.unwrap().is_empty());
    assert_eq!(volumes::create(&api, &spec).await.unwrap(), tmp);
    let cli = |f: &str, v: &str| docker(&["volume", "inspect", "-f", f, v]);
    assert_eq!(cli("{{.Driver}}", &tmp), "local");
    assert_eq!(cli("{{index .Options \"o\"}}", &tmp), "size=8m");
    assert_eq!(cli("{{index .Labels \"team\"}}", &tmp), "food trucks");
    let p = volumes::problems(&api, &spec).await.unwrap();
    assert_eq!(
        p.iter().map(|p| p.field).collect::<Vec<_>>(),
        [Field::Name],
        "the name is taken now"
    );

    let plain = VolumeSpec { name: vol.clone(), ..Default::default() };
    assert_eq!(volumes::create(&api, &plain).await.unwrap(), vol);
    docker(&[
        "run",
        "--name",
        &c,
        "-v",
        &format!("{vol}:/data"),
        BUSYBOX,
        "dd",
        "if=/dev/zero",
        "of=/data/f",
        "bs=1024",
        "count=300",
    ]);
    let row = volumes::list(&api).await.unwrap().into_iter().find(|v| v.name == vol).unwrap();
    assert_eq!(row.used_by, std::slice::from_ref(&c), "a stopped container still uses it");
    assert!(!row.anonymous);
    assert_eq!(row.mountpoint, cli("{{.Mountpoint}}", &vol));
    assert!(!row.created_local.full.is_empty());

    let df = handle.system_df("?type=volume").await.unwrap();
    let size = volumes::sizes_from_df(&df).into_iter().find(|s| s.name == vol).map(|s| s.bytes);
    assert_eq!(size, Some(300 * 1024), "what the engine measured");
    task.abort();
}

#[tokio::test]
async fn remove_is_refused_while_any_container_uses_the_volume() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (vol, c) = (unique("vol"), unique("user"));
    cleanup.container(&c);
    cleanup.volume(&vol);
    docker(&["volume", "create", &vol]);
    docker(&["create", "--name", &c, "-v", &format!("{vol}:/data"), BUSYBOX]);
    let e = volumes::remove(&api, &vol).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InUse);
    assert!(e.message.contains(&c), "{}", e.message);
    assert!(try_docker(&["volume", "inspect", &vol]).is_some());
    docker(&["rm", &c]);
    volumes::remove(&api, &vol).await.unwrap();
    assert!(try_docker(&["volume", "inspect", &vol]).is_none());
    assert_eq!(volumes::remove(&api, &vol).await.unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn prune_takes_anonymous_unused_volumes_and_named_ones_only_when_asked() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let (named, used, c, user) = (unique("named"), unique("used"), unique("anon"), unique("user"));
    cleanup.container(&user);
    cleanup.volume(&named);
    cleanup.volume(&used);
    docker(&["volume", "create", &named]);
    docker(&["volume", "create", &used]);
    docker(&["create", "--name", &user, "-v", &format!("{used}:/data"), BUSYBOX]);
    docker(&["create", "--name", &c, "-v", "/scratch", BUSYBOX]);
    let anon = docker(&["inspect", "-f", "{{(index .Mounts 0).Name}}", &c]);
    cleanup.volume(&anon);
    docker(&["rm", &c]);

    let names = |v: Vec<volumes::Volume>| v.into_iter().map(|v| v.name).collect::<Vec<_>>();
    let plain = names(volumes::prune_candidates(&api, false).await.unwrap());
    assert!(plain.contains(&anon), "{plain:?}");
    assert!(!plain.contains(&named) && !plain.contains(&used), "{plain:?}");
    let all = names(volumes::prune_candidates(&api, true).await.unwrap());
    assert!(all.contains(&anon) && all.contains(&named) && !all.contains(&used), "{all:?}");

    let done = volumes::prune(&api, &[anon.clone(), used.clone()]).await;
    assert_eq!(done[0].error, None);
    assert_eq!(
        done[1].error.as_ref().map(|e| e.code),
        Some(ErrorCode::InUse),
        "in use since: kept"
    );
    assert!(try_docker(&["volume", "inspect", &anon]).is_none());
    assert!(
        try_docker(&["volume", "inspect", &named]).is_some(),
        "named: only when the user names it"
    );
    assert!(try_docker(&["volume", "inspect", &used]).is_some());
}
