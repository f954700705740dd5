// The tumour-board report (issue 11): the document model states exactly the Outcome's facts,
// section by section; every label exists in every language; HTML escapes record text; a
// 500-finding record renders every finding.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "actionable/io/json.hpp"
#include "actionable/report/report.hpp"
#include "support.hpp"

using namespace actionable;
namespace fs = std::filesystem;

namespace {

std::string slurp(fs::path const& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<Engine const> shipped() {
  static std::shared_ptr<Engine const> e = [] {
    Diagnostics d;
    auto r = Engine::from_paths({std::string(ACTIONABLE_SOURCE_DIR) + "/rules/precision1",
                                 std::string(ACTIONABLE_SOURCE_DIR) + "/rules/precision2"},
                                testing::shared_catalog(), d);
    REQUIRE(r);
    return r;
  }();
  return e;
}

std::vector<fs::path> example_patients() {
  std::vector<fs::path> out{fs::path(ACTIONABLE_SOURCE_DIR) / "rules/examples/patient_P1-000123.json"};
  for (auto const& e : fs::directory_iterator(fs::path(ACTIONABLE_SOURCE_DIR) / "tests/golden/match")) {
    auto name = e.path().filename().string();
    if (e.path().extension() == ".json" && name.find(".expect.") == std::string::npos && name.rfind("bad_", 0) != 0 &&
        !fs::exists(fs::path(e.path()).replace_extension(".rules")))
      out.push_back(e.path());
  }
  std::sort(out.begin() + 1, out.end());
  return out;
}

std::string esc(std::string s) {
  std::string out;
  for (char c : s)
    out += c == '&'    ? "&amp;"
           : c == '<'  ? "&lt;"
           : c == '>'  ? "&gt;"
           : c == '"'  ? "&quot;"
           : c == '\'' ? "&#39;"
                       : std::string(1, c);
  return out;
}

std::string join(std::vector<std::string> const& v, char const* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

}  // namespace

TEST_CASE("report: every label exists in every language") {
  auto en = report::label_keys(report::Language::kEn);
  CHECK(en.size() >= 80);
  for (auto lang : {report::Language::kNl, report::Language::kFr}) {
    CAPTURE(report::to_string(lang));
    CHECK(report::label_keys(lang) == en);
    for (auto k : en) CHECK_FALSE(report::label(lang, k).empty());
  }
  CHECK(report::label(report::Language::kNl, "section.germline") == "Kiembaanbevindingen");
  CHECK(report::parse_language("fr") == report::Language::kFr);
  CHECK_FALSE(report::parse_language("de"));
}

TEST_CASE("report: the document states exactly the Outcome's facts, section by section") {
  auto engine = shipped();
  auto const& cat = engine->catalog();
  auto files = example_patients();
  REQUIRE(files.size() >= 15);
  std::size_t options = 0, missing = 0, findings = 0;
  for (auto const& f : files) {
    CAPTURE(f.filename().string());
    auto patient = io::read_patient_json(slurp(f), cat);
    REQUIRE(patient);
    auto outcome = engine->match(*patient);
    REQUIRE(outcome);
    report::Options ro;
    ro.report_date = "2026-12-01";
    auto d = report::build(*outcome, *patient, cat, ro);
    auto html = report::render_html(d);
    auto json = nlohmann::json::parse(report::render_json(d));
    // Header.
    CHECK(d.header.pseudonym == outcome->patient);
    CHECK(d.header.ruleset.sha256 == outcome->ruleset.sha256);
    CHECK(html.find(esc(outcome->patient)) != std::string::npos);
    CHECK(json["header"]["pseudonym"] == outcome->patient);
    // Summary: the pathway.
    CHECK(d.summary.recommended == outcome->pathway.recommended);
    CHECK(d.summary.options == outcome->pathway.options);
    CHECK(html.find("data-pathway=\"" + std::string(to_string(outcome->pathway.recommended)) + "\"") !=
          std::string::npos);
    // Options: one row per match other than evidence, in order, with its therapies, level,
    // findings, sources, rule; evidence matches in their own section, never options.
    std::vector<Match const*> option_matches, evidence_matches;
    for (auto const& m : outcome->matches)
      (m.cls == OptionClass::kEvidence ? evidence_matches : option_matches).push_back(&m);
    REQUIRE(d.evidence.size() == evidence_matches.size());
    for (std::size_t i = 0; i < d.evidence.size(); ++i) {
      CHECK(d.evidence[i].direction == evidence_matches[i]->direction);
      CHECK(html.find(esc(d.evidence[i].therapy)) != std::string::npos);
    }
    for (auto const& g : d.summary.groups) CHECK(g.cls != OptionClass::kEvidence);
    REQUIRE(d.options.size() == option_matches.size());
    for (std::size_t i = 0; i < d.options.size(); ++i) {
      auto const& m = *option_matches[i];
      auto const& r = d.options[i];
      CHECK(r.cls == m.cls);
      CHECK(r.therapy == join(m.therapies, " / "));
      CHECK(r.level == m.level);
      CHECK(r.findings.size() == m.findings.size());
      for (std::size_t k = 0; k < m.findings.size(); ++k)
        CHECK(r.findings[k] == outcome->findings[m.findings[k]].normalised);
      REQUIRE(r.cites.size() == m.cites.size());
      for (std::size_t k = 0; k < m.cites.size(); ++k) {
        CHECK(r.cites[k].text == m.cites[k]);
        if (m.cites[k].rfind("PMID:", 0) == 0)
          CHECK(r.cites[k].href == "https://pubmed.ncbi.nlm.nih.gov/" + m.cites[k].substr(5) + "/");
      }
      CHECK(r.source == m.criterion.source);
      CHECK_FALSE(r.source.empty());
      CHECK(html.find(esc(r.therapy)) != std::string::npos);
      CHECK(html.find(esc(r.source)) != std::string::npos);
      ++options;
    }
    // Tests that would decide more: every missing test, with every option that depends on it.
    std::set<std::string> want, got;
    for (auto const& x : outcome->indeterminate)
      for (auto const& m : x.missing) want.insert(m.test + " <- " + x.criterion.name);
    for (auto const& t : d.tests_to_order) {
      CHECK(html.find(esc(t.test)) != std::string::npos);
      for (auto const& o : t.options) got.insert(t.test + " <- " + o.substr(o.find("] ") + 2));
    }
    CHECK(got == want);
    missing += want.size();
    // Suppressed, off-label, near misses.
    REQUIRE(d.suppressed.size() == outcome->suppressed.size());
    for (std::size_t i = 0; i < d.suppressed.size(); ++i) CHECK(d.suppressed[i].by == outcome->suppressed[i].by);
    REQUIRE(d.off_label.size() == outcome->off_label.size());
    for (std::size_t i = 0; i < d.off_label.size(); ++i)
      CHECK(d.off_label[i].approved_in == outcome->off_label[i].approved_in);
    REQUIRE(d.near_misses.size() == outcome->excluded.size() + outcome->near_misses.size());
    for (std::size_t i = 0; i < d.near_misses.size(); ++i) {
      if (i < outcome->excluded.size()) CHECK(d.near_misses[i].reason == outcome->excluded[i].reason);
      CHECK(html.find(esc(d.near_misses[i].reason)) != std::string::npos);
    }
    // Findings: every finding once, germline in its own box, the options each drives.
    CHECK(d.findings.size() + d.germline.size() == patient->findings.size());
    for (auto const* rows : {&d.findings, &d.germline})
      for (auto const& r : *rows) {
        auto const& fm = patient->findings[r.index];
        CHECK((rows == &d.germline) == (fm.origin == model::Origin::kGermline));
        std::size_t driven = 0;  // one "drives" entry per match that uses the finding
        for (auto const& m : outcome->matches) driven += std::count(m.findings.begin(), m.findings.end(), r.index) > 0;
        CHECK(r.drives.size() == driven);
        CHECK(html.find(esc(r.gene)) != std::string::npos);
        ++findings;
      }
    if (!d.germline.empty()) CHECK(html.find("id=\"germline\"") != std::string::npos);
    CHECK(d.tests.size() == patient->tests.size());
    CHECK(d.treatments.size() == (patient->treatments ? patient->treatments->size() : 0));
  }
  MESSAGE(files.size() << " example patients: " << options << " options, " << missing << " missing tests, " << findings
                       << " findings checked");
}

TEST_CASE("report: record text is escaped, never markup") {
  auto engine = shipped();
  auto patient = io::read_patient_json(
      R"({"patient": "<script>alert(1)</script>", "centre": "A&B \"x\"", "tumour": {"oncotree": "LUAD"},
          "findings": [{"gene": "EGFR", "hgvsp": "p.L858R"}]})",
      engine->catalog());
  REQUIRE(patient);
  auto outcome = engine->match(*patient);
  REQUIRE(outcome);
  auto html = report::render_html(report::build(*outcome, *patient, engine->catalog(), {}));
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("A&amp;B &quot;x&quot;") != std::string::npos);
}

