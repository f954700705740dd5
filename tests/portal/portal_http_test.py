#!/usr/bin/env python3
"""HTTP tests of the PI portal against a running `actionable serve` (issue 12 §7), started by
portal_test.sh on loopback with a registry of two centres. Standard library only.

Usage: portal_http_test.py CONFIG.json
CONFIG: {"base": "http://127.0.0.1:PORT", "short_base": "... (a second server, --idle-timeout 2s)",
         "users": {login: password}, "totp_secret": "...", "a": [pseudonyms of BE-DEMO-A],
         "b": [pseudonyms of BE-DEMO-B], "b_tumours": [...], "request_timeout": seconds}
Prints one line per failed check and "N passed, M failed"; exit 1 on any failure.
"""
import base64
import hashlib
import hmac
import http.client
import json
import re
import socket
import struct
import sys
import time
import urllib.parse

CFG = json.load(open(sys.argv[1]))
BASE = urllib.parse.urlparse(CFG["base"])
passed = 0
failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}" + (f" — {detail}" if detail else ""))


class Client:
    """One browser-like client: keeps cookies, never follows redirects."""

    def __init__(self, base=BASE):
        self.base = base
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, raw_body=None):
        conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=30)
        h = {"Host": f"{self.base.hostname}:{self.base.port}"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
            h["Origin"] = f"http://{self.base.hostname}:{self.base.port}"
        if raw_body is not None:
            data = raw_body
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        h.update(headers or {})
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        text = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        conn.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), text.decode("utf-8", "replace"), r.getheaders()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, body=form)

    def csrf(self, path):
        s, _, body, _ = self.get(path)
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        return m.group(1) if m else ""

    def login(self, login, password, code=""):
        token = self.csrf("/login")
        return self.post("/login", {"csrf": token, "login": login, "password": password, "code": code})


