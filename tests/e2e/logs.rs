//! Logs and terminals in the real window: hostile output stays text, search finds a line, leaving
//! the view stops the stream in the backend; a shell runs what is typed; an `-it` container's
//! main process can be attached to, detached from and exited.

use serde_json::json;

use crate::cli::{docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;
use crate::live::{wait_running, wait_state};

async fn active_streams(app: &App) -> u64 {
    app.invoke("diagnostics").await["active_streams"].as_u64().unwrap()
}

async fn wait_streams(app: &App, want: u64, what: &str) {
    app.wait_for(what, || async { (active_streams(app).await == want).then_some(()) }).await;
}

/// The callbacks the page has registered with Tauri: one per open channel (and per command
/// awaiting its answer). A closed view whose channel stayed registered keeps all it showed.
async fn page_callbacks(app: &App) -> u64 {
    let n = app
        .client
        .execute("return window.__TAURI_INTERNALS__.callbacks.size;", vec![])
        .await
        .unwrap();
    n.as_u64().unwrap()
}

/// The page's callbacks with no command awaiting its answer: the fewest seen over a second. A
/// count taken once can hold a list fetch in flight (other tests' containers change the list),
/// which a closed view's count would then never come back to.
async fn settled_callbacks(app: &App) -> u64 {
    let mut fewest = page_callbacks(app).await;
    for _ in 0..10 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        fewest = fewest.min(page_callbacks(app).await);
    }
    fewest
}

