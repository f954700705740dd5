// Each reader on small in-memory inputs: column mapping, skipped rows with their lines, and
// isolation (a bad row never changes another sample's record).
#include <doctest/doctest.h>

#include "actionable/detail/io/readers/alterations.hpp"
#include "actionable/detail/io/readers/assemble.hpp"
#include "actionable/detail/io/readers/clinical.hpp"
#include "actionable/detail/io/readers/cna.hpp"
#include "actionable/detail/io/readers/ctims.hpp"
#include "actionable/detail/io/readers/maf.hpp"
#include "actionable/detail/io/readers/moalmanac.hpp"
#include "actionable/detail/io/readers/panel.hpp"
#include "actionable/detail/io/readers/sv.hpp"
#include "helpers.hpp"

using namespace actionable::io;
using iotest::mem;
using nlohmann::json;

TEST_CASE("MAF: columns, VAF, exon, germline, HGVSp precedence") {
  auto r = read_maf(
      mem("#version 2.4\n"
          "Hugo_Symbol\tTumor_Sample_Barcode\tVariant_Classification\tHGVSp_Short\tHGVSp\tHGVSc\t"
          "Transcript_ID\tExon_Number\tt_alt_count\tt_ref_count\tMutation_Status\n"
          "EGFR\tS1\tMissense_Mutation\tp.L858R\tp.Leu858Arg\tc.2573T>G\tENST00000275493\t21/28\t30\t70\tSomatic\n"
          "BRCA2\tS1\tFrame_Shift_Del\t\tp.Ser1982ArgfsTer22\tc.5946del\t\t11/27\t\t\tGermline\n"
          "MET\tS2\tSplice_Site\tp.X1010_splice\t\tc.3082+1G>T\t\t\t5\t5\t\n"
          "Unknown\tS2\tIGR\t\t\t\t\t\t\t\t\n"
          "\tS2\tMissense_Mutation\tp.G12C\n"
          "KRAS\t\tMissense_Mutation\tp.G12C\n"));
  CHECK(r.format == "maf");
  CHECK(r.counts.rows == 6);
  CHECK(r.counts.variants == 3);
  CHECK(r.counts.skipped == 3);
  CHECK(r.counts.samples == 2);
  auto fs = iotest::findings(r);
  REQUIRE(fs.size() == 3);
  CHECK(fs[0] == json{{"origin", "somatic"},
                      {"gene", "EGFR"},
                      {"hgvsp", "p.L858R"},
                      {"hgvsc", "c.2573T>G"},
                      {"transcript", "ENST00000275493"},
                      {"consequence", "missense_variant"},
                      {"exon", 21},
                      {"vaf", 0.3}});
  CHECK(fs[1]["origin"] == "germline");
  CHECK(fs[1]["hgvsp"] == "p.Ser1982ArgfsTer22");  // HGVSp when HGVSp_Short is empty
  CHECK(fs[2]["consequence"] == "splice_donor_variant");
  CHECK_FALSE(fs[2].contains("hgvsp"));
  CHECK(iotest::issues(r.issues, IssueLevel::kError) ==
        std::vector<std::string>{"7: no Hugo_Symbol", "8: no Tumor_Sample_Barcode"});
  CHECK(iotest::issue_lines(r.issues, IssueLevel::kNote) == std::vector<std::size_t>{5, 6});
}

TEST_CASE("MAF: a protein validator drops what the engine would not understand, keeps the gene") {
  ReadOptions opts;
  opts.validate_protein = [](std::string_view p, std::string* why) {
    if (p == "p.W288fs") {
      *why = "no residue";
      return false;
    }
    return true;
  };
  auto r = read_maf(mem("Hugo_Symbol\tTumor_Sample_Barcode\tVariant_Classification\tProtein_Change\n"
                        "NPM1\tS1\tFrame_Shift_Ins\tp.W288fs\nDNMT3A\tS1\tMissense_Mutation\tp.R882H\n"),
                    opts);
  auto fs = iotest::findings(r);
  REQUIRE(fs.size() == 2);
  CHECK_FALSE(fs[0].contains("hgvsp"));
  CHECK(fs[0]["hgvsp_unparsed"] == "p.W288fs");
  CHECK(fs[0]["consequence"] == "frameshift_variant");
  CHECK(fs[1]["hgvsp"] == "p.R882H");
  CHECK(iotest::issues(r.issues, IssueLevel::kWarning) ==
        std::vector<std::string>{
            "2: protein change 'p.W288fs' not understood (no residue): hgvsp dropped, gene-level finding kept"});
}

