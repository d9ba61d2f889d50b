#!/usr/bin/env bash
# Runs a `clave` subcommand (create-staff, questions, cleanup, migrate…) on the
# same database as scripts/run.sh, with the binary it built. Example:
#   printf '%s\n' 'una clave larga de varias palabras' | \
#     ./scripts/clave.sh create-staff --username ana.perez --name "Ana Pérez" --role supervisor
source "$(dirname "$0")/env.sh"
cd "$ROOT"
export DATABASE_URL="${DATABASE_URL:-sqlite://$ROOT/clave.sqlite3?mode=rwc}"
# The database of scripts/run.sh, which runs in development mode.
export CLAVE_MODE="${CLAVE_MODE:-development}"
bin="$CARGO_TARGET_DIR/release/clave"
if [ ! -x "$bin" ]; then
  say "Building the server binary (release)"
  cargo build --release --locked -p server
fi
exec "$bin" "$@"
