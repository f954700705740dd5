#!/usr/bin/env python3
"""Browser tests of the PI portal in headless Chromium (Debian chromium + chromium-driver +
python3-selenium), run by portal_test.sh --browser against a running portal: log in as a PI, see
only the own centre's patients, open a report, record a follow-up, see it listed, log out — by
keyboard-reachable form controls, with JavaScript switched off (the portal needs none). A
screenshot of each page is kept in ARTIFACT_DIR.

Usage: portal_browser_test.py CONFIG.json ARTIFACT_DIR
"""
import json
import os
import shutil
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

CFG = json.load(open(sys.argv[1]))
ART = sys.argv[2]
os.makedirs(ART, exist_ok=True)
passed = failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}" + (f" — {detail}" if detail else ""))


driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not os.path.exists(driver_path):
    print("FAIL: chromedriver not found (apt-get install chromium-driver)")
    print("0 passed, 1 failed")
    sys.exit(1)
opts = webdriver.ChromeOptions()
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
          "--user-data-dir=" + os.path.join(ART, ".profile")]:
    opts.add_argument(a)
opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
for b in ["/usr/bin/chromium", "/usr/bin/chromium-browser"]:
    if os.path.exists(b):
        opts.binary_location = b
        break
d = webdriver.Chrome(service=Service(driver_path), options=opts)
d.set_page_load_timeout(30)
base = CFG["base"]


def wait_url(part, timeout=10):
    try:
        WebDriverWait(d, timeout).until(lambda drv: part in drv.current_url)
    except Exception:
        pass
    return part in d.current_url


def shot(name):
    d.save_screenshot(os.path.join(ART, name + ".png"))
    with open(os.path.join(ART, name + ".html"), "w") as f:
        f.write(d.page_source)


def console_errors():
    try:
        # Network errors are the refused forms' 4xx answers, which the test provokes on purpose.
        return [e for e in d.get_log("browser") if e.get("level") == "SEVERE" and e.get("source") != "network"]
    except Exception:
        return []


try:
    d.get(base + "/patients")
    check(d.current_url.endswith("/login"), "redirected to the login page", d.current_url)
    shot("01-login")
    # Keyboard only: type in the focused field, tab to the next.
    login = d.find_element(By.ID, "login")
    login.send_keys("pi-A")
    d.find_element(By.ID, "password").send_keys(CFG["users"]["pi-A"] + Keys.ENTER)
    check(wait_url("/patients"), "logged in", d.current_url)
    check(d.find_element(By.CSS_SELECTOR, "h1").text == "Patients", "patients page title")
    shot("02-patients")
    rows = d.find_elements(By.CSS_SELECTOR, "table.patients tbody tr")
    check(len(rows) == len(CFG["a"]), "only my centre's patients", f"{len(rows)} rows")
    text = d.find_element(By.TAG_NAME, "body").text
    check(not any(p[:12] in text for p in CFG["b"]), "no other centre's pseudonym on the page")
    # Filters by keyboard.
    Select(d.find_element(By.ID, "f-sort")).select_by_value("tumour")
    d.find_element(By.CSS_SELECTOR, "form.filters button").click()
    check(wait_url("sort=tumour"), "sorting by tumour", d.current_url)
    # Open the first patient and the report.
    d.find_element(By.CSS_SELECTOR, "table.patients tbody tr a").click()
    check(wait_url("/patients/"), "patient page", d.current_url)
    shot("03-patient")
    frame = d.find_element(By.CSS_SELECTOR, "iframe.report")
    d.switch_to.frame(frame)
    report_text = d.find_element(By.TAG_NAME, "body").text
    check(len(report_text) > 200, "the report renders in its frame", report_text[:80])
    d.switch_to.default_content()
    d.find_element(By.LINK_TEXT, "Open the report").click()
    check(wait_url("/report"), "report page", d.current_url)
    shot("04-report")
    d.back()
    # Record a follow-up.
    visit = d.find_element(By.ID, "f-visit")
    visit_no = visit.get_attribute("value")
    d.find_element(By.ID, "f-date").send_keys("")  # keeps today's date (default)
    Select(d.find_element(By.ID, "f-status")).select_by_value("stable")
    Select(d.find_element(By.ID, "f-recist")).select_by_value("SD")
    d.find_element(By.CSS_SELECTOR, "#follow-up-form button").click()
    check(wait_url("#follow-up"), "follow-up posted (redirected back to the patient page)", d.current_url)
    cells = [td.text for td in d.find_elements(By.CSS_SELECTOR, "table.visits tbody tr td")]
    check(visit_no in cells and "stable" in cells and "SD" in cells, "the new visit is listed", str(cells))
    shot("05-follow-up-recorded")
    # A contradictory visit shows its error next to the field.
    d.find_element(By.ID, "f-visit").clear()
    d.find_element(By.ID, "f-visit").send_keys("1")
    d.find_element(By.CSS_SELECTOR, "#follow-up-form button").click()
    wait_url("/follow-up")
    errs = d.find_elements(By.CSS_SELECTOR, "#follow-up-form .field-error, #follow-up-form .error")
    msg = " ".join(e.get_attribute("textContent") for e in errs)
    check("already recorded" in msg, "duplicate visit refused with a message next to the field", msg)
    shot("06-follow-up-refused")
    d.get(base + "/dashboard")
    check(len(d.find_elements(By.CSS_SELECTOR, "svg.km")) == 2, "dashboard shows two Kaplan–Meier figures")
    shot("07-dashboard")
    # Tablet width: no horizontal overflow of the page itself.
    d.set_window_size(800, 1100)
    d.get(base + "/patients")
    shot("08-patients-tablet")
    d.set_window_size(1280, 900)
    d.find_element(By.CSS_SELECTOR, "header .who button").click()
    check(wait_url("/login"), "logged out", d.current_url)
    d.get(base + "/patients")
    check(d.current_url.endswith("/login"), "after logout the patients page needs a login again", d.current_url)
    shot("09-logged-out")
    errors = console_errors()
    check(not errors, "no browser console errors (CSP violations included)", str(errors))
finally:
    d.quit()

print(f"browser: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
