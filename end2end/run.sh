#!/usr/bin/env bash
# Called by `cargo leptos end-to-end` once it has started the server: wait until
# the server answers, then run the Playwright journeys.
set -euo pipefail
cd "$(dirname "$0")"
base="${CLAVE_BASE_URL:-http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}}"
export CLAVE_BASE_URL="$base"
for _ in $(seq 1 120); do
  if curl -fsS "$base/readyz" >/dev/null 2>&1; then break; fi
  sleep 1
done
curl -fsS "$base/readyz" >/dev/null || { echo "server did not become ready at $base" >&2; exit 1; }
exec npx playwright test "$@"
