// Source files and spans: a rule file's text with a line table, so that any byte offset
// becomes file:line:col plus the source line and a caret (dsl.md §1, STYLE habit 2/4).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace actionable {

/// One source text (a .rules file, or a buffer given by a program). Immutable.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  std::string const& path() const noexcept { return path_; }
  std::string const& text() const noexcept { return text_; }

  /// 1-based line and column (columns count bytes) of a byte offset.
  struct LineCol {
    std::uint32_t line = 1;
    std::uint32_t col = 1;
  };
  LineCol line_col(std::size_t offset) const noexcept;
  /// The text of 1-based line `line`, without its newline.
  std::string_view line_text(std::uint32_t line) const noexcept;
  std::uint32_t line_count() const noexcept { return static_cast<std::uint32_t>(starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<std::size_t> starts_;  // byte offset of each line start
};

using SourcePtr = std::shared_ptr<SourceFile const>;

/// A half-open byte range [begin, end) in one source file. A default Span has no file.
struct Span {
  SourceFile const* file = nullptr;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  bool valid() const noexcept { return file != nullptr; }
  /// "path:line:col" (or "<unknown>").
  std::string location() const;
  /// "path:line" (used in "because" lines).
  std::string file_line() const;
  std::uint32_t line() const noexcept { return file ? file->line_col(begin).line : 0; }
};

}  // namespace actionable
