// IR helpers: class / status names and tumour-set membership.
#include "actionable/detail/ir/rule_set.hpp"

#include "util/ascii.hpp"

namespace actionable::ir {

char const* class_name(Class c) noexcept {
  switch (c) {
    case Class::kApproved: return "approved";
    case Class::kStandardOfCare: return "standard_of_care";
    case Class::kResistance: return "resistance";
    case Class::kMatchedTrial: return "matched_trial";
    case Class::kPrecision2: return "precision2_candidate";
    case Class::kEvidence: return "evidence";
  }
  return "?";
}

char const* status_name(Status s) noexcept {
  switch (s) {
    case Status::kRecruiting: return "recruiting";
    case Status::kSuspended: return "suspended";
    case Status::kClosed: return "closed";
  }
  return "?";
}

std::string centre_country(std::string_view centre) {
  if (centre.size() < 3 || centre[2] != '-' || !util::is_alpha(centre[0]) || !util::is_alpha(centre[1])) return "";
  return util::upper(std::string(centre.substr(0, 2)));
}

bool TumourSet::contains(catalog::OncoTree const& tree, catalog::TumourId t, std::string* why) const {
  for (std::size_t i = 0; i < except.size(); ++i) {
    if (tree.is_descendant(t, except[i])) return false;
  }
  std::string const& code = tree.code(t);
  if (any) {
    if (why) *why = code + " is covered by 'any'";
    return true;
  }
  for (std::size_t i = 0; i < include.size(); ++i) {
    if (tree.is_descendant(t, include[i])) {
      if (why) {
        *why = t == include[i] ? code + " is " + tree.code(include[i]) : code + " is under " + tree.code(include[i]);
      }
      return true;
    }
  }
  if (solid && tree.is_solid(t)) {
    if (why) *why = code + " is a solid tumour";
    return true;
  }
  return false;
}

std::uint8_t detect_kinds_needed(ir::Atom const& a) noexcept {
  switch (a.feature) {
    case ast::FeatureKind::kAmplification:
    case ast::FeatureKind::kDeletion: return model::kDetectCnv;
    case ast::FeatureKind::kFusion: return model::kDetectFusion;
    case ast::FeatureKind::kOncogenic: return model::kDetectVariant | model::kDetectCnv | model::kDetectFusion;
    case ast::FeatureKind::kExon:
      if (a.exon_event == ast::ExonEvent::kSkipping) return model::kDetectVariant | model::kDetectRna;
      return model::kDetectVariant;
    default: return model::kDetectVariant;
  }
}

std::string_view normal_biomarker_value(std::string_view name) noexcept {
  return name == "MSI" ? "stable" : name == "MMR" ? "proficient" : name == "HRD" ? "negative" : "";
}

}  // namespace actionable::ir
