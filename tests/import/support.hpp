// Test helpers shared by the import suites: the shipped catalog (tests/unit/support.hpp's, loaded
// once per binary) and the text of every file a CTML import generated.
#pragma once

#include <string>

#include "../unit/support.hpp"
#include "actionable/import/ctml.hpp"

namespace importtest {

using actionable::testing::shared_catalog;

inline std::string text_of(actionable::import::CtmlResult const& r) {
  std::string s;
  for (auto const& f : r.files) s += f.text();
  return s;
}

}  // namespace importtest
