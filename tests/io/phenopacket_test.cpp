// Phenopackets v2: read a packet; write a match result back as interpretations.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "actionable/detail/io/readers/ctims.hpp"
#include "actionable/detail/io/readers/phenopacket.hpp"
#include "actionable/detail/io/readers/tumour_resolver.hpp"
#include "helpers.hpp"

using namespace actionable::io;
using nlohmann::json;

TEST_CASE("phenopacket: subject, disease via NCIt, variants, fusion, CNV, germline, TMB, MSI") {
  auto tumours = TumourResolver::load(Source::file(iotest::source_dir("rules/reference/oncotree_2025_10_03.tsv")));
  REQUIRE(tumours);
  ReadOptions opts;
  opts.tumours = &*tumours;
  auto r = read_phenopacket(Source::file(iotest::local("same_patient/phenopacket.json")), opts);
  CHECK(r.format == "phenopacket");
  CHECK(r.issues.empty());
  auto a = assemble({r});
  REQUIRE(a.records.size() == 1);
  auto const& rec = a.records[0];
  CHECK(rec["patient"] == "P1-000123");
  CHECK(rec["tumour"] == json{{"oncotree", "LUAD"}, {"stage", "IV"}});
  CHECK(rec["age"] == 61);
  CHECK(rec["sex"] == "F");
  auto const& fs = rec["findings"];
  REQUIRE(fs.size() == 6);
  CHECK(fs[0]["hgvsp"] == "p.Leu858Arg");
  CHECK(fs[0]["transcript"] == "NM_005228.5");
  CHECK(fs[0]["exon"] == 21);
  CHECK(fs[1] == json{{"origin", "somatic"},
                      {"type", "fusion"},
                      {"gene5", "EML4"},
                      {"gene3", "ALK"},
                      {"source_id", "var-eml4-alk"}});
  CHECK(fs[2]["call"] == "amplification");
  CHECK(fs[3]["origin"] == "germline");  // interpreted on the subject, not the tumour biosample
  CHECK(fs[3]["classification"] == "pathogenic");
  CHECK(fs[4] == json{{"type", "biomarker"}, {"name", "TMB"}, {"value", 12.4}});
  CHECK(fs[5] == json{{"type", "biomarker"}, {"name", "MSI"}, {"value", "stable"}});
}

TEST_CASE("phenopacket: tumour resolver lookups") {
  auto t = TumourResolver::load(Source::file(iotest::source_dir("rules/reference/oncotree_2025_10_03.tsv")));
  REQUIRE(t);
  CHECK(t->code_for("luad") == "LUAD");
  CHECK(t->code_for("Lung Adenocarcinoma") == "LUAD");
  CHECK(t->code_for("NCIT:C3512") == "LUAD");
  CHECK(t->code_for("oncotree:NSCLC") == "NSCLC");
  CHECK_FALSE(t->code_for("No OncoTree Node Found"));
}

TEST_CASE("phenopacket: writing a match result as interpretations") {
  std::ifstream in(iotest::local("same_patient/phenopacket.json"));
  std::stringstream ss;
  ss << in.rdbuf();
  json packet = json::parse(ss.str());
  auto r = read_phenopacket(Source::memory("p.json", ss.str()));
  auto rec = assemble({r}).records.at(0);
  json result = {
      {"patient", "P1-000123"},
      {"ruleset", {{"name", "precision1-be"}, {"version", "2026.11.0"}}},
      {"matches",
       {{{"class", "approved"},
         {"rule", "egfr_sensitizing_nsclc"},
         {"therapies", {"osimertinib"}},
         {"level", "ESCAT:I-A"},
         {"findings", {0}},
         {"because", {"EGFR p.L858R matches"}}},
        {{"class", "approved"}, {"rule", "alk_fusion_nsclc"}, {"therapies", {"alectinib"}}, {"findings", {1}}}}},
      {"indeterminate", {{{"rule", "kras_g12c"}, {"missing", {"KRAS (somatic)"}}}}}};
  auto out = write_interpretations(packet, rec, result);
  auto const& ins = out["interpretations"];
  REQUIRE(ins.size() == 4);  // the packet's own + 2 matches + 1 indeterminate
  CHECK(ins[1]["id"] == "actionable:precision1-be:egfr_sensitizing_nsclc");
  CHECK(ins[1]["progressStatus"] == "COMPLETED");
  CHECK(ins[1]["summary"] == "approved: osimertinib [ESCAT:I-A] (egfr_sensitizing_nsclc) because EGFR p.L858R matches");
  auto const& gi = ins[1]["diagnosis"]["genomicInterpretations"][0];
  CHECK(gi["variantInterpretation"]["therapeuticActionability"] == "ACTIONABLE");
  CHECK(gi["variantInterpretation"]["variationDescriptor"]["id"] == "var-egfr");  // the packet's own descriptor
  CHECK(ins[1]["diagnosis"]["disease"]["id"] == "NCIT:C3512");
  CHECK(ins[3]["progressStatus"] == "IN_PROGRESS");
  CHECK(ins[3]["summary"] == "indeterminate (kras_g12c): missing KRAS (somatic)");
  // Deterministic.
  CHECK(write_interpretations(packet, rec, result).dump() == out.dump());

  // From a record that did not come from a packet: a minimal packet, readable again.
  json maf_record = {
      {"patient", "S9"},
      {"tumour", {{"oncotree", "MEL"}}},
      {"age", 50},
      {"sex", "M"},
      {"findings",
       {{{"origin", "somatic"}, {"gene", "BRAF"}, {"hgvsp", "p.V600E"}, {"consequence", "missense_variant"}},
        {{"origin", "somatic"}, {"type", "cnv"}, {"gene", "CDK4"}, {"call", "amplification"}}}}};
  json res2 = {{"matches", {{{"class", "approved"}, {"rule", "braf_mel"}, {"findings", {0, 1}}}}}};
  auto built = write_interpretations(nullptr, maf_record, res2);
  CHECK(built["subject"] ==
        json{{"id", "S9"}, {"sex", "MALE"}, {"timeAtLastEncounter", {{"age", {{"iso8601duration", "P50Y"}}}}}});
  CHECK_FALSE(built["metaData"].contains("created"));
  CHECK(built["interpretations"][0]["id"] == "S9-findings");  // the record's own findings
  CHECK(built["interpretations"][1]["id"] == "actionable:braf_mel");
  auto back = assemble({read_phenopacket(Source::memory("b.json", built.dump()))}).records.at(0);
  CHECK(back["tumour"]["oncotree"] == "MEL");
  REQUIRE(back["findings"].size() == 4);  // read from both interpretations
  CHECK(back["findings"][0]["hgvsp"] == "p.V600E");
  CHECK(back["findings"][0]["consequence"] == "missense_variant");
  CHECK(back["findings"][1]["call"] == "amplification");
}

