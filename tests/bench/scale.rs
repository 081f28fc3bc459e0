//! Benchmark: 10,000 containers (created, not started) in the release app. Prints
//!   start      process start to the first list painted (median of 3 launches, no WebDriver) and
//!              the PSS of the app and its WebKit processes after 20 s idle, beside the raw
//!              Engine API list of the same run;
//!   filter     a keystroke in the list's filter to the next frame showing its rows, and to that
//!              frame drawn (timed in the page);
//!   scroll     frame times while the list scrolls 240 px a frame;
//!   burst      1,000 containers created by the docker CLI (8 at a time): the last one's
//!              `docker create` returning to the list counting it, the longest frame between,
//!              and clicks meanwhile (every 250 ms, into the filter) to the next frame;
//! each against its limit. Run with `bash scripts/bench.sh scale`.

#[path = "../support/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "../support/clicks.rs"]
mod clicks;
#[path = "../support/fleet.rs"]
mod fleet;
#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../support/launch.rs"]
#[allow(dead_code)]
mod launch;
#[path = "../support/procs.rs"]
#[allow(dead_code)]
mod procs;

use std::time::{Duration, Instant};

use berth::engine::connect::{self, ResolveEnv};
use serde_json::json;

use cli::BUSYBOX;
use harness::App;

const CONTAINERS: usize = 10_000;
const BURST: usize = 1_000;
const LAUNCHES: usize = 3;
const IDLE: Duration = Duration::from_secs(20);
const SCROLL_FRAMES: usize = 240;
/// How long the frame watch runs with nothing happening, to measure its own cost.
const QUIET: Duration = Duration::from_secs(5);

/// Type each of `queries` into the list's filter (as the input event a keystroke sends), one
/// 30 ms after the previous one's frame, and resolve with `[query, ms to the next frame, ms to
/// that frame drawn, rows the table then holds]` for each. Timed in the page, so the harness's
/// own round trips are not counted.
const FILTER: &str = r#"
const [queries, done] = arguments;
const input = document.querySelector('input[aria-label="Filter containers"]');
const rows = () => Number(document.querySelector('[role=table][aria-label="Containers"]')?.getAttribute('aria-rowcount') ?? 1) - 1;
const out = [];
let i = 0;
const next = () => {
  if (i === queries.length) { done(out); return; }
  const q = queries[i++];
  const t0 = performance.now();
  try {
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  } catch (e) { done([[q, null, null, String(e)]]); return; }
  // Svelte applies the change in a microtask queued by the event; the frame after it shows it,
  // and a message posted in that frame is handled once the frame is drawn.
  queueMicrotask(() => requestAnimationFrame(() => {
    const frame = performance.now() - t0;
    const drawn = new MessageChannel();
    drawn.port1.onmessage = () => {
      out.push([q, frame, performance.now() - t0, rows()]);
      setTimeout(next, 30);
    };
    drawn.port2.postMessage(0);
  }));
};
next();
"#;

/// Scroll the list `frames` frames, 240 px each, and resolve with each frame's duration (ms).
const SCROLL: &str = r#"
const [frames, done] = arguments;
const view = document.querySelector('[role=table][aria-label="Containers"] .viewport');
view.scrollTop = 0;
const times = [];
let last = null, n = 0;
const step = (t) => {
  if (last !== null) times.push(t - last);
  last = t;
  view.scrollTop += 240;
  if (++n <= frames) requestAnimationFrame(step); else done([times, view.querySelectorAll('[role=row]').length]);
};
requestAnimationFrame(() => requestAnimationFrame(step));
"#;

/// From now on, note every frame's length and when the "All" count first reaches `want`.
const WATCH_COUNT: &str = r#"
const [want] = arguments;
const all = [...document.querySelectorAll('[role=radiogroup][aria-label="Which containers"] label')].find((l) => l.textContent.trim().startsWith('All'));
const w = (window.__burst = { frames: [], seenAt: null, on: true });
let last = performance.now();
const step = (t) => {
  w.frames.push([performance.timeOrigin + last, t - last]);
  last = t;
  if (w.seenAt === null && Number(all.querySelector('.count').textContent) >= want) w.seenAt = performance.timeOrigin + performance.now();
  if (w.on) requestAnimationFrame(step);
};
requestAnimationFrame(step);
"#;

