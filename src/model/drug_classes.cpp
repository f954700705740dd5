// The drug-class table behind `prior class ATC` (model/clinical.hpp; docs/language.md,
// "Prior drug classes").
//
// Source of every row: WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD
// Index (https://atcddd.fhi.no/atc_ddd_index/?code=<ATC>), the class level after the 2022
// revision of L01 (protein kinase inhibitors L01E, monoclonal antibodies L01F). A drug is
// listed under the class the index files it in; the per-drug 7-character codes are not
// copied here. Drugs whose class we could not confirm are left out (docs/language.md lists
// what is missing): a patient who received an unlisted drug leaves `prior class` unknown.
#include <string>

#include "actionable/model/clinical.hpp"

namespace actionable::model {

std::vector<DrugClass> const& drug_classes() {
  // A data table (WHO ATC classes): its rows are alike by nature.
  static std::vector<DrugClass> const kClasses = {
      {"L01BA", "Folic acid analogues", {"methotrexate", "pemetrexed"}},
      {"L01CD", "Taxanes", {"paclitaxel", "docetaxel", "cabazitaxel"}},
      {"L01EB",
       "Epidermal growth factor receptor (EGFR) tyrosine kinase inhibitors",
       {"gefitinib", "erlotinib", "afatinib", "osimertinib"}},
      {"L01EC", "B-Raf serine-threonine kinase (BRAF) inhibitors", {"vemurafenib", "dabrafenib", "encorafenib"}},
      {"L01ED",
       "Anaplastic lymphoma kinase (ALK) inhibitors",
       {"crizotinib", "ceritinib", "alectinib", "brigatinib", "lorlatinib"}},
      {"L01EE",
       "Mitogen-activated protein kinase (MEK) inhibitors",
       {"trametinib", "cobimetinib", "binimetinib", "selumetinib"}},
      {"L01EF", "Cyclin-dependent kinase (CDK) inhibitors", {"palbociclib", "ribociclib", "abemaciclib"}},
      {"L01FD",
       "HER2 (Human Epidermal Growth Factor Receptor 2) inhibitors",
       {"trastuzumab", "pertuzumab", "trastuzumab emtansine", "trastuzumab deruxtecan"}},
      {"L01FE", "EGFR (Epidermal Growth Factor Receptor) inhibitors", {"cetuximab", "panitumumab"}},
      {"L01FF",
       "PD-1/PDL-1 (Programmed cell death protein 1/death ligand 1) inhibitors",
       {"nivolumab", "pembrolizumab", "durvalumab", "avelumab", "atezolizumab", "cemiplimab"}},
      {"L01XA", "Platinum compounds", {"cisplatin", "carboplatin", "oxaliplatin"}},
      {"L01XK",
       "Poly (ADP-ribose) polymerase (PARP) inhibitors",
       {"olaparib", "niraparib", "rucaparib", "talazoparib"}},
  };
  return kClasses;
}

bool atc_known(std::string_view atc) {
  if (atc.size() < 3) return false;  // L01 at least: the antineoplastic level
  for (auto const& c : drug_classes())
    if (c.atc.substr(0, atc.size()) == atc) return true;
  return false;
}

std::vector<std::string_view> atc_of(std::string_view drug) {
  std::vector<std::string_view> out;
  for (auto const& c : drug_classes())
    for (auto d : c.drugs)
      if (d == drug) out.push_back(c.atc);
  return out;
}

}  // namespace actionable::model
