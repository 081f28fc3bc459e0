#!/usr/bin/env bash
# Build Berth's Linux packages: a .deb and an .rpm, with the desktop entry, the icons and their
# runtime dependencies (WebKitGTK 4.1, GTK 3, Ayatana AppIndicator). Release build by default;
# `--debug` makes the same packages from a debug build (what the tests install).
#   bash scripts/package.sh [--debug] [--bundles deb,rpm,appimage]
# AppImage bundling downloads its tools from the internet: ask for it with --bundles on a machine
# that can reach it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_packages "${RUN_PACKAGES[@]}"
ensure_rust
ensure_node
bundles=deb,rpm
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bundles) bundles="$2"; shift 2 ;;
    --debug) args+=(--debug); shift ;;
    *) die "usage: scripts/package.sh [--debug] [--bundles deb,rpm,appimage]" ;;
  esac
done
npm --prefix ui exec -- tauri build "${args[@]}" --bundles "$bundles" --features custom-protocol -- --locked
profile=release
[ "${#args[@]}" -gt 0 ] && profile=debug
say "packages in target/$profile/bundle:"
find "target/$profile/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' -o -name '*.AppImage' \) >&2