TEST_CASE("CNA matrix: GISTIC values, unreadable cells only affect their sample") {
  auto r =
      read_cna_matrix(mem("Hugo_Symbol\tEntrez_Gene_Id\tS1\tS2\tS3\n"
                          "MET\t4233\t2\t-2\t0\n"
                          "CDK4\t1019\t1\tabc\t-1\n"
                          "\t0\t2\t2\t2\n"));
  CHECK(r.counts.rows == 3);
  CHECK(r.counts.samples == 3);
  CHECK(r.counts.cnvs == 4);
  std::vector<std::string> got;
  for (auto const& e : r.entries)
    if (e.kind == Entry::Kind::kFinding)
      got.push_back(e.sample + " " + e.value["gene"].get<std::string>() + " " + e.value["call"].get<std::string>());
  CHECK(got == std::vector<std::string>{"S1 MET amplification", "S2 MET deletion", "S1 CDK4 gain", "S3 CDK4 loss"});
  CHECK(iotest::issues(r.issues, IssueLevel::kError) ==
        std::vector<std::string>{"3: sample S2: 'abc' is not a copy-number call (-2..2)", "4: no gene symbol"});
}

TEST_CASE("CNA table: numbers, words, copies, sample-less file") {
  auto r = read_cna_table(
      mem("gene\tcall\tcopies\r\nERBB2\tAmplification\t12\r\nBLM\tWild type\t2\r\nTP53\tDeletion\t0\r\nX\tlots\t\r\n"));
  CHECK(r.counts.cnvs == 2);
  CHECK(r.counts.skipped == 2);
  auto fs = iotest::findings(r);
  CHECK(fs[0] ==
        json{{"origin", "somatic"}, {"type", "cnv"}, {"gene", "ERBB2"}, {"call", "amplification"}, {"copies", 12}});
  CHECK(fs[1]["call"] == "deletion");
  for (auto const& e : r.entries) CHECK(e.sample.empty());
  CHECK(iotest::issues(r.issues, IssueLevel::kError) ==
        std::vector<std::string>{"5: 'lots' is not a copy-number call"});
}

