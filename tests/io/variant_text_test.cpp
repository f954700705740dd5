// Variant text interpretation tables (variant_text.hpp).
#include <doctest/doctest.h>

#include "actionable/detail/io/readers/variant_text.hpp"

using namespace actionable::io;

TEST_CASE("MAF classification -> Sequence Ontology consequence") {
  struct Case {
    char const* in;
    char const* hgvsc;
    char const* so;
  };
  Case const cases[] = {
      {"Missense_Mutation", "", "missense_variant"},
      {"Nonsense_Mutation", "", "stop_gained"},
      {"Nonstop_Mutation", "", "stop_lost"},
      {"Silent", "", "synonymous_variant"},
      {"Frame_Shift_Del", "", "frameshift_variant"},
      {"Frame_Shift_Ins", "", "frameshift_variant"},
      {"In_Frame_Del", "", "inframe_deletion"},
      {"In_Frame_Ins", "", "inframe_insertion"},
      {"Splice_Site", "", "splice_site_variant"},
      {"Splice_Site", "c.3082+1G>T", "splice_donor_variant"},
      {"Splice_Site", "c.2888-2A>G", "splice_acceptor_variant"},
      {"Splice_Site", "c.2888-12A>G", "splice_site_variant"},
      {"Splice_Region", "", "splice_region_variant"},
      {"Translation_Start_Site", "", "start_lost"},
      {"5'Flank", "", "upstream_gene_variant"},
      {"3'UTR", "", "3_prime_UTR_variant"},
      {"IGR", "", "intergenic_variant"},
      {"Intron", "", "intron_variant"},
      {"RNA", "", "non_coding_transcript_exon_variant"},
      {"Splice Site", "", "splice_site_variant"},  // CCLE / MOAlmanac words
      {"Frameshift", "", "frameshift_variant"},
      {"Missense", "", "missense_variant"},
      {"3_prime_UTR", "", "3_prime_UTR_variant"},  // CTIMS
      {"intron", "", "intron_variant"},
      {"missense_variant", "", "missense_variant"},             // SO passes through
      {"disruptive_inframe_deletion", "", "inframe_deletion"},  // SnpEff
  };
  for (auto const& c : cases) {
    CAPTURE(c.in);
    auto so = so_from_classification(c.in, c.hgvsc);
    REQUIRE(so);
    CHECK(*so == c.so);
  }
  CHECK_FALSE(so_from_classification("Weird_Class"));
}

TEST_CASE("most severe consequence of a list") {
  CHECK(most_severe_consequence("splice_region_variant&intron_variant") == "splice_region_variant");
  CHECK(most_severe_consequence("intron_variant&splice_donor_variant") == "splice_donor_variant");
  CHECK(most_severe_consequence("stop_gained,missense_variant") == "stop_gained");
  CHECK(most_severe_consequence("conservative_inframe_insertion") == "inframe_insertion");
  CHECK(so_rank("transcript_ablation") == 0);
}

TEST_CASE("protein change clean-up") {
  CHECK(clean_protein_change("p.V600E") == "p.V600E");
  CHECK(clean_protein_change("T790M") == "p.T790M");
  CHECK(clean_protein_change("Gly12Cys") == "p.Gly12Cys");
  CHECK(clean_protein_change("ENSP00000275493.2:p.Leu858Arg") == "p.Leu858Arg");
  CHECK(clean_protein_change("NP_000537.3:p.Arg213%3D") == "p.Arg213=");
  CHECK(clean_protein_change("p.I227I") == "p.I227=");  // Oncotator synonymous
  CHECK(clean_protein_change("p.476_478AQA>A") == "p.A476_A478delinsA");
  CHECK(clean_protein_change("p.746_752ELREATS>V") == "p.E746_S752delinsV");
  CHECK(clean_protein_change("p.310_311TQ>TKQNPQ") == "p.T310_Q311delinsTKQNPQ");
  CHECK(clean_protein_change("p.(V600E)") == "p.(V600E)");
  bool splice = false;
  CHECK_FALSE(clean_protein_change("p.X1445_splice", &splice));
  CHECK(splice);
  CHECK_FALSE(clean_protein_change(""));
  CHECK_FALSE(clean_protein_change("NA"));
  CHECK_FALSE(clean_protein_change("p.-920fs"));  // no residue: not a protein change
  CHECK(clean_hgvsc("ENST00000275493.7:c.2573T>G") == "c.2573T>G");
}

TEST_CASE("fusion names") {
  auto f = parse_fusion_name("EML4-ALK");
  REQUIRE(f);
  CHECK(f->gene5 == "EML4");
  CHECK(f->gene3 == "ALK");
  CHECK(parse_fusion_name("EML4--ALK")->gene3 == "ALK");
  CHECK(parse_fusion_name("EML4::ALK")->gene5 == "EML4");
  CHECK(parse_fusion_name("ETV6-RUNX1 fusion")->gene3 == "RUNX1");
  CHECK(parse_fusion_name("EML4^ENSG00000198087.7--ALK^ENSG00000171094.9")->gene3 == "ALK");
  auto intra = parse_fusion_name("EGFR-intragenic");
  REQUIRE(intra);
  CHECK(intra->intragenic);
  CHECK(intra->gene5 == "EGFR");
  CHECK(parse_fusion_name("NKX2-1::ALK")->gene5 == "NKX2-1");
  std::string why;
  CHECK_FALSE(parse_fusion_name("NKX2-1-ALK", &why));
  CHECK(why == "ambiguous fusion name 'NKX2-1-ALK' (several '-'): write it as GENE5::GENE3");
  CHECK_FALSE(parse_fusion_name("ALK", &why));
}

TEST_CASE("copy-number calls: GISTIC numbers and words") {
  struct Case {
    char const* in;
    char const* call;
  };
  Case const cases[] = {{"2", "amplification"},
                        {"1", "gain"},
                        {"0", ""},
                        {"-1", "loss"},
                        {"-2", "deletion"},
                        {"-1.5", "loss"},
                        {"2.0", "amplification"},
                        {"Amplification", "amplification"},
                        {"AMP", "amplification"},
                        {"High level amplification", "amplification"},
                        {"Gain", "gain"},
                        {"Loss", "loss"},
                        {"HETLOSS", "loss"},
                        {"Heterozygous deletion", "loss"},
                        {"Deletion", "deletion"},
                        {"HOMDEL", "deletion"},
                        {"Homozygous deletion", "deletion"},
                        {"Wild type", ""}};
  for (auto const& c : cases) {
    CAPTURE(c.in);
    auto r = parse_cna_call(c.in);
    REQUIRE(r);
    CHECK(r->call == c.call);
  }
  CHECK_FALSE(parse_cna_call("0.4"));
  CHECK_FALSE(parse_cna_call("lots"));
}
