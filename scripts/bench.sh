#!/usr/bin/env bash
# Benchmarks; each prints its figures and a ratio against the raw Engine API of the same run.
#   list     (a) list_containers path vs curl --unix-socket, with 500 containers
#   startup  (b) release app: process start to painted list (500 containers), PSS after 20 s idle
#   live     (c) CLI docker stop/start -> row shows it, 50 times, p50/p95
#   logs     log replay (pipeline and window) and a firehose, vs the raw API (tests/bench/logs.rs)
#   webkit   the window's WebKit settings side by side: start-up, idle PSS, a regex search over
#            100,000 log lines, a click during a firehose (tests/bench/webkit.rs)
#   map      the Map view, 200 containers on 20 networks: layout, first paint, frames while panning
#   switch   the window moved between two connected engines (the local socket and the second
#            engine over TLS), 500 containers each: click -> the other list painted
#   idle     CPU over 60 s with 100 containers: window shown, hidden in the tray, stats columns on
#            with 20 running, shown and hidden; the same stats from the docker CLI
#            (tests/bench/idle.rs)
#   scale    10,000 containers: start-up, idle memory, filtering, scrolling, a burst of 1,000
#            created by the CLI (tests/bench/scale.rs)
#   streams  20 chatty containers followed in one log view for 10 minutes: clicks and memory
# The app ones build the release app and run it in a virtual display with a session bus, as on a
# desktop.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

which="${1:-}"
case "$which" in
  list | startup | live | logs | webkit | map | switch | idle | scale | streams) ;;
  *) die "usage: scripts/bench.sh list|startup|live|logs|webkit|map|switch|idle|scale|streams" ;;
esac

ensure_packages "${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_rust
ensure_node
ensure_dockerd
bash scripts/fixtures.sh
[ "$which" != switch ] || ensure_tls_engine
FEATURES=(--locked --features custom-protocol)

if [ "$which" = list ]; then
  exec cargo bench "${FEATURES[@]}" --quiet --bench list
fi

case "$which" in startup | idle) ;; *) ensure_tauri_driver ;; esac
say "building the release app"
npm --prefix ui run --silent build >/dev/null
cargo build "${FEATURES[@]}" --release --quiet
export BERTH_APP="$ROOT/target/release/berth" BERTH_LOG="${BERTH_LOG:-warn}"
exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo bench "${FEATURES[@]}" --quiet --bench "$which" -- "${2:-all}"
