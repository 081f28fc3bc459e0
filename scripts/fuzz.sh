#!/usr/bin/env bash
# Fuzz the run dialog's parsers (src-tauri/engine/spec/), one libFuzzer target per parser, the
# network address parsers (src-tauri/engine/networks/ipam.rs), and
# the log frame decoder (src-tauri/engine/logs/frames.rs), each for RUNS executions (default
# 1,000,000). Installs cargo-fuzz when it is missing.
#   bash scripts/fuzz.sh                 # every target
#   RUNS=5000000 bash scripts/fuzz.sh port
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
runs="${RUNS:-1000000}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(port volume env restart image words logs cidr)
# cargo-fuzz passes unstable flags; the machine's stable toolchain accepts them this way. The
# parsers hold no unsafe code, so libFuzzer runs without a sanitizer and reports any panic.
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  say "fuzz $t: $runs runs"
  # libFuzzer exits non-zero on a crash: keep its status, not the filter's.
  set +e
  cargo fuzz run --sanitizer none "$t" -- -runs="$runs" -max_len=256 2>&1 |
    grep -E "^(Done|==|thread|panicked|SUMMARY|artifact)|Done [0-9]+ runs"
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" -eq 0 ] || die "fuzz $t found a crash (see fuzz/artifacts/$t)"
done
say "every target ran $runs times without a crash"
