// One patient (shared/spec/patient.md's example, less its FISH / classification extras) written
// as a JSON record, as cBioPortal MAF + CNA + SV + clinical + gene panel, as VEP-annotated VCFs
// (+ CNA, SV, clinical) and as a Phenopacket: the findings the engine matches on are the same.
// (tests/io/data/same_patient; the match-level check belongs with the engine's tests.)
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "actionable/detail/io/readers/assemble.hpp"
#include "actionable/detail/io/readers/tumour_resolver.hpp"
#include "helpers.hpp"

using namespace actionable::io;
using nlohmann::json;

namespace {

// 3-letter -> 1-letter protein change, enough for this patient ("p.Leu858Arg" -> "p.L858R",
// "p.Ser1982ArgfsTer22" -> "p.S1982Rfs*22").
std::string one_letter(std::string p) {
  static std::pair<char const*, char const*> const aa[] = {
      {"Ala", "A"}, {"Arg", "R"}, {"Asn", "N"}, {"Asp", "D"}, {"Cys", "C"}, {"Gln", "Q"}, {"Glu", "E"},
      {"Gly", "G"}, {"His", "H"}, {"Ile", "I"}, {"Leu", "L"}, {"Lys", "K"}, {"Met", "M"}, {"Phe", "F"},
      {"Pro", "P"}, {"Ser", "S"}, {"Thr", "T"}, {"Trp", "W"}, {"Tyr", "Y"}, {"Val", "V"}, {"Ter", "*"}};
  for (auto const& [three, one] : aa) {
    for (auto pos = p.find(three); pos != std::string::npos; pos = p.find(three)) p.replace(pos, 3, one);
  }
  return p;
}

/// What matching looks at: origin, type, gene(s), protein change, consequence, call, biomarker.
std::set<std::string> key(json const& record) {
  std::set<std::string> out;
  for (auto const& f : record["findings"]) {
    auto type = f.value("type", std::string("variant"));
    std::string k = f.value("origin", std::string("-")) + " " + type + " ";
    if (type == "fusion")
      k += f.value("gene5", std::string()) + "::" + f.value("gene3", std::string());
    else if (type == "cnv")
      k += f.value("gene", std::string()) + " " + f.value("call", std::string());
    else if (type == "biomarker")
      k += f["name"].get<std::string>() + "=" + f["value"].dump();
    else
      k += f.value("gene", std::string()) + " " + one_letter(f.value("hgvsp", std::string())) + " " +
           f.value("consequence", std::string());
    out.insert(k);
  }
  out.insert("tumour " + record["tumour"].dump());
  out.insert("age " + record.value("age", json()).dump() + " sex " + record.value("sex", json()).dump());
  return out;
}

std::set<std::string> tested(json const& record) {
  std::set<std::string> g;
  for (auto const& t : record.value("tests", json::array()))
    for (auto const& x : t.value("genes", json::array())) g.insert(x.get<std::string>());
  return g;
}

}  // namespace

TEST_CASE("same patient: JSON == MAF+CNA+SV+clinical == VCF+CNA+SV+clinical == Phenopacket") {
  auto dir = iotest::local("same_patient/");
  std::ifstream in(dir + "record.json");
  std::stringstream ss;
  ss << in.rdbuf();
  json want = json::parse(ss.str());

  auto tumours = TumourResolver::load(Source::file(iotest::source_dir("rules/reference/oncotree_2025_10_03.tsv")));
  REQUIRE(tumours);
  ReadOptions opts;
  opts.tumours = &*tumours;

  auto tables = assemble_inputs({{InputKind::kClinical, dir + "data_clinical_sample.txt", ""},
                                 {InputKind::kPanel, dir + "gene_panel_focus5.txt", ""},
                                 {InputKind::kMaf, dir + "data_mutations.maf", ""},
                                 {InputKind::kCna, dir + "data_cna.txt", ""},
                                 {InputKind::kSv, dir + "data_sv.txt", ""}},
                                opts);
  auto vcfs = assemble_inputs({{InputKind::kClinical, dir + "data_clinical_sample.txt", ""},
                               {InputKind::kPanel, dir + "gene_panel_focus5.txt", ""},
                               {InputKind::kVcf, dir + "somatic.vep.vcf", ""},
                               {InputKind::kVcf, dir + "germline.vep.vcf", "germline"},
                               {InputKind::kCna, dir + "data_cna.txt", ""},
                               {InputKind::kSv, dir + "data_sv.txt", ""}},
                              opts);
  auto packet = assemble_inputs({{InputKind::kPhenopacket, dir + "phenopacket.json", ""}}, opts);
  for (auto const* a : {&tables, &vcfs, &packet}) {
    CHECK(a->issues.empty());
    REQUIRE(a->records.size() == 1);
    CHECK(a->records[0]["patient"] == "P1-000123");
  }
  CHECK(key(tables.records[0]) == key(want));
  CHECK(key(vcfs.records[0]) == key(want));
  CHECK(key(packet.records[0]) == key(want));
  CHECK(tested(tables.records[0]) == tested(want));
  CHECK(tested(vcfs.records[0]) == tested(want));
}