async fn wait_callbacks(app: &App, want: u64, what: &str) {
    app.wait_for(what, || async { (page_callbacks(app).await == want).then_some(()) }).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_output_stays_text_and_search_finds_a_line() {
    let mut cleanup = Cleanup::default();
    let name = unique("hostile");
    cleanup.container(&name);
    let script = r#"printf '%s\n' '<script>window.__pwned=1</script>' '<img src=x onerror="window.__pwned=2">';
printf '\033]8;;https://evil.example/\007linktext\033]8;;\007\n';
printf '\033[31mcolored\033[0m plain\n';
echo oops >&2; sleep 0.3;
head -c 1000000 /dev/zero | tr '\0' x; echo;
i=1; while [ $i -le 3000 ]; do echo "line $i"; i=$((i+1)); done;
exec sleep 600"#;
    docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sh", "-c", script]);
    for _ in 0..100 {
        if docker(&["logs", "--tail", "1", &name]) == "line 3000" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    let app = App::launch(&[]).await;
    app.wait_connected().await;
    let before = active_streams(&app).await;
    let callbacks = settled_callbacks(&app).await;
    app.shot("containers").await;
    app.by_role("button", &format!("Logs of {name}")).await.click().await.unwrap();
    app.by_role("combobox", "Start from").await.select_by_value("tail:all").await.unwrap();
    let log = app.by_role("log", &format!("Log of {name}")).await;
    app.wait_for("the last line", || async {
        app.text(&log).await.contains("line 3000").then_some(())
    })
    .await;
    assert_eq!(active_streams(&app).await, before + 1, "one stream for the open log");

    // Jump to the top, where the hostile lines are, and read what the page made of them.
    app.client
        .execute(
            "arguments[0].scrollTop = 0; arguments[0].dispatchEvent(new Event('scroll'));",
            vec![json!(log)],
        )
        .await
        .unwrap();
    app.wait_for("the first lines", || async {
        app.text(&log).await.contains("colored").then_some(())
    })
    .await;
    let text = app.text(&log).await;
    assert!(text.contains("<script>window.__pwned=1</script>"), "markup shown as text: {text}");
    assert!(text.contains(r#"<img src=x onerror="window.__pwned=2">"#), "{text}");
    assert!(
        text.contains("linktext") && !text.contains("evil.example"),
        "a link's target is dropped: {text}"
    );
    let probe = app
        .client
        .execute(
            "const log = arguments[0];
             const red = [...log.querySelectorAll('span')].find((s) => s.textContent === 'colored');
             const err = [...log.querySelectorAll('.line')].find((l) => l.textContent.includes('oops'));
             return { pwned: window.__pwned ?? null, injected: log.querySelectorAll('script, img, a').length,
                      red: red ? getComputedStyle(red).color : null, err: err ? err.className : null };",
            vec![json!(log)],
        )
        .await
        .unwrap();
    assert_eq!(probe["pwned"], json!(null), "nothing ran: {probe}");
    assert_eq!(probe["injected"], json!(0), "no element was injected: {probe}");
    // The light theme's ANSI red (--ansi-1 in app.css).
    assert_eq!(probe["red"], json!("rgb(198, 40, 40)"), "ANSI red is styled: {probe}");
    assert!(probe["err"].as_str().unwrap_or_default().contains("err"), "stderr is marked: {probe}");

    // Search, go to the match, then show only matching lines.
    let search = app.by_role("searchbox", "Search the log").await;
    search.send_keys("line 2345").await.unwrap();
    let count = app.by_role("status", "Matches").await;
    app.wait_for("one match", || async { (app.text(&count).await == "1 of 1").then_some(()) })
        .await;
    search.send_keys("\u{E007}").await.unwrap();
    app.wait_for("the match on screen", || async {
        let marked = app
            .on(
                &log,
                "return [...arguments[0].querySelectorAll('.mark')].map((m) => m.textContent);",
            )
            .await?;
        (marked == json!(["line 2345"])).then_some(())
    })
    .await;
    app.shot("logs-search").await;
    app.by_role("checkbox", "Only matching lines").await.click().await.unwrap();
    app.wait_for("only the matching line", || async {
        (app.text(&log).await.trim() == "line 2345").then_some(())
    })
    .await;
    // Its timestamp, as the engine gives it, to the millisecond.
    let stamped = docker(&["logs", "-t", &name]);
    let engine_ts = stamped
        .lines()
        .find_map(|l| l.strip_suffix(" line 2345"))
        .expect("the engine's timestamp of line 2345");
    let want = format!("{} {}", &engine_ts[..10], &engine_ts[11..23]);
    app.by_role("checkbox", "Timestamps").await.click().await.unwrap();
    app.wait_for("the line's timestamp", || async {
        let shown =
            app.on(&log, "return arguments[0].querySelector('.ts')?.textContent ?? null;").await?;
        (shown == json!(want)).then_some(())
    })
    .await;
    app.by_role("checkbox", "Timestamps").await.click().await.unwrap();

    // At 1280 px the toolbar, match count included, is one row; copying and saving are in its menu.
    app.client.set_window_size(1280, 800).await.unwrap();
    let more = app.by_role("button", "Copy or save the log").await;
    let from = app.by_role("combobox", "Start from").await;
    app.wait_for("the toolbar in one row", || async {
        let tops = app
            .client
            .execute(
                "const mid = (e) => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); };
                 return [mid(arguments[0]), mid(arguments[1]), mid(arguments[2])];",
                vec![json!(from), json!(count), json!(more)],
            )
            .await
            .ok()?;
        let tops: Vec<i64> = tops.as_array()?.iter().filter_map(|v| v.as_i64()).collect();
        (tops.len() == 3 && tops.iter().all(|t| (t - tops[0]).abs() <= 4)).then_some(())
    })
    .await;
    more.click().await.unwrap();
    app.by_role("menuitem", "Copy all").await;
    app.by_role("menuitem", "Save…").await;
    app.by_role("menuitem", "Copy selection").await.send_keys("\u{E00C}").await.unwrap();
    app.wait_for("the menu to close", || async {
        app.try_by_role("menuitem", "Copy all").await.is_none().then_some(())
    })
    .await;

    // Leaving the view stops the stream in the backend.
    app.by_role("button", "Containers").await.click().await.unwrap();
    wait_streams(&app, before, "the log stream to stop when its view closed").await;
    // And the page lets go of the log's channel, with the lines its view held.
    wait_callbacks(&app, callbacks, "the closed log's channels to be released").await;
    app.quit().await;
}

async fn terminal_text(app: &App, name: &str) -> String {
    let term = app.by_role("application", &format!("Terminal in {name}")).await;
    app.text(&term).await
}

async fn type_in_terminal(app: &App, keys: &str) {
    let input = app.by_role("textbox", "Terminal input").await;
    input.send_keys(keys).await.unwrap();
}

/// Ask the shell for its TTY's size (`stty size`) under the marker `mark` and wait for the
/// answer: (rows, columns), and the rows the pane shows.
async fn tty_size(app: &App, name: &str, mark: &str) -> ((u64, u64), u64) {
    type_in_terminal(app, &format!("echo {mark}=$(stty size)=\u{E007}")).await;
    let reported = app
        .wait_for("the TTY's size", || async {
            // The echoed command line holds "<mark>=$(stty" and parses as no size.
            terminal_text(app, name).await.split(&format!("{mark}=")).skip(1).find_map(|rest| {
                let (rows, cols) = rest.split_once('=')?.0.split_once(' ')?;
                Some((rows.parse().ok()?, cols.parse().ok()?))
            })
        })
        .await;
    let shown = app
        .client
        .execute(
            "return document.querySelector(`[aria-label=\"Terminal in ${arguments[0]}\"] .xterm-rows`).children.length;",
            vec![json!(name)],
        )
        .await
        .unwrap();
    (reported, shown.as_u64().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_terminal_runs_what_is_typed_and_closing_it_ends_the_session() {
    let mut cleanup = Cleanup::default();
    let name = unique("shell");
    cleanup.container(&name);
    docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sleep", "600"]);

    let app = App::launch(&[]).await;
    app.wait_connected().await;
    let before = active_streams(&app).await;
    let callbacks = settled_callbacks(&app).await;
    app.by_role("button", &format!("Open a terminal in {name}")).await.click().await.unwrap();
    // Typed at once, while the session may still be opening: nothing is lost or reordered.
    type_in_terminal(&app, "echo hi > /tmp/x\u{E007}").await;
    type_in_terminal(&app, "cat /tmp/x; echo $((6*7))\u{E007}").await;
    app.by_role("tab", &format!("{name} — shell")).await;
    app.wait_for("the command's output", || async {
        terminal_text(&app, &name).await.contains("42").then_some(())
    })
    .await;
    app.shot("terminal").await;
    let text = terminal_text(&app, &name).await;
    assert!(text.contains(" hi 42"), "cat printed hi, then 42: {text:?}");
    assert_eq!(docker(&["exec", &name, "cat", "/tmp/x"]), "hi");
    assert_eq!(active_streams(&app).await, before + 1);

    // The TTY has the pane's size, and follows it when the window shrinks.
    let ((rows, cols), shown) = tty_size(&app, &name, "opened").await;
    assert_eq!(rows, shown, "the TTY has as many rows as the pane shows");
    app.client.set_window_size(900, 560).await.unwrap();
    let ((fewer, narrower), shown) = tty_size(&app, &name, "shrunk").await;
    assert_eq!(fewer, shown, "after the resize too");
    assert!(fewer < rows && narrower < cols, "{rows}x{cols} -> {fewer}x{narrower}");

    // A typed command opens in a tab of its own and says when it ended.
    let command = app.by_role("textbox", &format!("Command to run in {name}")).await;
    command.send_keys("cat /tmp/x\u{E007}").await.unwrap();
    app.by_role("tab", &format!("{name} — cat /tmp/x (ended)")).await;
    app.by_role("button", &format!("Close terminal {name}")).await.click().await.unwrap();

    app.by_role("button", &format!("Close terminal {name}")).await.click().await.unwrap();
    wait_streams(&app, before, "the sessions to end with their tabs").await;
    wait_callbacks(&app, callbacks, "the closed terminals' channels to be released").await;
    app.quit().await;
}

/// The path a new user takes: run `sh` with `-it` from the dialog, open its Terminal, type
/// `exit`. The row must say exited as soon as the engine does, although the engine announces the
/// exit before its list shows it.
#[tokio::test(flavor = "multi_thread")]
async fn an_interactive_container_opens_attached_and_exiting_stops_it() {
    let mut cleanup = Cleanup::default();
    let name = unique("it");
    cleanup.container(&name);

    let app = App::launch(&[]).await;
    app.wait_connected().await;
    app.by_role("button", "Run a container…").await.click().await.unwrap();
    app.by_role("dialog", "Run a container").await;
    app.by_role("textbox", "Image").await.send_keys(BUSYBOX).await.unwrap();
    app.by_role("textbox", "Name").await.send_keys(&name).await.unwrap();
    app.open_advanced().await;
    app.by_role("textbox", "Command").await.send_keys("sh").await.unwrap();
    app.by_role("checkbox", "Interactive terminal (-it)").await.click().await.unwrap();
    let run = app.by_role("button", "Run").await;
    app.wait_for("Run to be enabled", || async { run.is_enabled().await.ok()?.then_some(()) })
        .await;
    run.click().await.unwrap();
    wait_state(&app, &name, "running").await;

    let before = active_streams(&app).await;
    app.by_role("button", &format!("Open a terminal in {name}")).await.click().await.unwrap();
    app.by_role("tab", &format!("{name} — attached")).await;
    type_in_terminal(&app, "echo $((6*7))\u{E007}").await;
    app.wait_for("the main process's answer", || async {
        terminal_text(&app, &name).await.contains("42").then_some(())
    })
    .await;
    app.by_role("button", &format!("Close terminal {name}")).await.click().await.unwrap();
    wait_streams(&app, before, "the attachment to end with its tab").await;
    assert_eq!(
        docker(&["inspect", "-f", "{{.State.Running}}", &name]),
        "true",
        "detaching leaves it running"
    );

    app.by_role("button", &format!("Open a terminal in {name}")).await.click().await.unwrap();
    app.by_role("tab", &format!("{name} — attached")).await;
    type_in_terminal(&app, "exit\u{E007}").await;
    wait_running(&app, &name, false).await;
    app.by_role_containing("tab", "(ended)").await;
    app.by_role("button", "Containers").await.click().await.unwrap();
    wait_state(&app, &name, "exited").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stopped_containers_log_says_so_and_offers_to_start_it() {
    let mut cleanup = Cleanup::default();
    let name = unique("log-stopped");
    cleanup.container(&name);
    docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &name,
        BUSYBOX,
        "sh",
        "-c",
        "echo first words; sleep 600",
    ]);
    let app = App::launch(&[]).await;
    app.by_role("searchbox", "Filter containers").await.send_keys(&name).await.unwrap();
    app.by_role("button", &format!("Logs of {name}")).await.click().await.unwrap();
    let status = app.by_role("status", "Log status").await;
    app.wait_for("Following", || async {
        app.text(&status).await.starts_with("Following").then_some(())
    })
    .await;
    docker(&["stop", "-t", "1", &name]);
    app.wait_for("the log to say it stopped", || async {
        app.text(&status).await.contains("is not running").then_some(())
    })
    .await;
    app.by_role("button", &format!("Start {name}")).await.click().await.unwrap();
    wait_running(&app, &name, true).await;
    app.wait_for("following again", || async {
        app.text(&status).await.starts_with("Following").then_some(())
    })
    .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn many_containers_logs_fold_their_check_boxes_behind_a_count() {
    let mut cleanup = Cleanup::default();
    let prefix = unique("log-many");
    let names: Vec<String> = (0..7).map(|i| format!("{prefix}-{i}")).collect();
    for name in &names {
        cleanup.container(name);
        let script = format!("echo 'words from {name}'; exec sleep 600");
        docker(&["run", "-d", "--init", "--name", name, BUSYBOX, "sh", "-c", &script]);
    }
    let app = App::launch(&[]).await;
    app.by_role("searchbox", "Filter containers").await.send_keys(&prefix).await.unwrap();
    app.by_role("row", &names[6]).await;
    app.by_role("checkbox", "Select all shown").await.click().await.unwrap();
    app.by_role("button", "Logs of 7 selected").await.click().await.unwrap();
    let log = app.by_role("log", "Log of 7 containers").await;
    app.wait_for("a line from each container", || async {
        let text = app.text(&log).await;
        names.iter().all(|n| text.contains(&format!("words from {n}"))).then_some(())
    })
    .await;

    // Folded: the log starts right under the toolbar, and the button says what is shown.
    assert!(app.try_by_role("group", "Containers shown").await.is_none());
    app.by_role("button", "All 7 containers shown").await.click().await.unwrap();
    app.by_role("group", "Containers shown").await;
    app.shot("logs-sources-open").await;
    app.by_role("checkbox", &names[2]).await.click().await.unwrap();
    app.by_role("button", "6 of 7 containers shown").await;
    app.wait_for("the hidden container's line to go", || async {
        (!app.text(&log).await.contains(&format!("words from {}", names[2]))).then_some(())
    })
    .await;
    assert!(app.text(&log).await.contains(&format!("words from {}", names[3])));
    // One container alone: hide all, then show it.
    app.by_role("button", "Hide all containers").await.click().await.unwrap();
    app.by_role("button", "0 of 7 containers shown").await;
    app.by_role("checkbox", &names[5]).await.click().await.unwrap();
    app.wait_for("only the one container's line", || async {
        let text = app.text(&log).await;
        (text.matches("words from").count() == 1
            && text.contains(&format!("words from {}", names[5])))
        .then_some(())
    })
    .await;
    app.by_role("button", "Show all containers").await.click().await.unwrap();
    app.wait_for("every container's line again", || async {
        let text = app.text(&log).await;
        names.iter().all(|n| text.contains(&format!("words from {n}"))).then_some(())
    })
    .await;
    let fold = app.by_role("button", "All 7 containers shown").await;
    fold.click().await.unwrap();
    app.wait_for("the check boxes to fold", || async {
        app.try_by_role("group", "Containers shown").await.is_none().then_some(())
    })
    .await;
    app.shot("logs-sources-folded").await;
    app.quit().await;
}
