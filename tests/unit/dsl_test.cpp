// The rule language's examples (dsl.md) parse and compile unchanged; the AST keeps positions.
#include <fstream>
#include <sstream>

#include "actionable/detail/dsl/parser.hpp"
#include "support.hpp"

using namespace actionable;

namespace {
std::string read(std::string const& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("dsl: the spec's example rule set and test compile with no diagnostics") {
  Diagnostics d;
  auto e = Engine::from_paths({std::string(ACTIONABLE_SOURCE_DIR) + "/rules/examples"},
                              actionable::testing::shared_catalog(), d);
  INFO(d.format());
  REQUIRE(e != nullptr);
  CHECK(d.empty());
  CHECK(e->info().name == "precision1-be");
  CHECK(e->info().version == "2026.11.0");
  CHECK(e->info().sha256.size() == 64);
  auto report = e->run_tests();
  CHECK(report.passed == 1);
  CHECK(report.failed == 0);
}

TEST_CASE("dsl: parse shapes") {
  SourceFile src("x.rules",
                 "ruleset \"n\" version \"1\"\n"
                 "define A = somatic (KRAS | NRAS) mutation or EML4::ALK fusion\n"
                 "rule r { when A and not germline BRCA1 truncating excluding p.Q1756fs "
                 "tumour SOLID except MEL class approved therapy \"a\", \"b\" }\n");
  Diagnostics d;
  auto f = dsl::parse(src, d);
  INFO(d.format());
  REQUIRE(f);
  CHECK(f->defines.size() == 1);
  CHECK(f->blocks.size() == 1);
  CHECK(f->pool.atoms.size() == 3);
  CHECK(f->pool.atoms[0].genes.size() == 2);
  CHECK(f->pool.atoms[0].origin == ast::Origin::kSomatic);
  CHECK(f->pool.atoms[1].gene5->text == "EML4");
  CHECK(f->pool.atoms[2].feature.excluding.size() == 1);
  auto const& b = f->blocks[0];
  CHECK(b.clauses.size() == 4);
  CHECK(b.clauses[1].tumour.include[0].text == "SOLID");
  CHECK(b.clauses[1].tumour.except[0].text == "MEL");
  // positions: the define's name
  auto lc = src.line_col(f->defines[0].name.begin);
  CHECK(lc.line == 2);
  CHECK(lc.col == 8);
  CHECK(src.text().substr(f->pool.atoms[0].begin, f->pool.atoms[0].end - f->pool.atoms[0].begin) ==
        "somatic (KRAS | NRAS) mutation");
}

TEST_CASE("dsl: protein change spellings in rules are equivalent") {
  for (auto spelling : {"p.V600E", "p.Val600Glu", "p.(V600E)", "V600E"}) {
    CAPTURE(spelling);
    auto e = actionable::testing::compile_ok(std::string("rule r { when BRAF ") + spelling +
                                             " tumour MEL class approved therapy \"x\" }\n");
    nlohmann::json p = {{"patient", "p"},
                        {"tumour", {{"oncotree", "SKCM"}}},
                        {"findings", {{{"gene", "BRAF"}, {"hgvsp", "p.Val600Glu"}}}}};
    auto r = actionable::testing::match(*e, p);
    CHECK(r["matches"].size() == 1);
  }
}
