#!/usr/bin/env bash
# Enumeration (issue 12, item 6): for every form that takes a cédula, the same
# answer and the same time for a registered and an unregistered one. Against a
# release build on 127.0.0.1 (SQLite file, development mailbox), the per-client
# budgets raised so they do not answer first; per-cédula limits are never
# reached (each cédula is used once). Prints, per form, whether the answers
# were the same and the medians of each kind with their difference.
# Usage: bench/enumeration.sh [tries per kind=60]   (loopback only, bounded)
source "$(dirname "$0")/../scripts/env.sh"
ensure_rust_tools
ensure_node_packages
cd "$ROOT"
TRIES="${1:-60}"

say "Release build"
build_release

dbdir=$(mktemp -d)
CLAVE_IP_FLOW_STARTS_PER_HOUR=100000 CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR=100000 \
  CLAVE_IP_LOGINS_PER_HOUR=100000 CLAVE_IP_CALLBACKS_PER_HOUR=100000 \
  RUST_LOG=warn start_release_server "$dbdir"

python3 "$ROOT/bench/enumeration.py" "$CLAVE_BASE_URL" "$dbdir/clave.sqlite3" "$TRIES"
stop_release_server
rm -rf "$dbdir"
