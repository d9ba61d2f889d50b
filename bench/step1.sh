#!/usr/bin/env bash
# Figures for the start page and the captcha (issue: foundation, step 1):
#  - raw / gzip / brotli sizes of the WASM, JS and CSS the page loads (release build);
#  - captcha solve time in headless Chromium at the default difficulty, unthrottled and
#    with 4x CPU throttling (a low-end phone).
# Usage: bench/step1.sh [runs]   (talks only to a server it starts on 127.0.0.1)
source "$(dirname "$0")/../scripts/env.sh"
ensure_rust_tools
ensure_node_packages
ensure_chromium
cd "$ROOT"
RUNS="${1:-12}"

say "Release build with precompressed assets"
cargo leptos build --release -P --cargo-locked >/dev/null 2>&1 \
  || cargo leptos build --release -P --cargo-locked

pkg="$ROOT/target/site/pkg"
printf '\n%-12s %10s %10s %10s\n' asset raw gzip brotli
total_br=0
for f in clave.wasm clave.js clave.css; do
  raw=$(stat -c %s "$pkg/$f")
  gz=$(stat -c %s "$pkg/$f.gz" 2>/dev/null || gzip -9c "$pkg/$f" | wc -c)
  br=$(stat -c %s "$pkg/$f.br" 2>/dev/null || echo 0)
  awk -v f="$f" -v r="$raw" -v g="$gz" -v b="$br" \
    'BEGIN { printf "%-12s %9.1fK %9.1fK %9.1fK\n", f, r/1024, g/1024, b/1024 }'
  case $f in clave.wasm|clave.js) total_br=$((total_br + br)) ;; esac
done
awk -v t="$total_br" 'BEGIN { printf "WASM + JS brotli: %.1f KiB (target <= 150 KiB)\n\n", t/1024 }'

dbdir=$(mktemp -d)
CLAVE_IP_FLOW_STARTS_PER_HOUR=100000 RUST_LOG=warn start_release_server "$dbdir"

say "Captcha solve time in Chromium ($RUNS runs each)"
CLAVE_ROOT="$ROOT" node "$ROOT/bench/solve.mjs" "$CLAVE_BASE_URL" "$RUNS"
rm -rf "$dbdir"
