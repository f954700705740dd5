// HGVS protein-change parser (include/actionable/model/hgvs.hpp, docs/hgvs.md): parse_protein.
//
// A hand-written single-pass scanner: no regex, no exceptions, no dynamically initialised
// globals. Every accepted spelling maps to one ProteinChange whose to_string() is the
// canonical 1-letter form. For N-terminal extensions (p.M1ext-5) `fs_stop` holds the
// upstream distance (5).
#include <charconv>
#include <cstddef>

#include "actionable/model/hgvs.hpp"
#include "model/hgvs_residues.hpp"

namespace actionable::hgvs {
namespace {

using detail::append_int;
using detail::canonical_aa1;
using detail::is_blank;
using detail::is_digit;
using detail::is_lower;
using detail::is_upper;

/// Exact-case 3-letter lookup used by the parser: "Val" or "VAL" only.
char parse_aa3(std::string_view t) noexcept {
  if (t.size() != 3 || !is_upper(t[0])) return 0;
  bool const caps = is_upper(t[1]) && is_upper(t[2]);
  bool const title = is_lower(t[1]) && is_lower(t[2]);
  if (!caps && !title) return 0;
  return detail::aa3_to_aa1(t);
}

/// Input quoted in an error message: control bytes as \xNN, so that a reason stays one line.
void append_text(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    auto const u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::size_t column_base) noexcept : s_(text), base_(column_base) {}

  std::optional<ProteinChange> run();
  std::string& error() noexcept { return error_; }