TEST_CASE("SV: data_sv, GeneA/GeneB, fusion names, old data_fusions repeats, STAR-Fusion") {
  auto sv =
      read_sv_table(mem("Sample_Id\tSite1_Hugo_Symbol\tSite2_Hugo_Symbol\tSV_Status\tClass\n"
                        "S1\tEML4\tALK\tSOMATIC\tFUSION\n"
                        "S1\tEGFR\tEGFR\tSOMATIC\tDELETION\n"
                        "S2\tALK\t\tGERMLINE\tTRANSLOCATION\n"
                        "S2\t\t\tSOMATIC\tFUSION\n"));
  CHECK(sv.format == "sv-table");
  auto fs = iotest::findings(sv);
  REQUIRE(fs.size() == 3);
  CHECK(fs[0] == json{{"origin", "somatic"}, {"type", "fusion"}, {"gene5", "EML4"}, {"gene3", "ALK"}});
  CHECK(fs[1] == json{{"origin", "somatic"},
                      {"gene", "EGFR"},
                      {"consequence", "feature_truncation"},
                      {"sv", "EGFR intragenic deletion"}});
  CHECK(fs[2] == json{{"origin", "germline"}, {"type", "fusion"}, {"gene5", "ALK"}});
  CHECK(iotest::issues(sv.issues, IssueLevel::kError) == std::vector<std::string>{"5: no gene on either side"});

  auto old =
      read_sv_table(mem("Hugo_Symbol\tTumor_Sample_Barcode\tFusion\n"
                        "EML4\tS1\tEML4-ALK fusion\nALK\tS1\tEML4-ALK fusion\nNKX2-1\tS1\tNKX2-1-ALK\n"));
  CHECK(old.counts.fusions == 1);
  CHECK(iotest::issues(old.issues, IssueLevel::kNote) ==
        std::vector<std::string>{"3: fusion EML4-ALK fusion already listed for S1 (one row per partner)"});
  CHECK(iotest::issue_lines(old.issues, IssueLevel::kError) == std::vector<std::size_t>{4});

  auto star =
      read_sv_table(mem("#FusionName\tJunctionReadCount\tSpanningFragCount\tLeftGene\tRightGene\n"
                        "EML4--ALK\t12\t3\tEML4^ENSG00000198087.7\tALK^ENSG00000171094.9\n"));
  CHECK(star.format == "star-fusion");
  CHECK(iotest::findings(star)[0]["gene3"] == "ALK");
  CHECK(star.issues.empty());

  // A #FusionName that names other genes than LeftGene/RightGene (MOAlmanac's example edits
  // the name to EML4--ALK over CD2AP/C11orf80 breakpoints on chromosomes 6 and 11): the row
  // contradicts itself, so neither pair becomes a finding; the row is an error (the record is
  // marked incomplete), the other rows are read.
  auto edited = read_sv_table(
      mem("#FusionName\tJunctionReads\tSpanningFragCount\tSplice_type\tLeftGene\tLeftBreakpoint\tRightGene\t"
          "RightBreakpoint\n"
          "EML4--ALK\t10\t0\tONLY_REF_SPLICE\tCD2AP^ENSG00000198087.7\t6:47471176:+\tC11orf80^ENSG00000173715.11\t"
          "11:66563752:+\n"
          "PHRF1--PDIA4\t9\t0\tINCL_NON_REF_SPLICE\tPHRF1^ENSG00000070047.7\t11:601671:+\tPDIA4^ENSG00000155660.6\t"
          "7:148718209:-\n"
          "EML4--ALK\t5\t1\tONLY_REF_SPLICE\tEML4\t\tCD2AP\t\n"));
  CHECK(edited.counts.rows == 3);
  CHECK(edited.counts.fusions == 1);
  CHECK(edited.counts.skipped == 2);
  auto kept = iotest::findings(edited);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0]["gene5"] == "PHRF1");
  CHECK(kept[0]["gene3"] == "PDIA4");
  CHECK(iotest::issues(edited.issues, IssueLevel::kError) ==
        std::vector<std::string>{
            "2: #FusionName EML4--ALK disagrees with LeftGene/RightGene CD2AP/C11orf80 (breakpoints 6:47471176:+, "
            "11:66563752:+): STAR-Fusion names a fusion after its genes, so the row contradicts itself; not read",
            "4: #FusionName EML4--ALK disagrees with LeftGene/RightGene EML4/CD2AP: STAR-Fusion names a fusion "
            "after its genes, so the row contradicts itself; not read"});
  CHECK(edited.error_count() == 2);
}

TEST_CASE("clinical: 4 header lines, fields, ages that are not ages, panels, TMB, MSI") {
  auto r =
      read_clinical(mem("#Patient Identifier\tSample Identifier\tOncotree\tAge\tSex\tPanel\tTMB\tMSI\n"
                        "#d\td\td\td\td\td\td\td\n#STRING\tSTRING\tSTRING\tNUMBER\tSTRING\tSTRING\tNUMBER\tSTRING\n"
                        "#1\t1\t1\t1\t1\t1\t1\t1\n"
                        "PATIENT_ID\tSAMPLE_ID\tONCOTREE_CODE\tAGE\tSEX\tGENE_PANEL\tTMB_NONSYNONYMOUS\tMSI_STATUS\n"
                        "P1\tS1\tLUAD\t61\tFemale\tIMPACT468\t12.4\tStable\n"
                        "P2\tS2\tCOAD\t<18\tMale\tNA\tNA\tInstable\n"));
  CHECK(r.format == "clinical-sample");
  Assembly a = assemble({r});
  REQUIRE(a.records.size() == 2);
  CHECK(a.records[0]["tumour"]["oncotree"] == "LUAD");
  CHECK(a.records[0]["age"] == 61);
  CHECK(a.records[0]["sex"] == "F");
  CHECK(a.records[0]["patient_id"] == "P1");
  CHECK_FALSE(a.records[1].contains("age"));
  CHECK(a.records[1]["findings"][0] == json{{"type", "biomarker"}, {"name", "MSI"}, {"value", "high"}});
  CHECK(iotest::issues(r.issues, IssueLevel::kWarning) ==
        std::vector<std::string>{"7: age '<18' is not a number of years: left out"});
  // IMPACT468 is used but no --panel defines it.
  CHECK(iotest::issues(a.issues, IssueLevel::kWarning).back() ==
        "6: gene panel IMPACT468 is not defined by any --panel file: samples using it get no tests entry");
}

