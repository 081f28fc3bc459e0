//! `docker build` through Berth against the real engine: the context honours `.dockerignore`,
//! build arguments and the target stage reach the builder, its output streams, a failing step
//! is reported with its line, a stopped build leaves no image, and the built image takes its
//! place in the lineage.

use berth::engine::build::{self, BuildLine, BuildSpec};
use berth::engine::cancel::Cancels;
use berth::engine::ErrorCode;

use crate::common::{docker, engine, list_images, unique, Cleanup, BUSYBOX, LAYERS};

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[tokio::test]
async fn a_build_sends_what_dockerignore_allows_with_args_and_target() {
    let _layers = LAYERS.lock().await;
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let tag = format!("{}:1", unique("built"));
    cleanup.image(&tag);
    let dockerfile = format!(
        "FROM {BUSYBOX} AS base\nARG GREETING=none\nCOPY . /ctx\nRUN echo \"$GREETING\" > /greeting\n\
         FROM base AS extra\nRUN touch /extra\n"
    );
    let dir = folder(&[
        ("Dockerfile", &dockerfile),
        (".dockerignore", "*.log\nsecrets/\n!secrets/public.pem\n"),
        ("app.txt", "app"),
        ("debug.log", "noise"),
        ("secrets/key.pem", "private"),
        ("secrets/public.pem", "public"),
    ]);
    let spec = BuildSpec {
        context: dir.path().to_str().unwrap().into(),
        tag: tag.clone(),
        build_args: vec!["GREETING=hello there".into()],
        target: "base".into(),
        ..Default::default()
    };
    let mut lines: Vec<BuildLine> = Vec::new();
    let id = build::build(&api, &spec, |l| lines.push(l)).await.unwrap();
    assert!(id.starts_with("sha256:"), "{id}");
    assert_eq!(docker(&["image", "inspect", "-f", "{{.Id}}", &tag]), id);
    let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert!(text.iter().any(|l| l.starts_with("Step 1/")), "the builder's steps: {text:?}");
    assert!(!text.iter().any(|l| l.contains("touch /extra")), "the target stage stops the build");

    let run = |cmd: &str| docker(&["run", "--rm", &tag, "sh", "-c", cmd]);
    let sent = run("cd /ctx && find . -type f | sort");
    assert_eq!(
        sent.lines().collect::<Vec<_>>(),
        ["./.dockerignore", "./Dockerfile", "./app.txt", "./secrets/public.pem"],
        "{sent}"
    );
    assert_eq!(run("cat /greeting"), "hello there");

    // Built here on the test image: its lineage says so.
    let base = docker(&["image", "inspect", "-f", "{{.Id}}", BUSYBOX]);
    let rows = list_images(&api).await;
    let built = rows.iter().find(|i| i.id == id).unwrap();
    assert_eq!(built.parent.as_deref(), Some(base.as_str()));
}

#[tokio::test]
async fn a_failing_step_is_reported_and_a_stopped_build_leaves_no_image() {
    let api = engine().await;
    let mut cleanup = Cleanup::default();
    let tag = format!("{}:1", unique("failing"));
    cleanup.image(&tag);
    let dir = folder(&[(
        "Dockerfile",
        &format!("FROM {BUSYBOX}\nRUN echo about to fail {tag} && exit 3\n"),
    )]);
    let spec = BuildSpec {
        context: dir.path().to_str().unwrap().into(),
        tag: tag.clone(),
        ..Default::default()
    };
    let mut lines: Vec<BuildLine> = Vec::new();
    let e = build::build(&api, &spec, |l| lines.push(l)).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Engine);
    assert!(lines.iter().any(|l| l.text.contains("about to fail")), "{lines:?}");
    let last = lines.last().unwrap();
    assert!(last.error && last.text.contains("non-zero code: 3"), "{last:?}");
    // The failed step's container is not left behind.
    let left = docker(&["ps", "-a", "--no-trunc", "--format", "{{.Command}}"]);
    assert!(!left.contains(&tag), "the failed step's container is still there: {left}");

    // Stopped while a step runs: the build never finishes, and no image is tagged.
    let slow =
        folder(&[("Dockerfile", &format!("FROM {BUSYBOX}\nRUN echo started && sleep 60\n"))]);
    let spec = BuildSpec {
        context: slow.path().to_str().unwrap().into(),
        tag: tag.clone(),
        ..Default::default()
    };
    let cancels = Cancels::default();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let c = cancels.clone();
    let stopper = tokio::spawn(async move {
        started_rx.await.unwrap();
        c.cancel("b")
    });
    let api2 = api.clone();
    let mut started = Some(started_tx);
    let began = std::time::Instant::now();
    let e = cancels
        .run("b", "build", async move {
            build::build(&api2, &spec, |l| {
                if l.text.contains("started") {
                    if let Some(tx) = started.take() {
                        let _ = tx.send(());
                    }
                }
            })
            .await
        })
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert!(stopper.await.unwrap());
    assert!(began.elapsed() < std::time::Duration::from_secs(50), "stopped, not waited out");
    assert!(docker(&["images", "-q", &tag]).is_empty(), "no image");
}
