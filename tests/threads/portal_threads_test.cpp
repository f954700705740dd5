// The PI portal served by its own HTTP server (portal::HttpServer: Beast network threads and a
// worker pool calling one portal::Portal) to several clients at once, as `actionable serve` runs
// it, so that the tsan preset runs it under ThreadSanitizer (docs/reliability.md). Also part of
// the normal suite (ctest portal_threads).
//
// A throw-away SQLite registry: centres BE-A and BE-B, one patient each, matched by the shipped
// rules; a PI of centre A logged in once. Then THREADS clients (default 6) send ROUNDS rounds
// (default 4) of: the health check, the login page, the patient list, A's patient page, its
// tumour-board report (HTML; the PDF in the first round), centre B's patient (must be 404), the
// CSV export, and one follow-up visit (a write and an audit entry), each on its own connection.
// Every answer must have its expected status and content, no answer to A's PI may name B's
// patient, every follow-up must be stored once, and the audit chain must verify afterwards.
// Prints "N passed, N failed".
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "actionable/engine.hpp"
#include "actionable/portal/accounts.hpp"
#include "actionable/portal/http.hpp"
#include "actionable/portal/portal.hpp"
#include "actionable/registry/matcher.hpp"
#include "actionable/registry/registry.hpp"

using namespace actionable;

namespace {

struct Answer {
  int status = 0;
  std::string head, body;
};

/// One request on a new loopback connection (Connection: close), read to the end.
Answer http(std::uint16_t port, std::string const& method, std::string const& target, std::string const& cookie,
            std::string const& form = "") {
  Answer a;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return a;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return a;
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!cookie.empty()) req += "Cookie: " + cookie + "\r\n";
  if (!form.empty())
    req += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(form.size()) + "\r\n";
  req += "\r\n" + form;
  for (std::size_t sent = 0; sent < req.size();) {
    auto n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string all;
  char buf[16384];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) all.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  auto end = all.find("\r\n\r\n");
  if (all.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return a;
  a.status = std::stoi(all.substr(9, 3));
  a.head = all.substr(0, end);
  a.body = all.substr(end + 4);
  return a;
}

std::string cookie_of(portal::Response const& r, std::string const& name) {
  for (auto const& [k, v] : r.headers)
    if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0) return v.substr(0, v.find(';'));
  return "";
}

std::string csrf_of(std::string const& page) {
  std::smatch m;
  return std::regex_search(page, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")) ? m[1].str() : "";
}

}  // namespace