def totp(secret_b32, t=None, step_offset=0):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((t or time.time()) // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000
    return f"{code:06d}"


U = CFG["users"]
A, B = CFG["a"], CFG["b"]

# ---- unauthenticated ------------------------------------------------------------------------
anon = Client()
s, h, body, _ = anon.get("/healthz")
check(s == 200 and body.strip() == "ok", "healthz")
s, h, body, _ = anon.get("/patients")
check(s == 303 and h.get("location") == "/login", "no session → login", f"{s} {h.get('location')}")
s, h, body, raw = anon.get("/login")
check(s == 200, "login page")
csp = h.get("content-security-policy", "")
check("default-src 'self'" in csp and "script-src 'none'" in csp, "CSP", csp)
check(h.get("x-frame-options") == "DENY", "X-Frame-Options DENY")
check(h.get("referrer-policy") == "no-referrer", "Referrer-Policy")
check(h.get("x-content-type-options") == "nosniff", "nosniff")
check("strict-transport-security" not in h, "no HSTS over plain HTTP")
check("<script" not in body.lower(), "no script on the login page")
pre = [v for k, v in raw if k.lower() == "set-cookie" and v.startswith("act_pre=")]
check(pre and "HttpOnly" in pre[0] and "SameSite=Strict" in pre[0], "login-form cookie flags", str(pre))

# ---- login ----------------------------------------------------------------------------------
c = Client()
s, h, body, _ = c.login("pi-A", "wrong password 123")
check(s == 401 and "Login failed" in body, "wrong password refused", f"{s}")
s, h, body, _ = c.post("/login", {"login": "pi-A", "password": U["pi-A"]})
check(s == 403, "login without the form token refused", f"{s}")
s, h, body, raw = c.login("pi-A", U["pi-A"])
check(s == 303 and h.get("location") == "/patients", "login ok", f"{s} {h.get('location')} {body[:200]}")
sess = [v for k, v in raw if k.lower() == "set-cookie" and v.startswith("act_session=")]
check(sess and "HttpOnly" in sess[0] and "SameSite=Strict" in sess[0] and "Path=/" in sess[0], "session cookie flags",
      str(sess))
check(sess and len(sess[0].split(";")[0].split("=", 1)[1]) == 43, "256-bit token (43 base64url characters)")

# ---- patients of my centre ------------------------------------------------------------------
s, h, body, _ = c.get("/patients")
check(s == 200, "patients page", str(s))
for p in A:
    check(p in body, "own patient listed", p[:12])
for p in B:
    check(p[:12] not in body, "other centre's patient not listed", p[:12])
check("Next follow-up due" in body, "follow-up due column")
s, h, body, _ = c.get("/patients?sort=tumour&due=overdue&tumour=LUAD&page=1")
check(s == 200, "filters and sorting", str(s))

# ---- cross-centre access --------------------------------------------------------------------
for path in ["/patients/" + B[0], "/patients/" + B[0] + "/report", "/patients/" + B[0] + "/report.pdf"]:
    s, h, body, _ = c.get(path)
    check(s == 404, "other centre's patient by URL → 404", f"{path} {s}")
    check(B[0][:12] not in body and not any(t in body for t in CFG["b_tumours"]), "no byte of B's data", path)
token = c.csrf("/patients/" + A[0])
s, h, body, _ = c.post("/patients/" + B[0] + "/follow-up",
                       {"csrf": token, "visit": "1", "date": "2025-10-01", "vital_status": "alive"})
check(s == 404, "form post to another centre's patient → 404", str(s))
s, h, body, _ = c.post("/patients/" + B[0] + "/decision",
                       {"csrf": token, "option": "empirical", "date": "2025-10-01", "reason": "x"})
check(s == 404, "decision post to another centre's patient → 404", str(s))
for path in ["/export.csv", "/export.jsonl"]:
    s, h, body, _ = c.get(path)
    check(s == 200, "export", path)
    check(all(p in body for p in A), "export has my patients", path)
    check(not any(p in body for p in B), "export has no other centre's patient", path)
    check("attachment" in h.get("content-disposition", ""), "export is a download", path)

# ---- the patient page, report, forms --------------------------------------------------------
P = A[0]
s, h, body, _ = c.get("/patients/" + P)
check(s == 200 and P in body, "patient page", str(s))
check("Tumour-board report" in body and 'src="/patients/' + P + '/report"' in body, "report frame on the page")
s, h, body, _ = c.get("/patients/" + P + "/report")
check(s == 200 and "<html" in body.lower(), "report HTML", str(s))
check("frame-ancestors 'self'" in h.get("content-security-policy", "") and h.get("x-frame-options") == "SAMEORIGIN",
      "report CSP allows framing by the portal only", h.get("content-security-policy", ""))
check("<script" not in body.lower(), "report has no script")
s, h, body, _ = c.get("/patients/" + P + "/report.pdf")
check(s == 200 and h.get("content-type") == "application/pdf" and body.startswith("%PDF"), "report PDF", str(s))

token = c.csrf("/patients/" + P)
form = {"csrf": token, "visit": "1", "date": "2025-09-02", "disease_status": "stable", "recist": "SD",
        "vital_status": "alive"}
s, h, body, _ = c.post("/patients/" + P + "/follow-up", {k: v for k, v in form.items() if k != "csrf"})
check(s == 403, "follow-up without CSRF → 403", str(s))
s, h, body, _ = c.post("/patients/" + P + "/follow-up", dict(form, csrf="x" * 43))
check(s == 403, "follow-up with a wrong CSRF token → 403", str(s))
s, h, body, _ = c.request("POST", "/patients/" + P + "/follow-up", body=form, headers={"Origin": "http://evil.example"})
check(s == 403, "follow-up from another origin → 403", str(s))
s, h, body, _ = c.get("/patients/" + P)
check("No follow-up visit recorded" in body, "nothing written by refused posts")
s, h, body, _ = c.post("/patients/" + P + "/follow-up", form)
check(s == 303, "follow-up recorded", f"{s} {body[:300]}")
s, h, body, _ = c.get("/patients/" + P)
check(re.search(r"<td>1</td><td>2025-09-02</td><td>stable</td><td>SD</td>", body) is not None, "visit listed")
s, h, body, _ = c.post("/patients/" + P + "/follow-up", dict(form, date="2025-09-03"))
check(s == 409 and "already recorded" in body, "duplicate visit refused", f"{s}")
s, h, body, _ = c.post("/patients/" + P + "/follow-up",
                       dict(form, visit="2", date="2026-03-01", vital_status="dead", death_date="2026-04-01"))
check(s == 400 and "death_date-error" in body, "contradictory visit refused next to the field", f"{s}")
s, h, body, _ = c.post("/patients/" + P + "/follow-up", dict(form, visit="2", date="2025-08-01"))
check(s == 400 and "dated before visit 1" in body, "visit dated before the previous one refused", f"{s}")
s, h, body, _ = c.get("/patients/" + P)
check(body.count("<td>2025-09-02</td>") == 1 and "2026-03-01" not in body.split("Record a follow-up")[0],
      "refused visits never half-written")

# Decisions.
s, h, body, _ = c.post("/patients/" + P + "/decision", {"csrf": token, "option": "empirical", "date": "2025-09-05"})
check(s == 400 and "reason-error" in body, "decision against the recommendation needs a reason", f"{s}")
s, h, body, _ = c.post("/patients/" + P + "/decision",
                       {"csrf": token, "option": "empirical", "date": "2025-09-05", "reason": "patient preference"})
check(s == 303, "decision with reason recorded", f"{s} {body[:300]}")
s, h, body, _ = c.get("/patients/" + P)
check("patient preference" in body, "decision listed")

# ---- injection strings in every field and parameter -----------------------------------------
NASTY = ["'; DROP TABLE patients; --", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
         "x\r\nSet-Cookie: evil=1", "../../../../etc/passwd", "A" * 5000, "\u202e\u0000"]
fields_fu = ["visit", "date", "disease_status", "recist", "progression", "vital_status", "death_date"]
fields_dec = ["option", "date", "trial", "cohort", "reason"]
for nasty in NASTY:
    for f in fields_fu:
        frm = dict(form, visit="3", date="2026-03-02")
        frm[f] = nasty
        s, h, body, raw = c.post("/patients/" + P + "/follow-up", frm)
        check(s in (303, 400, 409), "follow-up field injection answered", f"{f}={nasty[:20]!r} → {s}")
        check("<script>alert(1)</script>" not in body and "<img src=x" not in body, "rendered escaped", f)
        check(not any(k.lower() == "set-cookie" and "evil" in v for k, v in raw), "no header injection", f)
    for f in fields_dec:
        frm = {"csrf": token, "option": "empirical", "date": "2025-09-06", "reason": "r"}
        frm[f] = nasty
        s, h, body, raw = c.post("/patients/" + P + "/decision", frm)
        check(s in (303, 400), "decision field injection answered", f"{f}={nasty[:20]!r} → {s}")
        check("<script>alert(1)</script>" not in body and "<img src=x" not in body, "rendered escaped", f)
s, h, body, _ = c.get("/patients/" + P)
check(s == 200, "patient page still fine after injections")
check("&lt;script&gt;alert(1)&lt;/script&gt;" in body or "<script>" not in body, "stored text shown escaped")
# Raw invalid UTF-8 and control bytes in a form body.
s, h, body, _ = c.request("POST", "/patients/" + P + "/follow-up",
                          raw_body=b"csrf=" + token.encode() + b"&visit=4&date=2026-03-03&vital_status=alive&recist=%FF%FE",
                          headers={"Origin": f"http://{BASE.hostname}:{BASE.port}"})
check(s == 400, "invalid UTF-8 in a form → 400", str(s))
for q in ["tumour=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "sort=%27%3B--", "page=-1", "page=999999999999999999999",
          "due=%FF", "tumour=" + "A" * 3000, "pathway=%0D%0ASet-Cookie:%20evil=1"]:
    s, h, body, raw = c.get("/patients?" + q)
    check(s in (200, 400), "URL parameter injection answered", f"{q[:30]} → {s}")
    check("<script>alert(1)</script>" not in body, "parameter rendered escaped", q[:30])
    check(not any(k.lower() == "set-cookie" and "evil" in v for k, v in raw), "no header injection", q[:30])
for path in ["/patients/../../etc/passwd", "/static/../portal.cpp", "/%2e%2e/%2e%2e/etc/passwd",
             "/patients/" + "%00" * 3, "/patients/%FF%FE", "/patients/" + "a" * 64 + "/../../audit"]:
    s, h, body, _ = c.get(path)
    check(s in (400, 404), "path traversal refused", f"{path} → {s}")
    check("root:" not in body, "no file content", path)
s, h, body, _ = c.get("/patients/%27%20OR%20%271%27=%271")
check(s in (400, 404), "SQL in the path", str(s))

# ---- roles ----------------------------------------------------------------------------------
dm = Client()
s, *_ = dm.login("dm-A", U["dm-A"])
check(s == 303, "data manager login", str(s))
s, h, body, _ = dm.get("/patients/" + A[1])
check(s == 200 and "decision-form" not in body and "follow-up-form" in body, "data manager: follow-up form, no decision form")
t = dm.csrf("/patients/" + A[1])
s, *_ = dm.post("/patients/" + A[1] + "/decision", {"csrf": t, "option": "empirical", "date": "2025-09-05", "reason": "x"})
check(s == 404, "data manager cannot record a decision", str(s))
s, *_ = dm.get("/export.csv")
check(s == 404, "data manager cannot export", str(s))

adm = Client()
s, h, *_ = adm.login("admin", U["admin"])
check(s == 303 and h.get("location") == "/dashboard", "admin login", f"{s} {h.get('location')}")
s, h, body, _ = adm.get("/dashboard")
check(s == 200 and "Endpoints" in body and "<svg" in body, "dashboard with Kaplan–Meier figures", str(s))
s, h, body, _ = adm.get("/dashboard?centre=BE-DEMO-B")
check(s == 200, "admin dashboard per centre", str(s))
s, *_ = adm.get("/patients")
check(s == 404, "admin has no patient pages", str(s))
s, h, body, _ = adm.get("/admin/users")
check(s == 200 and "pi-B" in body, "admin users page", str(s))
s, h, body, _ = adm.get("/admin/centres")
check(s == 200 and "BE-DEMO-B" in body, "admin centres page", str(s))
s, h, body, _ = c.get("/dashboard")
check(s == 200 and "<svg" in body, "PI dashboard", str(s))
s, h, body, _ = c.get("/dashboard?centre=BE-DEMO-B")
check(s == 200, "PI dashboard ignores another centre's filter", str(s))
s, *_ = c.get("/admin/users")
check(s == 404, "PI has no admin pages", str(s))

# ---- audit ----------------------------------------------------------------------------------
s, h, body, _ = adm.get("/audit")
check(s == 200, "admin audit page", str(s))
for action in ["login.success", "login.failure", "patient.view", "patient.report", "export", "access.denied",
               "follow_up.record", "decision.record", "csrf.refused"]:
    check(action in body, "audit lists " + action)
check(B[0][:12] in body, "the cross-centre attempt names the pseudonym asked for")
s, h, body, _ = c.get("/audit")
check(s == 200 and "BE-DEMO-A" in body and "<td>BE-DEMO-B</td>" not in body, "PI sees own centre's audit log only")

# ---- admin disables a user: their session ends ---------------------------------------------
b = Client()
s, *_ = b.login("pi-B", U["pi-B"])
check(s == 303, "pi-B login", str(s))
s, h, body, _ = b.get("/patients")
check(s == 200 and all(p in body for p in B) and not any(p[:12] in body for p in A), "pi-B sees only B")
t = adm.csrf("/admin/users")
s, *_ = adm.post("/admin/users/pi-B/disable", {"csrf": t})
check(s == 303, "admin disables pi-B", str(s))
s, h, *_ = b.get("/patients")
check(s == 303 and h.get("location") == "/login", "disabled user's session ended", str(s))
s, *_ = Client().login("pi-B", U["pi-B"])
check(s == 401, "disabled user cannot log in", str(s))
s, *_ = adm.post("/admin/users/pi-B/enable", {"csrf": t})
check(s == 303, "admin enables pi-B", str(s))

# ---- logout ---------------------------------------------------------------------------------
old = dict(c.cookies)
t = c.csrf("/patients")
s, h, *_ = c.post("/logout", {"csrf": t})
check(s == 303 and h.get("location") == "/login", "logout", str(s))
replay = Client()
replay.cookies = old
s, h, *_ = replay.get("/patients")
check(s == 303 and h.get("location") == "/login", "old session cookie refused after logout", str(s))

# ---- TOTP -----------------------------------------------------------------------------------
tc = Client()
s, h, body, _ = tc.login("pi-T", U["pi-T"])
check(s == 401, "second factor required", str(s))
code = totp(CFG["totp_secret"])
s, *_ = tc.login("pi-T", U["pi-T"], code)
check(s == 303, "login with TOTP", str(s))
s, *_ = Client().login("pi-T", U["pi-T"], code)
check(s == 401, "a TOTP code is accepted once", str(s))

# ---- limits ---------------------------------------------------------------------------------
s, *_ = anon.request("POST", "/login", raw_body=b"x=" + b"A" * (70 * 1024))
check(s == 413, "oversized body → 413", str(s))
s, *_ = anon.request("GET", "/login", headers={"X-Big": "B" * (20 * 1024)})
check(s == 431, "oversized headers → 431", str(s))
sock = socket.create_connection((BASE.hostname, BASE.port))
sock.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\n")
sock.settimeout(CFG["request_timeout"] + 10)
t0 = time.time()
try:
    reply = sock.recv(200).decode("latin-1")
except socket.timeout:
    reply = ""
sock.close()
check(reply.startswith("HTTP/1.1 408"), "slow request → 408", reply[:40])
check(time.time() - t0 < CFG["request_timeout"] + 5, "408 within the request time limit")

# ---- session expiry (second server: --idle-timeout 2s) --------------------------------------
sc = Client(urllib.parse.urlparse(CFG["short_base"]))
s, *_ = sc.login("pi-A", U["pi-A"])
check(s == 303, "login on the short-idle server", str(s))
s, *_ = sc.get("/patients")
check(s == 200, "session works before the idle timeout", str(s))
time.sleep(3.5)
s, h, *_ = sc.get("/patients")
check(s == 303 and h.get("location") == "/login", "session expired after the idle timeout", str(s))

# ---- lockout and address throttling (last: they lock this client's address) -----------------
v = Client()
for i in range(5):
    s, *_ = v.login("victim", "not the password " + str(i))
s, h, body, _ = v.login("victim", U["victim"])
check(s == 401 and "locked" in body, "account locked after 5 failures, even with the right password", str(s))
for i in range(25):
    s, h, body, _ = v.login("nobody" + str(i), "x" * 12)
check(s == 429, "client address throttled after repeated failures", str(s))
s, *_ = Client().login("pi-A", U["pi-A"])
check(s == 429, "throttled address cannot log in either", str(s))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
