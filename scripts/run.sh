#!/usr/bin/env bash
# Builds and runs Clave on the embedded default: an SQLite file, demo data and
# the development mailbox. Prints the URL and the demo cédulas.
source "$(dirname "$0")/env.sh"
ensure_rust_tools
ensure_node_packages
cd "$ROOT"
export DATABASE_URL="${DATABASE_URL:-sqlite://$ROOT/clave.sqlite3?mode=rwc}"
# The server starts in production mode unless told otherwise; this is the
# embedded default with demo data and the development mailbox, so say so.
export CLAVE_MODE=development
say "Building (release) and starting the server"
exec cargo leptos serve --release -P
