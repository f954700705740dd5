// HGVS protein changes (model/hgvs.hpp): residue names, the canonical printer, edit classes.
//
// to_string() writes the canonical 1-letter form that every accepted spelling of a change
// maps to (the parser is in hgvs_parse.cpp). For N-terminal extensions (p.M1ext-5) `fs_stop`
// holds the upstream distance (5).
#include "actionable/model/hgvs.hpp"

#include "model/hgvs_residues.hpp"

namespace actionable::hgvs {

using detail::append_int;
using detail::canonical_aa1;
using detail::kResidues;

char aa3_to_aa1(std::string_view aa3) noexcept { return detail::aa3_to_aa1(aa3); }

std::string_view aa1_to_aa3(char aa1) noexcept {
  char const c = canonical_aa1(aa1);
  for (auto const& r : kResidues) {
    if (c != 0 && r.aa1 == c) return r.aa3;
  }
  return {};
}

std::string ProteinChange::to_string() const {
  std::string out = "p.";
  auto put_pos = [&out](char ref, std::int32_t pos) {
    if (ref != 0) out.push_back(ref);
    append_int(out, pos);
  };
  auto put_loc = [&] {
    put_pos(ref_first, first);
    if (last != first) {
      out.push_back('_');
      put_pos(ref_last, last);
    }
  };
  switch (kind) {
    case EditKind::kUnknown: out.push_back('?'); break;
    case EditKind::kNoProtein: out.push_back('0'); break;
    case EditKind::kSynonymous:
      if (first > 0) put_loc();
      out.push_back('=');
      break;
    case EditKind::kStartLoss:
      put_loc();
      out.push_back('?');
      break;
    case EditKind::kPosition: put_loc(); break;
    case EditKind::kSubstitution:
    case EditKind::kNonsense:
      put_loc();
      out += alt;
      break;
    case EditKind::kDeletion:
      put_loc();
      out += "del";
      break;
    case EditKind::kDuplication:
      put_loc();
      out += "dup";
      break;
    case EditKind::kInsertion:
      put_loc();
      out += "ins";
      out += alt;
      break;
    case EditKind::kDelIns:
      put_loc();
      out += "delins";
      out += alt;
      break;
    case EditKind::kFrameshift:
      put_loc();
      out += alt;
      out += "fs";
      if (fs_stop >= 0) {
        out.push_back('*');
        append_int(out, fs_stop);
      }
      break;
    case EditKind::kExtension:
      put_loc();
      out += alt;
      out += "ext";
      if (ref_first == '*') {
        out.push_back('*');
        if (fs_stop >= 0) {
          append_int(out, fs_stop);
        } else {
          out.push_back('?');
        }
      } else if (fs_stop >= 0) {
        out.push_back('-');
        append_int(out, fs_stop);
      }
      break;
  }
  return out;
}

std::int32_t ProteinChange::deleted_count() const noexcept {
  switch (kind) {
    case EditKind::kDeletion:
    case EditKind::kDelIns: return last - first + 1;
    case EditKind::kSubstitution:
    case EditKind::kNonsense: return 1;
    default: return 0;
  }
}

std::int32_t ProteinChange::inserted_count() const noexcept {
  switch (kind) {
    case EditKind::kInsertion:
    case EditKind::kDelIns: return static_cast<std::int32_t>(alt.size());
    case EditKind::kDuplication: return last - first + 1;
    case EditKind::kSubstitution: return 1;
    default: return 0;
  }
}

bool ProteinChange::is_nonsynonymous() const noexcept {
  return kind != EditKind::kSynonymous && kind != EditKind::kUnknown && kind != EditKind::kPosition;
}

bool ProteinChange::is_inframe_indel() const noexcept {
  return kind == EditKind::kDeletion || kind == EditKind::kInsertion || kind == EditKind::kDuplication ||
         kind == EditKind::kDelIns;
}

bool ProteinChange::is_truncating() const noexcept {
  return kind == EditKind::kNonsense || kind == EditKind::kFrameshift || kind == EditKind::kStartLoss ||
         kind == EditKind::kNoProtein;
}

}  // namespace actionable::hgvs
