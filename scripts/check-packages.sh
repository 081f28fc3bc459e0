#!/usr/bin/env bash
# The packages tier of scripts/test.sh: build the .deb and .rpm, check what they hold and depend
# on, install the .deb as a user would, and run the end-to-end view tests against the installed
# /usr/bin/berth. The package is removed again afterwards.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_packages "${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
bash scripts/package.sh --debug
deb=$(ls target/debug/bundle/deb/*.deb)
rpm=$(ls target/debug/bundle/rpm/*.rpm)
fail() { die "packages: $*"; }

depends=$(dpkg-deb -f "$deb" Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1; do
  [[ "$depends" == *"$dep"* ]] || fail "the .deb does not depend on $dep (Depends: $depends)"
done
files=$(dpkg-deb -c "$deb")
for f in usr/bin/berth usr/share/applications/Berth.desktop usr/share/icons/hicolor/128x128/apps/berth.png; do
  grep -q " \./$f$\| $f$" <<<"$files" || fail "the .deb has no $f"
done
entry=$(mktemp -d)
dpkg-deb -x "$deb" "$entry"
desktop-file-validate "$entry/usr/share/applications/Berth.desktop" || fail "the desktop entry is not valid"
grep -qx "Exec=berth" "$entry/usr/share/applications/Berth.desktop" || fail "the desktop entry does not start berth"
rm -rf "$entry"

requires=$(rpm -qpR "$rpm" 2>/dev/null)
grep -qi "webkit2gtk4.1\|libwebkit2gtk-4.1" <<<"$requires" || fail "the .rpm does not require WebKitGTK 4.1 (Requires: $requires)"
# Read the listing into a variable first: with pipefail, `rpm -qpl | grep -q` fails whenever grep
# stops reading at its match before rpm has written everything (rpm then dies of SIGPIPE).
listing=$(rpm -qpl "$rpm" 2>/dev/null)
grep -qx /usr/bin/berth <<<"$listing" || fail "the .rpm has no /usr/bin/berth"
grep -qx /usr/share/applications/Berth.desktop <<<"$listing" || fail "the .rpm has no desktop entry"

say "installing $deb"
apt-get install -y -q "./$deb" >/dev/null
trap 'apt-get remove -y -q berth >/dev/null 2>&1 || true' EXIT
[ -x /usr/bin/berth ] || fail "installing the .deb gave no /usr/bin/berth"
say "the installed app, end to end"
BERTH_APP=/usr/bin/berth BERTH_LOG="${BERTH_LOG:-warn}" xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- cargo test --locked --features custom-protocol --test e2e --quiet views
