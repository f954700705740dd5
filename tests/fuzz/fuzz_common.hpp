// Shared helpers of the fuzz targets (tests/fuzz, docs/reliability.md).
//
// Each target is one LLVMFuzzerTestOneInput over a public entry point of the library. It is
// built twice: with libFuzzer (clang, -DACTIONABLE_FUZZ=ON: `scripts/fuzz.sh`) and, in the
// normal build, with replay_main.cpp, so that tests/fuzz/regressions/<target>/ and the hand-made
// seeds in tests/fuzz/seeds/<target>/ are replayed by ctest without libFuzzer.
//
// A target checks invariants, not only "no crash": a broken invariant prints what differed
// and aborts, which libFuzzer reports as a crash (and saves the input) and ctest as a failure.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "actionable/catalog/catalog.hpp"
#include "actionable/engine.hpp"

#define FUZZ_CHECK(cond, what)                                                \
  do {                                                                        \
    if (!(cond)) ::actionable::fuzz::fail(__FILE__, __LINE__, #cond, (what)); \
  } while (0)

namespace actionable::fuzz {

[[noreturn]] inline void fail(char const* file, int line, char const* cond, std::string const& what) {
  std::fprintf(stderr, "\n*** invariant broken at %s:%d: %s\n%s\n", file, line, cond, what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline std::string_view as_text(std::uint8_t const* data, std::size_t size) {
  return {reinterpret_cast<char const*>(data), size};
}

/// The shipped reference catalog (rules/reference, or $ACTIONABLE_REFERENCE), loaded once.
inline std::shared_ptr<catalog::Catalog const> const& reference_catalog() {
  static auto const catalog = [] {
    std::string err;
    auto c = catalog::Catalog::load(catalog::Catalog::default_dir(), &err);
    if (!c) {
      std::fprintf(stderr, "fuzz: cannot load the reference catalog: %s\n", err.c_str());
      std::exit(2);
    }
    return std::make_shared<catalog::Catalog const>(std::move(*c));
  }();
  return catalog;
}

#ifdef ACTIONABLE_SOURCE_DIR  // (the targets define it; the readers' object library does not)
/// The shipped rules (rules/precision1 + rules/precision2) on the reference catalog, compiled once.
inline std::shared_ptr<Engine const> const& shipped_engine() {
  static auto const e = [] {
    Diagnostics diags;
    auto x = Engine::from_paths({std::string(ACTIONABLE_SOURCE_DIR) + "/rules/precision1",
                                 std::string(ACTIONABLE_SOURCE_DIR) + "/rules/precision2"},
                                reference_catalog(), diags);
    FUZZ_CHECK(x != nullptr, "the shipped rules do not compile:\n" + diags.format());
    return x;
  }();
  return e;
}
#endif

/// A few valid patient records of different tumours and kinds of findings, matched against
/// every rule set that compiles (the rule-language and importer targets).
inline char const* const kPatients[] = {
    // Lung adenocarcinoma, the spec's example (somatic variant, fusion, CNV, germline, MSI, TMB).
    R"({"patient":"F1","tumour":{"oncotree":"LUAD","stage":"IV"},"age":61,"sex":"F","ecog":1,"lines":1,
"tests":[{"origin":"somatic","method":"NGS","genes":["EGFR","KRAS","BRAF","ALK","MET"]},
{"origin":"germline","method":"NGS","genes":["BRCA1","BRCA2"]},{"biomarker":"MSI","method":"PCR"}],
"findings":[{"origin":"somatic","gene":"EGFR","hgvsp":"p.Leu858Arg","exon":21,"vaf":0.31},
{"origin":"somatic","type":"fusion","gene5":"EML4","gene3":"ALK"},
{"origin":"somatic","type":"cnv","gene":"MET","call":"amplification","copies":8},
{"origin":"germline","gene":"BRCA2","hgvsp":"p.Ser1982ArgfsTer22","classification":"pathogenic"},
{"type":"biomarker","name":"MSI","value":"stable"},{"type":"biomarker","name":"TMB","value":12.4}],
"treatments":[{"line":1,"drugs":["carboplatin","pemetrexed"]}]})",
    // Colorectal BRAF V600E after one line.
    R"({"patient":"F2","tumour":{"oncotree":"COAD"},"age":68,"lines":1,
"tests":[{"method":"NGS","genes":["KRAS","NRAS","BRAF","ERBB2","NTRK1"]},{"biomarker":"MSI"}],
"findings":[{"gene":"BRAF","hgvsp":"p.Val600Glu"}],"treatments":[{"line":1,"drugs":["oxaliplatin"]}]})",
    // Breast, HER2 amplified, PIK3CA, closed world (no tests listed).
    R"({"patient":"F3","tumour":{"oncotree":"IDC"},"age":45,"sex":"F","lines":2,
"findings":[{"type":"cnv","gene":"ERBB2","call":"amplification"},{"gene":"PIK3CA","hgvsp":"p.H1047R"},
{"gene":"KRAS","hgvsp":"p.G12C"},{"type":"exon_skipping","gene":"MET","exon":14},
{"type":"biomarker","name":"MSI","value":"high"},{"type":"biomarker","name":"HRD","value":"positive"}]})",
    // No findings at all.
    R"({"patient":"F4","tumour":{"oncotree":"MEL"},"findings":[]})",
};

}  // namespace actionable::fuzz
