// Portal units (issue 12): password policy, Argon2id, TOTP (RFC 6238 vectors, each code once),
// form parsing and escaping, and Portal::handle() without sockets on a SQLite registry with a
// moved clock: session idle timeout and absolute lifetime, lockout expiry, CSRF, scope.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

#include "actionable/portal/portal.hpp"
#include "portal/internal.hpp"

using namespace actionable;
using namespace actionable::portal;

TEST_CASE("password policy") {
  auto policy = PasswordPolicy::standard();
  struct Row {
    char const* password;
    char const* login;
    char const* problem;  // substring, "" = accepted
  };
  Row const rows[] = {
      {"short", "alice", "at least 12"},
      {"elevenchars", "alice", "at least 12"},
      {"aaaaaaaaaaaaaaaa", "alice", "repeated"},
      {"Password1234", "bob", "common"},
      {"PRECISION1234", "bob", "common"},
      {"alice-is-my-password", "alice", "contains the login"},
      {"correct horse battery staple", "alice", ""},
      {"Zürich-Tumorboard-7", "alice", ""},
      {"ééééééééééé", "alice", "at least 12"},  // 11 code points, 22 bytes
  };
  for (auto const& r : rows) {
    CAPTURE(r.password);
    auto why = password_problem(r.password, r.login, policy);
    if (std::string(r.problem).empty()) {
      CHECK(why.empty());
    } else {
      CHECK(why.find(r.problem) != std::string::npos);
    }
  }
  CHECK(password_problem(std::string(1025, 'x') + "y", "a", policy).find("1024") != std::string::npos);
  CHECK(password_problem("valid-but-\xff\xfe-bytes", "a", policy).find("UTF-8") != std::string::npos);
}

TEST_CASE("Argon2id hashes verify and differ by salt") {
  auto h1 = hash_password("correct horse battery staple");
  auto h2 = hash_password("correct horse battery staple");
  CHECK(h1.rfind("$argon2id$", 0) == 0);
  CHECK(h1 != h2);
  CHECK(verify_password(h1, "correct horse battery staple"));
  CHECK_FALSE(verify_password(h1, "correct horse battery stapl"));
  CHECK_FALSE(verify_password("not a hash", "x"));
}

TEST_CASE("tokens") {
  auto t = random_token();
  CHECK(t.size() == 43);
  CHECK(std::regex_match(t, std::regex("[A-Za-z0-9_-]{43}")));
  CHECK(random_token() != t);
  CHECK(token_hash(t).size() == 64);
  CHECK(equal_secret("abc", "abc"));
  CHECK_FALSE(equal_secret("abc", "abd"));
  CHECK_FALSE(equal_secret("abc", "abcd"));
  CHECK_FALSE(equal_secret("", ""));
}

