# Shared environment for scripts/run.sh and scripts/test.sh (sourced, not run).
# Installs what is missing; every step is skipped when already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${CLAVE_CACHE:-$HOME/.cache/clave}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
mkdir -p "$CACHE"

CARGO_LEPTOS_VERSION=0.3.10

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Stages: `stage NAME` ends the running stage and starts NAME; `stage_summary`
# prints how long each took (also when a later step fails, from the EXIT trap).
STAGES=()
STAGE_NAME=""
STAGE_START=0
stage() {
  local now
  now=$(date +%s)
  if [ -n "$STAGE_NAME" ]; then
    STAGES+=("$(printf '%6ss  %s' "$((now - STAGE_START))" "$STAGE_NAME")")
  fi
  STAGE_NAME="$1"
  STAGE_START=$now
  [ -n "$1" ] && say "$1"
  return 0
}
stage_summary() {
  stage ""
  [ "${#STAGES[@]}" -gt 0 ] || return 0
  say "Duration of each stage"
  printf '%s\n' "${STAGES[@]}"
  # A full disk once failed a CI run: say how close this one came.
  if [ -d "${CARGO_TARGET_DIR:-}" ]; then
    printf 'Build directory %s, %s free on its disk\n' \
      "$(du -sh "$CARGO_TARGET_DIR" 2>/dev/null | cut -f1)" \
      "$(df -h --output=avail "$CARGO_TARGET_DIR" | tail -1 | tr -d ' ')"
  fi
  STAGES=()
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes, once)"
    # A build tool, not the product: opt-level 1 compiles it in 9.7 minutes
    # on 2 cores instead of 12.6, and it builds the same site.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
      CARGO_TARGET_DIR="$CACHE/tools-target" \
      cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  # The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  local wb
  wb=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb"; then
    say "Installing wasm-bindgen-cli $wb (about 4 minutes, once)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_TARGET_DIR="$CACHE/tools-target" \
      cargo install wasm-bindgen-cli --version "$wb" --force
  fi
}

ensure_node_packages() {
  # wasm-opt comes from npm's binaryen (Debian's is too old and breaks hydration).
  if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] \
    || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "Installing npm packages (binaryen, Playwright, axe-core, MailDev)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    say "Installing Debian's Chromium"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  fi
  export CHROMIUM_PATH="$(command -v chromium)"
}

ensure_python_stdnum() {
  local venv="$CACHE/venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import stdnum' 2>/dev/null; then
    say "Installing python-stdnum (the cédula reference) in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check python-stdnum==2.2
  fi
  export CLAVE_PYTHON="$venv/bin/python"
}

ensure_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    say "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "PostgreSQL is not reachable on 127.0.0.1:5432; the tests need it." >&2
    exit 1
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits up to 30 s for URL $1 to answer while process $2 runs; on failure
# prints log $3 of $4 and fails.
wait_for() {
  for _ in $(seq 1 60); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.5
  done
  echo "$4 did not start; its log:" >&2
  cat "$3" >&2
  return 1
}

# Starts MailDev (a real SMTP server with a REST API) on free loopback ports;
# sets CLAVE_TEST_SMTP_URL and MAILDEV_URL. Stopped at exit.
start_maildev() {
  local smtp web
  smtp=$(free_port)
  web=$(free_port)
  maildev --ip 127.0.0.1 --smtp "$smtp" --web "$web" --web-ip 127.0.0.1 --silent \
    >"$CACHE/maildev.log" 2>&1 &
  MAILDEV_PID=$!
  export CLAVE_TEST_SMTP_URL="smtp://127.0.0.1:$smtp"
  export MAILDEV_URL="http://127.0.0.1:$web"
  wait_for "$MAILDEV_URL/api/healthz" "$MAILDEV_PID" "$CACHE/maildev.log" MailDev
}

stop_all() {
  stop_release_server
  if [ -n "${MAILDEV_PID:-}" ]; then
    kill "$MAILDEV_PID" 2>/dev/null || true
    MAILDEV_PID=
  fi
  stage_summary
}

# The release build the benches measure (quiet unless it fails: then again,
# loudly). -P: every asset also brotli- and gzip-compressed, as served.
build_release() {
  cargo leptos build --release --cargo-locked -P >/dev/null 2>&1 \
    || cargo leptos build --release --cargo-locked -P
}

# Writes the step table of the release build (`clave steps`) to $1/steps.json
# and exports CLAVE_STEPS: the benches take every page's path from it.
write_step_table() {
  CLAVE_MODE=development "$CARGO_TARGET_DIR/release/clave" steps >"$1/steps.json"
  export CLAVE_STEPS="$1/steps.json"
}

# Starts the release binary on a free loopback port with an SQLite database in
# directory $1, in development mode unless CLAVE_MODE says otherwise; sets
# CLAVE_BASE_URL and SERVER_PID. Extra settings come from the caller's
# environment. Stopped by stop_release_server (or at exit).
start_release_server() {
  local dir="$1" port
  port=$(free_port)
  CLAVE_MODE="${CLAVE_MODE:-development}" \
    LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_OUTPUT_NAME=clave LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$dir/clave.sqlite3?mode=rwc" \
    "$CARGO_TARGET_DIR/release/clave" serve >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  trap stop_all EXIT
  export CLAVE_BASE_URL="http://127.0.0.1:$port"
  wait_for "$CLAVE_BASE_URL/readyz" "$SERVER_PID" "$dir/server.log" "the server"
}

stop_release_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
