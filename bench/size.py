"""What a first visit downloads, page by page, as the server sends it.

Walks the start page, every step of a recovery and of a first request, and the
call-back form, against the loopback server given on the command line (codes
read from that server's SQLite file, as a person reads their mail). For each
page: the HTML and every asset it names (stylesheet, script, WASM, icon),
fetched three times — uncompressed, with `Accept-Encoding: gzip` and with
`Accept-Encoding: br` — and the bytes of each body as it came over the wire.
A first visit has an empty cache, so each page's total counts all its assets.

Usage: size.py BASE_URL SQLITE_FILE STEPS_JSON (the step table, `clave steps`)
"""

import http.client
import json
import re
import sqlite3
import sys
import time
import urllib.parse

BASE, DB, STEPS = sys.argv[1:4]
with open(STEPS, encoding="utf-8") as f:
    STEP = {name: page["path"] for name, page in json.load(f).items()}
HOST = urllib.parse.urlparse(BASE)
assert HOST.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
BUDGET_KIB = 150
ANSWERS = ["Andrea", "Olmedo", "Locro de papa", "Carmita"]


def fetch(method, path, cookie=None, fields=None, encoding="identity", json=False):
    conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=60)
    headers = {"Accept-Encoding": encoding, "Origin": BASE}
    if json:
        headers["Accept"] = "application/json"
    body = None
    if fields is not None:
        body = urllib.parse.urlencode(fields)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body, headers)
    res = conn.getresponse()
    data = res.read()
    conn.close()
    return res, data


def post(path, cookie, fields, expect):
    res, data = fetch("POST", path, cookie, fields, json=True)
    location = res.getheader("Location") or ""
    if location != expect:
        raise SystemExit(f"{path}: {res.status} {location} {data[:300]!r}")
    return res.getheader("Set-Cookie", "").split(";")[0] or cookie


ASSET = re.compile(r"""(?:href|src)=["']([^"']+)["']|["'](/pkg/[^"']+)["']""")


def assets(html):
    found = []
    for m in ASSET.finditer(html):
        url = m.group(1) or m.group(2)
        if url.startswith("/") and not url.startswith("//") and (
            url.startswith("/pkg/") or url.endswith((".css", ".js", ".wasm", ".svg", ".ico"))
        ):
            found.append(url)
    # The loader names the script and the WASM, but fetches them only when
    # the page has an island.
    if "<leptos-island" not in html:
        found = [u for u in found if not u.endswith((".js", ".wasm"))]
    return list(dict.fromkeys(found))


def sizes(path, cookie=None):
    """Bytes over the wire per encoding, and the uncompressed body."""
    out, plain = {}, b""
    for enc in ("identity", "gzip", "br"):
        res, data = fetch("GET", path, cookie, encoding=enc)
        if res.status != 200:
            raise SystemExit(f"GET {path}: {res.status}")
        out[enc] = (len(data), res.getheader("Content-Encoding") or "-")
        if enc == "identity":
            plain = data
    return out, plain


rows = []


def page(title, path, cookie=None):
    html_sizes, raw = sizes(path, cookie)
    html = raw.decode("utf-8", "replace")
    items = [("HTML " + path, html_sizes)]
    for a in assets(html):
        s, _ = sizes(a)
        items.append((a, s))
    rows.append((title, path, items))


def newest_code(to_like):
    conn = sqlite3.connect(DB, timeout=30)
    try:
        for _ in range(200):
            row = conn.execute(
                "SELECT subject FROM mail_outbox WHERE kind='code' AND to_address LIKE ? "
                "ORDER BY id DESC LIMIT 1",
                (to_like,),
            ).fetchone()
            if row and re.search(r"\d{6}", row[0]):
                return re.search(r"(\d{6})", row[0]).group(1)
            time.sleep(0.05)
    finally:
        conn.close()
    raise SystemExit("no code mail")


def pair(cedula):
    conn = sqlite3.connect(DB, timeout=30)
    try:
        q = conn.execute(
            "SELECT first_question_id, second_question_id FROM question_pair WHERE cedula=?",
            (cedula,),
        ).fetchone()
        return [ANSWERS[q[0] - 1], ANSWERS[q[1] - 1]]
    finally:
        conn.close()


def registry_email(cedula):
    conn = sqlite3.connect(DB, timeout=30)
    try:
        return conn.execute("SELECT email FROM affiliate WHERE cedula=?", (cedula,)).fetchone()[0]
    finally:
        conn.close()


page("Start page", "/")

