#!/usr/bin/env bash
# Whole recoveries under load (issue: recuperar clave end to end):
#  - N synthetic affiliates, each doing one complete recovery at the same time
#    (search, birth date, code, two answers, new clave, login), against a release
#    build on 127.0.0.1 with an SQLite file and the development mailbox;
#  - recoveries/s, p50/p99 per step, the server's peak memory, and the raw
#    argon2id hashes/s of this machine measured in the same run, as a ratio.
# Usage: bench/recovery_load.sh [N=40] [concurrency=N]   (loopback only, bounded)
source "$(dirname "$0")/../scripts/env.sh"
ensure_rust_tools
ensure_node_packages
cd "$ROOT"
N="${1:-40}"
CONCURRENCY="${2:-$N}"

say "Release build"
build_release

say "Raw argon2id rate on this machine"
RATE=$(CLAVE_MODE=development "$CARGO_TARGET_DIR/release/clave" argon2-rate --seconds 5 | awk '{print $2}')
echo "argon2id hashes/s (all cores): $RATE"

dbdir=$(mktemp -d)
write_step_table "$dbdir"
CLAVE_IP_FLOW_STARTS_PER_HOUR=100000 CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR=100000 \
  CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR=100000 CLAVE_IP_CODE_SENDS_PER_HOUR=100000 \
  CLAVE_IP_LOGINS_PER_HOUR=100000 RUST_LOG=warn start_release_server "$dbdir"

say "$N recoveries, $CONCURRENCY at a time"
python3 "$ROOT/bench/recovery_load.py" "$CLAVE_BASE_URL" "$dbdir/clave.sqlite3" "$N" \
  "$CONCURRENCY" "$RATE" "$SERVER_PID"
stop_release_server
rm -rf "$dbdir"
