//! Benchmark: the Map view with 200 containers on 20 networks (some on two), in the release app.
//! Prints the layout time (in its worker), the time from opening the view to every node
//! painted, and the longest frame while panning (120 frames, one pointer move each), against the
//! named limits (layout under 100 ms, no frame over 50 ms). Run with `bash scripts/bench.sh map`.

#[path = "../support/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../support/procs.rs"]
#[allow(dead_code)]
mod procs;

use serde_json::json;

use cli::{docker, unique, Cleanup, BUSYBOX};
use harness::App;

const NETWORKS: usize = 20;
const CONTAINERS: usize = 200;

/// Open the map and resolve with [ms from the click to every node painted, layout ms].
const OPEN_MAP: &str = r#"
const [nodes, done] = arguments;
const t0 = performance.now();
const button = Array.from(document.querySelectorAll('button')).find((b) => b.textContent.trim() === 'Map');
const ready = () => document.querySelectorAll('[data-node]').length >= nodes;
const finish = () => requestAnimationFrame(() => {
  const svg = document.querySelector('svg[data-layout-ms]');
  done([performance.now() - t0, Number(svg ? svg.getAttribute('data-layout-ms') : -1)]);
});
const obs = new MutationObserver(() => { if (ready()) { obs.disconnect(); finish(); } });
obs.observe(document.body, { subtree: true, childList: true, attributes: true });
button.click();
setTimeout(() => { obs.disconnect(); done(null); }, 20000);
"#;

/// Drag the map, one pointer move per frame for 120 frames; resolve with the frame times.
const PAN: &str = r#"
const [done] = arguments;
const svg = document.querySelector('svg[data-layout-ms]').parentElement.parentElement;
const r = svg.getBoundingClientRect();
const at = (x, y) => ({ clientX: r.left + x, clientY: r.top + y, button: 0, pointerId: 1, bubbles: true });
svg.dispatchEvent(new PointerEvent('pointerdown', at(5, 5)));
const frames = [];
let last = performance.now(), i = 0;
const step = (now) => {
  frames.push(now - last);
  last = now;
  i++;
  svg.dispatchEvent(new PointerEvent('pointermove', at(5 + (i % 200), 5 + ((i * 3) % 150))));
  if (i < 120) requestAnimationFrame(step);
  else { svg.dispatchEvent(new PointerEvent('pointerup', at(5, 5))); done(frames.slice(1)); }
};
requestAnimationFrame(step);
"#;

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let mut cleanup = Cleanup::default();
    let tag = unique("bench-map");
    let nets: Vec<String> = (0..NETWORKS).map(|i| format!("{tag}-net-{i}")).collect();
    let names: Vec<String> = (0..CONTAINERS).map(|i| format!("{tag}-c-{i}")).collect();
    for n in &names {
        cleanup.container(n);
    }
    for n in &nets {
        cleanup.network(n);
    }
    for (i, n) in nets.iter().enumerate() {
        docker(&["network", "create", "--subnet", &format!("10.231.{i}.0/24"), n]);
    }
    for (i, c) in names.iter().enumerate() {
        docker(&["create", "--name", c, "--network", &nets[i % NETWORKS], BUSYBOX]);
        if i % 7 == 0 {
            docker(&["network", "connect", &nets[(i + 1) % NETWORKS], c]);
        }
    }

    let app = App::launch(&[]).await;
    app.wait_connected().await;
    app.by_role("row", &names[0]).await;
    let opened = app
        .client
        .execute_async(OPEN_MAP, vec![json!(NETWORKS + CONTAINERS)])
        .await
        .expect("open the map");
    let opened = opened
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("the map never showed every node: {opened}"));
    let (painted, layout) = (opened[0].as_f64().unwrap(), opened[1].as_f64().unwrap());
    let frames = app.client.execute_async(PAN, vec![]).await.expect("pan the map");
    let frames: Vec<f64> = frames.as_array().unwrap().iter().filter_map(|f| f.as_f64()).collect();
    app.quit().await;

    println!("map of {CONTAINERS} containers on {NETWORKS} networks (release app)");
    println!(
        "  layout (in a worker)             : {layout:6.1} ms   (limit 100 ms; ratio {:.2})",
        layout / 100.0
    );
    println!("  open the view -> every node shown: {painted:6.1} ms");
    println!(
        "  panning, {} frames              : p50 {:5.1} ms, max {:5.1} ms   (limit 50 ms; ratio {:.2})",
        frames.len(),
        percentile(&frames, 0.5),
        percentile(&frames, 1.0),
        percentile(&frames, 1.0) / 50.0
    );
}
