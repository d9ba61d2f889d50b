#!/usr/bin/env bash
# The captcha's solve time (the bytes each page loads are bench/size.sh's):
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
build_release

dbdir=$(mktemp -d)
write_step_table "$dbdir"
CLAVE_IP_FLOW_STARTS_PER_HOUR=100000 RUST_LOG=warn start_release_server "$dbdir"

say "Captcha solve time in Chromium ($RUNS runs each)"
CLAVE_ROOT="$ROOT" node "$ROOT/bench/solve.mjs" "$CLAVE_BASE_URL" "$RUNS"
rm -rf "$dbdir"