TEST_CASE("patient-level clinical file applies to every sample of the patient") {
  auto samples = read_clinical(mem("SAMPLE_ID\tPATIENT_ID\nS1\tP1\nS2\tP1\nS3\tP2\n"));
  auto patients = read_clinical(mem("PATIENT_ID\tAGE\tSEX\nP1\t70\tM\n", "patients.tsv"));
  CHECK(patients.format == "clinical-patient");
  auto a = assemble({samples, patients});
  REQUIRE(a.records.size() == 3);
  CHECK(a.records[0]["age"] == 70);
  CHECK(a.records[1]["age"] == 70);
  CHECK_FALSE(a.records[2].contains("age"));
}

TEST_CASE("gene panels: definition + matrix -> tests; one panel and no mapping -> everyone") {
  auto def =
      read_panel(mem("stable_id: P5\ndescription: five genes\ngene_list: EGFR\tKRAS\tBRAF\tALK\tMET\n", "p5.txt"));
  CHECK(def.format == "gene-panel");
  REQUIRE(def.panels.size() == 1);
  CHECK(def.panels[0].genes == std::vector<std::string>{"EGFR", "KRAS", "BRAF", "ALK", "MET"});
  auto matrix = read_panel(mem("SAMPLE_ID\tmutations\tcna\nS1\tP5\tP5\nS2\tP5\tNA\nS3\tNA\tNA\n", "matrix.txt"));
  CHECK(matrix.format == "gene-panel-matrix");
  auto maf = read_maf(mem("Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nKRAS\tS1\tp.G12C\n"));
  auto a = assemble({def, matrix, maf});
  REQUIRE(a.records.size() == 3);
  CHECK(a.records[0]["tests"][0] == json{{"origin", "somatic"},
                                         {"method", "NGS"},
                                         {"panel", "P5"},
                                         {"genes", {"EGFR", "KRAS", "BRAF", "ALK", "MET"}},
                                         {"profiles", {"cna", "mutations"}}});
  CHECK(a.records[1]["tests"][0]["profiles"] == json{"mutations"});
  CHECK_FALSE(a.records[2].contains("tests"));  // not profiled: closed world for the engine

  auto single = assemble({def, maf});
  CHECK(single.records[0]["tests"][0]["panel"] == "P5");
}

TEST_CASE("assembler: stable order, join across files, conflicts keep the first, isolation") {
  std::string head = "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n";
  auto maf = read_maf(mem(head + "KRAS\tB\tp.G12C\nTP53\tA\tp.R248Q\nBRAF\tA\tp.V600E\textra\n", "all.maf"));
  auto only_b = read_maf(mem(head + "KRAS\tB\tp.G12C\n", "b.maf"));
  auto cna = read_cna_matrix(mem("Hugo_Symbol\tA\tB\nMET\t2\t0\n", "cna.txt"));
  auto c1 = read_clinical(mem("SAMPLE_ID\tAGE\nA\t50\n", "c1.txt"));
  auto c2 = read_clinical(mem("SAMPLE_ID\tAGE\nA\t51\nC\t40\n", "c2.txt"));
  auto a = assemble({maf, cna, c1, c2});
  std::vector<std::string> order;
  for (auto const& r : a.records) order.push_back(r["patient"]);
  CHECK(order == std::vector<std::string>{"B", "A", "C"});  // first mention, inputs in order
  auto const* ra = iotest::record(a, "A");
  REQUIRE(ra);
  CHECK((*ra)["findings"].size() == 2);  // TP53 + MET; the malformed BRAF row is skipped
  CHECK((*ra)["age"] == 50);
  CHECK(iotest::issues(a.issues, IssueLevel::kError) == std::vector<std::string>{"4: 4 fields, but the header has 3"});
  CHECK(iotest::issues(a.issues, IssueLevel::kWarning) ==
        std::vector<std::string>{"2: A: /age is already 50 (c1.txt:2): 51 ignored"});
  // B's findings are exactly what B's rows alone give; but the malformed row's sample cannot
  // be known (its fields are misaligned), so every record of all.maf is marked incomplete
  // rather than one of them looking complete without it (issue 9). C (clinical only) is not.
  auto b_alone = assemble({only_b});
  auto rb = *iotest::record(a, "B");
  CHECK(rb["input"] == "incomplete");
  CHECK(rb["input_issues"] == nlohmann::json::array({"all.maf:4: error: 4 fields, but the header has 3"}));
  rb.erase("input");
  rb.erase("input_issues");
  CHECK(rb == b_alone.records[0]);
  CHECK((*ra)["input"] == "incomplete");
  CHECK_FALSE(iotest::record(a, "C")->contains("input"));
  // Same inputs, same bytes.
  auto again = assemble({maf, cna, c1, c2});
  CHECK(nlohmann::json(again.records).dump() == nlohmann::json(a.records).dump());
}

