#!/usr/bin/env bash
# The README's pictures: the end-to-end test that checks the main views on a small scene saves
# them to docs/screenshots/. Run on an engine with no other containers, so only the scene shows.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_packages "${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_rust
ensure_node
ensure_tauri_driver
ensure_dockerd
bash scripts/fixtures.sh
others="$(docker ps -a --format '{{.Names}}' | grep -cvxE 'shop-(web|api|db)-1|docs-preview|migrate-once|scratch' || true)"
[ "$others" -eq 0 ] || say "warning: $others other containers on this engine will show in the pictures"

FEATURES=(--locked --features custom-protocol)
npm --prefix ui run --silent build >/dev/null
cargo build "${FEATURES[@]}" --quiet
BERTH_README_SHOTS="$ROOT/docs/screenshots" BERTH_LOG="${BERTH_LOG:-warn}" \
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo test "${FEATURES[@]}" --test e2e --quiet -- --exact readme::the_main_views_as_the_readme_shows_them
say "saved: $(ls docs/screenshots/*.png | tr '\n' ' ')"
