// Private helper of the readers: collects entries, issues and counts into a ReadResult so each
// reader stays a loop over rows. Not installed.
#pragma once

#include <algorithm>
#include <array>
#include <filesystem>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "actionable/detail/io/readers/common.hpp"
#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/variant_text.hpp"
#include "util/text.hpp"

namespace actionable::io::detail {

class Collector {
 public:
  /// Opens a reader's result: `r` names the file `source` reads and the `format` read (every
  /// reader's prologue; a reader that tells its format only later passes "" and sets it then).
  Collector(ReadResult& r, Source const& source, std::string format, ReadOptions const& opts) : r_(r), opts_(opts) {
    r_.file = source.path;
    r_.format = std::move(format);
  }

  ReadResult& result() { return r_; }
  ReadOptions const& options() const { return opts_; }

  /// A problem at `line`; `sample` names the record it concerns when the row got that far.
  /// Messages are one line (common.hpp): control characters of quoted input (a line end
  /// inside a quoted field, a stray CR) are written as \n, \r, \t or \xNN.
  void issue(IssueLevel level, std::size_t line, std::string msg, std::string sample = {}) {
    if (sample.empty()) sample = row_sample_;
    r_.issues.push_back(Issue{level, r_.file, line, one_line(std::move(msg)), std::move(sample)});
  }
  static std::string one_line(std::string msg) {
    // A message quotes at most a few kilobytes of input (a 16 MiB field is not echoed whole).
    constexpr std::size_t kMaxMessage = 2000;
    if (msg.size() > kMaxMessage) {
      std::size_t cut = kMaxMessage;
      while (cut > 0 && (static_cast<unsigned char>(msg[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
      msg.resize(cut);
      msg += "\u2026 (message cut at 2000 bytes)";
    }
    return util::one_line(std::move(msg));
  }
  /// A new row starts: problems are no longer about the previous row's sample.
  void begin_row() { row_sample_.clear(); }
  /// The whole text of `source` (given in memory, or read from its path) into `data`, for the
  /// JSON readers (ctims, phenopacket); false, with the "cannot open file" error, when the file
  /// cannot be read.
  /// A JSON file is read whole (its documents may span lines), so it has a size limit,
  /// checked before reading (docs/reliability.md, "Limits").
  static constexpr std::size_t kMaxJsonFileBytes = 64u << 20;
  bool source_text(Source const& source, std::string& data) {
    auto too_large = [&](std::uintmax_t size, bool whole = true) {
      if (size <= kMaxJsonFileBytes) return false;
      issue(IssueLevel::kError, 0,
            (whole ? "file is " + std::to_string(size) + " bytes, more" : std::string("file is larger")) +
                " than the limit of " + std::to_string(kMaxJsonFileBytes) +
                " bytes (64 MiB) for a JSON file: not read");
      return true;
    };
    if (source.text) {
      if (too_large(source.text->size())) return false;
      data = *source.text;
      return true;
    }
    std::ifstream f(source.path, std::ios::binary);
    if (!f) {
      issue(IssueLevel::kError, 0, "cannot open file");
      return false;
    }
    // The size of a regular file is known before reading; a pipe or a device is read up to the
    // limit and refused past it.
    std::error_code ec;
    if (auto const size = std::filesystem::file_size(source.path, ec); !ec && too_large(size)) return false;
    data.clear();
    std::array<char, 1 << 16> buf;
    while (f.read(buf.data(), buf.size()) || f.gcount() > 0) {
      data.append(buf.data(), static_cast<std::size_t>(f.gcount()));
      if (too_large(data.size(), false)) {
        data.clear();
        return false;
      }
    }
    return true;
  }
  /// A table reader's opening check (one copy for every table reader): false, with the table's
  /// error at line 0, when `t` could not be opened or found no header.
  bool table_opened(TableReader const& t) {
    if (t.ok()) return true;
    issue(IssueLevel::kError, 0, t.error());
    return false;
  }
  /// The start of each document of a JSON reader (a json_scan.hpp JsonItem): counts and opens
  /// it, and skips one that did not parse or is not an object. False = skipped.
  template <class Item>
  bool begin_json_item(Item const& item) {
    ++r_.counts.rows;
    begin_row();
    if (!item.error.empty() || !item.value.is_object()) {
      skip(IssueLevel::kError, item.line, item.error.empty() ? "not a JSON object" : item.error);
      return false;
    }
    return true;
  }
  /// The start of each row of a table reader (one copy for cna, maf, sv, panel, alterations,
  /// moalmanac): counts the row, opens it, skips a row the table could not split, and reads
  /// its sample into `sample` — skipping the row, with `no_sample`, when the cell is empty and
  /// the table has a sample column (`required`: also when it has none). False = skipped.
  bool begin_table_row(Row const& row, std::optional<std::size_t> c_sample, std::string& sample, char const* no_sample,
                       bool required = false) {
    if (!begin_table_row(row)) return false;
    sample = std::string(row.get(c_sample));
    row_sample(sample);
    if ((required || c_sample) && sample.empty()) {
      skip(IssueLevel::kError, row.line, no_sample);
      return false;
    }
    return true;
  }
  /// The same for a table whose rows name no sample in one column (the CNA matrix: one column
  /// per sample; the clinical files; the CCLE model table): counts the row, opens it, skips a
  /// row the table could not split. False = skipped.
  bool begin_table_row(Row const& row) {
    ++r_.counts.rows;
    begin_row();
    if (!row.error.empty()) {
      skip(IssueLevel::kError, row.line, row.error);
      return false;
    }
    return true;
  }
  /// Counts a data row of a line-based reader and opens it, its issues naming `sample` (every
  /// data line of a VCF is its tumour column's).
  void begin_row_of(std::string sample) {
    ++r_.counts.rows;
    begin_row();
    row_sample(std::move(sample));
  }
  /// The current row belongs to `s`: later issues of the row name it (Issue::sample).
  void row_sample(std::string s) { row_sample_ = std::move(s); }
  /// The row produced nothing: count it as skipped and say why.
  void skip(IssueLevel level, std::size_t line, std::string msg, std::string sample = {}) {
    ++r_.counts.skipped;
    issue(level, line, std::move(msg), std::move(sample));
  }
  /// A call that found nothing (copy-number neutral), kept to report conflicting calls.
  void neutral(std::string const& s, std::size_t line, nlohmann::json f) {
    note_sample(s);
    r_.entries.push_back(Entry{Entry::Kind::kNeutral, s, line, {}, std::move(f)});
  }
  void sample(std::string const& s, std::size_t line) {
    note_sample(s);
    r_.entries.push_back(Entry{Entry::Kind::kSample, s, line, {}, nullptr});
  }
  void finding(std::string const& s, std::size_t line, nlohmann::json f) {
    note_sample(s);
    r_.counts.add_finding(f.value("type", std::string("variant")));
    r_.entries.push_back(Entry{Entry::Kind::kFinding, s, line, {}, std::move(f)});
  }
  void field(std::string const& s, std::size_t line, std::string pointer, nlohmann::json v) {
    note_sample(s);
    r_.entries.push_back(Entry{Entry::Kind::kField, s, line, std::move(pointer), std::move(v)});
  }
  void patient_field(std::string const& patient, std::size_t line, std::string pointer, nlohmann::json v) {
    r_.entries.push_back(Entry{Entry::Kind::kPatient, patient, line, std::move(pointer), std::move(v)});
  }
  void alias(std::string const& s, std::size_t line, std::string other) {
    r_.entries.push_back(Entry{Entry::Kind::kAlias, s, line, {}, std::move(other)});
  }
  void panel(std::string const& s, std::size_t line, std::string id, nlohmann::json profiles) {
    note_sample(s);
    r_.entries.push_back(Entry{Entry::Kind::kPanel, s, line, std::move(id), std::move(profiles)});
  }
  void test(std::string const& s, std::size_t line, nlohmann::json t) {
    note_sample(s);
    r_.entries.push_back(Entry{Entry::Kind::kTest, s, line, {}, std::move(t)});
  }
  void finish() { r_.counts.samples = samples_.size(); }

  /// Origin for a row: the explicit value when it says germline / somatic, else the file's.
  std::string origin(std::string_view explicit_value = {}) const {
    auto v = text::lower(text::trim(explicit_value));
    if (v == "germline") return "germline";
    if (v == "somatic" || v == "loh") return "somatic";
    return opts_.origin.empty() ? "somatic" : opts_.origin;
  }

  /// Adds "hgvsp" (cleaned and, when a validator is set, checked) to finding `f`.
  /// Returns false when the text was present but unusable (then a warning was issued).
  bool add_protein(nlohmann::json& f, std::string_view raw, std::size_t line) {
    bool splice = false;
    auto p = clean_protein_change(raw, &splice);
    if (!p) {
      if (splice) {
        issue(IssueLevel::kNote, line,
              "protein change '" + std::string(text::trim(raw)) +
                  "' is a splice-site marker, not HGVS: kept as a splice-site finding without hgvsp");
        return true;
      }
      if (!text::is_missing(raw)) {
        issue(IssueLevel::kWarning, line,
              "'" + std::string(text::trim(raw)) + "' is not a protein change: hgvsp dropped");
        f["hgvsp_unparsed"] = std::string(text::trim(raw));
        return false;
      }
      return true;
    }
    if (opts_.validate_protein) {
      std::string why;
      if (!opts_.validate_protein(*p, &why)) {
        issue(IssueLevel::kWarning, line,
              "protein change '" + *p + "' not understood" + (why.empty() ? "" : " (" + why + ")") +
                  ": hgvsp dropped, gene-level finding kept");
        f["hgvsp_unparsed"] = *p;
        return false;
      }
    }
    f["hgvsp"] = *p;
    return true;
  }

 private:
  void note_sample(std::string const& s) {
    if (!s.empty()) samples_.insert(s);
  }
  ReadResult& r_;
  ReadOptions const& opts_;
  std::set<std::string> samples_;
  std::string row_sample_;
};

/// Rounds to 4 decimals (stable, readable VAFs).
inline double round4(double v) { return std::round(v * 10000.0) / 10000.0; }

/// A number as JSON: an integer when it is one.
inline nlohmann::json number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<long long>(v);
  return v;
}

}  // namespace actionable::io::detail