TEST_CASE("TOTP: RFC 6238 appendix B vectors (SHA-1, last 6 digits) and one use per code") {
  // The RFC's SHA-1 key is the ASCII "12345678901234567890".
  std::string secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  struct V {
    std::int64_t t;
    char const* code;
  };
  V const vectors[] = {{59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
                       {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}};
  for (auto const& v : vectors) {
    CAPTURE(v.t);
    CHECK(totp_code(secret, v.t) == v.code);
    auto step = totp_verify(secret, v.code, v.t, 0);
    REQUIRE(step);
    CHECK(*step == v.t / 30);
    CHECK_FALSE(totp_verify(secret, v.code, v.t, *step));  // replay refused
  }
  CHECK(totp_verify(secret, "287082", 59 + 30, 0));  // one step of clock skew
  CHECK_FALSE(totp_verify(secret, "287082", 59 + 95, 0));
  CHECK_FALSE(totp_verify(secret, "28708", 59, 0));
  CHECK_FALSE(totp_verify(secret, "2870822", 59, 0));
  CHECK_FALSE(totp_verify(secret, "28708a", 59, 0));
  auto fresh = new_totp_secret();
  CHECK(fresh.size() == 32);
  CHECK(totp_uri(fresh, "pi a", "PRECISION 1").find("otpauth://totp/PRECISION%201:pi%20a?secret=" + fresh) == 0);
}

TEST_CASE("form parsing and escaping") {
  using detail::parse_form;
  auto f = parse_form("a=1&b=x+y&c=%3Cscript%3E&empty=&a=2");
  REQUIRE(f);
  CHECK((*f)["a"] == "2");
  CHECK((*f)["b"] == "x y");
  CHECK((*f)["c"] == "<script>");
  CHECK((*f)["empty"].empty());
  CHECK_FALSE(parse_form("a=%FF%FE"));   // invalid UTF-8
  CHECK_FALSE(parse_form("a=%00"));      // NUL
  CHECK_FALSE(parse_form("a=%1B[31m"));  // escape character
  CHECK_FALSE(parse_form("a=%4"));       // truncated escape
  CHECK_FALSE(parse_form("a=%zz"));
  CHECK(parse_form("a=line1%0D%0Aline2"));  // newlines are text in a textarea
  std::string many;
  for (int i = 0; i < 65; ++i) many += "f" + std::to_string(i) + "=1&";
  CHECK_FALSE(parse_form(many));
  CHECK(detail::esc("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(detail::is_pseudonym(std::string(64, 'a')));
  CHECK_FALSE(detail::is_pseudonym(std::string(64, 'A')));
  CHECK_FALSE(detail::is_pseudonym(std::string(63, 'a')));
}

namespace {

struct Fixture {
  std::filesystem::path dir;
  std::string url;
  std::int64_t now = 1'800'000'000;
  std::unique_ptr<Portal> portal;
  std::string pw = "a long test password 1";

  Fixture() {
    dir = std::filesystem::temp_directory_path() / ("act_portal_unit_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    url = "sqlite:" + (dir / "r.db").string();
    auto reg = registry::Registry::open(url, {});
    reg->init();
    reg->add_centre("BE-A", "A");
    reg->add_centre("BE-B", "B");
    Accounts acc(*reg);
    acc.add("pi-a", Role::kPi, std::string("BE-A"), pw, PasswordPolicy::standard());
    PortalOptions o;
    o.db = url;
    std::string err;
    auto cat = catalog::Catalog::load(catalog::Catalog::default_dir(), &err);
    REQUIRE_MESSAGE(cat, err);
    o.catalog = std::make_shared<catalog::Catalog const>(std::move(*cat));
    o.clock = [this] { return now; };
    o.idle_timeout = std::chrono::seconds(600);
    o.session_lifetime = std::chrono::seconds(3600);
    portal = std::make_unique<Portal>(o);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }

  Response call(std::string method, std::string path, std::string body = "", std::string cookie = "") {
    Request r;
    r.method = std::move(method);
    r.path = path;
    r.target = path;
    r.body = std::move(body);
    r.client = "127.0.0.1";
    r.headers["host"] = "portal.test";
    if (!r.body.empty()) r.headers["content-type"] = "application/x-www-form-urlencoded";
    if (!cookie.empty()) r.headers["cookie"] = cookie;
    return portal->handle(r);
  }
  static std::string set_cookie(Response const& r, std::string const& name) {
    for (auto const& [k, v] : r.headers) {
      if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0) return v.substr(0, v.find(';'));
    }
    return "";
  }
  static std::string header(Response const& r, std::string const& name) {
    for (auto const& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }
  /// Log in; returns the session cookie ("" on failure) and the response.
  std::pair<std::string, Response> login(std::string const& user, std::string const& password) {
    auto page = call("GET", "/login");
    std::string pre = set_cookie(page, "act_pre");
    std::smatch m;
    std::regex_search(page.body, m, std::regex("name=\"csrf\" value=\"([^\"]+)\""));
    auto r = call("POST", "/login",
                  "csrf=" + m[1].str() + "&login=" + user + "&password=" + detail::url_encode(password), pre);
    return {set_cookie(r, "act_session"), r};
  }
};

}  // namespace

TEST_CASE("sessions: idle timeout, absolute lifetime, logout") {
  Fixture f;
  auto [cookie, r] = f.login("pi-a", f.pw);
  REQUIRE(r.status == 303);
  REQUIRE(!cookie.empty());
  CHECK(f.call("GET", "/patients", "", cookie).status == 200);
  f.now += 599;
  CHECK(f.call("GET", "/patients", "", cookie).status == 200);  // refreshes last_seen
  f.now += 599;
  CHECK(f.call("GET", "/patients", "", cookie).status == 200);
  f.now += 601;  // idle too long
  auto expired = f.call("GET", "/patients", "", cookie);
  CHECK(expired.status == 303);
  CHECK(Fixture::header(expired, "Location") == "/login");
  // Absolute lifetime: active every 5 minutes, still ends after an hour.
  auto [c2, r2] = f.login("pi-a", f.pw);
  REQUIRE(r2.status == 303);
  int ok = 0;
  for (int i = 0; i < 14; ++i) {
    f.now += 300;
    ok += f.call("GET", "/patients", "", c2).status == 200;
  }
  CHECK(ok == 12);  // 300 … 3600 s; past the 3600 s lifetime every request is refused
}

TEST_CASE("lockout after five failures ends after the lockout time") {
  Fixture f;
  for (int i = 0; i < 5; ++i) CHECK(f.login("pi-a", "wrong password " + std::to_string(i)).second.status == 401);
  auto locked = f.login("pi-a", f.pw);
  CHECK(locked.second.status == 401);
  CHECK(locked.second.body.find("locked") != std::string::npos);
  f.now += 15 * 60 + 1;
  CHECK(f.login("pi-a", f.pw).second.status == 303);
}

TEST_CASE("security headers, CSRF, and scope without sockets") {
  Fixture f;
  auto login_page = f.call("GET", "/login");
  CHECK(Fixture::header(login_page, "X-Frame-Options") == "DENY");
  CHECK(Fixture::header(login_page, "Content-Security-Policy").find("default-src 'self'") == 0);
  CHECK(Fixture::header(login_page, "Cache-Control") == "no-store");
  auto [cookie, r] = f.login("pi-a", f.pw);
  REQUIRE(!cookie.empty());
  CHECK(f.call("POST", "/logout", "csrf=wrong", cookie).status == 403);
  CHECK(f.call("GET", "/patients", "", cookie).status == 200);  // still logged in
  CHECK(f.call("GET", "/patients/" + std::string(64, 'a'), "", cookie).status == 404);
  CHECK(f.call("GET", "/admin/users", "", cookie).status == 404);
  CHECK(f.call("DELETE", "/patients", "", cookie).status == 405);
}
