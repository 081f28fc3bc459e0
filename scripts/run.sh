#!/usr/bin/env bash
# Run Berth against the local Docker engine, from a fresh Debian 12 machine (as root) or a used
# one: installs what is missing, starts dockerd when no engine answers, then `tauri dev`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_packages "${RUN_PACKAGES[@]}"
ensure_rust
ensure_node
ensure_dockerd
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || die "no display: run this from a desktop session (or under xvfb-run)"
exec npm --prefix ui exec -- tauri dev "$@"
