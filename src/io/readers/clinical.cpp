// Clinical sample / patient files (see clinical.hpp).
#include "actionable/detail/io/readers/clinical.hpp"

#include "actionable/detail/io/readers/table.hpp"
#include "collector.hpp"

namespace actionable::io {

std::string msi_value(std::string_view s) {
  auto v = text::lower(text::trim(s));
  for (auto& c : v)
    if (c == '_' || c == ' ') c = '-';
  if (v == "stable" || v == "mss" || v == "msi-stable" || v == "microsatellite-stable") return "stable";
  if (v == "instable" || v == "unstable" || v == "msi-h" || v == "msi-high" || v == "high" || v == "msi" ||
      v == "microsatellite-instability-high")
    return "high";
  if (v == "msi-l" || v == "msi-low" || v == "low") return "low";
  return "";
}

ReadResult read_clinical(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "", options);
  TableReader t(source, TableOptions{0, {"SAMPLE_ID", "PATIENT_ID", "Tumor_Sample_Barcode"}});
  if (!out.table_opened(t)) return r;
  auto c_sample = t.column({"SAMPLE_ID", "Tumor_Sample_Barcode"});
  auto c_patient = t.column("PATIENT_ID");
  r.format = c_sample ? "clinical-sample" : "clinical-patient";
  auto c_onco = t.column({"ONCOTREE_CODE", "ONCOTREE"});
  auto c_age = t.column({"AGE", "AGE_AT_SEQ_REPORT", "AGE_AT_DIAGNOSIS", "AGE_AT_SEQUENCING", "AGE_YEARS"});
  auto c_sex = t.column({"SEX", "GENDER"});
  auto c_stage = t.column({"STAGE", "TUMOR_STAGE", "AJCC_PATHOLOGIC_TUMOR_STAGE"});
  auto c_ecog = t.column({"ECOG", "ECOG_PS"});
  auto c_lines = t.column({"LINES", "PRIOR_LINES", "PREVIOUS_LINES"});
  auto c_panel = t.column("GENE_PANEL");
  auto c_tmb = t.column({"TMB", "TMB_NONSYNONYMOUS", "TMB_SCORE", "TUMOR_MUTATIONAL_BURDEN"});
  auto c_msi = t.column({"MSI_STATUS", "MSI_TYPE", "MSI"});

  Row row;
  while (t.next(row)) {
    if (!out.begin_table_row(row)) continue;
    std::string id(c_sample ? row.get(c_sample) : row.get(c_patient));
    if (c_sample) out.row_sample(id);
    if (text::is_missing(id)) {
      out.skip(IssueLevel::kError, row.line, c_sample ? "no SAMPLE_ID" : "no PATIENT_ID");
      continue;
    }
    auto put = [&](std::string const& pointer, nlohmann::json v) {
      if (c_sample)
        out.field(id, row.line, pointer, std::move(v));
      else
        out.patient_field(id, row.line, pointer, std::move(v));
    };
    if (c_sample) out.sample(id, row.line);
    if (c_sample && c_patient && !text::is_missing(row.get(c_patient)))
      out.field(id, row.line, "/patient_id", std::string(row.get(c_patient)));
    if (!text::is_missing(row.get(c_onco))) put("/tumour/oncotree", std::string(row.get(c_onco)));
    if (!text::is_missing(row.get(c_age))) {
      auto a = text::to_double(row.get(c_age));
      if (a && *a >= 0 && *a < 150)
        put("/age", detail::number(*a));
      else
        out.issue(IssueLevel::kWarning, row.line,
                  "age '" + std::string(row.get(c_age)) + "' is not a number of years: left out");
    }
    if (!text::is_missing(row.get(c_sex))) {
      auto s = text::lower(row.get(c_sex));
      if (s == "f" || s == "female")
        put("/sex", "F");
      else if (s == "m" || s == "male")
        put("/sex", "M");
      else
        out.issue(IssueLevel::kWarning, row.line, "sex '" + std::string(row.get(c_sex)) + "' is not F/M: left out");
    }
    if (!text::is_missing(row.get(c_stage))) {
      std::string_view st = row.get(c_stage);
      if (text::starts_with_icase(st, "stage ")) st.remove_prefix(6);
      put("/tumour/stage", std::string(text::trim(st)));
    }
    for (auto [col, ptr] : {std::pair{c_ecog, "/ecog"}, std::pair{c_lines, "/lines"}}) {
      if (text::is_missing(row.get(col))) continue;
      auto v = text::to_int(row.get(col));
      if (v && *v >= 0)
        put(ptr, *v);
      else
        out.issue(IssueLevel::kWarning, row.line,
                  std::string(ptr + 1) + " '" + std::string(row.get(col)) + "' is not a count: left out");
    }
    if (c_sample && !text::is_missing(row.get(c_panel)))
      out.panel(id, row.line, std::string(row.get(c_panel)),
                nlohmann::json::array({"mutations", "cna", "structural_variants"}));
    if (c_sample && !text::is_missing(row.get(c_tmb))) {
      if (auto v = text::to_double(row.get(c_tmb)); v && *v >= 0)
        out.finding(id, row.line, {{"type", "biomarker"}, {"name", "TMB"}, {"value", detail::number(*v)}});
      else
        out.issue(IssueLevel::kWarning, row.line,
                  "TMB '" + std::string(row.get(c_tmb)) + "' is not a number: left out");
    }
    if (c_sample && !text::is_missing(row.get(c_msi))) {
      auto v = msi_value(row.get(c_msi));
      if (!v.empty())
        out.finding(id, row.line, {{"type", "biomarker"}, {"name", "MSI"}, {"value", v}});
      else
        out.issue(IssueLevel::kNote, row.line,
                  "MSI status '" + std::string(row.get(c_msi)) + "' is not a result: left out");
    }
  }
  out.finish();
  return r;
}

}  // namespace actionable::io
