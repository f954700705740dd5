// SourceFile line table and Span rendering.
#include "actionable/source.hpp"

#include <algorithm>

namespace actionable {

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') starts_.push_back(i + 1);
}

SourceFile::LineCol SourceFile::line_col(std::size_t offset) const noexcept {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  auto line = static_cast<std::uint32_t>(it - starts_.begin());  // 1-based
  auto col = static_cast<std::uint32_t>(offset - starts_[line - 1] + 1);
  return {line, col};
}

std::string_view SourceFile::line_text(std::uint32_t line) const noexcept {
  if (line == 0 || line > starts_.size()) return {};
  std::size_t b = starts_[line - 1];
  std::size_t e = line < starts_.size() ? starts_[line] : text_.size();
  while (e > b && (text_[e - 1] == '\n' || text_[e - 1] == '\r')) --e;
  return std::string_view(text_).substr(b, e - b);
}

std::string Span::location() const {
  if (!file) return "<unknown>";
  auto lc = file->line_col(begin);
  return file->path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.col);
}

std::string Span::file_line() const {
  if (!file) return "<unknown>";
  return file->path() + ":" + std::to_string(file->line_col(begin).line);
}

}  // namespace actionable
