"""Does the server stay up and its memory flat under a flood of logins?

Against a local Clave server (loopback only): ROUNDS rounds, each of
CONCURRENT wrong-clave logins at once (each on its own connection, each for
its own well-formed unregistered cédula, so the argon2 work is real and no
per-cédula lock answers first). Between rounds, a page is fetched and the
server's resident memory (VmRSS of PID) is read. Prints per round: answers by
status, how many carried Retry-After, the slowest answer, the page's time and
the memory; then the memory growth from the first round to the last.
"""

import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

BASE, PID, ROUNDS, CONCURRENT = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
# Every page's path, from the step table (`clave steps`, see scripts/env.sh).
with open(os.environ["CLAVE_STEPS"], encoding="utf-8") as f:
    STEP = {name: page["path"] for name, page in json.load(f).items()}
HOST = urllib.parse.urlparse(BASE)
assert HOST.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"


def cedula(province: int, i: int) -> str:
    nine = f"{province:02d}0{i:06d}"
    total = 0
    for k, ch in enumerate(nine):
        p = int(ch) * (2 if k % 2 == 0 else 1)
        total += p - 9 if p > 9 else p
    return nine + str((10 - total % 10) % 10)


def rss_kib() -> int:
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def login(ced, out, i):
    conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=120)
    body = urllib.parse.urlencode({"cedula": ced, "clave": "no es la clave de nadie"})
    start = time.perf_counter()
    try:
        conn.request("POST", "/api/ingresar", body, {
            "Accept": "application/json",
            "Origin": BASE,
            "Content-Type": "application/x-www-form-urlencoded",
        })
        res = conn.getresponse()
        res.read()
        out[i] = (res.status, res.getheader("Retry-After") is not None, time.perf_counter() - start)
    except Exception as e:  # a refused or dropped connection is a finding, not a retry
        out[i] = (f"error {type(e).__name__}", False, time.perf_counter() - start)
    finally:
        conn.close()


def page():
    conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", STEP["RecoveryStart"], headers={"Accept": "text/html"})
    res = conn.getresponse()
    res.read()
    conn.close()
    return res.status, time.perf_counter() - start


print(f"{'round':>5} {'answers by status':<28} {'retry-after':>11} {'slowest s':>9} {'page':>10} {'RSS MiB':>8}")
first = None
n = 0
for r in range(1, ROUNDS + 1):
    out = [None] * CONCURRENT
    threads = []
    for i in range(CONCURRENT):
        n += 1
        t = threading.Thread(target=login, args=(cedula(1 + n % 24, n), out, i))
        threads.append(t)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    by_status = {}
    for status, _, _ in out:
        by_status[status] = by_status.get(status, 0) + 1
    retry = sum(1 for _, ra, _ in out if ra)
    slowest = max(took for _, _, took in out)
    status, took = page()
    rss = rss_kib() / 1024
    first = first if first is not None else rss
    shown = " ".join(f"{k}:{v}" for k, v in sorted(by_status.items(), key=str))
    print(f"{r:>5} {shown:<28} {retry:>11} {slowest:>9.2f} {status} {took:>6.3f}s {rss:>8.1f}")
print(f"memory from round 1 to round {ROUNDS}: {first:.1f} -> {rss:.1f} MiB ({rss - first:+.1f})")
