#!/usr/bin/env bash
# What a first visit downloads, and how fast it feels on a slow phone (issue 13,
# item 3):
#  - for the start page, every step of a recovery and of a first request, and
#    the call-back form: the HTML and each asset it loads, raw, gzip and brotli
#    as the release server sends them, each page's total against the 150 KiB
#    brotli budget (size.py);
#  - Lighthouse 12.2.3, mobile (its default: simulated slow 4G and 4x CPU), on
#    the start page and step 1: performance score (target >= 98), LCP, bytes;
#  - step 1 in Chromium at 1.6 Mbps, 150 ms RTT and 4x CPU: first paint, captcha
#    live (target <= 3 s after navigation), and tick to "Verificado" (mobile.mjs).
# Usage: bench/size.sh [runs]   (talks only to a server it starts on 127.0.0.1)
source "$(dirname "$0")/../scripts/env.sh"
ensure_rust_tools
ensure_node_packages
ensure_chromium
cd "$ROOT"
RUNS="${1:-5}"

say "Release build"
build_release

dbdir=$(mktemp -d)
write_step_table "$dbdir"
step_path() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["path"])' "$CLAVE_STEPS" "$1"; }
CLAVE_IP_FLOW_STARTS_PER_HOUR=100000 RUST_LOG=warn start_release_server "$dbdir"

say "First-visit bytes per page"
python3 "$ROOT/bench/size.py" "$CLAVE_BASE_URL" "$dbdir/clave.sqlite3" "$CLAVE_STEPS"

say "Lighthouse mobile (performance)"
LH="$CACHE/lighthouse"
if [ ! -x "$LH/node_modules/.bin/lighthouse" ]; then
  npm install --prefix "$LH" --no-audit --no-fund --loglevel=error lighthouse@12.2.3 >/dev/null
fi
for path in / "$(step_path RecoverySearch)"; do
  "$LH/node_modules/.bin/lighthouse" "$CLAVE_BASE_URL$path" --quiet \
    --only-categories=performance --output=json --output-path="$dbdir/lh.json" \
    --chrome-path="${CHROMIUM_PATH:-/usr/bin/chromium}" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
  python3 - "$path" "$dbdir/lh.json" <<'PY'
import json, sys
path, report = sys.argv[1], json.load(open(sys.argv[2]))
a = report["audits"]
score = round(report["categories"]["performance"]["score"] * 100)
print(f"{path:<20} performance {score:3d} (target >= 98)  "
      f"FCP {a['first-contentful-paint']['displayValue']}  LCP {a['largest-contentful-paint']['displayValue']}  "
      f"TBT {a['total-blocking-time']['displayValue']}  transferred {a['total-byte-weight']['numericValue'] / 1024:.1f} KiB")
PY
done

say "Step 1 on a slow phone ($RUNS runs, empty cache each)"
CLAVE_ROOT="$ROOT" node "$ROOT/bench/mobile.mjs" "$CLAVE_BASE_URL" "$(step_path RecoverySearch)" "$RUNS"
stop_release_server
rm -rf "$dbdir"
