// HTML text and attribute escaping (& < > " '): the one escaper of the report and the portal;
// percent-encoding (RFC 3986): the one encoder of the portal's links and TOTP key URIs.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace actionable::util {

// One switch of replacements, as io/json_writer.hpp's JSON escaping: another language's table.
inline std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

/// Percent-encoding of everything but the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
inline std::string url_encode(std::string_view s) {
  std::string o;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      o += static_cast<char>(c);
    } else {
      char b[4];
      std::snprintf(b, sizeof b, "%%%02X", c);
      o += b;
    }
  }
  return o;
}

}  // namespace actionable::util