TEST_CASE("report: a record with 500 findings lists all of them") {
  auto engine = shipped();
  nlohmann::json rec = {
      {"patient", "P-big"}, {"tumour", {{"oncotree", "LUAD"}}}, {"findings", nlohmann::json::array()}};
  auto const& genes = engine->catalog().genes.symbols();
  for (int i = 0; i < 500; ++i)
    rec["findings"].push_back({{"gene", genes[static_cast<std::size_t>(i * 37) % genes.size()]},
                               {"hgvsp", "p.G" + std::to_string(10 + i) + "D"},
                               {"vaf", (i % 100) / 100.0}});
  auto patient = io::read_patient_json(rec.dump(), engine->catalog());
  REQUIRE(patient);
  auto outcome = engine->match(*patient);
  REQUIRE(outcome);
  auto d = report::build(*outcome, *patient, engine->catalog(), {});
  CHECK(d.findings.size() == 500);
  auto html = report::render_html(d);
  std::size_t rows = 0;
  for (std::size_t p = 0; (p = html.find("p.G", p)) != std::string::npos; ++p) ++rows;
  CHECK(rows >= 500);
}

TEST_CASE("report: a near miss on recoverable criteria says what must change") {
  auto engine = testing::compile_ok(
      "trial NCT00000001 \"t\" {\n  status recruiting\n  arm \"A\" {\n    when somatic BRAF p.V600E\n"
      "    tumour MEL\n    require lab creatinine_clearance >= 50 mL/min and ecog <= 1\n  }\n}\n");
  auto const& cat = engine->catalog();
  auto patient = io::read_patient_json(R"({"patient": "p", "tumour": {"oncotree": "MEL"}, "ecog": 1,
      "labs": [{"test": "creatinine_clearance", "value": 41, "unit": "mL/min"}],
      "findings": [{"gene": "BRAF", "hgvsp": "p.V600E"}]})",
                                       cat);
  REQUIRE(patient);
  auto outcome = engine->match(*patient);
  REQUIRE(outcome);
  REQUIRE(outcome->near_misses.size() == 1);
  CHECK(outcome->excluded.empty());
  report::Options ro;
  ro.report_date = "2026-12-01";
  auto d = report::build(*outcome, *patient, cat, ro);
  REQUIRE(d.near_misses.size() == 1);
  CHECK(d.near_misses[0].reason == "eligible once lab creatinine_clearance >= 50 mL/min");
  CHECK(report::render_html(d).find("eligible once lab creatinine_clearance &gt;= 50 mL/min") != std::string::npos);
}