TEST_CASE("assembler: sample-less files join the one named sample, else need --sample") {
  auto maf = read_maf(mem("Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tT1\tp.V600E\n"));
  auto calls = read_cna_table(mem("gene\tcall\nCDK4\tAmplification\n", "calls.txt"));
  auto a = assemble({maf, calls});
  REQUIRE(a.records.size() == 1);
  CHECK(a.records[0]["findings"].size() == 2);
  auto maf2 = read_maf(mem("Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tT1\tp.V600E\nKIT\tT2\tp.D816V\n"));
  auto b = assemble({maf2, calls});
  CHECK(iotest::issues(b.fatal, IssueLevel::kError) ==
        std::vector<std::string>{"0: this file names no sample and the other inputs name 2 (T1, T2): give the sample "
                                 "it belongs to with --sample"});
  AssembleOptions opt;
  opt.sample = "T2";
  opt.tumour = "MEL";
  auto c = assemble({maf2, calls}, opt);
  CHECK(iotest::record(c, "T2")->at("findings").size() == 2);
  CHECK(iotest::record(c, "T1")->at("tumour")["oncotree"] == "MEL");
}

TEST_CASE("alterations table (OncoKB atypical alterations)") {
  auto r = read_alterations(
      mem("HUGO_SYMBOL\tSAMPLE_ID\tALTERATION\n"
          "Other Biomarkers\tS1\tMSI-H\nEGFR\tS1\tvIII\nFLT3\tS1\tITD\n"
          "ERBB2\tS1\tAmplification\nBRAF\tS1\tV600E\nALK\tS1\tEML4-ALK Fusion\nKIT\tS1\tweird thing\n"));
  auto fs = iotest::findings(r);
  REQUIRE(fs.size() == 6);
  CHECK(fs[0] == json{{"type", "biomarker"}, {"name", "MSI"}, {"value", "high"}});
  CHECK(fs[1]["type"] == "exon_skipping");
  CHECK(fs[1]["exons"] == json{2, 3, 4, 5, 6, 7});
  CHECK(fs[2]["consequence"] == "inframe_insertion");
  CHECK(fs[3]["call"] == "amplification");
  CHECK(fs[4]["hgvsp"] == "p.V600E");
  CHECK(fs[5]["gene5"] == "EML4");
  CHECK(iotest::issue_lines(r.issues, IssueLevel::kError) == std::vector<std::size_t>{8});
}

