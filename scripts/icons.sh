#!/usr/bin/env bash
# Regenerate every app and tray icon from icons/berth.svg (the only hand-made icon file).
set -euo pipefail
cd "$(dirname "$0")/.."
npm --prefix ui exec -- tauri icon icons/berth.svg -o icons >/dev/null 2>&1
# Berth ships for desktops only: drop the mobile and Windows Store sizes.
rm -rf icons/android icons/ios icons/Square*Logo.png icons/StoreLogo.png
ls icons
