// Private to the library sources (never installed): ASCII case folding, the one copy the
// rule checker, the record reader, the patient model and the importers share.
#pragma once

#include <cctype>
#include <string>

namespace actionable::util {

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace actionable::util
