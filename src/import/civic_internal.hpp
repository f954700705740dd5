// Private to src/import (never installed): the pieces of the CIViC importer shared by civic*.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actionable/import/civic.hpp"

namespace actionable::import::civic_detail {

// ---- reading TSV text (civic.cpp) -------------------------------------------------------------

/// The lines of a text, without their '\n' or "\r\n".
std::vector<std::string> lines_of(std::string_view text);

// ---- the report (civic_report.cpp) ------------------------------------------------------------

/// Counts res.imported / predictive_abc* from res.outcomes and writes res.report.
void write_report(CivicResult& res, std::string const& origin_name, CivicOptions const& options,
                  std::string const& version);

}  // namespace actionable::import::civic_detail
