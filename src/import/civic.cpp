// CIViC clinical evidence TSV → rule files (include/actionable/import/civic.hpp, docs/civic.md).
//
// This file reads the evidence rows and turns each supported item into a rule in its gene's
// file; molecular profiles are translated in civic_profile.cpp, diseases mapped by DiseaseMap
// (civic_diseases.cpp), and the report written by civic_report.cpp.
#include "actionable/import/civic.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "civic_internal.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"
#include "util/ascii.hpp"

namespace actionable::import {

namespace civic_detail {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b < text.size()) {
    auto e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    std::string line(text.substr(b, e - b));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    b = e + 1;
  }
  return out;
}

}  // namespace civic_detail

namespace {

using civic_detail::lines_of;
using util::split_exact;

bool all_digits(std::string const& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string origin_prefix(std::string const& variant_origin) {
  if (variant_origin == "Somatic") return "somatic ";
  if (variant_origin == "Rare Germline" || variant_origin == "Common Germline") return "germline ";
  return "";
}

/// The gene whose file a profile goes to: the first gene named; for an A::B fusion the partner
/// seen more often on its own in the input (ties: the 3' gene); v/? partners are skipped.
std::string file_gene(std::string const& profile, std::map<std::string, std::size_t> const& solo) {
  std::istringstream in(profile);
  std::string tok;
  while (in >> tok) {
    if (tok == "NOT" || tok == "(" || tok == "AND" || tok == "OR") continue;
    auto sep = tok.find("::");
    if (sep == std::string::npos) return tok;
    std::string a = tok.substr(0, sep), b = tok.substr(sep + 2);
    if (a == "v" || a == "?") return b;
    if (b == "v" || b == "?") return a;
    auto ca = solo.count(a) ? solo.at(a) : 0, cb = solo.count(b) ? solo.at(b) : 0;
    return ca > cb ? a : b;
  }
  return "misc";
}

std::string therapy_text(std::string const& therapies, std::string const& interaction, std::vector<std::string>& out) {
  std::vector<std::string> names;
  for (auto& t : split_exact(therapies, ',')) {
    auto n = lower(trim(t));
    if (!n.empty()) names.push_back(n);
  }
  if (names.empty()) return "";
  if (names.size() == 1 || interaction == "Substitutes" || interaction.empty()) {
    out = names;
    return interaction.empty() && names.size() > 1 ? "unspecified" : "";
  }
  std::string joined;
  std::string sep = interaction == "Sequential" ? " followed by " : " + ";
  for (auto const& n : names) joined += (joined.empty() ? "" : sep) + n;
  out = {joined};
  return "";
}

}  // namespace

// ---- the import ----------------------------------------------------------------------------

CivicResult import_civic(std::string_view tsv, std::string const& origin_name, DiseaseMap const& diseases,
                         std::shared_ptr<catalog::Catalog const> const& catalog, CivicOptions const& options) {
  CivicResult res;
  auto lines = lines_of(tsv);
  if (lines.empty()) {
    res.errors.push_back(origin_name + ": empty file");
    return res;
  }
  auto header = split_exact(lines[0], '\t');
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) col[trim(header[i])] = i;
  for (char const* need : {"molecular_profile", "disease", "doid", "therapies", "therapy_interaction_type",
                           "evidence_type", "evidence_direction", "evidence_level", "significance", "citation_id",
                           "source_type", "rating", "evidence_id", "variant_origin"}) {
    if (!col.count(need)) {
      res.errors.push_back(origin_name + ":1: missing column '" + std::string(need) + "' (not a CIViC evidence TSV?)");
      return res;
    }
  }
  struct Row {
    std::size_t line;
    std::vector<std::string> f;
  };
  std::vector<Row> rows;
  std::string newest;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    if (auto bad = util::utf8_problem(lines[i]); !bad.empty()) {
      // The generated rule files must be UTF-8 (E006): the row is left out, and said so.
      res.errors.push_back(origin_name + ":" + std::to_string(i + 1) + ": line " + bad);
      continue;
    }
    auto f = split_exact(lines[i], '\t');
    if (f.size() < header.size()) {
      res.errors.push_back(origin_name + ":" + std::to_string(i + 1) + ": " + std::to_string(f.size()) +
                           " fields, expected " + std::to_string(header.size()));
      continue;
    }
    if (col.count("last_review_date")) {
      auto d = f[col["last_review_date"]].substr(0, 10);
      if (d > newest) newest = d;
    }
    rows.push_back({i + 1, std::move(f)});
  }
  auto get = [&](Row const& r, char const* name) -> std::string {
    auto it = col.find(name);
    return it == col.end() ? std::string() : trim(r.f[it->second]);
  };

  // Genes seen on their own (for choosing the file of an A::B fusion).
  std::map<std::string, std::size_t> solo;
  for (auto const& r : rows) {
    auto mp = get(r, "molecular_profile");
    std::istringstream in(mp);
    std::string first;
    in >> first;
    if (first.find("::") == std::string::npos) ++solo[first];
  }

  std::map<std::string, GeneratedFile> by_gene;
  std::set<std::string> levels;
  for (char c : options.levels) levels.insert(std::string(1, util::to_upper(c)));

  for (auto const& r : rows) {
    CivicOutcome out;
    out.eid = "EID" + get(r, "evidence_id");
    auto type = get(r, "evidence_type");
    auto level = get(r, "evidence_level");
    auto sig = get(r, "significance");
    auto dir = get(r, "evidence_direction");
    out.predictive_abc = type == "Predictive" && (level == "A" || level == "B" || level == "C");
    auto skip = [&](std::string reason, std::string detail) {
      out.reason = std::move(reason);
      out.detail = std::move(detail);
      res.outcomes.push_back(out);
    };
    if (type != "Predictive") {
      skip("unsupported evidence type", type);
      continue;
    }
    // Every imported item is evidence with its direction (docs/civic.md, "Which class?"):
    // the significance names it, "Does Not Support" negates it (`direction not …`).
    std::string direction = sig == "Sensitivity/Response"  ? "sensitivity"
                            : sig == "Resistance"          ? "resistance"
                            : sig == "Reduced Sensitivity" ? "reduced_sensitivity"
                            : sig == "Adverse Response"    ? "adverse_response"
                                                           : "";
    if (direction.empty()) {
      skip("unsupported significance", sig.empty() ? "(none)" : sig);
      continue;
    }
    if (dir != "Supports" && dir != "Does Not Support") {
      skip("unsupported direction", (dir.empty() ? "(none)" : dir) + " " + sig);
      continue;
    }
    bool supports = dir == "Supports";
    if (!levels.count(level)) {
      skip("level not imported", "level " + level);
      continue;
    }
    if (get(r, "is_flagged") == "true" && !options.include_flagged) {
      skip("flagged by CIViC", "is_flagged");
      continue;
    }
    if (direction == "sensitivity" && options.sensitivity_class == "skip") {
      skip("sensitivity class skipped", sig);
      continue;
    }
    auto const* dis = diseases.find(get(r, "doid"), get(r, "disease"));
    std::string disease_label = get(r, "disease") + (get(r, "doid").empty() ? "" : " (DOID:" + get(r, "doid") + ")");
    if (!dis || dis->codes.empty()) {
      skip("unmapped disease", disease_label.empty() ? "(no disease)" : disease_label);
      continue;
    }
    auto mp = get(r, "molecular_profile");
    std::string reason, detail;
    auto expr = civic_profile_expression(mp, trim(origin_prefix(get(r, "variant_origin"))), *catalog, &reason, &detail,
                                         &out.notes);
    if (!expr) {
      skip(reason, detail);
      continue;
    }
    std::vector<std::string> therapies;
    auto interaction = get(r, "therapy_interaction_type");
    auto therapy_problem = therapy_text(get(r, "therapies"), interaction, therapies);
    if (therapies.empty()) {
      skip("no therapy", mp);
      continue;
    }
    if (therapy_problem == "unspecified") {
      skip("unparseable therapy", get(r, "therapies") + " (several therapies, no interaction type)");
      continue;
    }

    // Citations: never invent one; only what the row holds.
    std::vector<std::string> cites;
    auto src = get(r, "source_type");
    auto cid = get(r, "citation_id");
    if (src == "PubMed" && all_digits(cid))
      cites.push_back("PMID:" + cid);
    else if (!cid.empty())
      cites.push_back(
          quote(src + " abstract " + (get(r, "asco_abstract_id").empty() ? cid : get(r, "asco_abstract_id"))));
    cites.push_back(quote("CIViC " + out.eid));
    auto rating = get(r, "rating");
    if (!rating.empty()) cites.push_back(quote("CIViC rating " + rating + "/5"));
    for (auto& n : split_exact(get(r, "nct_ids"), ',')) {
      auto t = trim(n);
      if (!t.empty()) cites.push_back(quote(t));
    }

    std::string tumour;
    for (auto const& c : dis->codes) tumour += (tumour.empty() ? "" : ", ") + c;

    std::ostringstream b;
    b << "# " << out.eid << " | " << mp << " | " << disease_label << " | " << sig;
    if (!interaction.empty()) b << " | therapies: " << interaction;
    b << "\n";
    if (dis->review.find("broader") != std::string::npos || dis->mapping.find("ancestor") != std::string::npos)
      out.notes.push_back("disease mapped to a broader OncoTree set: " + disease_label + " -> " + tumour);
    auto pheno = get(r, "phenotypes");
    if (!pheno.empty()) {
      b << "# CIViC phenotypes: " << pheno
        << " (not expressible in the rule language; the rule is not narrowed by them)\n";
      out.notes.push_back("phenotypes not encoded: " + pheno);
    }
    b << "rule " << identifier("civic_" + lower(out.eid)) << " {\n";
    b << "  when    " << *expr << "\n";
    b << "  tumour  " << tumour << "\n";
    b << "  class   evidence\n";
    b << "  direction " << (supports ? "" : "not ") << direction << "\n";
    b << "  therapy ";
    for (std::size_t i = 0; i < therapies.size(); ++i) b << (i ? ", " : "") << quote(therapies[i]);
    b << "\n  level   CIViC:" << level << "\n";
    b << "  cite    ";
    for (std::size_t i = 0; i < cites.size(); ++i) b << (i ? ", " : "") << cites[i];
    b << "\n}\n";

    auto gene = identifier(file_gene(mp, solo));
    auto& file = by_gene[gene];
    if (file.path.empty()) {
      file.path = gene + ".rules";
      file.header = "# CIViC evidence for " + gene + ", imported by `actionable import civic` from " + origin_name +
                    ".\n# CIViC content is CC0 1.0 (https://civicdb.org). Generated file: edit the importer or the\n"
                    "# disease table (rules/reference/civic_disease_oncotree.tsv), not this file. See docs/civic.md.\n";
    }
    file.blocks.push_back({out.eid, b.str()});
    out.imported = true;
    out.gene_file = file.path;
    res.outcomes.push_back(out);
  }

  // Assemble the files: ruleset.rules first, then genes in name order.
  GeneratedFile head;
  head.path = "ruleset.rules";
  std::string version =
      options.version.empty() ? "civic-" + (newest.empty() ? std::string("unknown") : newest) : options.version;
  head.header =
      "# CIViC clinical evidence as rules, generated by `actionable import civic` (docs/civic.md).\n"
      "# Source: " +
      origin_name +
      " (CIViC, CC0 1.0). Not an EU approval list: every rule is\n"
      "# class evidence, with its CIViC level and direction; never an option by itself.\n"
      "ruleset " +
      quote(options.ruleset_name) + " version " + quote(version) + "\n";
  res.files.push_back(head);
  for (auto& [g, f] : by_gene) res.files.push_back(std::move(f));

  std::string remaining;
  auto rejected = drop_uncompilable(res.files, catalog, &remaining);
  std::map<std::string, std::string> rejected_by;
  for (auto const& r : rejected) rejected_by[r.owner] = r.message;
  for (auto& o : res.outcomes) {
    if (o.imported && rejected_by.count(o.eid)) {
      o.imported = false;
      o.reason = "rejected by the rule compiler";
      o.detail = rejected_by[o.eid];
      o.gene_file.clear();
    }
  }
  if (!remaining.empty()) res.errors.push_back("the generated rules do not compile:\n" + remaining);
  // Drop files left empty (keep ruleset.rules).
  res.files.erase(
      std::remove_if(res.files.begin() + 1, res.files.end(), [](GeneratedFile const& f) { return f.blocks.empty(); }),
      res.files.end());
  if (!options.with_ruleset) res.files.erase(res.files.begin());  // --no-ruleset: the rules join another set

  civic_detail::write_report(res, origin_name, options, version);
  return res;
}

}  // namespace actionable::import
