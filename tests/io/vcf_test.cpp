// VCF readers on the hand-written VEP and SnpEff files in tests/io/data (see data/README.md).
#include <doctest/doctest.h>

#include "actionable/detail/io/readers/panel.hpp"
#include "actionable/detail/io/readers/vcf.hpp"
#include "helpers.hpp"

using namespace actionable::io;
using nlohmann::json;

TEST_CASE("VEP CSQ: Format from the header, MANE > PICK > CANONICAL, tumour/normal, FILTER") {
  auto r = read_vcf(Source::file(iotest::local("vep_tumour_normal.vcf")));
  CHECK(r.format == "vcf-vep");
  CHECK(r.counts.rows == 7);
  CHECK(r.counts.variants == 5);
  CHECK(r.counts.skipped == 2);  // the weak_evidence KRAS line, the intergenic line
  auto fs = iotest::findings(r);
  REQUIRE(fs.size() == 5);
  for (auto const& e : r.entries) CHECK(e.sample == "TUMOR_P1");  // ##tumor_sample
  // The MANE Select transcript wins over the first-listed one.
  CHECK(fs[0] == json{{"origin", "somatic"},
                      {"gene", "EGFR"},
                      {"hgvsp", "p.Leu858Arg"},
                      {"hgvsc", "c.2573T>G"},
                      {"transcript", "ENST00000275493.7"},
                      {"hgnc_id", "HGNC:3236"},
                      {"consequence", "missense_variant"},
                      {"exon", 21},
                      {"vaf", 0.31}});
  CHECK(fs[1]["hgvsp"] == "p.Glu746_Ala750del");  // VEP allele "-" matched to the deletion
  CHECK(fs[1]["exon"] == 19);
  CHECK(fs[1]["vaf"] == 0.2);
  CHECK(fs[2]["hgvsp"] == "p.Arg213=");  // %3D decoded
  CHECK(fs[3] == json{{"origin", "somatic"},
                      {"gene", "MET"},
                      {"hgvsc", "c.3082+1G>T"},
                      {"transcript", "ENST00000397752.8"},
                      {"consequence", "splice_donor_variant"},
                      {"intron", 14},
                      {"vaf", 0.333}});
  CHECK(fs[4]["transcript"] == "ENST00000263967.4");  // PICK=1
  CHECK(fs[4]["hgvsp"] == "p.His1047Arg");            // ALT G only: T is not in the genotype
  CHECK(iotest::issues(r.issues, IssueLevel::kNote) ==
        std::vector<std::string>{"17: FILTER weak_evidence: not a PASS call",
                                 "20: ALT T is not in the genotype 0/1 of TUMOR_P1: skipped",
                                 "21: ALT A (intergenic_variant) is in no gene: skipped"});
  CHECK(r.error_count() == 0);
}

TEST_CASE("SnpEff ANN: quoted Format, Rank as exon or intron, first protein-coding annotation") {
  auto r = read_vcf(Source::file(iotest::local("snpeff_tumour_only.vcf")));
  CHECK(r.format == "vcf-snpeff");
  auto fs = iotest::findings(r);
  REQUIRE(fs.size() == 4);
  CHECK(fs[0] == json{{"origin", "somatic"},
                      {"gene", "BRAF"},
                      {"hgvsp", "p.Val600Glu"},
                      {"hgvsc", "c.1799T>A"},
                      {"transcript", "ENST00000646891.2"},
                      {"consequence", "missense_variant"},
                      {"exon", 15},
                      {"vaf", 0.4167}});
  CHECK(fs[1]["hgvsp"] == "p.Ser1982fs");
  CHECK(fs[2]["intron"] == 5);
  CHECK_FALSE(fs[2].contains("exon"));
  CHECK(fs[3]["consequence"] == "upstream_gene_variant");
  CHECK(iotest::issues(r.issues, IssueLevel::kNote) ==
        std::vector<std::string>{"13: ALT T is not in the genotype 0/0 of P2: skipped"});
}

