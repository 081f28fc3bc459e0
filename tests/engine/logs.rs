//! Logs and terminals against the real engine: tail, since, follow, stderr tagging, merged
//! containers, following through a restart, cancellation; a shell in a container and an
//! attachment to an `-it` container's main process.

use std::time::Duration;

use berth::engine::exec::{self, Open, Target, Utf8Chunks};
use berth::engine::images::RawEngine;
use berth::engine::logs::{self, LogEvent, LogLine, Output, Start};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use crate::common::{connected_engine, docker, engine, unique, wait_status, Cleanup, BUSYBOX};

/// A log reader running in the background, its events in a queue.
struct Reader {
    rx: mpsc::UnboundedReceiver<LogEvent>,
    task: tokio::task::JoinHandle<()>,
    seen: Vec<LogEvent>,
}

/// The engine's socket and an engine handle's connection state, as the app gives every log
/// reader.
async fn connection() -> (RawEngine, logs::Connection) {
    let (handle, sub, task) = connected_engine().await;
    let raw = handle.raw().unwrap();
    // The handle runs for the rest of the test binary; a reader only ever reads its state.
    std::mem::forget((handle, task));
    (raw, sub.status)
}

impl Reader {
    async fn start(ids: &[&str], start: Start) -> Reader {
        let api = engine().await;
        let (tx, rx) = mpsc::unbounded_channel();
        let ids = ids.iter().map(|s| s.to_string()).collect();
        let (raw, connection) = connection().await;
        let sink = move |e| tx.send(e).is_ok();
        let task = tokio::spawn(logs::follow(api, raw, ids, start, connection, sink));
        Reader { rx, task, seen: Vec::new() }
    }

