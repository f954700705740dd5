// GA4GH Phenopackets v2 (JSON, protobuf camelCase): read a packet into a patient record, and
// write a match result back as Interpretations.
//
// Read (one packet per file, or a JSON array / JSON Lines of packets): record id = subject.id
// (else the packet id); diseases[0].term -> /tumour/oncotree (an "oncotree:" CURIE as is, NCIt
// ids and labels through ReadOptions::tumours), its diseaseStage label -> /tumour/stage;
// subject.sex -> /sex; subject.timeAtLastEncounter.age.iso8601duration "P61Y" -> /age;
// every interpretations[].diagnosis.genomicInterpretations[].variantInterpretation
// .variationDescriptor -> a finding:
//   geneContext.symbol + expressions (hgvs.p, hgvs.c; accession prefixes stripped) -> variant;
//   structuralType gene_fusion / transcript_fusion (SO:0001565 / SO:0001886) with a label or
//   id "EML4::ALK" (or two gene symbols in extensions gene5 / gene3) -> fusion;
//   structuralType copy_number_gain / feature_amplification / copy_number_loss / deletion ->
//   cnv (loss with allelicState homozygous -> deletion);
//   acmgPathogenicityClassification PATHOGENIC / LIKELY_PATHOGENIC -> "classification".
//   Origin: germline when subjectOrBiosampleId is the subject and the packet has biosamples
//   (a tumour biosample is what makes a call somatic) or an extension origin=germline.
// measurements whose assay label mentions mutational burden -> biomarker TMB.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_phenopacket(Source const& source, ReadOptions const& options = {});

/// Options for write_interpretations.
struct PhenopacketWriteOptions {
  /// metaData.created when a packet is built from scratch (RFC 3339). "" leaves it out, which
  /// keeps output byte-stable; set it for strict validators.
  std::string created;
};

/// `packet` (or, when null, a minimal packet built from `record`: id, subject, diseases) with one
/// Interpretation added per match of `result` (patient.md "Match result"): id
/// "actionable:<rule | trial/arm | cohort>", progressStatus COMPLETED, diagnosis.disease from
/// the packet (else oncotree:CODE), one GenomicInterpretation per finding the match used
/// (therapeuticActionability ACTIONABLE, interpretationStatus CONTRIBUTORY; the packet's own
/// variationDescriptor when the finding came from it, else one built from the finding), and a
/// summary "class: therapies [level] — because …". Indeterminate rules / arms are added with
/// progressStatus IN_PROGRESS and the missing tests in the summary. Deterministic.
nlohmann::json write_interpretations(nlohmann::json packet, nlohmann::json const& record, nlohmann::json const& result,
                                     PhenopacketWriteOptions const& options = {});

}  // namespace actionable::io
