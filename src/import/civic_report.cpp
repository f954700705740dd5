// The CIViC import report: counts by outcome, reason and remark (import_report.md, docs/civic.md).
#include <algorithm>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "actionable/import/civic.hpp"
#include "civic_internal.hpp"

namespace actionable::import::civic_detail {

namespace {

std::string percent(std::size_t a, std::size_t b) {
  if (b == 0) return "n/a";
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << (100.0 * static_cast<double>(a) / static_cast<double>(b)) << "%";
  return o.str();
}

}  // namespace

void write_report(CivicResult& res, std::string const& origin_name, CivicOptions const& options,
                  std::string const& version) {
  std::map<std::string, std::size_t> by_reason_all, by_reason_abc;
  std::map<std::string, std::map<std::string, std::size_t>> details_abc;
  std::map<std::string, std::size_t> note_kinds;
  for (auto const& o : res.outcomes) {
    if (o.imported) ++res.imported;
    if (o.predictive_abc) {
      ++res.predictive_abc;
      if (o.imported) ++res.predictive_abc_imported;
    }
    auto key = o.imported ? std::string("imported") : o.reason;
    ++by_reason_all[key];
    if (o.predictive_abc) {
      ++by_reason_abc[key];
      if (!o.imported) ++details_abc[o.reason][o.detail];
    }
    if (o.imported) {
      std::set<std::string> kinds;  // a rule counts once per remark, however many atoms carry it
      for (auto const& n : o.notes) {
        auto k = n.substr(0, n.find(':'));
        if (n.find("partner unspecified") != std::string::npos)
          k = "fusion partner unspecified (orientation not fixed)";
        else if (n.rfind("gene symbol", 0) == 0)
          k = "gene symbol read as the approved symbol";
        kinds.insert(k);
      }
      for (auto const& k : kinds) ++note_kinds[k];
    }
  }
  std::ostringstream rep;
  rep << "# CIViC import report\n\n";
  rep << "Input: `" << origin_name << "` (" << res.outcomes.size() << " evidence items). Rule set "
      << quote(options.ruleset_name) << " version " << quote(version) << ", levels imported: " << options.levels
      << ", sensitivity class: " << options.sensitivity_class << ".\n\n";
  rep << "- imported: **" << res.imported << "** rules in " << (res.files.size() - 1) << " gene files\n";
  rep << "- predictive evidence, level A–C: " << res.predictive_abc << " items, **" << res.predictive_abc_imported
      << " imported (" << percent(res.predictive_abc_imported, res.predictive_abc) << ")**\n\n";
  rep << "## Items by outcome\n\n| outcome | predictive A–C | all items |\n|---|---:|---:|\n";
  std::vector<std::pair<std::string, std::size_t>> order(by_reason_all.begin(), by_reason_all.end());
  std::sort(order.begin(), order.end(), [&](auto const& a, auto const& b) {
    if ((a.first == "imported") != (b.first == "imported")) return a.first == "imported";
    auto ca = by_reason_abc.count(a.first) ? by_reason_abc.at(a.first) : 0;
    auto cb = by_reason_abc.count(b.first) ? by_reason_abc.at(b.first) : 0;
    if (ca != cb) return ca > cb;
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;
  });
  for (auto const& [k, n] : order)
    rep << "| " << k << " | " << (by_reason_abc.count(k) ? by_reason_abc.at(k) : 0) << " | " << n << " |\n";
  if (!note_kinds.empty()) {
    rep << "\n## Imported with a remark (also written as a comment on the rule)\n\n| remark | rules |\n|---|---:|\n";
    for (auto const& [k, n] : note_kinds) rep << "| " << k << " | " << n << " |\n";
  }
  rep << "\n## Predictive A–C items not imported, by reason and detail\n";
  for (auto const& [reason, m] : details_abc) {
    std::vector<std::pair<std::string, std::size_t>> d(m.begin(), m.end());
    std::sort(d.begin(), d.end(), [](auto const& a, auto const& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    rep << "\n### " << reason << "\n\n";
    for (auto const& [k, n] : d) rep << "- " << k << " — " << n << "\n";
  }
  rep << "\nEvery item, with its outcome: `import_items.tsv` next to this report.\n";
  res.report = rep.str();
}

}  // namespace actionable::import::civic_detail
