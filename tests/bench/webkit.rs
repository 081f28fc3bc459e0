//! The window's WebKit settings, measured side by side in one run. For each variant (Berth's
//! defaults, the JavaScript JIT off, WebKit's own defaults, a render node named for WebKit):
//!   startup   process start to the list painted with 500 containers, and PSS after 20 s idle
//!             (launched directly, as a user does);
//!   search    a regular-expression search over 100,000 log lines: from typing the pattern to
//!             the match count shown;
//!   firehose  a click's answer while about 50,000 lines/s are followed.
//! Variants take turns, so the machine's drift spreads over all of them. The raw Engine API's
//! list time of the same run is printed for scale. Run with `bash scripts/bench.sh webkit`.

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
mod launch;
#[path = "../support/procs.rs"]
#[allow(dead_code)]
mod procs;

use std::time::Duration;

use berth::engine::connect::{self, ResolveEnv};
use serde_json::json;

use cli::{docker, unique, Cleanup, BUSYBOX};
use harness::App;

const CONTAINERS: usize = 500;
const LAUNCHES: usize = 5;
const IDLE: Duration = Duration::from_secs(20);
const SEARCH_LINES: u32 = 100_000;

struct Variant {
    name: &'static str,
    env: Vec<(&'static str, String)>,
}

fn variants() -> Vec<Variant> {
    let node = std::fs::read_dir("/dev/dri")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.contains("renderD"))
        .min()
        .unwrap_or_else(|| "/dev/null".into());
    vec![
        Variant { name: "Berth's defaults", env: vec![] },
        Variant { name: "JIT off (JSC_useJIT=0)", env: vec![("JSC_useJIT", "0".into())] },
        Variant { name: "WebKit's defaults (BERTH_GPU=1)", env: vec![("BERTH_GPU", "1".into())] },
        Variant {
            name: "render node named (WEBKIT_WEB_RENDER_DEVICE_FILE)",
            env: vec![("WEBKIT_WEB_RENDER_DEVICE_FILE", node)],
        },
    ]
}

