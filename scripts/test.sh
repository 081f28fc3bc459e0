#!/usr/bin/env bash
# Every test tier, from a fresh Debian 12 machine (as root) or a used one: installs what is
# missing, starts dockerd and the local registry when they are not running, makes the test
# images, then runs Rust lints, UI checks and unit tests, Rust unit tests (with the bindings
# drift check), engine integration tests, end-to-end tests in a virtual display, and the
# packages (built, inspected, the .deb installed and its app run end to end).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

started=$SECONDS
step() { say "$* ($((SECONDS - started)) s)"; }

step "set-up"
ensure_packages "${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_rust
ensure_node
ensure_tauri_driver
ensure_dockerd
ensure_registry
ensure_auth_registry
bash scripts/fixtures.sh
ensure_tls_engine
ensure_sshd
ensure_podman

FEATURES=(--locked --features custom-protocol)

step "UI: svelte-check and unit tests"
npm --prefix ui run --silent check
npm --prefix ui run --silent test

step "UI build (embedded in the app)"
npm --prefix ui run --silent build >/dev/null

step "Rust: format and clippy"
cargo fmt --check
cargo clippy "${FEATURES[@]}" --all-targets --quiet -- -D warnings

step "Rust unit tests (and ui/src/bindings.ts drift)"
cargo test "${FEATURES[@]}" --lib --quiet

step "engine integration tests"
# In a zone away from UTC (half an hour off, too), so a list that showed UTC as local time fails.
TZ=IST-5:30 cargo test "${FEATURES[@]}" --test engine --quiet

step "end-to-end tests (the built app under Xvfb)"
cargo build "${FEATURES[@]}" --quiet
BERTH_LOG="${BERTH_LOG:-warn}" xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- cargo test "${FEATURES[@]}" --test e2e --quiet

step "packages: build the .deb and .rpm, install the .deb, run the installed app"
bash scripts/check-packages.sh

step "all tiers passed"
