// Diagnostics: collection, deterministic ordering and rendering with source line + caret.
#include "actionable/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace actionable {

void Diagnostics::error(std::string code, Span span, std::string message, std::vector<std::string> notes) {
  add({Severity::kError, std::move(code), span, {}, std::move(message), std::move(notes)});
}

void Diagnostics::warning(std::string code, Span span, std::string message, std::vector<std::string> notes) {
  add({Severity::kWarning, std::move(code), span, {}, std::move(message), std::move(notes)});
}

bool Diagnostics::has_errors() const noexcept { return error_count() > 0; }

std::size_t Diagnostics::error_count() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](auto const& d) { return d.severity == Severity::kError; }));
}

std::size_t Diagnostics::warning_count() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](auto const& d) { return d.severity == Severity::kWarning; }));
}

void Diagnostics::merge(Diagnostics const& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  sources_.insert(sources_.end(), other.sources_.begin(), other.sources_.end());
}

namespace {
auto key(Diagnostic const& d) {
  std::string const& path = d.span.file ? d.span.file->path() : d.path;
  return std::make_tuple(std::cref(path), d.span.begin, std::cref(d.code), std::cref(d.message));
}
}  // namespace

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(),
                        [](auto const& a, auto const& b) { return key(a) == key(b) && a.severity == b.severity; }),
            out.end());
  return out;
}

std::string format_diagnostic(Diagnostic const& d) {
  std::string out;
  char const* sev = d.severity == Severity::kError ? "error" : d.severity == Severity::kWarning ? "warning" : "note";
  if (d.span.file) {
    out += d.span.location();
  } else {
    out += d.path.empty() ? "actionable" : d.path;
  }
  out += ": ";
  out += sev;
  out += ": ";
  out += d.message;
  if (!d.code.empty()) out += " [" + d.code + "]";
  out += '\n';
  if (d.span.file) {
    auto lc = d.span.file->line_col(d.span.begin);
    auto line = d.span.file->line_text(lc.line);
    out += "  ";
    out += line;
    out += "\n  ";
    for (std::uint32_t i = 1; i < lc.col && i <= line.size(); ++i) out += line[i - 1] == '\t' ? '\t' : ' ';
    out += "^";
    auto len = d.span.end > d.span.begin ? d.span.end - d.span.begin : 1;
    std::size_t rest = line.size() >= lc.col ? line.size() - lc.col : 0;
    for (std::uint32_t i = 1; i < len && i <= rest; ++i) out += '~';
    out += '\n';
  }
  for (auto const& n : d.notes) out += "  note: " + n + "\n";
  return out;
}

std::string Diagnostics::format() const {
  std::string out;
  for (auto const& d : sorted()) out += format_diagnostic(d);
  return out;
}

}  // namespace actionable
