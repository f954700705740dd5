#!/usr/bin/env python3
"""Bounded load test of the PI portal on loopback (issue 12 §7; figures in docs/performance.md).

Sets up a throw-away SQLite registry (the shipped fictional demo patients), starts
`actionable serve` on 127.0.0.1, logs in SESSIONS PI sessions, then sends REQUESTS GET requests
from SESSIONS concurrent keep-alive clients (patients list, patient page, dashboard), and reports
p50 / p90 / p99 latency, errors and the server's resident memory before and after. Stops by
itself; never targets anything but 127.0.0.1.

Usage: bench/portal_load.py [--actionable build/actionable] [--sessions 100] [--requests 10000]
"""
import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("--actionable", default="build/actionable")
ap.add_argument("--sessions", type=int, default=100)
ap.add_argument("--requests", type=int, default=10000)
ap.add_argument("--threads", type=int, default=4, help="server worker threads")
args = ap.parse_args()
assert args.sessions <= 200 and args.requests <= 100000, "bounded load only"
A = os.path.abspath(args.actionable)
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
W = tempfile.mkdtemp(prefix="portal-load-")
DB = "sqlite:" + os.path.join(W, "registry.db")
env = dict(os.environ, ACTIONABLE_PSEUDONYM_KEY_FILE=os.path.join(W, "key.hex"))


def run(*a, **kw):
    return subprocess.run([A, *a], env=env, check=True, capture_output=True, text=True, **kw)


run("registry", "--db", DB, "init", "--add-centre", "BE-DEMO-A", "--add-centre", "BE-DEMO-B", "--new-key",
    os.path.join(W, "key.hex"))
run("registry", "--db", DB, "import", os.path.join(SRC, "rules/examples/portal_demo.jsonl"), "--rules",
    os.path.join(SRC, "rules/precision1"))
pw = "load-test-password-" + os.urandom(6).hex()
open(os.path.join(W, "pw"), "w").write(pw + "\n")
run("registry", "--db", DB, "--centre", "BE-DEMO-A", "user", "add", "pi-load", "--role", "pi", "--password-file",
    os.path.join(W, "pw"))
pseudonyms = run("registry", "--db", DB, "--centre", "BE-DEMO-A", "patients").stdout.split()[::5]
s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
server = subprocess.Popen([A, "serve", "--db", DB, "--listen", f"127.0.0.1:{port}", "--quiet", "--threads",
                           str(args.threads)], env=env, stderr=subprocess.PIPE, text=True)


def rss_kib():
    for line in open(f"/proc/{server.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


for _ in range(100):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("GET", "/healthz")
        if c.getresponse().status == 200:
            break
    except OSError:
        time.sleep(0.1)


def login():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/login")
    r = c.getresponse()
    body = r.read().decode()
    pre = re.search(r"act_pre=([^;]+)", r.getheader("Set-Cookie")).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"csrf": csrf, "login": "pi-load", "password": pw})
    c.request("POST", "/login", body=form, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                     "Cookie": "act_pre=" + pre})
    r = c.getresponse()
    r.read()
    cookie = [v for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("act_session=")][0]
    return c, cookie.split(";")[0]


t0 = time.time()
sessions = [login() for _ in range(args.sessions)]
login_s = time.time() - t0
paths = ["/patients", "/dashboard"] + ["/patients/" + p for p in pseudonyms]
# Warm up (engine caches, SQLite page cache), then measure memory.
c0, k0 = sessions[0]
for p in paths * 3:
    c0.request("GET", p, headers={"Cookie": k0})
    c0.getresponse().read()
rss_before = rss_kib()
lat = []
errors = 0
lock = threading.Lock()
per = args.requests // args.sessions


def worker(i):
    global errors
    c, cookie = sessions[i]
    mine = []
    bad = 0
    for j in range(per):
        p = paths[(i + j) % len(paths)]
        t = time.perf_counter()
        try:
            c.request("GET", p, headers={"Cookie": cookie})
            r = c.getresponse()
            r.read()
            if r.status != 200:
                bad += 1
        except (OSError, http.client.HTTPException):
            bad += 1
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine.append(time.perf_counter() - t)
    with lock:
        lat.extend(mine)
        errors += bad


rounds = []
for rnd in range(2):  # two rounds: memory after the second should equal memory after the first
    lat.clear()
    errors_before = errors
    t0 = time.time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rounds.append((time.time() - t0, sorted(lat), errors - errors_before, rss_kib()))
server.terminate()
server.wait(timeout=20)
shutil.rmtree(W)
print(f"sessions {args.sessions} (logins {login_s:.1f} s, Argon2id each), {args.requests} requests per round")
for i, (wall, l, errs, rss) in enumerate(rounds, 1):
    q = lambda f: l[min(len(l) - 1, int(f * len(l)))] * 1000
    print(f"round {i}: {len(l)} requests, errors {errs}, wall {wall:.1f} s, {len(l) / wall:.0f} requests/s; "
          f"latency ms p50 {q(0.50):.1f} p90 {q(0.90):.1f} p99 {q(0.99):.1f} max {l[-1] * 1000:.1f}; RSS {rss} KiB")
print(f"server RSS KiB: after warm-up {rss_before}, after round 1 {rounds[0][3]}, after round 2 {rounds[1][3]}")
sys.exit(1 if errors else 0)
