// Diagnostics as values (STYLE habit 2): every problem has a severity, a stable code
// (documented in docs/errors.md), a span and a message. Stages collect them; the CLI prints.
// Output order is deterministic: by file path, offset, then code and message.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "actionable/source.hpp"

namespace actionable {

enum class Severity : std::uint8_t {
  kNote,     ///< extra information attached to another diagnostic
  kWarning,  ///< accepted, but the author should look (e.g. a gene alias)
  kError,    ///< the rule set is not usable
};

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;                ///< stable code such as "E201" (docs/errors.md)
  Span span;                       ///< where; may be invalid for whole-file problems
  std::string path;                ///< file path when span has no file (e.g. "cannot read file")
  std::string message;             ///< one line, no trailing period
  std::vector<std::string> notes;  ///< "did you mean 'LUAD'?" and the like
};

class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void error(std::string code, Span span, std::string message, std::vector<std::string> notes = {});
  void warning(std::string code, Span span, std::string message, std::vector<std::string> notes = {});

  bool has_errors() const noexcept;
  std::size_t error_count() const noexcept;
  std::size_t warning_count() const noexcept;
  bool empty() const noexcept { return items_.empty(); }
  /// Sorted, de-duplicated view.
  std::vector<Diagnostic> sorted() const;
  std::vector<Diagnostic> const& items() const noexcept { return items_; }
  void merge(Diagnostics const& other);
  /// Keep a source alive as long as these diagnostics (their spans point into it).
  void keep(SourcePtr source) { sources_.push_back(std::move(source)); }

  /// Render all diagnostics, sorted: "file:line:col: error: message [E201]", the source line
  /// and a caret line, then notes as "  note: …". Ends with a newline when non-empty.
  std::string format() const;

 private:
  std::vector<Diagnostic> items_;
  std::vector<SourcePtr> sources_;
};

/// Render one diagnostic as in Diagnostics::format().
std::string format_diagnostic(Diagnostic const& d);

}  // namespace actionable