# Recuperar clave, every step (SPEC §2.1), as the demo's README walks it.
page("Recovery start", STEP["RecoveryStart"])
page("Recovery 1 cédula", STEP["RecoverySearch"])
c = post("/api/recuperar/buscar", None, {"cedula": "1712345675", "robot": "si"}, STEP["RecoveryIdentity"])
page("Recovery 2 birth date", STEP["RecoveryIdentity"], c)
post("/api/recuperar/identidad", c, {"day": "14", "month": "3"}, STEP["RecoveryConfirm"])
page("Recovery 3 confirm", STEP["RecoveryConfirm"], c)
post("/api/recuperar/confirmar", c, {}, STEP["RecoveryCode"])
page("Recovery 4 code", STEP["RecoveryCode"], c)
code = newest_code(registry_email("1712345675"))
post("/api/recuperar/codigo", c, {"codigo": code, "flujo": "recuperar"}, STEP["RecoveryQuestions"])
page("Recovery 5 questions", STEP["RecoveryQuestions"], c)
a1, a2 = pair("1712345675")
post("/api/recuperar/preguntas", c, {"respuesta1": a1, "respuesta2": a2}, STEP["RecoveryNewClave"])
page("Recovery 6 new clave", STEP["RecoveryNewClave"], c)
post(
    "/api/recuperar/nueva-clave",
    c,
    {"clave": "camino largo hacia la cumbre nevada", "flujo": "recuperar"},
    STEP["RecoveryDone"],
)
page("Recovery done", STEP["RecoveryDone"], c)

# Solicitar clave, every step (SPEC §2.2), for the demo's Rosa.
page("Request start", STEP["RequestStart"])
page("Request 1 cédula", STEP["RequestSearch"])
c = post(
    "/api/recuperar/buscar",
    None,
    {"cedula": "0104567896", "robot": "si", "flujo": "solicitar"},
    STEP["RequestIdentity"],
)
page("Request 2 identity", STEP["RequestIdentity"], c)
post(
    "/api/solicitar/identidad",
    c,
    {"day": "30", "month": "1", "year": "1992", "dactilar": "C3456D7890"},
    STEP["RequestContact"],
)
page("Request 3 contact", STEP["RequestContact"], c)
post("/api/solicitar/contacto", c, {"correo": "rosa.peso@example.org"}, STEP["RequestCode"])
page("Request 4 code", STEP["RequestCode"], c)
code = newest_code("rosa.peso@example.org")
post("/api/recuperar/codigo", c, {"codigo": code, "flujo": "solicitar"}, STEP["RequestQuestions"])
page("Request 5 questions", STEP["RequestQuestions"], c)
fields = {}
for i in range(1, 5):
    fields[f"pregunta{i}"] = str(i)
    fields[f"respuesta{i}"] = ANSWERS[i - 1]
post("/api/solicitar/preguntas", c, fields, STEP["RequestNewClave"])
page("Request 6 clave", STEP["RequestNewClave"], c)
post(
    "/api/recuperar/nueva-clave",
    c,
    {"clave": "camino largo hacia la cumbre nevada", "flujo": "solicitar"},
    STEP["RequestDone"],
)
page("Request done", STEP["RequestDone"], c)

page("Call-back form", STEP["Callback"])


def kib(n):
    return f"{n / 1024:8.1f}"


totals = []
for title, path, items in rows:
    print(f"\n{title} ({path})")
    print(f"  {'file':<46}{'raw KiB':>9}{'gzip KiB':>9}{'br KiB':>9}  served as (gzip / br)")
    t = {"identity": 0, "gzip": 0, "br": 0}
    for name, s in items:
        for enc in t:
            t[enc] += s[enc][0]
        print(
            f"  {name[:46]:<46}{kib(s['identity'][0])} {kib(s['gzip'][0])} {kib(s['br'][0])}"
            f"  {s['gzip'][1]} / {s['br'][1]}"
        )
    print(f"  {'total (first visit)':<46}{kib(t['identity'])} {kib(t['gzip'])} {kib(t['br'])}")
    totals.append((title, t["br"]))

print(f"\n{'page':<28}{'first visit, br KiB':>20}   budget {BUDGET_KIB} KiB")
for title, br in totals:
    mark = "ok" if br <= BUDGET_KIB * 1024 else "OVER"
    print(f"{title:<28}{br / 1024:>20.1f}   {mark}")
worst = max(totals, key=lambda t: t[1])
print(f"\nstart page: {totals[0][1] / 1024:.1f} KiB br; heaviest page: {worst[0]} {worst[1] / 1024:.1f} KiB br")
