#!/usr/bin/env bash
# Web scanners against a local instance (issue 12, item 10): sqlmap over the
# public and staff forms that take free text, and wapiti over the whole site
# (crawled without JavaScript, as its forms work without it). Loopback only,
# bounded: sqlmap at level 1 / risk 1 per form, wapiti for at most
# SCAN_SECONDS. The release build runs in development mode with the per-client
# budgets raised, so the scanners meet the code and not the budgets.
# Usage: bench/scan.sh [SCAN_SECONDS=300]
source "$(dirname "$0")/../scripts/env.sh"
ensure_rust_tools
ensure_node_packages
cd "$ROOT"
SCAN_SECONDS="${1:-300}"
venv="$CACHE/scanners"
if [ ! -x "$venv/bin/sqlmap" ] || [ ! -x "$venv/bin/wapiti" ]; then
  say "Installing sqlmap and wapiti3 in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check sqlmap wapiti3
fi

say "Release build"
build_release

dbdir=$(mktemp -d)
out="$CACHE/scan-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
CLAVE_IP_FLOW_STARTS_PER_HOUR=100000 CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR=100000 \
  CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR=100000 CLAVE_IP_CODE_SENDS_PER_HOUR=100000 \
  CLAVE_IP_LOGINS_PER_HOUR=100000 CLAVE_IP_CALLBACKS_PER_HOUR=100000 \
  CLAVE_CEDULA_CALLBACKS_PER_DAY=1000 RUST_LOG=warn start_release_server "$dbdir"
case "$CLAVE_BASE_URL" in http://127.0.0.1:*) ;; *) echo "loopback only" >&2; exit 1 ;; esac

sqlmap_form() {
  local name="$1" path="$2" data="$3"
  say "sqlmap: $name ($path)"
  "$venv/bin/sqlmap" -u "$CLAVE_BASE_URL$path" --data "$data" --method POST \
    --headers "Accept: application/json" --batch --level 1 --risk 1 --threads 1 \
    --flush-session --output-dir "$out/sqlmap" --disable-coloring 2>&1 \
    | tee "$out/sqlmap-$name.log" \
    | grep -E "is vulnerable|might be injectable|appears to be|not injectable|all tested parameters|CRITICAL|WARNING.*(heuristic|no parameter)" || true
}
sqlmap_form recuperar /api/recuperar/buscar "cedula=1712345675&robot=si&flujo=recuperar"
sqlmap_form ingresar /api/ingresar "cedula=1712345675&clave=una+clave+cualquiera"
sqlmap_form llamada /api/contacto/llamada \
  "cedula=1718881111&pais=ES&telefono=612345678&horario=morning&consentimiento=si&robot=si&captcha="
sqlmap_form personal /api/personal/ingresar "usuario=agente.prueba&clave=una+clave+cualquiera"

say "wapiti: the whole site for at most ${SCAN_SECONDS}s"
"$venv/bin/wapiti" -u "$CLAVE_BASE_URL/" --scope folder --flush-session \
  -m "sql,timesql,xss,permanentxss,exec,file,crlf,redirect,csrf,csp,http_headers,cookieflags,methods,backup,htaccess" \
  --max-scan-time "$SCAN_SECONDS" --max-attack-time 60 -f txt -o "$out/wapiti.txt" \
  >"$out/wapiti.log" 2>&1 || true
sed -n '/Summary of vulnerabilities/,/^\*\*\*\*/p' "$out/wapiti.txt" | head -40
grep -A6 -E "^(Vulnerabilities|Anomalies|Additional)" "$out/wapiti.txt" | head -60 || true
echo "Reports: $out"
stop_release_server
rm -rf "$dbdir"
