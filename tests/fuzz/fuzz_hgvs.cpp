// Fuzz target: the HGVS protein-change parser (hgvs::parse_protein).
//
// Input: one protein change as text. Invariants:
//  - a rejected change has a one-line, non-empty reason;
//  - an accepted change has one canonical spelling: to_string() starts with "p.", parses again
//    to the same change (the prediction parentheses aside) and prints the same again;
//  - positions are ordered (first <= last) and the residue counts are not negative.
#include <cstdint>
#include <string>

#include "actionable/model/hgvs.hpp"
#include "fuzz_common.hpp"

using namespace actionable;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto const text = fuzz::as_text(data, size);
  std::string why;
  auto c = hgvs::parse_protein(text, &why);
  auto c_quiet = hgvs::parse_protein(text);
  FUZZ_CHECK(c.has_value() == c_quiet.has_value(), "the error argument changes the result");
  if (!c) {
    FUZZ_CHECK(!why.empty(), "rejected without a reason: '" + std::string(text) + "'");
    FUZZ_CHECK(why.find('\n') == std::string::npos, "multi-line reason: " + why);
    return 0;
  }
  FUZZ_CHECK(*c == *c_quiet, "two parses of the same text differ");
  auto canon = c->to_string();
  FUZZ_CHECK(canon.rfind("p.", 0) == 0, "canonical form without p.: " + canon);
  std::string why2;
  auto back = hgvs::parse_protein(canon, &why2);
  FUZZ_CHECK(back.has_value(), "canonical form '" + canon + "' of '" + std::string(text) + "' does not parse: " + why2);
  auto expect = *c;
  expect.predicted = false;
  auto got = *back;
  got.predicted = false;
  FUZZ_CHECK(got == expect, "canonical form '" + canon + "' of '" + std::string(text) + "' parses to another change (" +
                                back->to_string() + ")");
  FUZZ_CHECK(back->to_string() == canon, "canonical form is not stable: " + canon + " -> " + back->to_string());
  FUZZ_CHECK(c->first <= c->last, "first > last in " + canon);
  FUZZ_CHECK(c->deleted_count() >= 0 && c->inserted_count() >= 0, "negative residue count in " + canon);
  return 0;
}