TEST_CASE("VCF: germline origin, explicit tumour sample, unannotated and broken input") {
  ReadOptions germ;
  germ.origin = "germline";
  auto g = read_vcf(Source::file(iotest::local("same_patient/germline.vep.vcf")), germ);
  CHECK(iotest::findings(g)[0]["origin"] == "germline");

  ReadOptions pick;
  pick.vcf_tumour_sample = "NORMAL_P1";
  auto n = read_vcf(Source::file(iotest::local("vep_tumour_normal.vcf")), pick);
  CHECK(n.counts.variants == 1);  // only the TP53 line is 0/1 in the normal

  auto plain = read_vcf(
      iotest::mem("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t10\t.\tA\tG\t.\tPASS\t.\n",
                  "plain.vcf"));
  CHECK(iotest::issues(plain.issues, IssueLevel::kError) ==
        std::vector<std::string>{"0: no ##INFO=<ID=CSQ> (VEP) or ##INFO=<ID=ANN> (SnpEff) header: the VCF is not "
                                 "annotated, so no gene or protein change can be read"});

  std::string hdr =
      "##fileformat=VCFv4.2\n##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
      "Annotation | Annotation_Impact | Gene_Name'\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  auto bad = read_vcf(
      iotest::mem(hdr + "1\t10\t.\tA\n1\t11\t.\tA\tG\t.\t.\tANN=G|missense_variant|MODERATE|KRAS\n", "bad.vcf"));
  CHECK(iotest::issue_lines(bad.issues, IssueLevel::kError) == std::vector<std::size_t>{4});
  CHECK(bad.counts.variants == 1);
  CHECK(bad.entries.back().sample.empty());  // no sample columns: the file's one sample
}

TEST_CASE("VCF and gene panels: a line longer than 16 MiB is refused, not kept (docs/reliability.md, Limits)") {
  std::string hdr =
      "##fileformat=VCFv4.2\n##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
      "Annotation | Annotation_Impact | Gene_Name'\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  std::string huge(std::size_t{16} * 1024 * 1024 + 10, 'A');
  auto r = read_vcf(iotest::mem(hdr + "1\t10\t.\t" + huge +
                                    "\tG\t.\t.\tANN=G|missense_variant|MODERATE|KRAS\n"
                                    "1\t11\t.\tA\tG\t.\t.\tANN=G|missense_variant|MODERATE|KRAS\n",
                                "huge.vcf"));
  CHECK(iotest::issue_lines(r.issues, IssueLevel::kError) == std::vector<std::size_t>{4});
  CHECK(iotest::issues(r.issues, IssueLevel::kError).front().find("row longer than 16777216 bytes: skipped") !=
        std::string::npos);
  CHECK(r.counts.rows == 2);
  CHECK(r.counts.variants == 1);  // the next line is read
  auto header = read_vcf(iotest::mem("##fileformat=VCFv4.2\n#CHROM\tPOS" + huge + "\n", "huge_header.vcf"));
  CHECK(iotest::issues(header.issues, IssueLevel::kError).front().find("#CHROM line is longer than") !=
        std::string::npos);

  auto panel = read_panel(iotest::mem("stable_id: P1\ngene_list: EGFR\tKRAS\n" + huge + "\n", "huge_panel.txt"));
  CHECK(iotest::issue_lines(panel.issues, IssueLevel::kError) == std::vector<std::size_t>{3});
}

TEST_CASE("VCF: a #CHROM line that misnames a fixed column or leaves a sample column unnamed is refused") {
  // Found by fuzzing (2026-12-02): "QUAL" split by stray tabs gave sample columns without a
  // name, one of which was taken as the tumour sample: findings without a sample.
  std::string meta =
      "##fileformat=VCFv4.2\n##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional "
      "annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name'\">\n";
  std::string row = "1\t11\t.\tA\tG\t.\t.\tANN=G|missense_variant|MODERATE|KRAS\tGT\t0/1\t0/1\n";
  struct Case {
    std::string chrom, error;
  };
  for (auto const& c : std::vector<Case>{
           {"#CHROM\tPOS\tID\tREF\tALT\tQ\t\tUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tT1",
            "3: #CHROM line: column 6 is 'Q', not QUAL (the header names #CHROM POS ID REF ALT QUAL FILTER INFO "
            "[FORMAT sample…])"},
           {"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\t",
            "3: #CHROM line: sample column 11 has no name"},
           {"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tGT\tT1",
            "3: #CHROM line: column 9 is 'GT', not FORMAT (the "
            "header names #CHROM POS ID REF ALT QUAL FILTER INFO [FORMAT sample…])"}}) {
    CAPTURE(c.chrom);
    auto r = read_vcf(iotest::mem(meta + c.chrom + "\n" + row, "bad.vcf"));
    CHECK(iotest::issues(r.issues, IssueLevel::kError) == std::vector<std::string>{c.error});
    CHECK(iotest::findings(r).empty());
  }
  auto ok = read_vcf(
      iotest::mem(meta + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n" + row, "ok.vcf"));
  CHECK(ok.error_count() == 0);
  REQUIRE(iotest::findings(ok).size() == 1);
  CHECK(ok.entries.back().sample == "TUMOR");
}