 private:
  bool at_end() const noexcept { return pos_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const noexcept { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  // An edit keyword, written all lower-case ("del") or all upper-case ("DEL").
  bool consume_keyword(std::string_view lower) noexcept {
    if (s_.size() - pos_ < lower.size()) return false;
    bool lo = true;
    bool up = true;
    for (std::size_t i = 0; i < lower.size(); ++i) {
      char const ch = s_[pos_ + i];
      lo = lo && ch == lower[i];
      up = up && ch == char(lower[i] - 'a' + 'A');
    }
    if (!lo && !up) return false;
    pos_ += lower.size();
    return true;
  }
  bool consume(std::string_view word) noexcept {
    if (s_.substr(pos_).starts_with(word)) {
      pos_ += word.size();
      return true;
    }
    return false;
  }
  std::size_t column() const noexcept { return base_ + pos_ + 1; }

  std::nullopt_t fail(std::string_view what) {
    error_.assign(what);
    error_ += " at column ";
    append_int(error_, static_cast<std::int32_t>(column()));
    return std::nullopt;
  }
  std::nullopt_t fail_here(std::string_view what) {
    error_.assign(what);
    if (at_end()) {
      error_ += " at end of input";
      return std::nullopt;
    }
    error_ += " '";
    append_text(error_, s_.substr(pos_, 12));
    error_ += "' at column ";
    append_int(error_, static_cast<std::int32_t>(column()));
    return std::nullopt;
  }

  // "unknown amino acid 'Xyz' at column 3" for the token s_[at, at + len).
  std::nullopt_t fail_unknown(std::size_t at, std::size_t len) {
    error_ = "unknown amino acid '";
    append_text(error_, s_.substr(at, len));
    error_ += "' at column ";
    append_int(error_, static_cast<std::int32_t>(base_ + at + 1));
    return std::nullopt;
  }

  char residue();
  bool ref_residue(char& out);
  bool position(std::int32_t& out);
  bool sequence(std::string& out, std::size_t limit = std::string_view::npos);
  bool listed_residues(ProteinChange const& c);
  std::optional<ProteinChange> delins(ProteinChange c);
  bool stop_tail(std::int32_t& out);
  std::optional<ProteinChange> located(ProteinChange c);
  std::optional<ProteinChange> frameshift(ProteinChange c);
  std::optional<ProteinChange> extension(ProteinChange c);
  std::optional<ProteinChange> finish(ProteinChange c) {
    if (!at_end()) return fail_here("unexpected trailing text");
    return c;
  }

  // Drops the consumed prefix so that s_ starts at pos_ (columns stay correct).
  void rebase(std::size_t drop_back = 0) noexcept {
    base_ += pos_;
    s_ = s_.substr(pos_, s_.size() - pos_ - drop_back);
    pos_ = 0;
  }

  std::string_view s_;
  std::size_t base_;
  std::size_t pos_ = 0;
  std::string error_;
};

// Reads one residue (3-letter tried first) and returns its 1-letter code, or 0 without
// consuming anything.
char Parser::residue() {
  if (pos_ + 3 <= s_.size()) {
    if (char const c = parse_aa3(s_.substr(pos_, 3))) {
      pos_ += 3;
      return c;
    }
  }
  char const ch = peek();
  if (ch == '*') {
    ++pos_;
    return '*';
  }
  if (is_upper(ch)) {
    if (char const c = canonical_aa1(ch)) {
      ++pos_;
      return c;
    }
  }
  return 0;
}

bool Parser::ref_residue(char& out) {
  std::size_t const start = pos_;
  out = residue();
  if (out != 0 && !is_lower(peek())) return true;
  pos_ = start;
  // Name the offending token: a letter run (up to 3) or the single character.
  std::size_t len = 0;
  while (start + len < s_.size() && len < 3 && (is_upper(s_[start + len]) || is_lower(s_[start + len]))) {
    ++len;
  }
  if (len == 0) {
    fail_here("expected an amino acid, found");
    return false;
  }
  if (len > 1 && !is_lower(s_[start + 1])) len = 1;  // "JV600" -> 'J'
  fail_unknown(start, len);
  return false;
}

bool Parser::position(std::int32_t& out) {
  std::size_t const start = pos_;
  while (is_digit(peek())) ++pos_;
  if (pos_ == start) {
    fail_here("expected a residue number, found");
    return false;
  }
  std::string_view const digits = s_.substr(start, pos_ - start);
  if (digits.size() > 1 && digits[0] == '0') {
    pos_ = start;
    fail("residue number with a leading zero");
    return false;
  }
  auto const res = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (res.ec != std::errc{}) {
    pos_ = start;
    fail("residue number out of range");
    return false;
  }
  if (out <= 0) {
    pos_ = start;
    fail("residue number must be positive");
    return false;
  }
  return true;
}

// Inserted / replacement residues: all 3-letter ("SerValAsp") or all 1-letter ("SVD");
// a stop may only end the sequence. Reads up to `limit` residues, by default to the end.
bool Parser::sequence(std::string& out, std::size_t limit) {
  out.clear();
  bool const three = is_upper(peek()) && is_lower(peek(1));
  while (!at_end() && out.size() < limit) {
    if (!out.empty() && out.back() == '*') {
      fail_here("a stop must end the sequence; found");
      return false;
    }
    char c = 0;
    if (three) {
      if (pos_ + 3 <= s_.size() && is_upper(peek()) && is_lower(peek(1)) && is_lower(peek(2))) {
        c = parse_aa3(s_.substr(pos_, 3));
        if (c == 0) {
          fail_unknown(pos_, 3);
          return false;
        }
        pos_ += 3;
      } else if (peek() == '*') {
        c = '*';
        ++pos_;
      }
    } else if (peek() == '*') {
      c = '*';
      ++pos_;
    } else if (is_upper(peek())) {
      c = canonical_aa1(peek());
      if (c == 0) {
        fail_unknown(pos_, 1);
        return false;
      }
      ++pos_;
    }
    if (c == 0) {
      fail_here(out.empty() ? "expected amino acids, found" : "unexpected text in sequence");
      return false;
    }
    out.push_back(c);
  }
  if (out.empty()) {
    fail_here("missing amino-acid sequence");
    return false;
  }
  return true;
}

// After "fs" / "ext" (C-terminal): nothing, or a stop followed by nothing, "?" or a count.
bool Parser::stop_tail(std::int32_t& out) {
  out = -1;
  if (at_end()) return true;
  std::size_t const start = pos_;
  char const c = residue();
  if (c != '*') {
    pos_ = start;
    fail_here("expected '*N', 'TerN', '*?' or nothing, found");
    return false;
  }
  if (at_end()) return true;
  if (peek() == '?') {
    ++pos_;
    return true;
  }
  return position(out);
}

std::optional<ProteinChange> Parser::frameshift(ProteinChange c) {
  if (c.ref_first == '*') return fail("a frameshift cannot start at a stop codon");
  if (!c.alt.empty() && c.alt[0] == '*') return fail("a stop cannot start a frameshift");
  c.kind = EditKind::kFrameshift;
  if (!stop_tail(c.fs_stop)) return std::nullopt;
  return finish(std::move(c));
}

std::optional<ProteinChange> Parser::extension(ProteinChange c) {
  if (!c.alt.empty() && c.alt[0] == '*') return fail("an extension cannot start with a stop");
  c.kind = EditKind::kExtension;
  if (c.ref_first == '*') {  // C-terminal: p.*110Qext*17
    if (peek() == '-') return fail_here("a stop-loss extension needs '*N', not");
    if (!stop_tail(c.fs_stop)) return std::nullopt;
    return finish(std::move(c));
  }
  if (c.first != 1) {
    return fail("an extension must be at the stop codon or at residue 1");
  }
  if (consume("-")) {  // N-terminal: p.M1ext-5
    if (!position(c.fs_stop)) return std::nullopt;
  } else if (!at_end()) {
    return fail_here("an N-terminal extension needs '-N', not");
  }
  return finish(std::move(c));
}

// Legacy spelling that repeats the affected residues after del/dup ("E746_A750delELREA",
// "A767_V769dupASV"): accepted only when the count and both end residues match the range.
bool Parser::listed_residues(ProteinChange const& c) {
  std::size_t const start = pos_;
  std::size_t const count = static_cast<std::size_t>(c.last - c.first) + 1;
  std::string listed;
  if (!sequence(listed, count)) return false;
  if (listed.size() != count || listed.front() != c.ref_first || listed.back() != c.ref_last) {
    pos_ = start;
    fail("listed residues do not match the range");
    return false;
  }
  return true;
}

// delins (also legacy "E746_T751>I"); a single residue replaced by one residue is the
// substitution (or nonsense / synonymous) it describes.
std::optional<ProteinChange> Parser::delins(ProteinChange c) {
  c.kind = EditKind::kDelIns;
  if (!sequence(c.alt)) return std::nullopt;
  if (c.first == c.last && c.alt.size() == 1) {
    if (c.alt[0] == c.ref_first) {
      c.kind = EditKind::kSynonymous;
      c.alt.clear();
    } else {
      c.kind = c.alt[0] == '*' ? EditKind::kNonsense : EditKind::kSubstitution;
    }
  }
  return finish(std::move(c));
}

std::optional<ProteinChange> Parser::located(ProteinChange c) {
  if (!ref_residue(c.ref_first) || !position(c.first)) return std::nullopt;
  c.ref_last = c.ref_first;
  c.last = c.first;
  bool const range = consume("_");
  if (range) {
    std::size_t const start = pos_;
    if (!ref_residue(c.ref_last) || !position(c.last)) return std::nullopt;
    if (c.last <= c.first) {
      pos_ = start;
      return fail("range end must follow its start");
    }
  }

  if (at_end()) {
    if (range) return fail_here("a residue range needs an edit (del, dup, ins, delins)");
    c.kind = EditKind::kPosition;
    return c;
  }
  if (consume_keyword("delins") || consume(">")) return delins(std::move(c));
  if (consume_keyword("del")) {
    if (!at_end() && !listed_residues(c)) return std::nullopt;
    if (consume_keyword("ins")) return delins(std::move(c));  // legacy "delTYDinsI"
    c.kind = EditKind::kDeletion;
    return finish(std::move(c));
  }
  if (consume_keyword("dup")) {
    if (!at_end() && !listed_residues(c)) return std::nullopt;
    c.kind = EditKind::kDuplication;
    return finish(std::move(c));
  }
  if (consume_keyword("ins")) {
    if (!range) return fail("an insertion needs the two flanking residues (A1_B2ins…)");
    if (c.last != c.first + 1) return fail("insertion flanks must be adjacent residues");
    c.kind = EditKind::kInsertion;
    if (!sequence(c.alt)) return std::nullopt;
    return finish(std::move(c));
  }
  if (range) return fail_here("expected del, dup, ins or delins after a range, found");
  if (consume("=")) {
    c.kind = EditKind::kSynonymous;
    return finish(std::move(c));
  }
  if (consume("?")) {
    if (c.first != 1) return fail("'?' (unknown consequence) is only valid at residue 1");
    c.kind = EditKind::kStartLoss;
    return finish(std::move(c));
  }
  if (consume_keyword("fs")) return frameshift(std::move(c));
  if (consume_keyword("ext")) return extension(std::move(c));

  std::size_t const alt_start = pos_;
  char const alt = residue();
  if (alt == 0) {
    if (is_upper(peek())) {
      bool const word = pos_ + 3 <= s_.size() && is_lower(peek(1)) && is_lower(peek(2));
      return fail_unknown(pos_, word ? 3 : 1);
    }
    return fail_here("expected an edit, found");
  }
  c.alt.assign(1, alt);
  if (consume_keyword("fs")) return frameshift(std::move(c));
  if (consume_keyword("ext")) return extension(std::move(c));
  if (!at_end()) {
    // "p.A3Gfoo": report an unknown 3-letter token rather than generic garbage.
    if (alt_start + 3 <= s_.size() && is_upper(s_[alt_start]) && is_lower(s_[alt_start + 1]) &&
        is_lower(s_[alt_start + 2]) && pos_ == alt_start + 1) {
      return fail_unknown(alt_start, 3);
    }
    return fail_here("unexpected trailing text");
  }
  if (alt == c.ref_first) {  // p.L858L is the synonymous p.L858=
    c.kind = EditKind::kSynonymous;
    c.alt.clear();
  } else {
    c.kind = alt == '*' ? EditKind::kNonsense : EditKind::kSubstitution;
  }
  return c;
}

std::optional<ProteinChange> Parser::run() {
  if (s_.empty()) return fail("empty protein change");
  if (auto const colon = s_.find(':'); colon != std::string_view::npos) {
    pos_ = colon;
    return fail("unexpected ':' (strip accession prefixes such as 'NP_000542.1:')");
  }
  if (s_.find("splice") != std::string_view::npos) {
    return fail("splice-site annotation ('X1445_splice') is not a protein change");
  }
  if (consume("p.")) {
    if (at_end()) return fail("missing change after 'p.'");
    rebase();
  } else if (s_.size() >= 2 && s_[1] == '.' && is_lower(s_[0])) {
    error_ = "'";
    append_text(error_, s_.substr(0, 2));
    error_ += "' notation is not a protein change";
    return std::nullopt;
  }

  ProteinChange c;
  if (peek() == '(') {
    if (s_.back() != ')') return fail("unbalanced parenthesis");
    c.predicted = true;
    ++pos_;
    rebase(1);
    if (s_.empty()) return fail("empty parentheses");
  }
  if (auto const paren = s_.find_first_of("()"); paren != std::string_view::npos) {
    pos_ = paren;
    return fail("nested or stray parenthesis");
  }

  if (s_ == "?") {
    if (c.predicted) return fail("'p.(?)' is not valid HGVS; write 'p.?'");
    c.kind = EditKind::kUnknown;
    return c;
  }
  if (s_ == "=") {
    c.kind = EditKind::kSynonymous;
    return c;
  }
  if (s_ == "0" || s_ == "0?") {
    if (c.predicted && s_.size() == 2) return fail("write 'p.0?' or 'p.(0)', not both");
    c.kind = EditKind::kNoProtein;
    c.predicted = c.predicted || s_.size() == 2;
    return c;
  }
  return located(std::move(c));
}

}  // namespace

std::optional<ProteinChange> parse_protein(std::string_view text, std::string* error) {
  std::size_t lead = 0;
  while (lead < text.size() && is_blank(text[lead])) ++lead;
  std::size_t end = text.size();
  while (end > lead && is_blank(text[end - 1])) --end;
  Parser parser(text.substr(lead, end - lead), lead);
  auto result = parser.run();
  if (!result && error != nullptr) *error = std::move(parser.error());
  return result;
}

}  // namespace actionable::hgvs
