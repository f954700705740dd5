// Private to the library sources (never installed): a number as rule authors and clinicians
// read it in displays and messages. The one copy sema, model and eval share.
#pragma once

#include <charconv>
#include <string>

namespace actionable::util {

/// The shortest text that reads back as `v` ("2.5", "10", "1e+20"; std::to_chars).
inline std::string number_text(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace actionable::util
