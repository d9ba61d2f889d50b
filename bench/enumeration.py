"""Does any form tell a registered cédula from an unregistered one?

Against a local Clave server (loopback only), for each form that takes a
cédula, sends TRIES requests for registered cédulas and TRIES for unregistered
ones, interleaved, each cédula used once (so no per-cédula limit is reached),
one request at a time. For each form it prints whether status, header names,
cookie names and body (flow ids, nonces and references masked) were the same,
and the median time of each kind with their difference, against 5 %.

Forms: recovery step 1, request step 1, recovery step 2 (a wrong birth date
for a registered cédula against any date for an unregistered one), login with
a wrong clave (argon2 either way), and the call-back request.
"""

import http.client
import re
import sqlite3
import statistics
import sys
import time
import urllib.parse

BASE, DB, TRIES = sys.argv[1], sys.argv[2], int(sys.argv[3])
HOST = urllib.parse.urlparse(BASE)
assert HOST.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
TEMPLATE = "1712345675"  # a demo affiliate whose clave is copied


def cedula(province: int, i: int) -> str:
    nine = f"{province:02d}0{i:06d}"
    total = 0
    for k, ch in enumerate(nine):
        p = int(ch) * (2 if k % 2 == 0 else 1)
        total += p - 9 if p > 9 else p
    return nine + str((10 - total % 10) % 10)


def seed(people):
    conn = sqlite3.connect(DB, timeout=30)
    with conn:
        cred = conn.execute("SELECT password_hash FROM credential WHERE cedula=?", (TEMPLATE,)).fetchone()[0]
        for c in people:
            conn.execute(
                "INSERT OR IGNORE INTO affiliate (cedula, given_names, surnames, birth_date, codigo_dactilar,"
                " email, phone, country, status, created_at) VALUES (?,?,?,?,?,?,NULL,'EC','active',0)",
                (c, "Prueba", "Enumeración", "1980-05-17", "V4443V4242", f"enum.{c}@example.org"),
            )
            conn.execute("INSERT OR IGNORE INTO credential VALUES (?,?,0)", (c, cred))
    conn.close()


CONN = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=60)


def post(path, fields, cookie=None, plain=True):
    body = urllib.parse.urlencode(fields)
    headers = {
        "Accept": "text/html" if plain else "application/json",
        "Origin": BASE,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    if cookie:
        headers["Cookie"] = cookie
    start = time.perf_counter()
    CONN.request("POST", path, body, headers)
    res = CONN.getresponse()
    data = res.read().decode("utf-8", "replace")
    took = time.perf_counter() - start
    return took, res.status, res.getheaders(), data


MASKS = [
    (re.compile(r"[0-9a-f]{64}"), "<token>"),
    (re.compile(r"nonce-[A-Za-z0-9+/=_-]+"), "nonce-<n>"),
    (re.compile(r"CB-[A-Z0-9]{4}-[A-Z0-9]{4}"), "CB-<ref>"),
    (re.compile(r"\b\d{10}\b"), "<cedula>"),
    (re.compile(r"\d{2}/\d{2}/\d{4} a las \d{2}:\d{2}"), "<when>"),
]


def shape(status, headers, body):
    """What an observer compares: status, header names, cookie names, body."""
    names = sorted({k.lower() for k, _ in headers} - {"date", "content-length"})
    cookies = sorted(v.split("=")[0] for k, v in headers if k.lower() == "set-cookie")
    location = next((v for k, v in headers if k.lower() == "location"), "")
    for pattern, mask in MASKS:
        body = pattern.sub(mask, body)
        location = pattern.sub(mask, location)
    return (status, tuple(names), tuple(cookies), location, body)


def start_flow(c, flujo):
    took, status, headers, body = post(
        "/api/recuperar/buscar", {"cedula": c, "robot": "si", "flujo": flujo}
    )
    cookie = next(v for k, v in headers if k.lower() == "set-cookie").split(";")[0]
    return cookie, (took, status, headers, body)


def forms():
    yield "recovery step 1", lambda c: start_flow(c, "recuperar")[1]
    yield "request step 1", lambda c: start_flow(c, "solicitar")[1]

    def wrong_date(c):
        cookie, _ = start_flow(c, "recuperar")
        return post("/api/recuperar/identidad", {"day": "2", "month": "9"}, cookie)

    yield "recovery step 2 (wrong date)", wrong_date
    yield "login, wrong clave", lambda c: post(
        "/api/ingresar", {"cedula": c, "clave": "una clave equivocada larga"}, plain=False
    )
    yield "call-back request", lambda c: post(
        "/api/contacto/llamada",
        {
            "cedula": c,
            "pais": "ES",
            "telefono": "612 34 56 78",
            "horario": "morning",
            "consentimiento": "si",
            "robot": "si",
            "captcha": "",
        },
    )


def main():
    registered = [cedula(17, 500_000 + i) for i in range(5 * TRIES + 10)]
    unregistered = [cedula(9, 500_000 + i) for i in range(5 * TRIES + 10)]
    seed(registered)
    print(f"{TRIES} tries per kind and form, interleaved, one at a time, on {BASE}")
    print(f"{'form':32} {'same answer':>11} {'registered':>11} {'unregistered':>13} {'difference':>10}  within 5 %")
    worst = 0.0
    used = 0
    for name, send in forms():
        times = {"r": [], "u": []}
        shapes = {"r": set(), "u": set()}
        # Warm the path (first argon2 dummy hash, prepared statements).
        for c in (registered[used], unregistered[used]):
            send(c)
        used += 1
        for i in range(TRIES):
            for kind, pool in (("r", registered), ("u", unregistered)):
                took, status, headers, body = send(pool[used + i])
                times[kind].append(took)
                shapes[kind].add(shape(status, headers, body))
        used += TRIES
        same = shapes["r"] == shapes["u"] and len(shapes["r"]) == 1
        mr, mu = statistics.median(times["r"]), statistics.median(times["u"])
        diff = abs(mr - mu) / min(mr, mu) * 100
        worst = max(worst, diff)
        print(
            f"{name:32} {'yes' if same else 'NO':>11} {mr * 1000:9.2f}ms {mu * 1000:11.2f}ms "
            f"{diff:9.1f}%  {'yes' if diff <= 5 else 'NO'}"
        )
        if not same:
            for kind in ("r", "u"):
                for s in shapes[kind]:
                    print(f"    {kind}: {s[:4]} body {s[4][:120]!r}")
    print(f"largest difference of medians: {worst:.1f} %")


main()
