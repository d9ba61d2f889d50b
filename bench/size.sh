#!/usr/bin/env bash
# What a first visit downloads (issue 13, item 3): for the start page, every
# step of a recovery and of a first request, and the call-back form, the HTML
# and each asset it names, raw, gzip and brotli as the release server sends
# them, each page's total, and the 150 KiB brotli budget per first visit.
# Usage: bench/size.sh   (talks only to a server it starts on 127.0.0.1)
source "$(dirname "$0")/../scripts/env.sh"
ensure_rust_tools
cd "$ROOT"

say "Release build"
cargo leptos build --release --cargo-locked -P >/dev/null 2>&1 \
  || cargo leptos build --release --cargo-locked -P

dbdir=$(mktemp -d)
RUST_LOG=warn start_release_server "$dbdir"
python3 "$ROOT/bench/size.py" "$CLAVE_BASE_URL" "$dbdir/clave.sqlite3"
stop_release_server
rm -rf "$dbdir"