int main(int argc, char** argv) {
  std::string const src = argc > 1 ? argv[1] : ACTIONABLE_SOURCE_DIR;
  int const threads = argc > 2 ? std::stoi(argv[2]) : 6;
  int const rounds = argc > 3 ? std::stoi(argv[3]) : 4;
  std::size_t passed = 0, failed = 0;
  std::mutex out_mutex;
  auto check = [&](bool ok, std::string const& what) {
    std::lock_guard lock(out_mutex);
    if (ok) {
      ++passed;
    } else {
      ++failed;
      std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    }
  };

  auto dir = std::filesystem::temp_directory_path() / ("act_portal_threads_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  int rc = 2;
  try {
    std::string err;
    auto cat = catalog::Catalog::load(catalog::Catalog::default_dir(), &err);
    if (!cat) throw std::runtime_error("cannot load the catalog: " + err);
    auto catalog = std::make_shared<catalog::Catalog const>(std::move(*cat));
    Diagnostics diags;
    auto engine = Engine::from_paths({src + "/rules/precision1", src + "/rules/precision2"}, catalog, diags);
    if (!engine) throw std::runtime_error(diags.format());

    std::string const url = "sqlite:" + (dir / "r.db").string();
    auto owner = registry::Registry::open(url, {});
    owner->init();
    owner->add_centre("BE-A", "Centre A");
    owner->add_centre("BE-B", "Centre B");
    auto key = registry::PseudonymKey::from_bytes("threads-key-0123456789abcdef0123456789abcdef");
    owner->bind_key(key);
    std::vector<std::string> lines = {
        R"({"patient":"TA","centre":"BE-A","tumour":{"oncotree":"LUAD"},"findings":[{"type":"fusion","gene5":"EML4","gene3":"ALK"}]})",
        R"({"patient":"TB","centre":"BE-B","tumour":{"oncotree":"COAD"},"findings":[{"type":"variant","gene":"BRAF","protein":"p.V600E"}]})"};
    auto imported = owner->import_lines(lines, key);
    if (imported.inserted != 2) throw std::runtime_error("fixture import: " + std::to_string(imported.inserted));
    auto runs = owner->match(*registry::engine_matcher(engine));
    if (runs.runs != 2) throw std::runtime_error("fixture match: " + std::to_string(runs.runs) + " runs");
    std::string const pa = key.pseudonym("BE-A", "TA"), pb = key.pseudonym("BE-B", "TB");
    portal::Accounts(*owner).add("pi-a", portal::Role::kPi, std::string("BE-A"), "threads password 1",
                                 portal::PasswordPolicy::standard());

    portal::PortalOptions po;
    po.db = url;
    po.catalog = catalog;
    portal::Portal app(po);
    // Log in once (Argon2id), on the handler directly; the clients share the session.
    portal::Request g;
    g.method = "GET";
    g.path = g.target = "/login";
    g.client = "127.0.0.1";
    auto login_page = app.handle(g);
    portal::Request p = g;
    p.method = "POST";
    p.headers["cookie"] = cookie_of(login_page, "act_pre");
    p.headers["content-type"] = "application/x-www-form-urlencoded";
    p.body = "csrf=" + csrf_of(login_page.body) + "&login=pi-a&password=threads+password+1";
    std::string const cookie = cookie_of(app.handle(p), "act_session");
    if (cookie.empty()) throw std::runtime_error("fixture login failed");

    portal::HttpOptions ho;
    ho.port = 0;
    ho.io_threads = 2;
    ho.workers = 4;
    ho.handle_signals = false;
    std::atomic<int> logged{0};
    ho.access_log = [&](std::string const&) { ++logged; };
    portal::HttpServer server(ho, [&](portal::Request const& r) { return app.handle(r); });
    std::thread serving([&] { server.run(); });
    std::uint16_t const port = server.port();

    std::string const page = http(port, "GET", "/patients/" + pa, cookie).body;
    std::string const csrf = csrf_of(page);
    check(!csrf.empty(), "the patient page has a form token");

    std::string const b_prefix = pb.substr(0, 12);
    auto client = [&](int t) {
      for (int round = 0; round < rounds; ++round) {
        std::string const who = "client " + std::to_string(t) + " round " + std::to_string(round) + ": ";
        auto a = http(port, "GET", "/healthz", "");
        check(a.status == 200, who + "/healthz " + std::to_string(a.status));
        a = http(port, "GET", "/login", "");
        check(a.status == 200 && !csrf_of(a.body).empty(), who + "/login " + std::to_string(a.status));
        a = http(port, "GET", "/patients", cookie);
        check(a.status == 200 && a.body.find(pa) != std::string::npos, who + "/patients " + std::to_string(a.status));
        check(a.body.find(b_prefix) == std::string::npos, who + "centre B's patient in A's list");
        a = http(port, "GET", "/patients/" + pa, cookie);
        check(a.status == 200 && a.body.find(pa) != std::string::npos, who + "A's patient " + std::to_string(a.status));
        a = http(port, "GET", "/patients/" + pa + "/report", cookie);
        check(a.status == 200 && a.body.find("<html") != std::string::npos && a.body.find("ALK") != std::string::npos,
              who + "A's report " + std::to_string(a.status));
        if (round == 0) {
          a = http(port, "GET", "/patients/" + pa + "/report.pdf", cookie);
          check(a.status == 200 && a.body.rfind("%PDF", 0) == 0, who + "A's PDF " + std::to_string(a.status));
        }
        a = http(port, "GET", "/patients/" + pb, cookie);
        check(a.status == 404 && a.body.find(b_prefix) == std::string::npos,
              who + "B's patient for A's PI " + std::to_string(a.status));
        a = http(port, "GET", "/export.csv", cookie);
        check(a.status == 200 && a.body.find(pa) != std::string::npos && a.body.find(b_prefix) == std::string::npos,
              who + "export " + std::to_string(a.status));
        int const visit = 1 + t * rounds + round;
        a = http(port, "POST", "/patients/" + pa + "/follow-up", cookie,
                 "csrf=" + csrf + "&visit=" + std::to_string(visit) + "&date=2025-09-02&vital_status=alive");
        check(a.status == 303, who + "follow-up visit " + std::to_string(visit) + ": " + std::to_string(a.status));
      }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(client, t);
    for (auto& th : pool) th.join();
    server.stop();
    serving.join();

    auto audit = owner->audit_verify();
    check(audit.ok, "the audit chain verifies after the run");
    std::ostringstream exported;
    owner->export_jsonl(exported);
    int follow_ups = 0;
    std::string const text = exported.str();
    for (std::size_t at = text.find("\"visit\":"); at != std::string::npos; at = text.find("\"visit\":", at + 1))
      ++follow_ups;
    check(follow_ups == threads * rounds,
          "follow-ups stored: " + std::to_string(follow_ups) + " of " + std::to_string(threads * rounds));
    check(logged.load() > 0, "the access log saw the requests");
    std::printf("%zu passed, %zu failed\n", passed, failed);
    rc = failed == 0 ? 0 : 1;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "portal_threads: %s\n", e.what());
  }
  std::filesystem::remove_all(dir);
  return rc;
}