TEST_CASE("phenopacket: a record written as a packet reads back the same") {
  json rec = {
      {"patient", "P7"},
      {"tumour", {{"oncotree", "LUAD"}}},
      {"age", 61},
      {"sex", "F"},
      {"findings",
       {{{"origin", "somatic"},
         {"gene", "EGFR"},
         {"hgvsp", "p.L858R"},
         {"consequence", "missense_variant"},
         {"exon", 21}},
        {{"origin", "somatic"}, {"type", "fusion"}, {"gene5", "EML4"}, {"gene3", "ALK"}},
        {{"origin", "somatic"}, {"type", "cnv"}, {"gene", "MET"}, {"call", "amplification"}},
        {{"origin", "somatic"}, {"type", "cnv"}, {"gene", "CDKN2A"}, {"call", "deletion"}},
        {{"origin", "germline"}, {"gene", "BRCA2"}, {"hgvsp", "p.S1982Rfs*22"}, {"classification", "pathogenic"}},
        {{"type", "biomarker"}, {"name", "TMB"}, {"value", 12.4}},
        {{"type", "biomarker"}, {"name", "MSI"}, {"value", "high"}}}}};
  auto packet = write_interpretations(nullptr, rec, json::object());
  auto back = assemble({read_phenopacket(Source::memory("p7.json", packet.dump()))}).records.at(0);
  for (auto& f : back["findings"]) f.erase("source_id");
  CHECK(back["patient"] == "P7");
  CHECK(back["age"] == 61);
  CHECK(back["sex"] == "F");
  CHECK(back["tumour"] == rec["tumour"]);
  CHECK(back["findings"] == rec["findings"]);
}

TEST_CASE("phenopacket and ctims: a JSON file over 64 MiB is refused before it is read (docs/reliability.md)") {
  // A file of the limit plus one byte, on disk (its size is known before reading) and in memory.
  std::string const big(static_cast<std::size_t>(64u << 20) + 1, ' ');
  auto const path = std::filesystem::temp_directory_path() / "actionable_big_json_file_test.json";
  {
    std::ofstream f(path, std::ios::binary);
    f << big;
  }
  std::string const expect =
      "file is 67108865 bytes, more than the limit of 67108864 bytes (64 MiB) for a JSON file: not read";
  for (auto const* which : {"phenopacket", "ctims"}) {
    for (bool on_disk : {true, false}) {
      CAPTURE(which);
      CAPTURE(on_disk);
      Source src = on_disk ? Source::file(path.string()) : Source::memory("big.json", big);
      auto r = std::string(which) == "phenopacket" ? read_phenopacket(src) : read_ctims(src);
      REQUIRE(r.issues.size() == 1);
      CHECK(r.issues[0].level == IssueLevel::kError);
      CHECK(r.issues[0].line == 0);
      CHECK(r.issues[0].message == expect);
      CHECK(r.entries.empty());
    }
  }
  // The limit itself reads (64 MiB of white space: no document, no error).
  auto r = read_ctims(Source::memory("limit.json", std::string(static_cast<std::size_t>(64u << 20), ' ')));
  CHECK(r.issues.empty());
  std::filesystem::remove(path);
}
