// The patient record (patient.md): findings, declared tests (coverage), clinical facts.
// Values are normalised on input (approved gene symbols, canonical protein changes,
// lower-case calls), so evaluation compares plain values. Immutable once read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actionable/catalog/oncotree.hpp"
#include "actionable/model/clinical.hpp"
#include "actionable/model/hgvs.hpp"

namespace actionable::model {

enum class Origin : std::uint8_t { kSomatic, kGermline };
enum class FindingType : std::uint8_t { kVariant, kFusion, kCnv, kExonSkipping, kBiomarker };

/// What a test can detect (bit mask). A test's method decides its kinds (docs/language.md,
/// "Coverage"): NGS / unknown → all; FISH → fusion, cnv; RT-PCR / RNA → fusion, exon skipping;
/// SNP array → cnv; PCR / Sanger → variant.
enum DetectKind : std::uint8_t {
  kDetectVariant = 1,
  kDetectFusion = 2,
  kDetectCnv = 4,
  kDetectRna = 8,  ///< transcript-level events (exon skipping)
  kDetectAll = 15,
};

struct Finding {
  FindingType type = FindingType::kVariant;
  Origin origin = Origin::kSomatic;
  std::string gene;  ///< approved symbol (variant, cnv, exon skipping; fusion: gene3 or gene5)
  // variant
  std::optional<hgvs::ProteinChange> protein;
  std::string hgvsc, transcript;
  std::vector<std::string> consequences;  ///< Sequence Ontology terms ("missense_variant")
  std::optional<int> exon, intron;
  std::optional<double> vaf;
  std::string classification;  ///< lower-case: oncogenic, likely oncogenic, pathogenic, vus…
  std::string method;          ///< as given (NGS, FISH, RT-PCR…)
  // fusion (5' and 3' partners; empty when the method could not name it)
  std::string gene5, gene3;
  bool partner_resolved = true;  ///< false for FISH or a missing partner
  // cnv
  std::string call;  ///< amplification | gain | loss | deletion | neutral
  std::optional<double> copies, ratio;
  // exon skipping
  std::vector<int> exons;
  // gene symbols the record gave but HGNC does not resolve (patient.md extension,
  // docs/inputs.md "Unresolved gene symbols"): the field stays empty, so the finding
  // satisfies no gene atom; a fusion keeps its resolved partner (partner_resolved = false).
  std::string unresolved_gene, unresolved_gene5, unresolved_gene3;
  // biomarker
  std::string name;              ///< upper-case biomarker name (MSI, MMR, TMB, HRD…; HER2, PDL1…)
  std::optional<double> number;  ///< numeric value
  std::string value;             ///< categorical, normalised lower-case (high, stable, 1+, loss…)
  // protein biomarkers (model/protein.hpp): `method` is then "IHC" or "ISH"
  std::string score;  ///< PD-L1: TPS, CPS, TC, IC or TAP ("" otherwise)
  std::string assay;  ///< as given (22C3, SP263, D5F3, 43-14A…)

  /// One-line canonical description ("EGFR p.L858R", "EML4::ALK fusion", "MSI stable").
  std::string normalised() const;

  friend bool operator==(Finding const&, Finding const&) = default;
};

struct Test {
  Origin origin = Origin::kSomatic;
  std::string method, specimen, panel;
  std::uint8_t kinds = kDetectAll;
  std::vector<std::string> genes;  ///< approved symbols
  /// The same genes as catalog ids (catalog::GeneCatalog::index), sorted and unique;
  /// io::read_patient fills it. Left empty, eval::PatientView derives it from `genes`.
  std::vector<std::uint32_t> gene_ids;
  std::string biomarker;  ///< upper-case name when this is a biomarker test
  std::string score;      ///< PD-L1 tests: the score measured ("" = any)

  friend bool operator==(Test const&, Test const&) = default;
};

struct Treatment {
  std::optional<int> line;
  std::vector<std::string> drugs;  ///< lower-case
  std::string start, end, best_response, progression;

  friend bool operator==(Treatment const&, Treatment const&) = default;
};

struct Patient {
  std::string id;
  std::string centre;
  std::string tumour_code;
  catalog::TumourId tumour = 0;
  std::string stage;
  std::optional<double> age;
  std::string sex;  ///< "F", "M" or other upper-case text; empty = unknown
  std::optional<double> ecog, lines;
  std::vector<Test> tests;  ///< empty: closed world (coverage "assumed")
  std::vector<Finding> findings;
  std::optional<std::vector<Treatment>> treatments;
  // Eligibility facts (docs/inputs.md, "Clinical facts"); absent = unknown.
  std::optional<std::vector<std::string>> disease_status;  ///< lower-case ("metastatic", "refractory")
  std::vector<Lab> labs;                                   ///< laboratory values, canonical units
  std::string as_of;                       ///< ISO date the record's facts hold on (washout); "" = not given
  std::string brain_metastases;            ///< none | treated_stable | active ("" = unknown)
  std::optional<bool> measurable_disease;  ///< RECIST 1.1 measurable disease
  std::optional<bool> pregnant;
  /// "input": "incomplete" — rows of the lab files this record was built from could not be
  /// read (docs/inputs.md, "Incomplete input"); `input_issues` says which.
  bool input_incomplete = false;
  std::vector<std::string> input_issues;

  bool closed_world() const noexcept { return tests.empty(); }

  /// Field by field (two reads of one record compare equal; tests/unit/json_node_test.cpp).
  friend bool operator==(Patient const&, Patient const&) = default;
};

/// Detection kinds of a test method (case-insensitive).
std::uint8_t method_kinds(std::string const& method);
/// Normalise an MSI / MMR / HRD categorical value ("MSI-H" → "high", "MSS" → "stable",
/// "dMMR" → "deficient"); other values are lower-cased.
std::string normalise_biomarker_value(std::string const& name, std::string const& value);
/// Canonical biomarker name: upper case, with "PD-L1" → "PDL1" (rules and records alike).
std::string canonical_biomarker_name(std::string const& name);
/// Roman or arabic stage ("IV", "IIIB", "4") → rank 1..4; 0 when unreadable.
int stage_rank(std::string const& stage);

}  // namespace actionable::model
