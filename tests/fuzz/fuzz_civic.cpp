// Fuzz target: the CIViC importer (import::import_civic).
//
// Input: a CIViC ClinicalEvidenceSummaries TSV. Invariants:
//  - what an import writes always compiles (docs/civic.md): the generated files build an
//    engine with no error, which matches every fixed patient and agrees with the reference
//    evaluator;
//  - the counts agree with the outcomes (imported, predictive A–C), and every imported item
//    names a file the import wrote.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "actionable/import/civic.hpp"
#include "fuzz_match.hpp"

using namespace actionable;

namespace {

import::DiseaseMap const& diseases(){static auto const map = []{std::string err;
auto m = import::DiseaseMap::load(import::DiseaseMap::default_path(catalog::Catalog::default_dir()), &err);
FUZZ_CHECK(m.has_value(), "cannot load the CIViC disease table: " + err);
return std::move(*m);
}  // namespace
();
return map;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::fixed_patients();
  diseases();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto const& cat = fuzz::reference_catalog();
  auto r = import::import_civic(fuzz::as_text(data, size), "fuzz.tsv", diseases(), cat);
  std::size_t imported = 0, abc = 0, abc_imported = 0;
  std::set<std::string> paths;
  for (auto const& f : r.files) paths.insert(f.path);
  for (auto const& o : r.outcomes) {
    imported += o.imported;
    abc += o.predictive_abc;
    abc_imported += o.predictive_abc && o.imported;
    if (o.imported)
      FUZZ_CHECK(paths.count(o.gene_file) == 1, o.eid + " imported into a file not written: " + o.gene_file);
    else
      FUZZ_CHECK(!o.reason.empty(), o.eid + " skipped without a reason");
  }
  FUZZ_CHECK(imported == r.imported,
             "imported count " + std::to_string(r.imported) + " != " + std::to_string(imported));
  FUZZ_CHECK(abc == r.predictive_abc && abc_imported == r.predictive_abc_imported, "predictive A-C counts differ");
  if (r.imported == 0) return 0;

  std::vector<RuleSource> sources;
  for (auto const& f : r.files) sources.push_back({f.path, f.text()});
  Diagnostics diags;
  auto engine = Engine::from_sources(sources, cat, diags);
  std::string all;
  for (auto const& s : sources) all += "--- " + s.path + "\n" + s.text;
  FUZZ_CHECK(engine != nullptr, "the import does not compile:\n" + diags.format() + all);
  fuzz::check_against_reference(*engine);
  return 0;
}
