// Minimal program linking the installed library: compile a rule, match a record.
#include <actionable/engine.hpp>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::string error;
  auto catalog = actionable::catalog::Catalog::load(argv[1], &error);
  if (!catalog) {
    std::cerr << error << "\n";
    return 1;
  }
  actionable::Diagnostics diags;
  auto engine = actionable::Engine::from_sources(
      {{"consumer.rules",
        "ruleset \"c\" version \"1\"\n"
        "rule r { when BRAF p.V600E tumour MEL class approved therapy \"dabrafenib + trametinib\" }\n"}},
      std::make_shared<actionable::catalog::Catalog const>(std::move(*catalog)), diags);
  if (!engine) {
    std::cerr << diags.format();
    return 1;
  }
  auto r = engine->match_json(
      R"({"patient":"c1","tumour":{"oncotree":"SKCM"},"findings":[{"gene":"BRAF","hgvsp":"p.Val600Glu"}]})");
  std::cout << r.json << "\n";
  return r.ok && r.json.find("\"recommended\":\"standard_of_care\"") != std::string::npos ? 0 : 1;
}