/// A click every so often while the burst runs.
const CLICK_EVERY: Duration = Duration::from_millis(250);

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let host = connect::resolve(&ResolveEnv::from_process()).unwrap();
    let socket = host.uri.trim_start_matches("unix://").to_string();
    let (api, info) = connect::connect(&host)
        .await
        .map(|c| (c.docker, c.info))
        .unwrap_or_else(|u| panic!("the benchmark needs a running engine: {}", u.message));
    let prefix = format!("berth-bench-scale-{}", std::process::id());
    let made = Instant::now();
    let reuse = std::env::var("BERTH_BENCH_PREFIX").ok();
    let prefix = reuse.clone().unwrap_or(prefix);
    if reuse.is_none() {
        eprintln!("creating {CONTAINERS} containers…");
        fleet::create(&api, &prefix, CONTAINERS, BUSYBOX).await;
        eprintln!("  made in {:.0} s", made.elapsed().as_secs_f64());
    }
    let mut raw: Vec<f64> =
        (0..5).map(|_| launch::curl_list_ms(&socket, &info.api_version)).collect();
    raw.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let raw = raw[raw.len() / 2];

    // Start-up and idle memory, as a user starts it.
    let data = tempfile::tempdir().unwrap();
    let mut starts = Vec::new();
    let (mut memory, mut split, mut steps) = (0.0, String::new(), String::new());
    for i in 0..if reuse.is_some() { 0 } else { LAUNCHES } {
        let started = launch::now_ms();
        let child = launch::launch(data.path(), &[]);
        let (painted, logged) = launch::painted_at(data.path(), started);
        starts.push((painted - started) as f64);
        steps = logged;
        if i + 1 == LAUNCHES {
            eprintln!("idling {} s…", IDLE.as_secs());
            std::thread::sleep(IDLE);
            let (kb, parts) = launch::pss(&child);
            (memory, split) = (kb as f64 / 1024.0, parts);
        }
        launch::stop(child);
        std::thread::sleep(Duration::from_millis(300));
    }

    let app = App::launch(&[]).await;
    app.by_role("row", &format!("Compose project {prefix}-p0")).await;

    // Filter: type a name's tail (the fleet's number, then one container's) one key at a time,
    // then delete it again.
    let typed = format!("{}-9876", prefix.rsplit('-').next().unwrap());
    let mut queries = Vec::new();
    for _round in 0..2 {
        queries.extend((1..=typed.len()).map(|n| typed[..n].to_string()));
        queries.extend((0..typed.len()).rev().map(|n| typed[..n].to_string()));
    }
    let out = app.client.execute_async(FILTER, vec![json!(queries)]).await.unwrap();
    let (mut keys, mut painted, mut warming) = (Vec::new(), Vec::new(), Vec::new());
    let mut narrowest = usize::MAX;
    // The first round builds what the filter searches: the second is counted against the limit,
    // the first printed apart.
    for (n, key) in out.as_array().unwrap().iter().enumerate() {
        eprintln!("  {key}");
        let (Some(frame), Some(drawn)) = (key[1].as_f64(), key[2].as_f64()) else {
            panic!("typing into the filter failed: {key}");
        };
        if n < queries.len() / 2 {
            warming.push(frame);
        } else {
            keys.push(frame);
            painted.push(drawn);
            if key[0] == json!(typed) {
                narrowest = key[3].as_u64().unwrap() as usize;
            }
        }
    }
    assert!(narrowest > 0 && narrowest < 10, "filtering to one name left {narrowest} rows");

    // Scroll.
    let out = app.client.execute_async(SCROLL, vec![json!(SCROLL_FRAMES)]).await.unwrap();
    let frames: Vec<f64> = out[0].as_array().unwrap().iter().filter_map(|v| v.as_f64()).collect();
    let drawn = out[1].as_u64().unwrap_or(0);

    // A burst from the CLI, 8 at a time, in a session of its own as from a terminal (the
    // kernel's autogroup schedules a session's processes as one group), unless
    // BERTH_BENCH_BURST_SESSION=app runs it in the app's.
    app.client.execute(WATCH_COUNT, vec![json!(CONTAINERS + BURST)]).await.unwrap();
    let filter = app.by_role("searchbox", "Filter containers").await;
    let watched: Vec<(String, u32)> =
        app.app_processes().into_iter().map(|p| (procs::name(p), p)).collect();
    let quiet = procs::SchedSince::start(&watched);
    tokio::time::sleep(QUIET).await;
    let quiet = quiet.report();
    let own_session = std::env::var("BERTH_BENCH_BURST_SESSION").as_deref() != Ok("app");
    eprintln!("creating {BURST} containers with the docker CLI…");
    let label = format!("{}={prefix}", fleet::FLEET_LABEL);
    let xargs =
        ["xargs", "-P", "8", "-I", "{}", "docker", "create", "--label", &label, "--name", "{}"];
    let mut cmd = if own_session {
        let mut c = std::process::Command::new("setsid");
        c.arg("--wait").args(xargs);
        c
    } else {
        let mut c = std::process::Command::new(xargs[0]);
        c.args(&xargs[1..]);
        c
    };
    cmd.args([BUSYBOX, "true"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null());
    let names: String = (0..BURST).map(|i| format!("{prefix}-burst-{i:04}\n")).collect();
    let sched = procs::SchedSince::start(&watched);
    let clicker = clicks::Clicker::start(&app, &filter, CLICK_EVERY).await;
    let first = launch::now_ms() as f64;
    let mut burst = cmd.spawn().expect("setsid and xargs");
    {
        use std::io::Write;
        let mut stdin = burst.stdin.take().unwrap();
        stdin.write_all(names.as_bytes()).unwrap();
    }
    assert!(burst.wait().unwrap().success(), "the burst's docker create failed");
    let last = launch::now_ms() as f64;
    let clicks = clicker.waits(&app).await;
    let seen = app
        .wait_for("the list to count the burst", || async {
            let v = app.client.execute("return window.__burst.seenAt", vec![]).await.ok()?;
            v.as_f64()
        })
        .await;
    let gaps = app
        .client
        .execute("window.__burst.on = false; return window.__burst.frames", vec![])
        .await
        .unwrap();
    let dated: Vec<(f64, f64)> = gaps
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| Some((f[0].as_f64()?, f[1].as_f64()?)))
        .filter(|(at, _)| *at >= first && *at <= seen)
        .collect();
    let during: Vec<f64> = dated.iter().map(|(_, gap)| *gap).collect();
    let threads = sched.report();
    let groups = format!(
        "the app {}, the engine {}",
        app.app_pid().map(autogroup).unwrap_or_default(),
        std::fs::read_to_string("/var/run/docker.pid")
            .ok()
            .and_then(|p| p.trim().parse().ok())
            .map(autogroup)
            .unwrap_or_default()
    );
    app.quit().await;
    eprintln!("removing {} containers…", CONTAINERS + BURST);
    fleet::remove(&api, &prefix).await;

    let over = |v: &[f64], ms: f64| v.iter().filter(|f| **f > ms).count();
    println!("{CONTAINERS} created containers (release app); raw Engine API list {raw:.0} ms");
    println!(
        "  start to list painted : median {:.0} ms {starts:?}   (limit 1500 ms; ratio {:.2}; {:.1}x the raw list)",
        percentile(&starts, 0.5),
        percentile(&starts, 0.5) / 1500.0,
        percentile(&starts, 0.5) / raw
    );
    println!("    last launch's steps (ms): {steps}");
    println!(
        "  PSS after {} s idle   : {memory:.1} MB   (limit 300 MB; ratio {:.2})  {split}",
        IDLE.as_secs(),
        memory / 300.0
    );
    println!(
        "  filter keystroke -> frame: p50 {:.1} ms, max {:.1} ms over {} keys   (limit 50 ms; ratio {:.2})",
        percentile(&keys, 0.5),
        percentile(&keys, 1.0),
        keys.len(),
        percentile(&keys, 1.0) / 50.0
    );
    println!(
        "    and that frame drawn   : p50 {:.1} ms, max {:.1} ms",
        percentile(&painted, 0.5),
        percentile(&painted, 1.0)
    );
    println!(
        "    the first round (not counted above): first key {:.1} ms, max {:.1} ms",
        warming[0],
        percentile(&warming, 1.0)
    );
    println!(
        "  scrolling, {} frames of 240 px: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms, {} over 50 ms   (limit 50 ms; {drawn} rows drawn)",
        frames.len(),
        percentile(&frames, 0.5),
        percentile(&frames, 0.95),
        percentile(&frames, 1.0),
        over(&frames, 50.0)
    );
    println!(
        "  burst of {BURST} by the CLI ({}): took {:.1} s; last create -> counted {:.0} ms   (limit 2000 ms; ratio {:.2})",
        if own_session { "in its own session" } else { "in the app's session" },
        (last - first) / 1e3,
        seen - last,
        (seen - last) / 2000.0
    );
    println!("    scheduling groups: {groups}");
    println!(
        "    frames meanwhile: p50 {:.1} ms, max {:.1} ms, {} over 50 ms, {} over 100 ms of {}",
        percentile(&during, 0.5),
        percentile(&during, 1.0),
        over(&during, 50.0),
        over(&during, 100.0),
        during.len()
    );
    println!(
        "    clicks meanwhile, given to the window -> next frame: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms over {} clicks   (limit 100 ms, as for a click while following logs; ratio {:.2})",
        percentile(&clicks, 0.5),
        percentile(&clicks, 0.95),
        percentile(&clicks, 1.0),
        clicks.len(),
        percentile(&clicks, 1.0) / 100.0
    );
    // Unix times, to set beside the engine's log or WebKit's (JSC_logGC=1, timestamped).
    for (at, gap) in dated.iter().filter(|(_, gap)| *gap > 100.0) {
        println!("      a frame of {gap:.0} ms began at {:.3}", at / 1e3);
    }
    // Whether the window's threads ran or waited for a core: its own work or the machine's.
    println!("    ms on a core / waiting for one, by thread, from the first create to counted:");
    for line in threads {
        println!("      {line}");
    }
    println!(
        "    the frame watch alone, {} s with nothing happening before the burst:",
        QUIET.as_secs()
    );
    for line in quiet {
        println!("      {line}");
    }
}

/// The kernel's scheduling group of a process ("/autogroup-12"), or "?" where it has none.
fn autogroup(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/autogroup"))
        .ok()
        .and_then(|g| g.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}