TEST_CASE("CTIMS documents: clinical + genomic joined through CLINICAL_ID") {
  auto clin = read_ctims(mem(R"J([
{"_id": {"$oid": "aaa"}, "SAMPLE_ID": "S-1", "ONCOTREE_PRIMARY_DIAGNOSIS_NAME": "Lung Adenocarcinoma", "GENDER": "Female", "BIRTH_DATE": {"$date": 344044800000}, "MMR_STATUS": "Deficient (MMR-D / MSI-H)"}
])J",
                             "clinical.ejson"));
  auto gen = read_ctims(mem(R"J([
{"_id": {"$oid": "g1"}, "VARIANT_CATEGORY": "MUTATION", "CLINICAL_ID": {"$oid": "aaa"}, "HARMONIZED_HUGO_SYMBOL": "EGFR", "HARMONIZED_PROTEIN_CHANGE": "p.L858R", "HARMONIZED_VARIANT_CLASSIFICATION": "Missense_Mutation"},
{"_id": {"$oid": "g2"}, "VARIANT_CATEGORY": "CNV", "CLINICAL_ID": {"$oid": "aaa"}, "HARMONIZED_HUGO_SYMBOL": "MET", "CNV_CALL": "High level amplification"},
{"_id": {"$oid": "g3"}, "VARIANT_CATEGORY": "SV", "CLINICAL_ID": {"$oid": "aaa"}, "HARMONIZED_LEFT_PARTNER_GENE": "EML4", "HARMONIZED_RIGHT_PARTNER_GENE": "ALK"},
{"_id": {"$oid": "g4"}, "VARIANT_CATEGORY": "SV", "CLINICAL_ID": {"$oid": "aaa"}, "STRUCTURAL_VARIANT_COMMENT": "free text"},
{"_id": {"$oid": "g5"}, "VARIANT_CATEGORY": "MUTATION", "CLINICAL_ID": {"$oid": "aaa"}, "HARMONIZED_HUGO_SYMBOL": "two words"},
{"broken json
])J",
                            "genomic.ejson"));
  CHECK(clin.format == "ctims-clinical");
  CHECK(gen.format == "ctims-genomic");
  CHECK(gen.counts.rows == 6);
  CHECK(iotest::issues(gen.issues, IssueLevel::kError) ==
        std::vector<std::string>{"6: 'two words' is not a gene symbol", "7: unterminated JSON value"});
  CHECK(iotest::issue_lines(gen.issues, IssueLevel::kNote) == std::vector<std::size_t>{5});
  auto a = assemble({clin, gen});
  REQUIRE(a.records.size() == 1);
  auto const& r = a.records[0];
  CHECK(r["patient"] == "S-1");
  CHECK(r["tumour"]["name"] == "Lung Adenocarcinoma");  // no OncoTree table given
  CHECK(r["sex"] == "F");
  CHECK_FALSE(r.contains("age"));
  CHECK(r["findings"].size() == 5);  // MMR, MSI, EGFR, MET, EML4::ALK
  CHECK(r["findings"][4] == json{{"origin", "somatic"}, {"type", "fusion"}, {"gene5", "EML4"}, {"gene3", "ALK"}});

  ReadOptions opts;
  opts.age_reference_date = "2026-01-01";
  auto aged = read_ctims(mem(R"J([{"SAMPLE_ID": "S-1", "BIRTH_DATE": {"$date": 344044800000}}])J"), opts);
  auto b = assemble({aged});
  CHECK(b.records[0]["age"] == 45);  // born 1980-11-25
}

TEST_CASE("MOAlmanac simplified input and CCLE-style tables") {
  auto simp =
      read_moalmanac_table(mem("feature_type\tfeature\talteration_type\talteration\r\n"
                               "Somatic Variant\tBRAF\tMissense\tp.V600E\r\n"
                               "Copy Number\tCDK4\tAmplification\t\r\n"
                               "Rearrangement\tCOL1A1\tFusion\tCOL1A1--CITED4\r\n"
                               "Germline Variant\tBRCA2\tFrameshift\tp.S1982fs"));
  CHECK(simp.format == "moalmanac-simplified");
  auto fs = iotest::findings(simp);
  REQUIRE(fs.size() == 4);
  CHECK(fs[1] == json{{"origin", "somatic"}, {"type", "cnv"}, {"gene", "CDK4"}, {"call", "amplification"}});
  CHECK(fs[2]["gene3"] == "CITED4");
  CHECK(fs[3]["origin"] == "germline");
  auto summary =
      read_moalmanac_table(mem("broad\tccle_name\tsanger\talt_ccle\nACH-1\tA101D_SKIN\tSIDM1\t\n", "summary.txt"));
  auto cn = read_moalmanac_table(mem("feature\talteration_type\talteration\tmodel_id\nBRAF\tAmplification\t\tSIDM1\n"));
  auto a = assemble({summary, cn});
  REQUIRE(a.records.size() == 1);
  CHECK(a.records[0]["patient"] == "A101D_SKIN");
  CHECK(a.records[0]["findings"][0]["call"] == "amplification");
}
