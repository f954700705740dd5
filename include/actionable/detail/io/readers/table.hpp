// A small, robust reader for delimited text tables (TSV / CSV) as real files write them.
//
// Copes with: a UTF-8 byte-order mark, CRLF or CR line ends, blank lines anywhere (skipped),
// comment lines starting with '#' before the header (cBioPortal's 4 '#' header lines, MAF
// "#version 2.4"), a header itself starting with '#' (STAR-Fusion "#FusionName"), quoted fields
// ("a, b" and "" escapes, even across line ends), rows with missing trailing columns (padded with
// ""), and rows with too many non-empty columns (reported as a row error: file:line).
// Fields are trimmed of surrounding spaces. Reading is streaming: one row in memory at a time.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

struct TableOptions {
  /// Field delimiter; 0 = detect from the header line (tab if it has one, else comma).
  char delimiter = '\t';
  /// The header is the first non-blank line that, with one leading '#' removed, has a field
  /// equal (case-insensitively) to one of these names. Lines before it are comments.
  /// Empty: the header is the first non-blank line not starting with '#'.
  std::vector<std::string> header_keys;
};

/// One data row. `line` is the 1-based physical line where the row starts.
struct Row {
  std::size_t line = 0;
  std::vector<std::string> fields;  ///< exactly header().size() fields
  std::string error;                ///< non-empty: the row is malformed (and should be skipped)

  /// Field `col`, or "" when col is nullopt.
  std::string_view get(std::optional<std::size_t> col) const {
    return col && *col < fields.size() ? std::string_view(fields[*col]) : std::string_view();
  }
};

class TableReader {
 public:
  /// Opens `source` and reads up to the header. Check ok() / error() afterwards.
  TableReader(Source const& source, TableOptions options);
  TableReader(TableReader&&) noexcept;
  TableReader& operator=(TableReader&&) noexcept;
  ~TableReader();

  bool ok() const noexcept { return error_.empty(); }
  /// Why the table could not be opened ("cannot open file", "no header line with …").
  std::string const& error() const noexcept { return error_; }
  std::string const& path() const noexcept { return path_; }
  char delimiter() const noexcept { return delim_; }
  /// Header fields (a leading '#' removed from the first).
  std::vector<std::string> const& header() const noexcept { return header_; }
  std::size_t header_line() const noexcept { return header_line_; }
  /// The comment lines before the header, without their '#'.
  std::vector<std::string> const& comments() const noexcept { return comments_; }
  /// Index of the first column named (case-insensitively) like one of `names`, in the order
  /// of `names`.
  std::optional<std::size_t> column(std::initializer_list<std::string_view> names) const;
  std::optional<std::size_t> column(std::string_view name) const { return column({name}); }

  /// Longest physical line (and longest row, quoted line ends included) kept in memory: a
  /// longer one is skipped, as a row error, reading on without storing it (bounded memory for
  /// a 1 GB single-line file; docs/reliability.md, "Limits"). A header line that long is a
  /// file error.
  static constexpr std::size_t kMaxLineBytes = 16u << 20;  ///< = util::kMaxLineBytes (src/util/lines.hpp)
  /// Reads the next non-blank row into `row`. False at end of input.
  bool next(Row& row);

  /// Splits one line on `delim` honouring quotes (exposed for tests and the VCF/panel readers).
  /// Returns false when a quoted field is not closed at the end of `line`.
  static bool split(std::string_view line, char delim, std::vector<std::string>& out);

 private:
  bool read_line(std::string& line);
  std::unique_ptr<std::istream> in_;
  std::string path_;
  std::string error_;
  std::vector<std::string> header_;
  std::vector<std::string> comments_;
  std::size_t header_line_ = 0;
  std::size_t line_no_ = 0;
  bool overlong_ = false;  ///< the last line read was cut at kMaxLineBytes
  char delim_ = '\t';
  bool first_line_ = true;
};

/// Helpers shared by the readers (small and pure; tested in table_test.cpp).
namespace text {
std::string_view trim(std::string_view s) noexcept;
std::string lower(std::string_view s);
std::string upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b) noexcept;
bool starts_with_icase(std::string_view s, std::string_view prefix) noexcept;
/// "", ".", "NA", "N/A", "NaN", "null", "None", "-" (case-insensitive) mean "no value".
bool is_missing(std::string_view s) noexcept;
/// Whole-string number parsing; nullopt on anything else (trailing junk, empty, missing).
std::optional<double> to_double(std::string_view s) noexcept;
std::optional<long long> to_int(std::string_view s) noexcept;
/// A plausible gene symbol: non-empty, at most 64 characters, no whitespace or ',;|"'.
bool is_gene_symbol(std::string_view s) noexcept;
/// Splits on any of `seps`, trimming pieces and dropping empty ones.
std::vector<std::string> split_any(std::string_view s, std::string_view seps);
/// Leading integer of "19/28" / "19" / "exon19"; nullopt when none.
std::optional<int> leading_int(std::string_view s) noexcept;
/// Percent-decoding of %XX (VEP writes '=' as %3D).
std::string percent_decode(std::string_view s);
}  // namespace text

}  // namespace actionable::io
