//! Benchmark: 20 chatty containers (about 50 lines a second each) followed at once in the release
//! app's log view (all 20 selected, "Logs"), for 10 minutes (`BERTH_BENCH_SECONDS` to change):
//! a click on "Timestamps" every 5 s, sent through the display server and timed from the event
//! to the next frame showing it, and the PSS of the app and its WebKit processes every 5 s (each
//! minute's low and high). Limits: a click answers within 100 ms; memory flat once the log buffer
//! is full. Run with `bash scripts/bench.sh streams`.

#[path = "../support/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "../support/clicks.rs"]
mod clicks;
#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../support/procs.rs"]
#[allow(dead_code)]
mod procs;

use std::time::{Duration, Instant};

use cli::{docker, Cleanup, BUSYBOX};
use harness::App;

const FOLLOWERS: usize = 20;
const CLICK_EVERY: Duration = Duration::from_secs(5);
const MEMORY_EVERY: Duration = Duration::from_secs(60);
/// The page's element count and the IPC callbacks it has registered: steady while memory swings
/// means neither the DOM nor unanswered calls are what grows.
const HELD: &str = "return [document.getElementsByTagName('*').length, window.__TAURI_INTERNALS__.callbacks.size];";

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

/// The least-squares slope of `y` over `x`.
fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let (mx, my) = points.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (num, den) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + (x - mx) * (y - my), b + (x - mx) * (x - mx)));
    num / den
}

#[tokio::main]
async fn main() {
    let seconds: u64 =
        std::env::var("BERTH_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    let prefix = format!("berth-bench-streams-{}", std::process::id());
    let mut cleanup = Cleanup::default();
    let script = r#"i=0; while :; do i=$((i+1)); echo "$HOSTNAME line $i: GET /api/items?page=$i 200 0.42ms"; usleep 20000; done"#;
    for n in 0..FOLLOWERS {
        let name = format!("{prefix}-{n:02}");
        cleanup.container(&name);
        docker(&["run", "-d", "--name", &name, BUSYBOX, "sh", "-c", script]);
    }

    let app = App::launch(&[]).await;
    let filter = app.by_role("searchbox", "Filter containers").await;
    filter.send_keys(&prefix).await.unwrap();
    app.by_role("row", &format!("{prefix}-{:02}", FOLLOWERS - 1)).await;
    app.by_role("checkbox", "Select all shown").await.click().await.unwrap();
    app.by_role("button", &format!("Logs of {FOLLOWERS} selected")).await.click().await.unwrap();
    let log = app.by_role_containing("log", "Log of").await;
    app.wait_for("lines of the last container", || async {
        app.text(&log).await.contains(&format!("{prefix}-{:02}", FOLLOWERS - 1)).then_some(())
    })
    .await;

    eprintln!("following {FOLLOWERS} containers for {seconds} s…");
    let started = Instant::now();
    let look = || async {
        let held = app.client.execute(HELD, vec![]).await.unwrap();
        let at = started.elapsed().as_secs();
        eprintln!("  {at} s: {} elements, {} callbacks; {}", held[0], held[1], app.app_pss_split());
        (at, app.app_pss_kb() / 1024)
    };
    let mut memory = vec![look().await];
    let processes: Vec<(String, u32)> =
        app.app_processes().into_iter().map(|p| (procs::name(p), p)).collect();
    let used = procs::CpuSince::start(&processes);
    let timestamps = app.by_role("checkbox", "Timestamps").await;
    let clicker = clicks::Clicker::start(&app, &timestamps, CLICK_EVERY).await;
    // PSS as often as a click: the garbage collector's swings show as each minute's low and high.
    let mut samples: Vec<(u64, u64)> = Vec::new();
    let mut next_memory = MEMORY_EVERY;
    while started.elapsed() < Duration::from_secs(seconds) {
        samples.push((started.elapsed().as_secs(), app.app_pss_kb() / 1024));
        if started.elapsed() >= next_memory {
            memory.push(look().await);
            next_memory += MEMORY_EVERY;
        }
        tokio::time::sleep(CLICK_EVERY).await;
    }
    let clicks = clicker.waits(&app).await;
    let followed = started.elapsed().as_secs_f64();
    let cpu: Vec<String> = used
        .seconds()
        .into_iter()
        .map(|(name, seconds)| format!("{name} {:.1} %", 100.0 * seconds / followed))
        .collect();
    let status = app.text(&app.by_role("status", "Log status").await).await;
    let split = app.app_pss_split();
    app.quit().await;

    println!("{FOLLOWERS} containers followed in one log view for {seconds} s (release app)");
    println!(
        "  click -> next frame: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms over {} clicks   (limit 100 ms; ratio {:.2})",
        percentile(&clicks, 0.5),
        percentile(&clicks, 0.95),
        percentile(&clicks, 1.0),
        clicks.len(),
        percentile(&clicks, 0.95) / 100.0
    );
    let shown: Vec<String> = memory.iter().map(|(s, mb)| format!("{s} s: {mb}")).collect();
    println!("  PSS (MB): {}", shown.join(", "));
    if memory.len() > 3 {
        let (second, last) = (memory[2].1 as i64, memory[memory.len() - 1].1 as i64);
        println!("  from minute 2 to the end: {:+} MB   ({split})", last - second);
    }
    // Each minute's lowest and highest sample; the lows are what the view holds between the
    // collector's rounds, so a rise in them is growth and the gap between the two is its swing.
    let minutes = samples.last().map_or(0, |(at, _)| at / 60 + 1);
    let lows_highs: Vec<(u64, u64, u64)> = (0..minutes)
        .filter_map(|m| {
            let v: Vec<u64> =
                samples.iter().filter(|(at, _)| at / 60 == m).map(|(_, mb)| *mb).collect();
            Some((m + 1, *v.iter().min()?, *v.iter().max()?))
        })
        .collect();
    let shown: Vec<String> =
        lows_highs.iter().map(|(m, lo, hi)| format!("{m}: {lo}-{hi}")).collect();
    println!(
        "  PSS each minute, low-high of a sample every {} s (MB): {}",
        CLICK_EVERY.as_secs(),
        shown.join(", ")
    );
    // The view's buffer is full after about 100 s; from minute 3 on nothing should grow.
    if let (Some(first), Some(last)) = (lows_highs.get(2), lows_highs.last()) {
        let swing = lows_highs[2..].iter().map(|(_, lo, hi)| hi - lo).max().unwrap_or(0);
        println!(
            "  lows from minute 3 to the end: {} -> {} MB ({:+} MB); widest swing in a minute {swing} MB",
            first.1,
            last.1,
            last.1 as i64 - first.1 as i64
        );
        let lows: Vec<(f64, f64)> =
            lows_highs[2..].iter().map(|(m, lo, _)| (*m as f64, *lo as f64)).collect();
        if lows.len() > 2 {
            println!(
                "  trend of those lows: {:+.1} MB a minute (least squares over {} minutes)",
                slope(&lows),
                lows.len()
            );
        }
    }
    println!("  CPU while following, % of one core: {}", cpu.join(", "));
    println!("  the view's status at the end: {status}");
}
