#!/usr/bin/env bash
# Back-pressure (issue 12, item 8): a flood of logins against a release build
# on 127.0.0.1 (SQLite file, development mode), the per-client login budget
# raised so argon2 is what is flooded. Prints per round the answers by status
# (422 compared, 503 + Retry-After refused at once), the slowest answer, a
# page fetched meanwhile and the server's resident memory; then its growth.
# Usage: bench/flood.sh [rounds=8] [logins at once=300]   (loopback only, bounded)
source "$(dirname "$0")/../scripts/env.sh"
ensure_rust_tools
ensure_node_packages
cd "$ROOT"
ROUNDS="${1:-8}"
CONCURRENT="${2:-300}"

say "Release build"
build_release

dbdir=$(mktemp -d)
write_step_table "$dbdir"
CLAVE_IP_LOGINS_PER_HOUR=100000 RUST_LOG=warn start_release_server "$dbdir"
say "Flood: $ROUNDS rounds of $CONCURRENT logins at once (queue ${CLAVE_HASH_QUEUE_LENGTH:-64}, $(nproc) cores)"
python3 "$ROOT/bench/flood.py" "$CLAVE_BASE_URL" "$SERVER_PID" "$ROUNDS" "$CONCURRENT"
stop_release_server
rm -rf "$dbdir"
