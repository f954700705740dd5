// Patient records from JSON, part 2 (see patient_json.cpp): protein biomarker results
// (docs/inputs.md, "Protein biomarkers"), the tests performed and the treatment history.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "actionable/model/protein.hpp"
#include "io/patient_facts.hpp"
#include "io/patient_reader.hpp"

namespace actionable::io::record {

bool Reader::protein(Object const& f, std::string const& base, std::string const& raw_name, model::Finding& out) {
  auto marker = model::protein_marker(raw_name);
  if (marker.empty()) return false;
  auto method = model::protein_method(out.method);
  auto value = f.find("value");
  bool has_value = value && !value->is_null();
  if (method.empty()) {
    if (!out.method.empty()) {
      if (marker == "HER2" || marker == "ALK" || marker == "ROS1" || marker == "MET")
        error(base + "/method", "'" + out.method + "' is not a protein method (IHC or ISH): a DNA result of " +
                                    raw_name + " is a variant, cnv or fusion finding of the gene");
      else
        error(base + "/method", "'" + out.method + "' is not a protein method: " + raw_name + " is read by IHC");
      return true;
    }
    // No method: an IHC result for the markers only IHC reports (PD-L1 without a score
    // stays the plain biomarker `biomarker PDL1 …` of earlier records).
    bool ihc_only = marker == "CLDN18" || marker == "FOLR1" || marker == "PANTRK" || model::is_mmr_protein(marker) ||
                    (marker == "PDL1" && f.find("score"));
    bool her2_score =
        marker == "HER2" && has_value &&
        (value->is_number() || !model::protein_value("HER2", "IHC", value->is_string() ? value->text() : "").empty());
    if (marker == "HER2" && !her2_score) {
      error(base + "/method",
            "a HER2 result needs its method: \"IHC\" (0, ultralow, 1+, 2+, 3+) or \"ISH\" (positive, negative)");
      return true;
    }
    if (!ihc_only && !her2_score) return false;
    method = "IHC";
  }
  if (!model::protein_has_method(marker, method)) {
    error(base + "/method", marker + " is not reported by " + method + " (use IHC)");
    return true;
  }
  out.name = marker;
  out.method = method;
  if (auto sc = str(f, "score", base)) {
    if (marker != "PDL1") {
      error(base + "/score", "only PD-L1 results have a score");
    } else if (auto canon = model::pdl1_score(*sc); !canon.empty()) {
      out.score = canon;
    } else {
      error(base + "/score", "unknown PD-L1 score '" + *sc + "' (TPS, CPS, TC, IC or TAP)");
    }
  }
  out.assay = str(f, "assay", base).value_or("");
  if (!has_value) {
    error(base + "/value", "required field is missing");
    return true;
  }
  std::string allowed;
  if (model::protein_numeric(marker, method)) {
    std::optional<double> v;
    if (value->is_number())
      v = value->number();
    else if (value->is_string()) {
      auto text = trim(value->string());
      if (!text.empty() && text.back() == '%') text.pop_back();
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (!text.empty() && end == text.c_str() + text.size())
        v = d;
      else if (auto c = model::protein_value(marker, method, text, &allowed); !c.empty())
        out.value = c;
    }
    if (v) {
      if (!std::isfinite(*v) || *v < 0 || *v > 100)
        error(base + "/value", "out of range (0 to 100)");
      else
        out.number = v;
    } else if (out.value.empty()) {
      error(base + "/value", std::string("must be a number") +
                                 (marker == "PDL1" ? " (the score's value)" : " (per cent of tumour cells)") +
                                 (allowed.empty() ? "" : " or one of " + allowed));
    }
    return true;
  }
  std::string text;
  if (value->is_number()) {
    double d = value->number();
    if (marker == "HER2" && method == "IHC" && (d == 0 || d == 1 || d == 2 || d == 3))
      text = d == 0 ? "0" : std::to_string(static_cast<int>(d)) + "+";
  } else if (value->is_string()) {
    text = trim(value->string());
  } else if (value->is_boolean()) {
    text = value->boolean() ? "positive" : "negative";
  }
  auto c = model::protein_value(marker, method, text, &allowed);
  if (c.empty())
    error(base + "/value", marker + " " + method + " must be one of " + allowed);
  else
    out.value = c;
  return true;
}

void Reader::test(Node node, std::string const& base, model::Patient& p) {
  if (!node.is_object()) {
    error(base, "must be an object");
    return;
  }
  Object const t(node);
  model::Test out;
  if (auto o = origin(t, base)) out.origin = *o;
  out.method = str(t, "method", base).value_or("");
  out.specimen = str(t, "specimen", base).value_or("");
  out.panel = str(t, "panel", base).value_or("");
  out.kinds = model::method_kinds(out.method);
  if (auto b = str(t, "biomarker", base)) {
    out.biomarker = model::canonical_biomarker_name(*b);
    // A protein marker tested by IHC / ISH (or without a method) goes by its canonical name.
    if (auto m = model::protein_marker(*b);
        !m.empty() && (out.method.empty() || !model::protein_method(out.method).empty()))
      out.biomarker = m;
  }
  if (auto sc = str(t, "score", base)) {
    if (auto canon = model::pdl1_score(*sc); !canon.empty())
      out.score = canon;
    else
      error(base + "/score", "unknown PD-L1 score '" + *sc + "' (TPS, CPS, TC, IC or TAP)");
  }
  auto it = t.find("genes");
  if (it && !it->is_null()) {
    if (!it->is_array()) {
      error(base + "/genes", "must be an array of gene symbols");
    } else {
      out.genes.reserve(it->size());
      it->each([&](std::size_t i, Node g) {
        if (!g.is_string()) {
          error(base + "/genes/" + std::to_string(i), "must be a string");
        } else if (auto s = gene(trim(g.string()), base + "/genes/" + std::to_string(i))) {
          out.genes.push_back(*s);
        }
      });
    }
  }
  if (out.genes.empty() && out.biomarker.empty()) error(base, "a test needs \"genes\" or \"biomarker\"");
  std::sort(out.genes.begin(), out.genes.end());
  out.genes.erase(std::unique(out.genes.begin(), out.genes.end()), out.genes.end());
  out.gene_ids.reserve(out.genes.size());  // sorted too: ids follow the sorted symbols
  for (auto const& g : out.genes)
    if (auto id = catalog.genes.index(g)) out.gene_ids.push_back(*id);
  p.tests.push_back(std::move(out));
}

void Reader::treatment(Node node, std::string const& base, std::vector<model::Treatment>& out) {
  if (!node.is_object()) {
    error(base, "must be an object");
    return;
  }
  Object const t(node);
  model::Treatment tr;
  if (auto l = num(t, "line", base, 0, 100, true)) tr.line = static_cast<int>(*l);
  auto it = t.find("drugs");
  if (it && !it->is_null()) {
    if (!it->is_array()) {
      error(base + "/drugs", "must be an array of drug names");
    } else {
      it->each([&](std::size_t i, Node d) {
        if (!d.is_string())
          error(base + "/drugs/" + std::to_string(i), "must be a string");
        else
          tr.drugs.push_back(lower(trim(d.string())));
      });
    }
  }
  tr.start = str(t, "start", base).value_or("");
  tr.end = str(t, "end", base).value_or("");
  tr.best_response = str(t, "best_response", base).value_or("");
  tr.progression = str(t, "progression", base).value_or("");
  out.push_back(std::move(tr));
}

}  // namespace actionable::io::record
