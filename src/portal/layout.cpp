// The portal's page layout and the text helpers every page uses (internal.hpp): HTML escaping,
// URL encoding, form decoding (application/x-www-form-urlencoded, strict), the page frame with
// its navigation, and the HTML / redirect / error responses.
#include <algorithm>
#include <ctime>

#include "portal/internal.hpp"
#include "util/html.hpp"
#include "util/utf8.hpp"

namespace actionable::portal::detail {

std::string esc(std::string_view s) { return util::html_escape(s); }

std::string url_encode(std::string_view s) { return util::url_encode(s); }

std::optional<std::map<std::string, std::string>> parse_form(std::string_view text) {
  std::map<std::string, std::string> out;
  auto decode = [](std::string_view s) -> std::optional<std::string> {
    std::string o;
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c == '+') {
        o += ' ';
      } else if (c == '%') {
        if (i + 2 >= s.size()) return std::nullopt;
        auto hex = [](char h) -> int {
          if (h >= '0' && h <= '9') return h - '0';
          if (h >= 'a' && h <= 'f') return h - 'a' + 10;
          if (h >= 'A' && h <= 'F') return h - 'A' + 10;
          return -1;
        };
        int a = hex(s[i + 1]), b = hex(s[i + 2]);
        if (a < 0 || b < 0) return std::nullopt;
        o += static_cast<char>(a * 16 + b);
        i += 2;
      } else {
        o += c;
      }
    }
    if (util::invalid_utf8(o)) return std::nullopt;
    for (unsigned char ch : o) {
      if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f) return std::nullopt;
    }
    return o;
  };
  std::size_t fields = 0;
  std::size_t pos = 0;
  while (pos <= text.size() && !text.empty()) {
    std::size_t amp = text.find('&', pos);
    std::string_view part = text.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    if (!part.empty()) {
      if (++fields > 64) return std::nullopt;
      std::size_t eq = part.find('=');
      auto k = decode(part.substr(0, eq));
      auto v = decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
      if (!k || !v) return std::nullopt;
      out[*k] = *v;  // the last value of a repeated field wins
    }
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return out;
}

bool is_pseudonym(std::string_view s) noexcept {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Response html(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response redirect(std::string const& location) {
  Response r;
  r.status = 303;
  r.set("Location", location);
  r.content_type = "text/plain; charset=utf-8";
  r.body = "See " + location + "\n";
  return r;
}

std::string page(Ctx const* ctx, std::string const& title, std::string const& body, std::string const& lang) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"" + esc(lang) +
                  "\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>" +
                  esc(title) +
                  " — PRECISION 1 portal</title>\n"
                  "<link rel=\"stylesheet\" href=\"/static/portal.css\">\n"
                  "<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">\n</head>\n<body>\n"
                  "<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"top\">\n"
                  "<p class=\"brand\">PRECISION 1 portal</p>\n";
  if (ctx) {
    bool admin = ctx->user.role == Role::kAdmin;
    h += "<nav aria-label=\"Main\"><ul>";
    if (!admin) h += "<li><a href=\"/patients\">Patients</a></li>";
    h += "<li><a href=\"/dashboard\">Endpoints</a></li>";
    if (ctx->user.role == Role::kPi) {
      h += "<li><a href=\"/export.csv\">Export CSV</a></li><li><a href=\"/export.jsonl\">Export JSON Lines</a></li>";
    }
    if (ctx->user.role != Role::kDataManager) h += "<li><a href=\"/audit\">Audit log</a></li>";
    if (admin) h += "<li><a href=\"/admin/users\">Users</a></li><li><a href=\"/admin/centres\">Centres</a></li>";
    h += "</ul></nav>\n<div class=\"who\"><span>" + esc(ctx->user.login) + " · " +
         esc(std::string(to_string(ctx->user.role))) +
         (ctx->user.centre ? " · centre " + esc(*ctx->user.centre) : std::string(" · all centres")) +
         "</span>\n<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"" +
         esc(ctx->csrf) + "\"><button type=\"submit\">Log out</button></form></div>\n";
  }
  h += "</header>\n<main id=\"main\">\n<h1>" + esc(title) + "</h1>\n" + body +
       "</main>\n<footer><p>Pseudonymised data (GDPR). Every view, export and change is recorded in the "
       "registry's audit log.</p></footer>\n</body>\n</html>\n";
  return h;
}

Response error_page(Ctx const* ctx, int status, std::string const& message) {
  std::string title = status == 404   ? "Not found"
                      : status == 403 ? "Forbidden"
                      : status == 400 ? "Bad request"
                      : status == 429 ? "Too many requests"
                      : status == 409 ? "Conflict"
                                      : "Error";
  return html(status, page(ctx, title, "<p class=\"error\" role=\"alert\">" + esc(message) + "</p>\n"));
}

}  // namespace actionable::portal::detail