fn env_of(v: &Variant) -> Vec<(&str, &str)> {
    v.env.iter().map(|(k, val)| (*k, val.as_str())).collect()
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

/// Type `pattern` into the log's search (regex on) and resolve with the ms until the match count
/// shows.
const SEARCH: &str = r#"
const [pattern, done] = arguments;
const field = document.querySelector('input[aria-label="Search the log"]');
const box = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Regex').querySelector('input');
if (!box.checked) box.click();
const t0 = performance.now();
field.value = pattern;
field.dispatchEvent(new Event('input', { bubbles: true }));
const counted = () => {
  const out = document.querySelector('output[aria-label="Matches"]');
  const text = out ? out.textContent : '';
  return text.includes(' of ') || text.includes('No matches') ? text.trim() : null;
};
const wait = () => {
  const text = counted();
  if (text && field.dataset.last !== text) { field.dataset.last = text; done([performance.now() - t0, text]); }
  else requestAnimationFrame(wait);
};
requestAnimationFrame(wait);
"#;

/// The log of `name` open in the window, with its line `last` shown.
async fn open_log(app: &App, name: &str, last: Option<&str>) {
    app.by_role("button", &format!("Logs of {name}")).await.click().await.unwrap();
    let log = app.by_role("log", &format!("Log of {name}")).await;
    if let Some(last) = last {
        app.wait_for("the log's last line", || async {
            app.text(&log).await.contains(last).then_some(())
        })
        .await;
    }
}

async fn startup(variants: &[Variant]) {
    let host = connect::resolve(&ResolveEnv::from_process()).unwrap();
    let socket = host.uri.trim_start_matches("unix://").to_string();
    let (docker, info) = connect::connect(&host)
        .await
        .map(|c| (c.docker, c.info))
        .unwrap_or_else(|u| panic!("the benchmark needs a running engine: {}", u.message));
    let prefix = format!("berth-bench-webkit-{}", std::process::id());
    eprintln!("creating {CONTAINERS} containers…");
    fleet::create(&docker, &prefix, CONTAINERS, BUSYBOX).await;
    let mut raw: Vec<f64> =
        (0..7).map(|_| launch::curl_list_ms(&socket, &info.api_version)).collect();
    raw.sort_by(|a, b| a.partial_cmp(b).unwrap());

    let data = tempfile::tempdir().unwrap();
    let mut times = vec![Vec::new(); variants.len()];
    let mut memory = vec![Vec::new(); variants.len()];
    let mut split = vec![String::new(); variants.len()];
    for round in 0..LAUNCHES {
        for (i, v) in variants.iter().enumerate() {
            let started = launch::now_ms();
            let child = launch::launch(data.path(), &env_of(v));
            let (painted, _) = launch::painted_at(data.path(), started);
            times[i].push((painted - started) as f64);
            // The idle memory of the last two rounds.
            if round + 2 >= LAUNCHES {
                eprintln!("{}: idling {} s…", v.name, IDLE.as_secs());
                std::thread::sleep(IDLE);
                let (kb, parts) = launch::pss(&child);
                memory[i].push(kb as f64 / 1024.0);
                split[i] = parts;
            }
            launch::stop(child);
            std::thread::sleep(Duration::from_millis(300));
        }
    }
    fleet::remove(&docker, &prefix).await;
    println!(
        "start-up with {CONTAINERS} containers ({LAUNCHES} launches each; raw Engine API list {:.1} ms)",
        raw[raw.len() / 2]
    );
    for (i, v) in variants.iter().enumerate() {
        println!(
            "  {:<52} start to list painted: median {:>4.0} ms ({:?});  PSS after {} s idle: {:.1} MB ({:?})",
            v.name,
            percentile(&times[i], 0.5),
            times[i],
            IDLE.as_secs(),
            percentile(&memory[i], 0.5),
            memory[i],
        );
        println!("  {:<52} {}", "", split[i]);
    }
}

async fn search_and_firehose(variants: &[Variant], which: &str) {
    let mut cleanup = Cleanup::default();
    let lines = unique("bench-search");
    cleanup.container(&lines);
    let script = format!(
        "seq 1 {SEARCH_LINES} | sed 's|.*|line & user=alice status=200 path=/api/v1/items/&|'"
    );
    if which != "firehose" {
        eprintln!("writing {SEARCH_LINES} lines…");
        docker(&["run", "--name", &lines, BUSYBOX, "sh", "-c", &script]);
    }
    let hose = unique("bench-hose");
    cleanup.container(&hose);
    if which != "search" {
        docker(&[
            "run",
            "-d",
            "--init",
            "--name",
            &hose,
            BUSYBOX,
            "sh",
            "-c",
            "while :; do seq 1 5000; sleep 0.1; done",
        ]);
    }
    let patterns =
        [r"^line \d+7 user", r"alice.*items/\d*99$", r"line (1|2)\d{4} ", r"status=[45]\d\d"];
    for v in variants {
        let app = App::launch(&env_of(v)).await;
        app.wait_connected().await;
        app.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(120)),
                None,
                None,
            ))
            .await
            .unwrap();
        if which != "firehose" {
            open_log(&app, &lines, Some(&format!("/items/{SEARCH_LINES}"))).await;
            app.by_role("combobox", "Start from").await.select_by_value("tail:all").await.unwrap();
            // The view holds a row per line kept: all of them once the spacer is that tall.
            app.wait_for("all lines", || async {
                let rows = app
                    .client
                    .execute(
                        "const s = document.querySelector('[role=log] .spacer'); return s ? s.offsetHeight / 18 : 0;",
                        vec![],
                    )
                    .await
                    .ok()?;
                (rows.as_f64()? >= f64::from(SEARCH_LINES)).then_some(())
            })
            .await;
            let mut took = Vec::new();
            let mut counts = Vec::new();
            for round in 0..3 {
                for p in patterns {
                    // Each new pattern scans every line kept.
                    let out = app.client.execute_async(SEARCH, vec![json!(p)]).await.unwrap();
                    if round > 0 {
                        took.push(out[0].as_f64().unwrap());
                    }
                    counts.push(out[1].as_str().unwrap_or_default().to_string());
                }
            }
            println!(
                "search, {SEARCH_LINES} lines, {}: regex typed -> count shown: p50 {:.0} ms, max {:.0} ms over {} searches ({})",
                v.name,
                percentile(&took, 0.5),
                percentile(&took, 1.0),
                took.len(),
                counts[..patterns.len()].join(" / ")
            );
            app.by_role("button", "Close the logs").await.click().await.unwrap();
            app.by_role("table", "Containers").await;
        }
        if which != "search" {
            open_log(&app, &hose, None).await;
            let timestamps = app.by_role("checkbox", "Timestamps").await;
            let clicker =
                clicks::Clicker::start(&app, &timestamps, Duration::from_millis(300)).await;
            tokio::time::sleep(Duration::from_secs(15)).await;
            let clicks = clicker.waits(&app).await;
            println!(
                "firehose, {}: click -> next frame showing it: p50 {:.0} ms, p95 {:.0} ms over {} clicks",
                v.name,
                percentile(&clicks, 0.5),
                percentile(&clicks, 0.95),
                clicks.len()
            );
        }
        app.quit().await;
    }
}

#[tokio::main]
async fn main() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "needs a display: run under xvfb-run (scripts/bench.sh does)"
    );
    assert!(
        launch::app().exists(),
        "{} missing: scripts/bench.sh builds it",
        launch::app().display()
    );
    // `cargo bench` adds its own flags: the first other argument picks one part.
    let which =
        std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or_else(|| "all".into());
    let variants = variants();
    if which == "all" || which == "startup" {
        startup(&variants).await;
    }
    if which != "startup" {
        search_and_firehose(&variants, &which).await;
    }
}