    /// Wait (at most 20 s) until the events so far satisfy `done`.
    async fn until(&mut self, what: &str, done: impl Fn(&[LogEvent]) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !done(&self.seen) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(e)) => self.seen.push(e),
                Ok(None) => panic!("the reader ended before {what}: {:?}", self.seen),
                Err(_) => panic!("timed out waiting for {what}: {:?}", self.seen),
            }
        }
    }

    fn lines(&self) -> Vec<&LogLine> {
        self.seen
            .iter()
            .flat_map(|e| match e {
                LogEvent::Lines(l) => l.iter().collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    fn texts(&self) -> Vec<String> {
        self.lines().iter().map(|l| l.text.clone()).collect()
    }
}

fn has_text(events: &[LogEvent], text: &str) -> bool {
    events.iter().any(|e| matches!(e, LogEvent::Lines(l) if l.iter().any(|l| l.text == text)))
}

fn wait_for_log(name: &str, text: &str) {
    for _ in 0..100 {
        if docker(&["logs", name]).contains(text) || {
            let out = std::process::Command::new("docker").args(["logs", name]).output().unwrap();
            String::from_utf8_lossy(&out.stderr).contains(text)
        } {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{name} never logged {text}");
}

/// A container named after `prefix` that ran `command` (after the image) to its end, removed
/// with `cleanup`; `flags` go before the image.
fn ran(cleanup: &mut Cleanup, prefix: &str, flags: &[&str], command: &[&str]) -> String {
    let name = unique(prefix);
    cleanup.container(&name);
    let mut args = vec!["run", "-d", "--name", &name];
    args.extend(flags);
    args.push(BUSYBOX);
    args.extend(command);
    docker(&args);
    docker(&["wait", &name]);
    name
}

#[tokio::test]
async fn tail_then_follow_with_stderr_tagged() {
    let mut cleanup = Cleanup::default();
    let name = unique("logs");
    cleanup.container(&name);
    let script = "i=0; while [ $i -lt 5 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done; \
                  while true; do if [ -f /tmp/go ]; then echo live; rm /tmp/go; fi; sleep 0.1; done";
    docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sh", "-c", script]);
    wait_for_log(&name, "err4");

    let mut short = Reader::start(&[&name], Start { tail: Some(4), since: None }).await;
    short.until("following", |e| e.contains(&LogEvent::Following)).await;
    assert_eq!(short.lines().len(), 4);
    short.task.abort();

    let mut r = Reader::start(&[&name], Start { tail: Some(10), since: None }).await;
    r.until("following", |e| e.contains(&LogEvent::Following)).await;
    let tail: Vec<_> = r.lines().iter().map(|l| (l.stream, l.text.clone())).collect();
    assert_eq!(tail.len(), 10, "{tail:?}");
    assert!(
        tail.contains(&(Output::Err, "err4".into()))
            && tail.contains(&(Output::Out, "out4".into())),
        "{tail:?}"
    );
    assert!(
        r.lines().iter().all(|l| logs::parse_stamp(&l.ts).is_some()),
        "every line has its timestamp"
    );

    docker(&["exec", &name, "touch", "/tmp/go"]);
    r.until("the live line", |e| has_text(e, "live")).await;
    assert_eq!(r.texts().iter().filter(|t| *t == "out4").count(), 1, "nothing is sent twice");
    r.task.abort();
}

#[tokio::test]
async fn since_skips_older_lines_and_whole_logs_come_in_order() {
    let mut cleanup = Cleanup::default();
    let name = unique("logs-since");
    cleanup.container(&name);
    docker(&[
        "run",
        "-d",
        "--name",
        &name,
        BUSYBOX,
        "sh",
        "-c",
        "echo early; sleep 2; echo late; seq 1 10000",
    ]);
    docker(&["wait", &name]);
    let stamped = docker(&["logs", "-t", &name]);
    let late = stamped.lines().find(|l| l.ends_with(" late")).expect("late line");
    let since = logs::parse_stamp(late.split(' ').next().unwrap()).unwrap().0;

    let mut r = Reader::start(&[&name], Start { tail: None, since: Some(since) }).await;
    r.until("the container to be stopped", |e| {
        e.iter().any(|e| matches!(e, LogEvent::Stopped { .. }))
    })
    .await;
    let texts = r.texts();
    assert_eq!(texts.first().map(String::as_str), Some("late"));
    assert!(!texts.contains(&"early".to_string()));
    let numbers: Vec<u32> = texts[1..].iter().map(|t| t.parse().unwrap()).collect();
    assert_eq!(numbers, (1..=10000).collect::<Vec<_>>());
    // The engine sends a log slower than it is read: the reader gathers lines into batches
    // rather than sending each as it comes (which made one message per line). How many batches
    // depends on the engine's speed (under 40 run alone, 49 under the parallel tests); at least
    // 10 lines each on average means the lines were gathered.
    let batches = r.seen.iter().filter(|e| matches!(e, LogEvent::Lines(_))).count();
    assert!(batches <= 1000, "10,001 lines came in {batches} batches");
    r.task.abort();
}

#[tokio::test]
async fn following_continues_through_a_restart_with_a_marker() {
    let mut cleanup = Cleanup::default();
    let name = ran(&mut cleanup, "logs-restart", &[], &["echo", "hello"]);

    let mut r = Reader::start(&[&name], Start::default()).await;
    r.until("stopped", |e| e.iter().any(|e| matches!(e, LogEvent::Stopped { source: 0 }))).await;
    assert_eq!(r.texts(), vec!["hello"]);
    docker(&["start", &name]);
    r.until("the second run's line", |e| {
        e.iter().filter(|e| has_text(std::slice::from_ref(e), "hello")).count() == 2
    })
    .await;
    let restarted = r.seen.iter().position(|e| matches!(e, LogEvent::Restarted { source: 0, .. }));
    let second = r.seen.iter().rposition(|e| has_text(std::slice::from_ref(e), "hello"));
    assert!(
        restarted.is_some() && restarted < second,
        "the marker comes before the new run: {:?}",
        r.seen
    );

    docker(&["rm", "-f", &name]);
    r.until("removal", |e| e.iter().any(|e| matches!(e, LogEvent::Failed { source: 0, .. }))).await;
    tokio::time::timeout(Duration::from_secs(10), r.task)
        .await
        .expect("the reader ends when nothing is left")
        .unwrap();
}

#[tokio::test]
async fn a_restart_that_writes_a_burst_arrives_whole_once() {
    let mut cleanup = Cleanup::default();
    // Each run writes 30,000 lines at once: more than a resumed read looks back over, so
    // wherever the reader finds its place (among the newest lines, or reading the whole log when
    // the burst outran that), no line may be missing or repeated.
    let name = ran(&mut cleanup, "logs-burst", &[], &["seq", "1", "30000"]);

    let mut r = Reader::start(&[&name], Start { tail: Some(5), since: None }).await;
    r.until("stopped", |e| e.iter().any(|e| matches!(e, LogEvent::Stopped { source: 0 }))).await;
    assert_eq!(r.texts(), ["29996", "29997", "29998", "29999", "30000"]);
    docker(&["start", &name]);
    r.until("the second run's last line", |e| {
        e.iter().filter(|e| has_text(std::slice::from_ref(e), "30000")).count() == 2
    })
    .await;
    let second: Vec<u32> = r.texts()[5..].iter().map(|t| t.parse().unwrap()).collect();
    assert_eq!(second.len(), 30_000, "every line of the second run, once");
    assert_eq!(second, (1..=30_000).collect::<Vec<_>>());
    r.task.abort();
}

#[tokio::test]
async fn several_containers_interleave_by_time_and_label_their_lines() {
    let mut cleanup = Cleanup::default();
    let (a, b) = (unique("logs-a"), unique("logs-b"));
    cleanup.container(&a);
    cleanup.container(&b);
    docker(&["run", "-d", "--name", &a, BUSYBOX, "sh", "-c", "echo a1; sleep 3; echo a2"]);
    wait_for_log(&a, "a1");
    docker(&["run", "-d", "--name", &b, BUSYBOX, "sh", "-c", "echo b1; sleep 3; echo b2"]);
    docker(&["wait", &a]);
    docker(&["wait", &b]);

    let mut r = Reader::start(&[&a, &b], Start::default()).await;
    r.until("following", |e| e.contains(&LogEvent::Following)).await;
    let got: Vec<_> = r.lines().iter().map(|l| (l.source, l.text.clone())).collect();
    let want: Vec<(u32, String)> =
        vec![(0, "a1".into()), (1, "b1".into()), (0, "a2".into()), (1, "b2".into())];
    assert_eq!(got, want);
    r.task.abort();
}

#[tokio::test]
async fn a_reader_whose_sink_is_gone_stops() {
    let mut cleanup = Cleanup::default();
    let name = unique("logs-gone");
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
        "while true; do echo tick; sleep 0.05; done",
    ]);
    wait_for_log(&name, "tick");
    let api = engine().await;
    let mut calls = 0;
    let (raw, connection) = connection().await;
    let reader =
        logs::follow(api, raw, vec![name.clone()], Start::default(), connection, move |_| {
            calls += 1;
            calls < 3
        });
    tokio::time::timeout(Duration::from_secs(10), reader)
        .await
        .expect("the reader stopped when its sink refused");
}

async fn read_until(out: &mut exec::Output, text: &mut String, want: &str) {
    let mut utf8 = Utf8Chunks::default();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !text.contains(want) {
        match tokio::time::timeout_at(deadline, out.next()).await {
            Ok(Some(Ok(chunk))) => text.push_str(&utf8.push(&chunk.into_bytes())),
            other => panic!("no {want:?} in the terminal ({other:?}): {text:?}"),
        }
    }
}

#[tokio::test]
async fn a_shell_in_a_container_runs_what_is_typed() {
    let mut cleanup = Cleanup::default();
    let name = unique("term");
    cleanup.container(&name);
    docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sleep", "600"]);
    let api = engine().await;
    let mut tty = exec::open(&api, &name, Open::Auto, 100, 30).await.unwrap();
    assert!(matches!(tty.target, Target::Exec(_)), "a plain container gets a new shell");
    tty.input.write_all(b"echo hi > /tmp/x; stty size; cat /tmp/x | tr a-z A-Z\n").await.unwrap();
    let mut text = String::new();
    read_until(&mut tty.output, &mut text, "HI").await;
    assert!(text.contains("30 100"), "the TTY has the window's size: {text:?}");
    assert_eq!(docker(&["exec", &name, "cat", "/tmp/x"]), "hi");

    tty.input.write_all(b"exit 3\n").await.unwrap();
    while tty.output.next().await.is_some() {}
    assert_eq!(exec::exit_code(&api, &tty.target).await, Some(3));

    let err = exec::open(&api, &name, Open::Command("sh -c 'unterminated".into()), 80, 24)
        .await
        .err()
        .unwrap();
    assert_eq!(err.code, berth::engine::ErrorCode::InvalidInput);
}

#[tokio::test]
async fn attaching_to_an_interactive_container_reaches_its_main_process() {
    let mut cleanup = Cleanup::default();
    let name = unique("term-it");
    cleanup.container(&name);
    docker(&["run", "-dit", "--name", &name, BUSYBOX, "sh"]);
    let api = engine().await;
    let mut tty = exec::open(&api, &name, Open::Auto, 80, 24).await.unwrap();
    assert_eq!(tty.target, Target::Attached(name.clone()));
    tty.input.write_all(b"KEPT=yes; echo $((6*7))\n").await.unwrap();
    let mut text = String::new();
    read_until(&mut tty.output, &mut text, "42").await;
    drop(tty);

    // Detaching leaves it running: the same shell answers the next attachment.
    let mut tty = exec::open(&api, &name, Open::Auto, 80, 24).await.unwrap();
    tty.input.write_all(b"echo still-$KEPT\n").await.unwrap();
    let mut text = String::new();
    read_until(&mut tty.output, &mut text, "still-yes").await;
    tty.input.write_all(b"exit\n").await.unwrap();
    while tty.output.next().await.is_some() {}
    assert_eq!(docker(&["wait", &name]), "0", "exiting the shell stops the container");
}

#[tokio::test]
async fn following_resumes_after_the_engine_comes_back_without_losing_or_repeating_lines() {
    use berth::engine::connect::{self, Engine, ResolveEnv};
    use berth::engine::EngineStatus;
    use std::path::PathBuf;

    use crate::proxy::Proxy;

    let mut cleanup = Cleanup::default();
    let name = unique("logs-away");
    cleanup.container(&name);
    let script = "i=0; while :; do echo $i; i=$((i+1)); sleep 0.05; done";
    docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sh", "-c", script]);
    wait_for_log(&name, "3");

    let real = connect::resolve(&ResolveEnv::from_process()).unwrap();
    let target = PathBuf::from(real.uri.trim_start_matches("unix://"));
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("engine.sock");
    let proxy = Proxy::start(&sock, target.clone());
    let mut host = real.clone();
    host.uri = format!("unix://{}", sock.display());
    let (api, info) = connect::connect(&host)
        .await
        .map(|c| (c.docker, c.info))
        .unwrap_or_else(|u| panic!("{}", u.message));
    // The app's engine handle on the same address: the reader follows its connection state.
    let handle =
        Engine::new(ResolveEnv { docker_host: Some(host.uri.clone()), ..Default::default() });
    let mut sub = handle.subscribe();
    let engine_task = tokio::spawn(handle.clone().run());
    wait_status(&mut sub, |s| matches!(s, EngineStatus::Connected { .. })).await;

    let (tx, rx) = mpsc::unbounded_channel();
    let connection = handle.subscribe().status;
    // The tail too is read through the proxy.
    let raw = RawEngine { socket: sock.to_string_lossy().into_owned(), api: info.api_version };
    let task = tokio::spawn(logs::follow(
        api,
        raw,
        vec![name.clone()],
        Start::default(),
        connection,
        move |e| tx.send(e).is_ok(),
    ));
    let mut r = Reader { rx, task, seen: Vec::new() };
    r.until("live lines", |e| e.contains(&LogEvent::Following) && has_text(e, "20")).await;

    proxy.stop();
    r.until("the engine to be reported lost", |e| {
        e.iter().any(|e| matches!(e, LogEvent::EngineLost { .. }))
    })
    .await;
    wait_status(&mut sub, |s| matches!(s, EngineStatus::Unreachable { .. })).await;
    let proxy = Proxy::start(&sock, target);
    handle.retry();
    r.until("the engine to be back", |e| e.contains(&LogEvent::EngineBack)).await;
    let resumed_at = r.texts().last().unwrap().parse::<u32>().unwrap();
    let want = (resumed_at + 40).to_string();
    r.until("lines after the return", |e| has_text(e, &want)).await;

    let numbers: Vec<u32> = r.texts().iter().map(|t| t.parse().unwrap()).collect();
    let first = numbers[0];
    assert_eq!(
        numbers,
        (first..first + numbers.len() as u32).collect::<Vec<_>>(),
        "no line lost or repeated"
    );
    r.task.abort();
    engine_task.abort();
    proxy.stop();
}

#[tokio::test]
async fn a_one_megabyte_line_and_invalid_utf8_arrive_whole() {
    let mut cleanup = Cleanup::default();
    let script =
        r"head -c 1000000 /dev/zero | tr '\0' x; echo; printf 'bad \377 byte\n'; echo after";
    let name = ran(&mut cleanup, "logs-wide", &[], &["sh", "-c", script]);
    let mut r = Reader::start(&[&name], Start::default()).await;
    r.until("the last line", |e| has_text(e, "after")).await;
    let lines = r.lines();
    assert_eq!(lines.len(), 3, "the engine's 16 kB pieces are joined into one line");
    assert_eq!(lines[0].text.len(), 1_000_000);
    assert!(lines[0].text.bytes().all(|b| b == b'x'));
    assert_eq!(lines[1].text, "bad \u{fffd} byte");
    r.task.abort();
}

#[tokio::test]
async fn a_command_that_ends_at_once_still_shows_its_output_and_exit_code() {
    let mut cleanup = Cleanup::default();
    let name = unique("term-quick");
    cleanup.container(&name);
    docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sleep", "600"]);
    let api = engine().await;
    let mut tty =
        exec::open(&api, &name, Open::Command("sh -c 'echo quick; exit 4'".into()), 80, 24)
            .await
            .expect("a command that ends before it is sized still opens");
    let mut text = String::new();
    read_until(&mut tty.output, &mut text, "quick").await;
    while tty.output.next().await.is_some() {}
    assert_eq!(exec::exit_code(&api, &tty.target).await, Some(4));
}

#[tokio::test]
async fn a_tty_containers_log_comes_back_as_lines() {
    let mut cleanup = Cleanup::default();
    // Long enough that the engine writes it in several pieces, the first byte not a frame's.
    let script =
        "echo first; i=0; while [ $i -lt 3000 ]; do echo line$i; i=$((i+1)); done; echo last";
    let name = ran(&mut cleanup, "logs-tty", &["-t"], &["sh", "-c", script]);
    let mut r = Reader::start(&[&name], Start { tail: None, since: None }).await;
    r.until("the last line", |e| has_text(e, "last")).await;
    let texts = r.texts();
    assert_eq!(texts.len(), 3002, "one line per line written, the TTY's \\r dropped");
    assert_eq!((texts[0].as_str(), texts[1500].as_str()), ("first", "line1499"));
    assert!(r.lines().iter().all(|l| l.stream == Output::Out), "a TTY has one stream");
    r.task.abort();
}

#[tokio::test]
async fn a_missing_container_among_several_fails_alone() {
    let mut cleanup = Cleanup::default();
    let name = ran(&mut cleanup, "logs-beside", &[], &["echo", "here"]);
    let missing = unique("logs-missing");
    let mut r = Reader::start(&[&name, &missing], Start::default()).await;
    r.until("following", |e| e.contains(&LogEvent::Following)).await;
    assert_eq!(r.texts(), vec!["here"]);
    let failed: Vec<_> = r
        .seen
        .iter()
        .filter_map(|e| match e {
            LogEvent::Failed { source, error } => Some((*source, error.code)),
            _ => None,
        })
        .collect();
    assert_eq!(failed, vec![(1, berth::engine::error::ErrorCode::NotFound)]);
    r.task.abort();
}
