#!/usr/bin/env bash
# Runs every test: unit, property and differential tests, service tests on
# SQLite and PostgreSQL, HTTP tests, and the Playwright journeys in Chromium.
source "$(dirname "$0")/env.sh"
# --update-aria: write the pinned screen-reader outlines (end2end/aria/) anew
# instead of comparing the pages with them; review the diff like code.
PLAYWRIGHT_ARGS=()
if [ "${1:-}" = "--update-aria" ]; then
  rm -rf "$ROOT/end2end/aria"
  PLAYWRIGHT_ARGS=(--update-snapshots)
elif [ $# -gt 0 ]; then
  say "unknown argument $1 (the only one is --update-aria)"; exit 2
fi
stage "Install what is missing"
ensure_rust_tools
ensure_node_packages
ensure_chromium
ensure_python_stdnum
ensure_postgres
cd "$ROOT"

# A fresh PostgreSQL database for this run; each test makes its own schema in it.
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS clave_test WITH (FORCE)"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE clave_test"
export CLAVE_TEST_PG_URL="postgres://postgres@127.0.0.1:5432/clave_test"

# A real SMTP server: the mail worker's tests and the journeys read codes from it.
start_maildev
trap stop_all EXIT

stage "Build the tests"
# The test shortcuts never reach the server binary's own dependencies.
if cargo tree --locked -p server -e normal,features -i app | grep -q test-support; then
  say "app's test-support feature reaches the server binary"; exit 1
fi
# The rules stay plain Rust: no web framework, database or runtime under them.
if cargo tree --locked -p domain --all-features -e normal --prefix none |
  grep -E '^(leptos|sea-orm|sqlx|axum|tokio|hyper|tower)[ _-]'; then
  say "the domain crate depends on a web, database or runtime crate"; exit 1
fi
# Nothing heavy reaches the browser: Unicode tables, the clave dictionaries,
# the server's crates.
if cargo tree --locked -p frontend --target wasm32-unknown-unknown -e normal --prefix none |
  grep -E '^(unicode-normalization|zxcvbn|phonenumber|chrono-tz|sea-orm|axum|tokio|argon2|lettre) '; then
  say "a server-only crate reaches the browser's WASM"; exit 1
fi
# Shared UI does no I/O, and pages reach the database through services only.
if grep -rnE 'crate::services|\bentity::|sea_orm' app/src/components; then
  say "a shared component reaches the services or the database"; exit 1
fi
if grep -rnE '\bentity::|EntityTrait|QueryFilter' app/src/staff app/src/recovery app/src/request \
  app/src/shared_steps app/src/account app/src/contact; then
  say "a page reaches the database without the services"; exit 1
fi
cargo test --locked -p domain --all-features --no-run
cargo test --locked -p app --features test-support --no-run
cargo test --locked -p server -p entity -p migration --no-run

# Every test runs in parallel with the others, as requests do in production;
# a request in the HTTP tests that does not complete fails with its name.
stage "Unit, property, differential and service tests"
cargo test --locked -p domain --all-features
cargo test --locked -p app --features test-support
stage "HTTP tests"
cargo test --locked -p server -p entity -p migration

stage "Release build (server and WASM)"
# -P: every asset also brotli- and gzip-compressed once, served as they are.
cargo leptos build --release --cargo-locked -P
E2E_DIR="$CACHE/e2e"
rm -rf "$E2E_DIR" && mkdir -p "$E2E_DIR"
# The journeys take the pages' paths, titles and captions from the step table.
write_step_table "$E2E_DIR"
# The journeys start many flows from 127.0.0.1; the budgets have their own tests.
CLAVE_IP_FLOW_STARTS_PER_HOUR=100000 CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR=100000 \
  CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR=100000 CLAVE_IP_CODE_SENDS_PER_HOUR=100000 \
  CLAVE_IP_LOGINS_PER_HOUR=100000 CLAVE_CODE_RESEND_COOLDOWN_SECS=2 \
  CLAVE_IP_CALLBACKS_PER_HOUR=100000 \
  CLAVE_SMTP_URL="$CLAVE_TEST_SMTP_URL" start_release_server "$E2E_DIR"
# Staff accounts for the console journeys, made the way an operator makes them.
for project in desktop-js desktop-nojs phone-js phone-nojs desktop-js-en desktop-nojs-en; do
  for role in agent supervisor; do
    name="agente.$project"
    [ "$role" = supervisor ] && name="supervisor.$project"
    printf '%s\n' "faro lejano junto al Chimborazo" |
      CLAVE_MODE=development DATABASE_URL="sqlite://$E2E_DIR/clave.sqlite3?mode=rwc" \
        "$CARGO_TARGET_DIR/release/clave" create-staff --username "$name" --name "Prueba $project" --role "$role"
  done
done
stage "End-to-end tests (Chromium)"
# The flow-expiry journey moves a flow's deadline in this database, as time would.
# Every page checked for accessibility is noted here; the run ends by
# showing that every page of the table was, on every project.
(cd end2end && CLAVE_E2E_DB="$E2E_DIR/clave.sqlite3" CLAVE_A11Y_RECORD="$E2E_DIR/a11y-checked.tsv" \
  timeout 2700 npx playwright test "${PLAYWRIGHT_ARGS[@]}")
stage "Lighthouse accessibility (every page that needs nothing, phone and desktop)"
(cd end2end && timeout 900 node lighthouse.mjs)
stop_release_server
stage_summary
