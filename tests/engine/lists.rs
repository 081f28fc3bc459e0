//! The lists show what the docker CLI created, with the fields the views need.

use berth::engine::containers::{self, ContainerState};

use crate::common::{
    connected_engine, docker, engine, list_images, unique, wait_change, Cleanup, BUSYBOX,
};

#[tokio::test]
async fn containers_list_reflects_the_cli() {
    let docker_api = engine().await;
    let mut cleanup = Cleanup::default();
    let web = unique("web");
    let idle = unique("idle");
    cleanup.container(&web);
    cleanup.container(&idle);
    docker(&[
        "run",
        "-d",
        "--name",
        &web,
        "-p",
        "127.0.0.1::80",
        "-l",
        "com.docker.compose.project=berthshop",
        "-l",
        "com.docker.compose.service=web",
        BUSYBOX,
        "sleep",
        "600",
    ]);
    docker(&["create", "--name", &idle, BUSYBOX, "true"]);
    let host_port: u16 = docker(&["port", &web, "80/tcp"])
        .lines()
        .next()
        .and_then(|l| l.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .expect("published port");

    let list = containers::list(&docker_api).await.unwrap();
    let w = list.iter().find(|c| c.name == web).expect("running container listed");
    assert_eq!(w.state, ContainerState::Running);
    assert_eq!(w.project.as_deref(), Some("berthshop"));
    assert_eq!(w.service.as_deref(), Some("web"));
    assert!(w.status.starts_with("Up"), "{}", w.status);
    assert_eq!(w.image, BUSYBOX);
    let port = w.ports.iter().find(|p| p.private_port == 80).expect("port 80 listed");
    assert_eq!(port.public_port, Some(host_port));
    assert_eq!(port.ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(port.protocol, "tcp");
    let i = list.iter().find(|c| c.name == idle).expect("created container listed");
    assert_eq!(i.state, ContainerState::Created);
    assert_eq!(i.project, None);
    // Creation time in the machine's time zone, as `date` shows the engine's moment (the test
    // script runs this tier in a zone away from UTC).
    let date = |format: &str| {
        let out = std::process::Command::new("date")
            .args(["-d", &format!("@{}", w.created), format])
            .output()
            .expect("date runs");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert_eq!(w.created_local.full, date("+%F %T"));
    assert!(
        w.created_local.short.ends_with(&date("+%H:%M")),
        "{:?} against {}",
        w.created_local,
        date("+%H:%M")
    );

    docker(&["stop", "-t", "0", &web]);
    let list = containers::list(&docker_api).await.unwrap();
    let w = list.iter().find(|c| c.name == web).unwrap();
    assert_eq!(w.state, ContainerState::Exited);

    docker(&["rm", "-f", &idle]);
    let list = containers::list(&docker_api).await.unwrap();
    assert!(!list.iter().any(|c| c.name == idle));
}

#[tokio::test]
async fn images_list_shows_tags_and_counts_users() {
    let _layers = crate::common::LAYERS.lock().await;
    let docker_api = engine().await;
    let mut cleanup = Cleanup::default();
    let (a, b, src) = (unique("user-a"), unique("user-b"), unique("src"));
    let repo = unique("img");
    let tag = format!("{repo}:v1");
    cleanup.container(&a);
    cleanup.container(&b);
    cleanup.container(&src);
    cleanup.image(&tag);
    // A fresh image of our own, so no other container uses it.
    docker(&["run", "--name", &src, BUSYBOX, "sh", "-c", "echo x > /marker"]);
    let id = docker(&["commit", &src, &tag]);

    let img = list_images(&docker_api)
        .await
        .into_iter()
        .find(|i| i.id == id)
        .expect("committed image listed");
    assert_eq!(img.repo_tags, vec![tag.clone()]);
    assert!(img.used_by.is_empty());
    assert!(img.size > 0);
    assert!(img.created > 0);
    assert!(img.created_local.full.len() == "2026-11-29 07:00:00".len(), "{:?}", img.created_local);

    docker(&["create", "--name", &a, &tag]);
    docker(&["create", "--name", &b, &tag]);
    let img = list_images(&docker_api).await.into_iter().find(|i| i.id == id).unwrap();
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(img.used_by, both);
}

/// One engine call answers everyone who asks while nothing changed; a change, or age, makes the
/// next ask fetch anew.
#[tokio::test(flavor = "multi_thread")]
async fn the_shared_container_list_is_asked_for_once_per_change() {
    use berth::engine::shared::{SharedList, FRESH};
    use std::sync::Arc;

    let docker_api = engine().await;
    let shared = SharedList::default();
    let first = shared.get(&docker_api).await.unwrap();
    let again = shared.get(&docker_api).await.unwrap();
    assert!(Arc::ptr_eq(&first, &again), "no change since: the same list again");

    shared.changed();
    let (a, b) = tokio::join!(shared.get(&docker_api), shared.get(&docker_api));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(!Arc::ptr_eq(&first, &a), "after a change the list is fetched anew");
    assert!(Arc::ptr_eq(&a, &b), "two asking at once share one engine call");

    tokio::time::sleep(FRESH).await;
    let later = shared.get(&docker_api).await.unwrap();
    assert!(!Arc::ptr_eq(&a, &later), "an old list is not handed out again");
}

/// The engine handle's shared list hears of every container change before the change feed
/// announces it: a list asked for before an announcement is never handed out after it.
#[tokio::test(flavor = "multi_thread")]
async fn the_engine_list_shows_a_cli_change_as_soon_as_it_is_announced() {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    // Past the resync announced on connecting, the next announcement is a real change (the other
    // tests change containers too: any of theirs counts as well).
    let (handle, mut sub, task) = connected_engine().await;
    let mut cleanup = Cleanup::default();
    let name = unique("shared");
    cleanup.container(&name);
    let before = handle.containers().await.unwrap();
    assert!(!before.iter().any(|c| c.name == name));
    // Announcements already sent may be of changes from before that list: only a later one counts.
    while sub.changes.try_recv().is_ok() {}

    docker(&["create", "--name", &name, BUSYBOX, "true"]);
    wait_change(&mut sub, |s| s.containers).await;
    let after = handle.containers().await.unwrap();
    assert!(!Arc::ptr_eq(&before, &after), "a list from before the announcement came back");
    // The announcement heard may be another test's; ours follows.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !handle.containers().await.unwrap().iter().any(|c| c.name == name) {
        assert!(Instant::now() < deadline, "{name} never showed in the list");
        wait_change(&mut sub, |s| s.containers).await;
    }
    task.abort();
}

/// A list patched by id shows what the CLI did to the containers events named, and tells a
/// window only those rows: the one created, the one changed, the one removed.
#[tokio::test(flavor = "multi_thread")]
async fn a_patched_list_sends_only_the_rows_that_changed() {
    use berth::engine::shared::SharedList;

    let docker_api = engine().await;
    let mut cleanup = Cleanup::default();
    let (kept, made) = (unique("kept"), unique("made"));
    cleanup.container(&kept);
    cleanup.container(&made);
    let kept_id = docker(&["create", "--name", &kept, BUSYBOX, "sleep", "600"]).trim().to_string();
    let shared = SharedList::patching_from(0);
    let first = shared.since(&docker_api, None).await.unwrap();
    let whole = first.whole.expect("a window with no version gets the whole list");
    assert!(whole.iter().any(|c| c.id == kept_id));
    let unchanged = shared.since(&docker_api, Some(first.version)).await.unwrap();
    assert!(unchanged.whole.is_none() && unchanged.changed.is_empty() && unchanged.gone.is_empty());

    let made_id = docker(&["create", "--name", &made, BUSYBOX, "true"]).trim().to_string();
    docker(&["start", &kept]);
    shared.touched(&made_id);
    shared.touched(&kept_id);
    shared.announced();
    let second = shared.since(&docker_api, Some(first.version)).await.unwrap();
    assert!(second.whole.is_none(), "a known version gets the rows changed since");
    let mut changed: Vec<String> =
        second.changed.iter().map(|c| format!("{} {:?}", c.name, c.state)).collect();
    changed.sort();
    let mut expected = vec![
        format!("{kept} {:?}", ContainerState::Running),
        format!("{made} {:?}", ContainerState::Created),
    ];
    expected.sort();
    assert_eq!(changed, expected);
    assert!(second.gone.is_empty());
    let patched = shared.get(&docker_api).await.unwrap();
    assert_eq!(patched[0].id, made_id, "the new container first, as the engine lists it");

    docker(&["rm", "-f", &kept]);
    shared.touched(&kept_id);
    shared.announced();
    let third = shared.since(&docker_api, Some(second.version)).await.unwrap();
    assert_eq!(third.gone, vec![kept_id.clone()]);
    // The list is patched in place, but not under someone still holding the last one.
    assert!(patched.iter().any(|c| c.id == kept_id), "a list handed out stays as it was");
    assert!(!shared.get(&docker_api).await.unwrap().iter().any(|c| c.id == kept_id));
    assert!(third.changed.is_empty());
    // From the first version, everything since: the new one, and the removed one gone.
    let both = shared.since(&docker_api, Some(first.version)).await.unwrap();
    assert_eq!(both.changed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [made_id.as_str()]);
    assert_eq!(both.gone, vec![kept_id.clone()]);
    // The patched list holds the same containers as the engine lists.
    let mut listed: Vec<String> =
        containers::list(&docker_api).await.unwrap().into_iter().map(|c| c.id).collect();
    let mut ours: Vec<String> =
        shared.get(&docker_api).await.unwrap().iter().map(|c| c.id.clone()).collect();
    listed.sort();
    ours.sort();
    // Other tests create and remove containers meanwhile; ours are the ones that must agree.
    for id in [&made_id, &kept_id] {
        assert_eq!(listed.contains(id), ours.contains(id), "{id}");
    }
    // A version this list never had gets the whole list.
    let stranger = shared.since(&docker_api, Some(third.version + 1000)).await.unwrap();
    assert!(stranger.whole.is_some());
}

/// A long list due to be listed whole still answers a change with the rows it names (no change
/// waits for every container to be listed); the whole list follows in the background and sends
/// the rows no event named.
#[tokio::test(flavor = "multi_thread")]
async fn a_change_never_waits_for_the_whole_list_that_follows_it() {
    use berth::engine::shared::SharedList;

    let docker_api = engine().await;
    let mut cleanup = Cleanup::default();
    let (quiet, named) = (unique("unnamed"), unique("named"));
    cleanup.container(&quiet);
    cleanup.container(&named);
    // Patched from any length, and due to be listed whole after every patch.
    let shared = SharedList::patching(0, std::time::Duration::ZERO);
    let first = shared.since(&docker_api, None).await.unwrap();
    assert!(first.whole.is_some());
    assert!(!shared.take_whole_due(), "nothing was patched yet");

    // One container no event names, one the events name.
    let quiet_id = docker(&["create", "--name", &quiet, BUSYBOX, "true"]).trim().to_string();
    let named_id = docker(&["create", "--name", &named, BUSYBOX, "true"]).trim().to_string();
    shared.touched(&named_id);
    shared.announced();
    let second = shared.since(&docker_api, Some(first.version)).await.unwrap();
    assert!(second.whole.is_none(), "the change is answered by its rows");
    let ids: Vec<&str> = second.changed.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, [named_id.as_str()], "only the row the events named");
    assert!(shared.take_whole_due(), "a patch of a list due to be listed whole says so");
    assert!(!shared.take_whole_due(), "once");

    assert!(shared.relist(&docker_api).await.unwrap(), "a row no event named differs");
    let third = shared.since(&docker_api, Some(second.version)).await.unwrap();
    assert!(third.whole.is_none());
    assert!(third.changed.iter().any(|c| c.id == quiet_id), "the whole list brought the other row");
    assert!(!third.changed.iter().any(|c| c.id == named_id), "the named row was already sent");
    let list = shared.get(&docker_api).await.unwrap();
    assert_eq!(list.iter().filter(|c| c.id == quiet_id || c.id == named_id).count(), 2);
}

/// A short list is listed whole after a change, but a window is still sent only the rows that
/// differ from the version it has.
#[tokio::test(flavor = "multi_thread")]
async fn a_list_listed_whole_sends_only_the_rows_that_differ() {
    use berth::engine::shared::SharedList;

    let docker_api = engine().await;
    let mut cleanup = Cleanup::default();
    let (kept, made) = (unique("same"), unique("differ"));
    cleanup.container(&kept);
    cleanup.container(&made);
    // Created, not started: its row stays the same.
    let kept_id = docker(&["create", "--name", &kept, BUSYBOX, "true"]).trim().to_string();
    let shared = SharedList::default();
    let first = shared.since(&docker_api, None).await.unwrap();
    assert!(first.whole.expect("the whole list first").iter().any(|c| c.id == kept_id));
    let id = docker(&["create", "--name", &made, BUSYBOX, "true"]).trim().to_string();
    shared.changed();
    let second = shared.since(&docker_api, Some(first.version)).await.unwrap();
    assert!(second.whole.is_none(), "a known version gets the rows that differ");
    assert!(second.changed.iter().any(|c| c.id == id), "the new container is sent");
    assert!(!second.changed.iter().any(|c| c.id == kept_id), "an unchanged row is not sent again");
}