TEST_CASE("report: evidence directions, supported or not, are named in every language") {
  // CIViC "Does Not Support" / "Reduced Sensitivity" / "Adverse Response" items (docs/civic.md).
  auto engine = testing::compile_ok(R"(
rule ev_not {
  when somatic ERBB2 amplification
  tumour NSCLC
  class evidence
  direction not sensitivity
  therapy "trastuzumab"
  level CIViC:B
  cite PMID:14679114
}
rule ev_reduced {
  when somatic ERBB2 amplification
  tumour NSCLC
  class evidence
  direction reduced_sensitivity
  therapy "afatinib"
  level CIViC:C
}
rule ev_adverse {
  when somatic ERBB2 amplification
  tumour NSCLC
  class evidence
  direction adverse_response
  therapy "lapatinib"
  level CIViC:C
}
)");
  auto const& cat = engine->catalog();
  auto patient = io::read_patient_json(R"({"patient": "p", "tumour": {"oncotree": "LUAD"},
      "tests": [{"origin": "somatic", "method": "NGS", "genes": ["ERBB2"]}],
      "findings": [{"origin": "somatic", "type": "cnv", "gene": "ERBB2", "call": "amplification"}]})",
                                       cat);
  REQUIRE(patient);
  auto outcome = engine->match(*patient);
  REQUIRE(outcome);
  REQUIRE(outcome->matches.size() == 3);
  struct Case {
    report::Language lang;
    std::vector<std::string> texts;
  };
  for (auto const& c : std::vector<Case>{
           {report::Language::kEn, {"does not support sensitivity", "reduced sensitivity", "adverse response"}},
           {report::Language::kNl, {"ondersteunt geen gevoeligheid", "verminderde gevoeligheid", "ongewenste reactie"}},
           {report::Language::kFr,
            {"ne soutient pas la sensibilité", "sensibilité réduite", "réaction indésirable"}}}) {
    CAPTURE(report::to_string(c.lang));
    report::Options ro;
    ro.lang = c.lang;
    ro.report_date = "2026-12-01";
    auto d = report::build(*outcome, *patient, cat, ro);
    REQUIRE(d.evidence.size() == 3);
    auto html = report::render_html(d);
    for (auto const& t : c.texts) CHECK(html.find(">" + t + "<") != std::string::npos);
    auto j = nlohmann::json::parse(report::render_json(d));
    std::size_t negative = 0;
    for (auto const& e : j["evidence"]) {
      if (e.contains("supports")) {
        CHECK(e["supports"] == false);
        CHECK(e["direction"] == "sensitivity");
        ++negative;
      }
    }
    CHECK(negative == 1);
    CHECK(!report::render_pdf(d).empty());
  }
}
