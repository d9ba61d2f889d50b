"""Drives N complete recoveries concurrently against a local Clave server.

Talks only to the loopback server given on the command line, and reads the
codes the development mailbox received from that server's SQLite file (as a
person would read their mail). Prints recoveries/s, p50/p99 per step, the
server's peak memory, and the ratio to what raw argon2id allows.
"""

import http.client
import json
import os
import re
import sqlite3
import statistics
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

BASE, DB, N, CONCURRENCY, RATE, PID = sys.argv[1:7]
# Every page's path, from the step table (`clave steps`, see scripts/env.sh).
with open(os.environ["CLAVE_STEPS"], encoding="utf-8") as f:
    STEP = {name: page["path"] for name, page in json.load(f).items()}
N, CONCURRENCY, RATE = int(N), int(CONCURRENCY), float(RATE)
HOST = urllib.parse.urlparse(BASE)
assert HOST.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"

ANSWERS = ["Andrea", "Olmedo", "Locro de papa", "Carmita"]
# argon2id work per recovery: two answers checked, one new clave, one login.
HASHES_PER_RECOVERY = 4
TEMPLATE = "1712345675"  # a demo affiliate whose clave and answers are copied


def cedula(i: int) -> str:
    nine = f"17{(i % 10_000_000):07d}"  # province 17, third digit 0..6
    nine = nine[:2] + "0" + nine[3:]
    total = 0
    for k, ch in enumerate(nine):
        p = int(ch) * (2 if k % 2 == 0 else 1)
        total += p - 9 if p > 9 else p
    return nine + str((10 - total % 10) % 10)


def db():
    conn = sqlite3.connect(DB, timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def seed(people):
    conn = db()
    with conn:
        cred = conn.execute("SELECT password_hash FROM credential WHERE cedula=?", (TEMPLATE,)).fetchone()[0]
        answers = conn.execute(
            "SELECT question_id, answer_hash FROM security_answer WHERE cedula=?", (TEMPLATE,)
        ).fetchall()
        for c in people:
            conn.execute(
                "INSERT OR IGNORE INTO affiliate (cedula, given_names, surnames, birth_date, codigo_dactilar,"
                " email, phone, country, status, created_at) VALUES (?,?,?,?,?,?,NULL,'EC','active',0)",
                (c, "Carga", "Prueba", "1980-05-17", "V4443V4242", f"carga.{c}@example.org"),
            )
            conn.execute("INSERT OR IGNORE INTO credential VALUES (?,?,0)", (c, cred))
            for q, h in answers:
                conn.execute(
                    "INSERT OR IGNORE INTO security_answer (cedula, question_id, answer_hash) VALUES (?,?,?)",
                    (c, q, h),
                )
    conn.close()


timings = {}
lock = threading.Lock()


def record(step, seconds):
    with lock:
        timings.setdefault(step, []).append(seconds)


def request(method, path, cookie=None, fields=None, step=None):
    conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=120)
    body = urllib.parse.urlencode(fields or {})
    headers = {"Accept": "application/json", "Origin": BASE}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    start = time.perf_counter()
    conn.request(method, path, body if method == "POST" else None, headers)
    res = conn.getresponse()
    data = res.read().decode("utf-8", "replace")
    if step:
        record(step, time.perf_counter() - start)
    conn.close()
    return res.status, res.getheader("Location") or "", res.getheader("Set-Cookie") or "", data


def expect_move(result, to, what):
    status, location, _, body = result
    if location != to:
        raise RuntimeError(f"{what}: {status} {location} {body[:200]}")


def newest_code(c):
    conn = db()
    try:
        for _ in range(200):
            row = conn.execute(
                "SELECT subject FROM mail_outbox WHERE to_address=? AND kind='code' ORDER BY id DESC LIMIT 1",
                (f"carga.{c}@example.org",),
            ).fetchone()
            if row:
                return re.search(r"(\d{6})", row[0]).group(1)
            time.sleep(0.05)
    finally:
        conn.close()
    raise RuntimeError("no code mail")


