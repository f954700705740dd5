// Private helpers of the report back-ends: joining texts and printing numbers (fixed decimals,
// trailing zeros dropped: 0.31 → "0.31", 8.0 → "8").
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace actionable::report::detail {

inline std::string join(std::vector<std::string> const& v, char const* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

inline std::string number(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

}  // namespace actionable::report::detail
