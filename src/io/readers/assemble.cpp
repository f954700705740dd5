// The record assembler (see assemble.hpp): joins every input's entries into one record per
// sample, merges the same fact read from two inputs, resolves gene symbols (never losing a
// finding to a name), and marks the records that lost a row (docs/inputs.md).
#include "actionable/detail/io/readers/assemble.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "actionable/detail/io/readers/table.hpp"

namespace actionable::io {

namespace {

constexpr std::size_t kIssuesPerRecord = 20;  // "input_issues" kept in a record

struct Builder {
  std::vector<nlohmann::json> records;
  std::unordered_map<std::string, std::size_t> index;
  // Where each field of each record came from ("file:line"), for conflict messages.
  std::vector<std::map<std::string, std::string>> origin_of;
  // Per record: the input files (indices) that contributed, and where each finding came from.
  struct Where {
    std::size_t file;
    std::size_t line;
  };
  std::vector<std::set<std::size_t>> inputs;
  std::vector<std::vector<Where>> finding_from;
  struct Neutral {
    nlohmann::json value;
    Where where;
  };
  std::vector<std::vector<Neutral>> neutrals;

  std::size_t get(std::string const& id) {
    auto it = index.find(id);
    if (it != index.end()) return it->second;
    nlohmann::json r = nlohmann::json::object();
    r["patient"] = id;
    r["findings"] = nlohmann::json::array();
    records.push_back(std::move(r));
    origin_of.emplace_back();
    inputs.emplace_back();
    finding_from.emplace_back();
    neutrals.emplace_back();
    index.emplace(id, records.size() - 1);
    return records.size() - 1;
  }
};

std::string str(nlohmann::json const& f, char const* key) {
  auto it = f.find(key);
  return it != f.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// A protein change in one-letter form for comparison ("p.Leu858Arg" and "p.L858R" are one
/// fact; "Ter" → "*"). Textual only: the readers do not link the HGVS parser.
std::string protein_key(std::string const& p) {
  static constexpr std::pair<char const*, char> kCodes[] = {
      {"Ala", 'A'}, {"Arg", 'R'}, {"Asn", 'N'}, {"Asp", 'D'}, {"Cys", 'C'}, {"Gln", 'Q'}, {"Glu", 'E'}, {"Gly", 'G'},
      {"His", 'H'}, {"Ile", 'I'}, {"Leu", 'L'}, {"Lys", 'K'}, {"Met", 'M'}, {"Phe", 'F'}, {"Pro", 'P'}, {"Ser", 'S'},
      {"Thr", 'T'}, {"Trp", 'W'}, {"Tyr", 'Y'}, {"Val", 'V'}, {"Ter", '*'}, {"Sec", 'U'}, {"Pyl", 'O'}, {"Xaa", 'X'}};
  std::string out;
  for (std::size_t i = 0; i < p.size();) {
    bool hit = false;
    if (i + 3 <= p.size() && p[i] >= 'A' && p[i] <= 'Z')
      for (auto const& [three, one] : kCodes)
        if (p.compare(i, 3, three) == 0) {
          out += one;
          i += 3;
          hit = true;
          break;
        }
    if (!hit) out += p[i++];
  }
  return out;
}

/// The identity of a finding's fact, for merging the same fact read from two inputs
/// ("" = never merged: a finding too vague to be called the same).
std::string fact_key(nlohmann::json const& f) {
  auto type = str(f, "type");
  if (type.empty()) type = "variant";
  auto origin = str(f, "origin");
  if (origin.empty()) origin = "somatic";
  std::string k = type + "|" + origin + "|";
  if (type == "variant") {
    auto gene = text::upper(str(f, "gene"));
    auto change = protein_key(str(f, "hgvsp"));
    if (change.empty()) change = str(f, "hgvsc");
    if (gene.empty() || change.empty()) return {};
    return k + gene + "|" + change;
  }
  if (type == "cnv") return k + text::upper(str(f, "gene")) + "|" + str(f, "call");
  if (type == "fusion") return k + text::upper(str(f, "gene5")) + "::" + text::upper(str(f, "gene3"));
  if (type == "exon_skipping") {
    auto ex = f.find("exons");
    return k + text::upper(str(f, "gene")) + "|" + (ex != f.end() ? ex->dump() : std::string());
  }
  return {};  // biomarkers: compared as conflicts, never merged
}

/// Fields that describe one observation (kept per source when facts merge).
constexpr char const* kPerSource[] = {"vaf", "method", "specimen", "copies", "ratio", "transcript"};

}  // namespace

Assembly assemble(std::vector<ReadResult> const& results, AssembleOptions const& options) {
  Assembly a;
  auto warn = [&](IssueLevel level, std::string const& file, std::size_t line, std::string msg,
                  std::string sample = {}) {
    a.issues.push_back(Issue{level, file, line, std::move(msg), std::move(sample)});
  };
  for (auto const& r : results) {
    a.issues.insert(a.issues.end(), r.issues.begin(), r.issues.end());
    FileSummary s{r.file,
                  r.format,
                  r.counts,
                  r.count(IssueLevel::kError),
                  r.count(IssueLevel::kWarning),
                  r.count(IssueLevel::kNote)};
    a.files.push_back(std::move(s));
  }
  // 0. A file that yielded nothing is an error of the whole run: its facts are missing from
  //    every record, and nothing else would say so.
  for (auto const& r : results) {
    if (!r.entries.empty() || !r.panels.empty()) continue;
    std::string why = r.counts.rows == 0 ? "no data rows" : std::to_string(r.counts.rows) + " rows, none read";
    for (auto const& i : r.issues)
      if (i.level == IssueLevel::kError) {
        why += "; first: " + (i.line ? "line " + std::to_string(i.line) + ": " : std::string()) + i.message;
        break;
      }
    a.fatal.push_back(Issue{IssueLevel::kError, r.file, 0, "nothing could be read from this file (" + why + ")", {}});
  }
  // 1. Panels.
  std::map<std::string, PanelDef const*> panels;
  std::vector<PanelDef const*> panel_order;
  for (auto const& r : results)
    for (auto const& p : r.panels) {
      auto [it, fresh] = panels.emplace(p.id, &p);
      if (fresh)
        panel_order.push_back(&p);
      else if (it->second->genes != p.genes)
        warn(IssueLevel::kWarning, r.file, p.line,
             "panel " + p.id + " defined twice with different genes: the first is used");
    }
  // 2. Aliases.
  std::unordered_map<std::string, std::string> alias;
  for (auto const& r : results)
    for (auto const& e : r.entries) {
      if (e.kind != Entry::Kind::kAlias || !e.value.is_string()) continue;
      auto other = e.value.get<std::string>();
      if (other == e.sample) continue;
      auto [it, fresh] = alias.emplace(other, e.sample);
      if (!fresh && it->second != e.sample)
        warn(IssueLevel::kWarning, r.file, e.line,
             "id " + other + " already names " + it->second + ": not also " + e.sample);
    }
  auto canonical = [&](std::string const& s) {
    auto it = alias.find(s);
    return it == alias.end() ? s : it->second;
  };
  // 3. The owner of sample-less entries.
  std::string anon = options.sample;
  bool anon_needed = false;
  std::set<std::string> named;
  for (auto const& r : results)
    for (auto const& e : r.entries) {
      if (e.kind == Entry::Kind::kAlias || e.kind == Entry::Kind::kPatient) continue;
      if (e.sample.empty())
        anon_needed = true;
      else
        named.insert(canonical(e.sample));
    }
  bool anon_ok = true;
  if (anon_needed && anon.empty()) {
    if (named.size() == 1) {
      anon = *named.begin();
    } else if (named.empty()) {
      anon = "sample";
      for (auto const& r : results)
        if (!r.entries.empty()) {
          warn(IssueLevel::kNote, r.file, 0, "no input names a sample: the record is called 'sample' (use --sample)");
          break;
        }
    } else {
      anon_ok = false;
    }
  }
  if (anon_needed && !options.sample.empty() && !named.empty() && !named.count(options.sample)) {
    std::string which = named.size() == 1 ? *named.begin() : std::string();
    warn(IssueLevel::kWarning, "--sample", 0,
         "'" + options.sample + "' is not a sample of the inputs that name one (" + std::to_string(named.size()) +
             " sample" + (named.size() == 1 ? "" : "s") + (which.empty() ? "" : ": " + which) +
             "): files without a sample column form a record of their own" +
             (which.empty() ? "" : "; did you mean --sample " + which + "?"));
  }
  // 4. Records.
  Builder b;
  struct PanelRef {
    std::string id;
    nlohmann::json profiles;
    std::string file;
    std::size_t line;
  };
  std::vector<std::vector<PanelRef>> panel_refs;
  struct PatientField {
    std::string patient, key, file;
    std::size_t line;
    nlohmann::json value;
  };
  std::vector<PatientField> patient_fields;
  auto set_field = [&](std::size_t ri, std::string const& key, nlohmann::json const& value, std::string const& file,
                       std::size_t line) {
    auto& rec = b.records[ri];
    nlohmann::json::json_pointer ptr(key);
    std::string where = file + ":" + std::to_string(line);
    if (rec.contains(ptr)) {
      if (rec[ptr] != value)
        warn(IssueLevel::kWarning, file, line,
             rec["patient"].get<std::string>() + ": " + key + " is already " + rec[ptr].dump() + " (" +
                 b.origin_of[ri][key] + "): " + value.dump() + " ignored");
      return;
    }
    rec[ptr] = value;
    b.origin_of[ri][key] = where;
  };
  std::set<std::string> merged_reported;
  for (std::size_t fi = 0; fi < results.size(); ++fi) {
    auto const& r = results[fi];
    bool anon_reported = false;
    for (auto const& e : r.entries) {
      if (e.kind == Entry::Kind::kAlias) continue;
      if (e.kind == Entry::Kind::kPatient) {
        patient_fields.push_back(PatientField{e.sample, e.key, r.file, e.line, e.value});
        continue;
      }
      std::string id = e.sample.empty() ? anon : canonical(e.sample);
      if (e.sample.empty() && !anon_ok) {
        if (!anon_reported) {
          anon_reported = true;
          std::string list;
          std::size_t n = 0;
          for (auto const& s : named) {
            if (n++ == 5) {
              list += ", …";
              break;
            }
            list += (list.empty() ? "" : ", ") + s;
          }
          a.fatal.push_back(Issue{IssueLevel::kError,
                                  r.file,
                                  0,
                                  "this file names no sample and the other inputs name " +
                                      std::to_string(named.size()) + " (" + list +
                                      "): give the sample it belongs to with --sample",
                                  {}});
        }
        continue;
      }
      if (e.kind == Entry::Kind::kSample && !e.sample.empty() && id != e.sample &&
          merged_reported.insert(e.sample).second)
        warn(IssueLevel::kNote, r.file, e.line,
             e.sample + " is another name of " + id + " (alias given by an input): joined into " + id);
      auto ri = b.get(id);
      if (panel_refs.size() < b.records.size()) panel_refs.resize(b.records.size());
      b.inputs[ri].insert(fi);
      auto& rec = b.records[ri];
      switch (e.kind) {
        case Entry::Kind::kSample: break;
        case Entry::Kind::kFinding:
          rec["findings"].push_back(e.value);
          b.finding_from[ri].push_back({fi, e.line});
          break;
        case Entry::Kind::kNeutral: b.neutrals[ri].push_back({e.value, {fi, e.line}}); break;
        case Entry::Kind::kTest:
          if (!rec.contains("tests")) rec["tests"] = nlohmann::json::array();
          rec["tests"].push_back(e.value);
          break;
        case Entry::Kind::kField: set_field(ri, e.key, e.value, r.file, e.line); break;
        case Entry::Kind::kPanel: panel_refs[ri].push_back(PanelRef{e.key, e.value, r.file, e.line}); break;
        default: break;
      }
    }
  }
  // 5. Rows that could not be read: each makes the record it belongs to incomplete. A row whose
  //    sample is unknown concerns every record its file contributed to (or every record, when
  //    the file contributed to none); never a record that looks complete without it.
  std::vector<std::vector<Issue>> lost(b.records.size());
  auto lose = [&](std::size_t ri, Issue const& i) {
    if (lost.size() < b.records.size()) lost.resize(b.records.size());
    lost[ri].push_back(i);
  };
  for (std::size_t fi = 0; fi < results.size(); ++fi) {
    auto const& r = results[fi];
    if (r.entries.empty() && r.panels.empty()) continue;  // fatal already
    for (auto const& i : r.issues) {
      if (i.level != IssueLevel::kError) continue;
      if (!i.sample.empty()) {
        lose(b.get(canonical(i.sample)), i);
        continue;
      }
      std::vector<std::size_t> targets;
      for (std::size_t ri = 0; ri < b.inputs.size(); ++ri)
        if (b.inputs[ri].count(fi)) targets.push_back(ri);
      if (targets.empty())
        for (std::size_t ri = 0; ri < b.records.size(); ++ri) targets.push_back(ri);
      for (auto ri : targets) lose(ri, i);
    }
  }
  // 6. Patient-level fields.
  for (auto const& pf : patient_fields) {
    std::vector<std::size_t> targets;
    for (std::size_t i = 0; i < b.records.size(); ++i) {
      auto const& rec = b.records[i];
      if (rec.value("patient_id", std::string()) == pf.patient) targets.push_back(i);
    }
    if (targets.empty()) targets.push_back(b.get(canonical(pf.patient)));
    for (auto i : targets) set_field(i, pf.key, pf.value, pf.file, pf.line);
  }
  panel_refs.resize(b.records.size());
  lost.resize(b.records.size());
  // 7. Panels -> tests.
  bool any_ref = false;
  for (auto const& refs : panel_refs) any_ref = any_ref || !refs.empty();
  if (!any_ref && panel_order.size() == 1) {
    for (auto& refs : panel_refs)
      refs.push_back(
          PanelRef{panel_order[0]->id, nlohmann::json::array({"mutations", "cna", "structural_variants"}), "", 0});
  } else if (!any_ref && panel_order.size() > 1) {
    warn(IssueLevel::kWarning, "(panels)", 0,
         std::to_string(panel_order.size()) +
             " gene panels given but no sample says which it used "
             "(GENE_PANEL column or gene-panel matrix): no tests recorded");
  }
  std::set<std::string> unknown_reported;
  for (std::size_t i = 0; i < b.records.size(); ++i) {
    std::map<std::string, std::set<std::string>> by_panel;
    std::map<std::string, PanelRef const*> first_ref;
    for (auto const& ref : panel_refs[i]) {
      for (auto const& p : ref.profiles)
        if (p.is_string()) by_panel[ref.id].insert(p.get<std::string>());
      first_ref.emplace(ref.id, &ref);
    }
    for (auto const& [id, profiles] : by_panel) {
      auto it = panels.find(id);
      if (it == panels.end()) {
        if (unknown_reported.insert(id).second) {
          auto const* ref = first_ref[id];
          bool exome = text::iequals(id, "WES") || text::iequals(id, "WXS") || text::iequals(id, "WGS");
          warn(IssueLevel::kWarning, ref->file, ref->line,
               "gene panel " + id +
                   (exome ? " (exome/genome) has no gene list" : " is not defined by any --panel file") +
                   ": samples using it get no tests entry");
        }
        continue;
      }
      nlohmann::json t = {{"origin", "somatic"}, {"method", "NGS"}, {"panel", id}, {"genes", it->second->genes}};
      nlohmann::json pr = nlohmann::json::array();
      for (auto const& p : profiles) pr.push_back(p);
      t["profiles"] = pr;
      auto& rec = b.records[i];
      if (!rec.contains("tests")) rec["tests"] = nlohmann::json::array();
      rec["tests"].push_back(std::move(t));
    }
  }
  // 8. Default tumour.
  if (!options.tumour.empty())
    for (auto& rec : b.records)
      if (!rec.contains(nlohmann::json::json_pointer("/tumour/oncotree"))) rec["tumour"]["oncotree"] = options.tumour;

  a.summaries.resize(b.records.size());
  auto where_text = [&](Builder::Where w) { return results[w.file].file + ":" + std::to_string(w.line); };
  for (std::size_t ri = 0; ri < b.records.size(); ++ri) {
    auto& rec = b.records[ri];
    auto& sum = a.summaries[ri];
    std::string id = rec["patient"].get<std::string>();
    sum.id = id;
    for (auto fi : b.inputs[ri]) sum.inputs.push_back(results[fi].file);
    auto& fs = rec["findings"];
    auto& from = b.finding_from[ri];
    // 9. The same fact from two inputs: one finding, every source kept.
    {
      std::unordered_map<std::string, std::size_t> first;
      nlohmann::json kept = nlohmann::json::array();
      std::vector<Builder::Where> kept_from;
      std::vector<std::set<std::size_t>> kept_files;  // inputs already merged into each
      auto source_of = [&](nlohmann::json const& f, Builder::Where w) {
        nlohmann::json s = {{"input", results[w.file].file}, {"line", w.line}};
        for (auto const* k : kPerSource)
          if (auto it = f.find(k); it != f.end()) s[k] = *it;
        return s;
      };
      for (std::size_t k = 0; k < fs.size(); ++k) {
        auto key = fact_key(fs[k]);
        auto it = key.empty() ? first.end() : first.find(key);
        // Two rows of one file are two findings (two transcripts, two specimens): never merged.
        if (it == first.end() || kept_files[it->second].count(from[k].file)) {
          if (!key.empty() && it == first.end()) first.emplace(key, kept.size());
          kept.push_back(std::move(fs[k]));
          kept_from.push_back(from[k]);
          kept_files.push_back({from[k].file});
          continue;
        }
        kept_files[it->second].insert(from[k].file);
        auto& into = kept[it->second];
        if (!into.contains("sources"))
          into["sources"] = nlohmann::json::array({source_of(into, kept_from[it->second])});
        into["sources"].push_back(source_of(fs[k], from[k]));
        ++sum.merged;
        warn(IssueLevel::kNote, results[from[k].file].file, from[k].line,
             id + ": the same finding as " + where_text(kept_from[it->second]) + ": merged, both sources kept", id);
      }
      fs = std::move(kept);
      from = std::move(kept_from);
    }
    // 10. Conflicting calls between inputs (amplified in one, neutral or deleted in another;
    //     MSI high in one, stable in another): reported, every call kept as read.
    {
      struct Call {
        std::string value;
        Builder::Where where;
      };
      std::map<std::string, std::vector<Call>> calls;
      auto note_call = [&](nlohmann::json const& f, Builder::Where w) {
        auto type = str(f, "type");
        auto origin = str(f, "origin").empty() ? std::string("somatic") : str(f, "origin");
        if (type == "cnv") {
          auto call = str(f, "call");
          calls["copy number of " + str(f, "gene") + " (" + origin + ")"].push_back(
              {call.empty() ? "neutral" : call, w});
        } else if (type == "biomarker") {
          auto v = f.contains("value") ? (f["value"].is_string() ? f["value"].get<std::string>() : f["value"].dump())
                                       : std::string();
          calls[text::upper(str(f, "name"))].push_back({text::lower(v), w});
        }
      };
      for (std::size_t k = 0; k < fs.size(); ++k) note_call(fs[k], from[k]);
      for (auto const& n : b.neutrals[ri]) note_call(n.value, n.where);
      for (auto const& [what, cs] : calls) {
        for (std::size_t k = 1; k < cs.size(); ++k) {
          if (cs[k].value == cs[0].value || cs[k].where.file == cs[0].where.file) continue;
          warn(IssueLevel::kWarning, results[cs[k].where.file].file, cs[k].where.line,
               id + ": conflicting calls for " + what + ": " + cs[0].value + " (" + where_text(cs[0].where) + ") but " +
                   cs[k].value + " here; both kept as read, check the assays",
               id);
        }
      }
    }
    // 11. Gene symbols: an unknown or ambiguous symbol never costs the record.
    if (options.genes && options.genes->lookup) {
      std::set<std::string> context;  // genes the record names elsewhere (tests, other findings)
      if (rec.contains("tests"))
        for (auto const& t : rec["tests"])
          if (auto g = t.find("genes"); g != t.end() && g->is_array())
            for (auto const& s : *g)
              if (s.is_string()) context.insert(s.get<std::string>());
      for (auto const& f : fs)
        for (auto const* k : {"gene", "gene5", "gene3"})
          if (auto s = str(f, k); !s.empty()) {
            auto res = options.genes->lookup(s);
            if (res.kind == GeneResolution::Kind::kResolved) context.insert(res.symbol);
          }
      for (std::size_t k = 0; k < fs.size(); ++k) {
        auto& f = fs[k];
        for (auto const* field : {"gene", "gene5", "gene3"}) {
          auto symbol = str(f, field);
          if (symbol.empty()) continue;
          auto res = options.genes->lookup(symbol);
          if (res.kind == GeneResolution::Kind::kResolved) continue;
          auto w = from[k];
          if (res.kind == GeneResolution::Kind::kAmbiguous) {
            std::string list;
            for (auto const& c : res.candidates) list += (list.empty() ? "" : ", ") + c;
            std::string pick, how;
            if (auto hid = str(f, "hgnc_id"); !hid.empty() && options.genes->symbol_of_id) {
              auto s = options.genes->symbol_of_id(hid);
              if (std::find(res.candidates.begin(), res.candidates.end(), s) != res.candidates.end()) {
                pick = s;
                how = "its HGNC_ID " + hid;
              }
            }
            if (pick.empty()) {
              std::vector<std::string> in_context;
              for (auto const& c : res.candidates)
                if (context.count(c)) in_context.push_back(c);
              if (in_context.size() == 1) {
                pick = in_context[0];
                how = "the record's other genes (tests, findings)";
              }
            }
            if (!pick.empty()) {
              f[field] = pick;
              warn(IssueLevel::kWarning, results[w.file].file, w.line,
                   id + ": ambiguous gene symbol '" + symbol + "' (" + list + ") read as " + pick + " by " + how, id);
              continue;
            }
            if (options.unknown_genes == UnknownGenes::kError) continue;
            warn(IssueLevel::kWarning, results[w.file].file, w.line,
                 id + ": ambiguous gene symbol '" + symbol + "' (could be " + list +
                     "): finding kept, symbol unresolved (it satisfies no gene rule)",
                 id);
          } else {
            if (options.unknown_genes == UnknownGenes::kError) continue;
            warn(IssueLevel::kWarning, results[w.file].file, w.line,
                 id + ": '" + symbol +
                     "' is not an HGNC gene symbol: finding kept, symbol unresolved "
                     "(it satisfies no gene rule)",
                 id);
          }
          if (!f.contains("unresolved")) f["unresolved"] = nlohmann::json::array();
          f["unresolved"].push_back(field);
          sum.unresolved.push_back(symbol);
        }
      }
    }
    // 12. Counts, and the incomplete-input mark.
    for (auto const& f : fs) {
      auto type = str(f, "type");
      sum.counts.add_finding(type.empty() ? "variant" : type);  // a finding without a type is a variant
    }
    sum.errors = std::move(lost[ri]);
    if (sum.incomplete()) {
      rec["input"] = "incomplete";
      nlohmann::json list = nlohmann::json::array();
      for (std::size_t k = 0; k < sum.errors.size() && k < kIssuesPerRecord; ++k)
        list.push_back(sum.errors[k].to_string());
      if (sum.errors.size() > kIssuesPerRecord)
        list.push_back("… and " + std::to_string(sum.errors.size() - kIssuesPerRecord) + " more rows");
      rec["input_issues"] = std::move(list);
    }
  }
  a.records = std::move(b.records);
  return a;
}

Assembly assemble_inputs(std::vector<Input> const& inputs, ReadOptions const& read_options,
                         AssembleOptions const& options) {
  std::vector<ReadResult> results;
  results.reserve(inputs.size());
  for (auto const& in : inputs) results.push_back(read_input(in, read_options));
  return assemble(results, options);
}

}  // namespace actionable::io
