//! Images in the real window, checked with the docker CLI: the lineage of a `docker build`
//! grandchild down to its base and back up the tree, its history, a tag added and removed, an
//! image used by a container removed only after its containers were confirmed, and a prune of
//! dangling images that says what it freed.

use crate::cli::{docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;

fn build(tag: &str, dockerfile: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    docker(&["build", "-q", "-t", tag, dir.path().to_str().unwrap()]);
    docker(&["image", "inspect", "-f", "{{.Id}}", tag])
}

#[tokio::test(flavor = "multi_thread")]
async fn lineage_history_tags_and_removal_by_mouse() {
    let mut cleanup = Cleanup::default();
    let [child, grandchild] = ["child", "grandchild"].map(|w| format!("{}:1", unique(w)));
    let extra = format!("{}:extra", unique("tagged"));
    let user = unique("image-user");
    cleanup.container(&user);
    for t in [&extra, &grandchild, &child] {
        cleanup.image(t);
    }
    let app = App::launch(&[]).await;
    let maker = unique("maker");
    docker(&["run", "--name", &maker, BUSYBOX, "sh", "-c", "echo child > /child"]);
    docker(&["commit", &maker, &child]);
    docker(&["rm", &maker]);
    build(&grandchild, &format!("FROM {child}\nENV STEP=2\nRUN echo grandchild > /grandchild\n"));

    app.by_role("button", "Images").await.click().await.unwrap();
    app.by_role("searchbox", "Filter images").await.send_keys(&grandchild).await.unwrap();
    app.by_role("button", &format!("Details of {grandchild}")).await.click().await.unwrap();
    let dialog = app.by_role("dialog", &format!("Image {grandchild}")).await;
    // Down to the base: grandchild, child, the test image.
    let chain = app.text(&app.by_role("list", "Built on").await).await;
    let at = |what: &str| chain.find(what).unwrap_or_else(|| panic!("{what} in {chain}"));
    assert!(at(&grandchild) < at(&child) && at(&child) < at(BUSYBOX), "{chain}");
    assert!(chain.contains("base"), "{chain}");
    // Its history: the RUN made a layer, the ENV none.
    let history = app.text(&app.by_role("table", "History").await).await;
    assert!(history.contains("echo grandchild > /grandchild"), "{history}");
    assert!(history.lines().any(|l| l.contains("STEP=2") && l.contains("no layer")), "{history}");
    app.shot("image-lineage").await;

    // Up the tree from the child: the grandchild is built on it.
    app.by_role("button", &child).await.click().await.unwrap();
    app.by_role("dialog", &format!("Image {child}")).await;
    let tree = app.text(&app.by_role("list", "Built on it").await).await;
    assert!(tree.contains(&grandchild), "{tree}");
    // ...and from the base, one level at a time.
    app.by_role("button", BUSYBOX).await.click().await.unwrap();
    app.by_role("dialog", &format!("Image {BUSYBOX}")).await;
    app.by_role("button", &format!("Images built on {child}")).await.click().await.unwrap();
    let tree = app.text(&app.by_role("list", "Built on it").await).await;
    assert!(tree.contains(&child) && tree.contains(&grandchild), "{tree}");
    app.by_role("button", &grandchild).await.click().await.unwrap();

    // A tag added and taken away again.
    app.by_role("textbox", "New tag").await.send_keys(&extra).await.unwrap();
    app.by_role("button", "Tag").await.click().await.unwrap();
    app.by_role("status", &format!("Tagged {extra}.")).await;
    assert!(!docker(&["images", "-q", &extra]).is_empty());
    app.by_role("button", &format!("Remove the tag {extra}")).await.click().await.unwrap();
    app.by_role("status", &format!("Removed the tag {extra}.")).await;
    assert!(docker(&["images", "-q", &extra]).is_empty());
    drop(dialog);
    app.by_role("button", "Close image details").await.click().await.unwrap();

    // Used by a container: removal names it and needs "anyway".
    docker(&["create", "--name", &user, &grandchild]);
    // The list hears of the container before the removal can name it.
    app.by_role("button", &format!("Containers using {grandchild}")).await;
    app.by_role("button", &format!("Remove {grandchild}")).await.click().await.unwrap();
    let confirm = app.by_role("dialog", &format!("Remove image {grandchild}?")).await;
    let text = app.text(&confirm).await;
    assert!(text.contains(&format!("Containers use it: {user}")), "{text}");
    app.by_role("button", &format!("Remove image {grandchild}")).await;
    app.by_role_containing("checkbox", "Remove it anyway").await.click().await.unwrap();
    app.by_role("button", &format!("Remove image {grandchild} anyway"))
        .await
        .click()
        .await
        .unwrap();
    app.by_role("status", &format!("Removed {grandchild}.")).await;
    assert!(docker(&["images", "-q", &grandchild]).is_empty(), "removed");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_dangling_images_shows_them_and_the_space_then_frees_it() {
    let mut cleanup = Cleanup::default();
    let tag = format!("{}:1", unique("dangling"));
    let app = App::launch(&[]).await;
    // The tag moves on: the first image is left dangling.
    let mut ids = Vec::new();
    for _ in 0..2 {
        let maker = unique("maker");
        docker(&["run", "--name", &maker, BUSYBOX, "sh", "-c", "head -c 200000 /dev/urandom > /b"]);
        ids.push(docker(&["commit", &maker, &tag]));
        docker(&["rm", &maker]);
    }
    for id in &ids {
        cleanup.image(id);
    }
    let short = &ids[0]["sha256:".len()..][..12];

    app.by_role("button", "Images").await.click().await.unwrap();
    app.by_role("combobox", "Show").await.select_by_label("Dangling").await.unwrap();
    app.by_role_containing("row", short).await;
    app.by_role("button", "Prune dangling…").await.click().await.unwrap();
    let dialog = app.by_role_containing("dialog", "dangling image").await;
    let text = app.text(&dialog).await;
    assert!(text.contains(&format!("<none> {short}")), "{text}");
    assert!(text.contains("Frees about"), "{text}");
    app.by_role_containing("button", "dangling image").await.click().await.unwrap();
    let said = app.by_role_containing("status", "Freed").await;
    let said = app.text(&said).await;
    assert!(said.contains(&format!("<none> {short}")) || said.contains(&ids[0]), "{said}");
    assert!(docker(&["images", "-q", "--no-trunc"]).lines().all(|l| l != ids[0]), "pruned");
    assert!(docker(&["images", "-q", "--no-trunc"]).lines().any(|l| l == ids[1]), "kept");
    app.quit().await;
}

/// The password the test command made for the password registry on 127.0.0.1:5001.
fn registry_password() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/berth-env/auth-registry/password");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no {}: run the tests with scripts/test.sh (it starts that registry)",
            path.display()
        )
    });
    text.trim().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn log_in_push_remove_and_pull_back_then_trace_it_to_its_base() {
    let mut cleanup = Cleanup::default();
    let repo = unique("pushed");
    let tag = format!("127.0.0.1:5001/{repo}:1");
    cleanup.image(&tag);
    // The app's docker config is a fresh one: the machine's own is not touched.
    let config = tempfile::tempdir().unwrap();
    let app = App::launch(&[("DOCKER_CONFIG", config.path().to_str().unwrap())]).await;
    let maker = unique("maker");
    docker(&["run", "--name", &maker, BUSYBOX, "sh", "-c", "echo pushed > /pushed"]);
    docker(&["commit", &maker, &tag]);
    docker(&["rm", &maker]);

    app.by_role("button", "Images").await.click().await.unwrap();
    let details = || async {
        app.by_role("searchbox", "Filter images").await.clear().await.unwrap();
        app.by_role("searchbox", "Filter images").await.send_keys(&repo).await.unwrap();
        app.by_role("button", &format!("Details of {tag}")).await.click().await.unwrap();
        app.by_role("dialog", &format!("Image {tag}")).await
    };
    // Not logged in: the registry's refusal says so.
    details().await;
    app.by_role("button", &format!("Push {tag}")).await.click().await.unwrap();
    let refused = app.by_role("alert", &format!("Push of {tag}")).await;
    assert!(app.text(&refused).await.contains("wants a login"), "{}", app.text(&refused).await);
    app.by_role("button", "Close image details").await.click().await.unwrap();

    // ...and offers the login, for that registry.
    app.by_role("button", "Log in to 127.0.0.1:5001…").await.click().await.unwrap();
    app.by_role("dialog", "Registries").await;
    let server = app.by_role("textbox", "Registry").await;
    assert_eq!(app.prop(&server).await, "127.0.0.1:5001");
    app.by_role("textbox", "User name").await.send_keys("berth").await.unwrap();
    app.by_role("textbox", "Password or token").await.send_keys("wrong").await.unwrap();
    app.by_role("button", "Log in").await.click().await.unwrap();
    let alert = app.by_role_containing("alert", "refused the credentials").await;
    assert!(!app.text(&alert).await.contains("wrong"), "no secret in the message");
    app.by_role("textbox", "Password or token")
        .await
        .send_keys(&registry_password())
        .await
        .unwrap();
    app.by_role("button", "Log in").await.click().await.unwrap();
    app.by_role("status", "Logged in to 127.0.0.1:5001 as berth.").await;
    let kept = std::fs::read_to_string(config.path().join("config.json")).unwrap();
    assert!(kept.contains("\"127.0.0.1:5001\"") && !kept.contains(&registry_password()));
    app.shot("registries").await;
    app.by_role("button", "Close registries").await.click().await.unwrap();

    // Pushed, with the registry as witness.
    details().await;
    app.by_role("button", &format!("Push {tag}")).await.click().await.unwrap();
    app.by_role("status", &format!("Pushed {tag}")).await;
    let listed = std::process::Command::new("curl")
        .args(["-fsS", "-u", &format!("berth:{}", registry_password())])
        .arg(format!("http://127.0.0.1:5001/v2/{repo}/tags/list"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("\"1\""), "{listed:?}");
    app.by_role("button", "Close image details").await.click().await.unwrap();

    // Removed here, pulled back, and traced to its base by its layers.
    app.by_role("button", &format!("Remove {tag}")).await.click().await.unwrap();
    app.by_role("button", &format!("Remove image {tag}")).await.click().await.unwrap();
    app.by_role("status", &format!("Removed {tag}.")).await;
    assert!(docker(&["images", "-q", &tag]).is_empty());
    app.by_role("textbox", "Image to pull").await.send_keys(&tag).await.unwrap();
    app.by_role("button", "Pull").await.click().await.unwrap();
    app.by_role("status", &format!("Pulled {tag}")).await;
    assert!(docker(&["image", "inspect", "-f", "{{.Parent}}", &tag]).is_empty(), "no Parent");
    details().await;
    let chain = app.text(&app.by_role("list", "Built on").await).await;
    assert!(chain.contains(&tag) && chain.contains(BUSYBOX), "{chain}");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn build_a_folder_and_see_its_output_and_lineage() {
    let mut cleanup = Cleanup::default();
    let tag = format!("{}:1", unique("built"));
    cleanup.image(&tag);
    let dir = tempfile::tempdir().unwrap();
    let dockerfile =
        format!("FROM {BUSYBOX}\nARG WHO=nobody\nCOPY . /ctx\nRUN echo \"built by $WHO\"\n");
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    std::fs::write(dir.path().join(".dockerignore"), "*.log\n").unwrap();
    std::fs::write(dir.path().join("app.txt"), "app").unwrap();
    std::fs::write(dir.path().join("debug.log"), "noise").unwrap();
    let app = App::launch(&[]).await;

    app.by_role("button", "Images").await.click().await.unwrap();
    app.by_role("button", "Build…").await.click().await.unwrap();
    app.by_role("dialog", "Build an image").await;
    app.by_role("textbox", "Folder").await.send_keys(dir.path().to_str().unwrap()).await.unwrap();
    app.by_role("textbox", "Tag").await.send_keys(&tag).await.unwrap();
    app.by_role("textbox", "Build arguments, one per line")
        .await
        .send_keys("WHO=berth")
        .await
        .unwrap();
    app.wait_for("the docker build line", || async {
        let cli = app.text(&app.try_by_role("status", "Equivalent docker command").await?).await;
        cli.contains("--build-arg WHO=berth").then_some(())
    })
    .await;
    let build = app.by_role("button", "Build").await;
    app.wait_for("Build to be enabled", || async { build.is_enabled().await.ok()?.then_some(()) })
        .await;
    build.click().await.unwrap();
    app.by_role("status", &format!("Built {tag}.")).await;
    let log = app.text(&app.by_role("log", "Output of the build").await).await;
    assert!(log.contains("Sending the context: 3 files") && log.contains("1 left out"), "{log}");
    assert!(log.contains("Step 1/4") && log.contains("built by berth"), "{log}");
    app.shot("build").await;
    app.by_role("button", "Show the image").await.click().await.unwrap();
    app.by_role("dialog", &format!("Image {tag}")).await;
    let chain = app.text(&app.by_role("list", "Built on").await).await;
    assert!(chain.contains(&tag) && chain.contains(BUSYBOX), "{chain}");
    assert_eq!(
        docker(&["run", "--rm", &tag, "ls", "-A", "/ctx"]).lines().collect::<Vec<_>>(),
        [".dockerignore", "Dockerfile", "app.txt"]
    );
    app.quit().await;
}

/// In the native file dialog titled `title` (`verb` "save" or "open"), type `path` and press
/// Enter, as a person would.
fn answer_file_dialog(verb: &str, title: &str, path: &std::path::Path) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/xwindow.py");
    let out = std::process::Command::new("/usr/bin/python3")
        .args([script, verb, title, path.to_str().unwrap()])
        .output()
        .expect("python3 with python3-xlib (Debian packages) is needed for this test");
    assert!(out.status.success(), "xwindow.py: {}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn search_a_registry_then_save_and_load_an_image_through_file_dialogs() {
    let mut cleanup = Cleanup::default();
    let name = unique("searched");
    let reference = crate::cli::push_to_registry(&name);
    cleanup.image(&reference);
    let app = App::launch(&[]).await;
    app.by_role("button", "Images").await.click().await.unwrap();

    // Docker Hub is out of reach here: said plainly; the added registry answers on its own.
    app.by_role("button", "Search…").await.click().await.unwrap();
    app.by_role("dialog", "Search images").await;
    app.by_role("textbox", "Registry to add").await.send_keys("127.0.0.1:5000").await.unwrap();
    app.by_role("button", "Add registry").await.click().await.unwrap();
    app.by_role("searchbox", "Search term").await.send_keys(&name).await.unwrap();
    app.by_role("button", "Search").await.click().await.unwrap();
    let hub = app.by_role("region", "Docker Hub").await;
    app.wait_for("Docker Hub's answer", || async {
        let text = app.text(&hub).await;
        (text.contains("cannot be reached") || text.contains("busybox") || text.contains("Nothing"))
            .then_some(())
    })
    .await;
    let found = format!("127.0.0.1:5000/{name}");
    app.by_role("button", &format!("Tags of {found}")).await.click().await.unwrap();
    app.by_role("button", &format!("Pull {found}:v1")).await.click().await.unwrap();
    app.by_role("button", "Close the search").await.click().await.unwrap();
    app.by_role("status", &format!("Pulled {reference}")).await;

    // Saved to a file chosen in the save dialog, removed, loaded back from the open dialog.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("saved.tar");
    app.by_role("searchbox", "Filter images").await.send_keys(&name).await.unwrap();
    app.by_role("button", &format!("Details of {reference}")).await.click().await.unwrap();
    app.by_role("button", "Save to a file…").await.click().await.unwrap();
    answer_file_dialog("save", "Save images", &file);
    app.by_role("status", &format!("Saved {reference} to {}.", file.display())).await;
    app.by_role("button", "Close image details").await.click().await.unwrap();
    let id = docker(&["image", "inspect", "-f", "{{.Id}}", &reference]);
    docker(&["rmi", &reference]);
    app.by_role("button", "Load…").await.click().await.unwrap();
    answer_file_dialog("open", "Load images", &file);
    app.by_role("status", &format!("Loaded {reference}.")).await;
    assert_eq!(docker(&["image", "inspect", "-f", "{{.Id}}", &reference]), id);
    app.quit().await;
}