def pair(c):
    conn = db()
    try:
        row = conn.execute(
            "SELECT first_question_id, second_question_id FROM question_pair WHERE cedula=?", (c,)
        ).fetchone()
        return [ANSWERS[row[0] - 1], ANSWERS[row[1] - 1]]
    finally:
        conn.close()


def recover(c):
    r = request("POST", "/api/recuperar/buscar", fields={"cedula": c, "robot": "si"}, step="1 buscar")
    expect_move(r, STEP["RecoveryIdentity"], "buscar")
    cookie = r[2].split(";")[0]
    expect_move(
        request("POST", "/api/recuperar/identidad", cookie, {"day": "17", "month": "5"}, "2 identidad"),
        STEP["RecoveryConfirm"],
        "identidad",
    )
    expect_move(request("POST", "/api/recuperar/confirmar", cookie, {}, "3 confirmar"), "/recuperar/codigo", "confirmar")
    code = newest_code(c)
    expect_move(request("POST", "/api/recuperar/codigo", cookie, {"codigo": code}, "4 codigo"), "/recuperar/preguntas", "codigo")
    request("POST", "/api/recuperar/preguntas/ver", cookie, {}, "5 preguntas (ver)")
    a1, a2 = pair(c)
    expect_move(
        request("POST", "/api/recuperar/preguntas", cookie, {"respuesta1": a1, "respuesta2": a2}, "5 preguntas"),
        STEP["RecoveryNewClave"],
        "preguntas",
    )
    clave = "camino largo hacia la cumbre nevada"
    expect_move(request("POST", "/api/recuperar/nueva-clave", cookie, {"clave": clave}, "6 nueva clave"), "/recuperar/listo", "nueva clave")
    expect_move(request("POST", "/api/ingresar", None, {"cedula": c, "clave": clave}, "8 ingresar"), "/servicios", "ingresar")


def peak_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU time the server has used so far."""
    import os

    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


people = [cedula(1_000 + i) for i in range(N)]
seed(people)
cpu_before = cpu_seconds(PID)
start = time.perf_counter()
errors = []
with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
    for f in [pool.submit(recover, c) for c in people]:
        try:
            f.result()
        except Exception as e:  # reported below; a failed recovery is not counted
            errors.append(str(e))
elapsed = time.perf_counter() - start
server_cpu = cpu_seconds(PID) - cpu_before
done = N - len(errors)

print(f"\n{'step':<22}{'n':>5}{'p50 ms':>10}{'p99 ms':>10}")
for step in sorted(timings):
    xs = sorted(timings[step])
    p99 = xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]
    print(f"{step:<22}{len(xs):>5}{statistics.median(xs) * 1000:>10.1f}{p99 * 1000:>10.1f}")
rps = done / elapsed
bound = RATE / HASHES_PER_RECOVERY
print(f"\nrecoveries: {done}/{N} in {elapsed:.2f} s -> {rps:.2f} recoveries/s")
print(f"argon2id: {RATE:.2f} hashes/s, {HASHES_PER_RECOVERY} per recovery -> bound {bound:.2f} recoveries/s")
print(f"ratio recoveries/s / bound: {rps / bound:.2f} (target >= 0.80)")
print(f"server peak memory (VmHWM): {peak_kib(PID) / 1024:.1f} MiB")
cores = len(os.sched_getaffinity(0))
argon_cpu = HASHES_PER_RECOVERY * cores / RATE
per = server_cpu / max(done, 1)
print(f"server CPU: {server_cpu:.1f} s = {per * 1000:.0f} ms per recovery, of which argon2id "
      f"{argon_cpu * 1000:.0f} ms ({argon_cpu / per:.0%}); the machine has {cores} cores, "
      f"the server used {server_cpu / elapsed / cores:.0%} of them")
for e in errors[:5]:
    print("error:", e)
sys.exit(1 if errors else 0)
