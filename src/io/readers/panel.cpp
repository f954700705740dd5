// Gene-panel files and gene-panel matrices (see panel.hpp).
#include "actionable/detail/io/readers/panel.hpp"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "actionable/detail/io/readers/table.hpp"
#include "collector.hpp"
#include "util/lines.hpp"
#include "util/utf8.hpp"

namespace actionable::io {

namespace {

std::string stem(std::string const& path) {
  auto slash = path.find_last_of("/\\");
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  auto dot = base.find('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

ReadResult read_panel_matrix(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "gene-panel-matrix", options);
  TableReader t(source, TableOptions{0, {"SAMPLE_ID"}});
  if (!out.table_opened(t)) return r;
  auto c_sample = t.column("SAMPLE_ID");
  Row row;
  while (t.next(row)) {
    std::string sample;
    if (!out.begin_table_row(row, c_sample, sample, "no SAMPLE_ID", true)) continue;
    std::map<std::string, nlohmann::json> by_panel;  // panel id -> profiles
    for (std::size_t i = 0; i < t.header().size(); ++i) {
      if (i == *c_sample || text::is_missing(row.fields[i])) continue;
      auto& profiles = by_panel[row.fields[i]];
      if (profiles.is_null()) profiles = nlohmann::json::array();
      profiles.push_back(t.header()[i]);
    }
    out.sample(sample, row.line);
    if (by_panel.empty()) {
      out.skip(IssueLevel::kNote, row.line, "sample " + sample + " has no profiled panel");
      continue;
    }
    for (auto& [id, profiles] : by_panel) out.panel(sample, row.line, id, profiles);
  }
  out.finish();
  return r;
}

}  // namespace

ReadResult read_panel(Source const& source, ReadOptions const& options) {
  // Look at the first meaningful line to tell the three forms apart.
  std::unique_ptr<std::istream> in;
  if (source.text)
    in = std::make_unique<std::istringstream>(*source.text);
  else
    in = std::make_unique<std::ifstream>(source.path, std::ios::binary);
  ReadResult r;
  detail::Collector out(r, source, "", options);
  if (!*in) {
    out.issue(IssueLevel::kError, 0, "cannot open file");
    return r;
  }
  std::vector<std::pair<std::size_t, std::string>> lines;
  std::string line;
  std::size_t n = 0;
  bool overlong = false;
  while (util::read_line(*in, line, overlong)) {  // bounded: a longer line is cut, then refused
    ++n;
    if (n == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (overlong) {
      out.issue(IssueLevel::kError, n, "line longer than " + std::to_string(util::kMaxLineBytes) + " bytes: ignored");
      continue;
    }
    if (text::trim(line).empty() || line[0] == '#') continue;
    if (auto bad = util::utf8_problem(line); !bad.empty()) {
      out.issue(IssueLevel::kError, n, "line " + bad + ": ignored");
      continue;
    }
    lines.emplace_back(n, line);
  }
  if (lines.empty()) {
    out.issue(IssueLevel::kError, 0, "empty gene-panel file");
    return r;
  }
  std::vector<std::string> first;
  TableReader::split(lines.front().second, lines.front().second.find('\t') != std::string::npos ? '\t' : ',', first);
  for (auto const& f : first)
    if (text::iequals(f, "SAMPLE_ID")) return read_panel_matrix(source, options);

  PanelDef def;
  bool keyed = text::starts_with_icase(text::trim(lines.front().second), "stable_id") ||
               lines.front().second.find(':') != std::string::npos;
  std::set<std::string> seen;
  auto add_gene = [&](std::string const& g, std::size_t ln) {
    if (!text::is_gene_symbol(g)) {
      // A warning, not a lost row: a gene left out of a panel is untested, so nothing is
      // concluded from its absence (the cautious reading).
      out.issue(IssueLevel::kWarning, ln,
                "'" + g + "' is not a gene symbol: left out of the panel (treated as untested)");
      return;
    }
    if (seen.insert(g).second) def.genes.push_back(g);
  };
  if (keyed) {
    r.format = "gene-panel";
    for (auto const& [ln, l] : lines) {
      auto colon = l.find(':');
      if (colon == std::string::npos) {
        out.issue(IssueLevel::kError, ln, "expected 'key: value'");
        continue;
      }
      auto key = text::lower(text::trim(std::string_view(l).substr(0, colon)));
      auto value = text::trim(std::string_view(l).substr(colon + 1));
      if (key == "stable_id") {
        def.id = std::string(value);
        def.line = ln;
      } else if (key == "description") {
        def.description = std::string(value);
      } else if (key == "gene_list") {
        for (auto const& g : text::split_any(value, "\t ,")) add_gene(g, ln);
      }
    }
    if (def.id.empty()) {
      out.issue(IssueLevel::kError, 0, "no stable_id");
      return r;
    }
  } else {
    r.format = "gene-list";
    def.id = stem(source.path);
    def.line = lines.front().first;
    for (auto const& [ln, l] : lines) {
      ++r.counts.rows;
      for (auto const& g : text::split_any(l, "\t ,")) add_gene(g, ln);
    }
  }
  if (def.genes.empty()) out.issue(IssueLevel::kError, def.line, "panel " + def.id + " lists no genes");
  r.panels.push_back(std::move(def));
  r.counts.panels = 1;
  out.finish();
  return r;
}

}  // namespace actionable::io
