// Shared helpers of the importers: file assembly, quoting, and the compile check that drops
// blocks the rule compiler rejects (include/actionable/import/common.hpp).
#include "../util/ascii.hpp"
#include "actionable/import/common.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>

#include "actionable/diagnostics.hpp"
#include "actionable/engine.hpp"

namespace actionable::import {

namespace {

std::size_t count_lines(std::string const& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

std::string GeneratedFile::text() const {
  std::string out = header;
  for (auto const& b : blocks) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += '\n';
    out += b.text;
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

std::vector<Rejected> drop_uncompilable(std::vector<GeneratedFile>& files,
                                        std::shared_ptr<catalog::Catalog const> const& catalog,
                                        std::string* remaining_errors, int max_rounds) {
  std::vector<Rejected> rejected;
  if (remaining_errors) remaining_errors->clear();
  for (int round = 0; round < max_rounds; ++round) {
    // Line ranges of every block, per file.
    struct Range {
      std::size_t file, block, first, last;  // 1-based inclusive lines
    };
    std::vector<Range> ranges;
    std::vector<RuleSource> sources;
    for (std::size_t f = 0; f < files.size(); ++f) {
      std::string out = files[f].header;
      for (std::size_t b = 0; b < files[f].blocks.size(); ++b) {
        if (!out.empty() && out.back() != '\n') out += '\n';
        out += '\n';
        std::size_t first = count_lines(out) + 1;
        out += files[f].blocks[b].text;
        std::size_t last = count_lines(out);
        ranges.push_back({f, b, first, std::max(first, last)});
      }
      if (!out.empty() && out.back() != '\n') out += '\n';
      sources.push_back({files[f].path, out});
    }
    Diagnostics diags;
    auto engine = Engine::from_sources(sources, catalog, diags);
    if (engine && !diags.has_errors()) return rejected;
    // Attribute each error to a block.
    std::map<std::pair<std::size_t, std::size_t>, std::string> bad;
    std::string unattributed;
    for (auto const& d : diags.sorted()) {
      if (d.severity != Severity::kError) continue;
      std::string path = d.span.valid() ? d.span.file->path() : d.path;
      std::size_t line = d.span.valid() ? d.span.line() : 0;
      bool found = false;
      for (auto const& r : ranges) {
        if (files[r.file].path == path && line >= r.first && line <= r.last) {
          bad.emplace(std::make_pair(r.file, r.block), "[" + d.code + "] " + d.message);
          found = true;
          break;
        }
      }
      if (!found) unattributed += format_diagnostic(d);
    }
    if (bad.empty()) {
      if (remaining_errors) *remaining_errors = unattributed.empty() ? diags.format() : unattributed;
      return rejected;
    }
    // Remove from the back so indices stay valid.
    for (auto it = bad.rbegin(); it != bad.rend(); ++it) {
      auto& blocks = files[it->first.first].blocks;
      rejected.push_back({blocks[it->first.second].owner, it->second});
      blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(it->first.second));
    }
  }
  // Still failing after max_rounds: report what is left.
  std::vector<RuleSource> sources;
  for (auto const& f : files) sources.push_back({f.path, f.text()});
  Diagnostics diags;
  auto engine = Engine::from_sources(sources, catalog, diags);
  if ((!engine || diags.has_errors()) && remaining_errors) *remaining_errors = diags.format();
  return rejected;
}

std::string quote(std::string const& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string identifier(std::string const& s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '_' || c == '.' || c == '-')
      out += c;
    else
      out += '_';
  }
  if (out.empty() || !(std::isalpha(static_cast<unsigned char>(out[0])) || out[0] == '_')) out = "_" + out;
  return out;
}

std::string lower(std::string s) { return util::lower(std::move(s)); }

std::string upper(std::string s) { return util::upper(std::move(s)); }

std::string trim(std::string const& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool write_files(std::string const& dir, std::vector<GeneratedFile> const& files, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    if (error) *error = "cannot create '" + dir + "': " + ec.message();
    return false;
  }
  for (auto const& f : files) {
    auto path = std::filesystem::path(dir) / f.path;
    std::ofstream out(path, std::ios::binary);
    out << f.text();
    if (!out) {
      if (error) *error = "cannot write '" + path.string() + "'";
      return false;
    }
  }
  return true;
}

}  // namespace actionable::import
