// Fuzz target: the tumour-board report renderer (report::build, render_html, render_json,
// render_pdf) fed outcomes of fuzzed records and documents with fuzzed text in every field.
//
// Input: RECORD [NUL TEXT]. RECORD is a patient record (JSON); when it does not read, one of the
// fixed records of fuzz_common.hpp is used instead (chosen by the input's length), so every input
// reaches the renderer. It is matched against the shipped rules and the report built from the
// outcome, in the language chosen by the input's first byte. TEXT (after the first NUL byte: any
// bytes, markup, control characters) is then put into the document's free-text fields —
// pseudonym, centre, tumour name, every therapy, criterion, finding, citation, test and
// treatment text — as an arbitrary outcome would carry them. (Invalid UTF-8 in TEXT becomes "é"
// per byte >= 0x80: every text the renderer gets is valid UTF-8, as records, rules and lab files
// are checked on reading.) Invariants:
//  - HTML: no "<script", no "<img", no "javascript:" link; TEXT (between two markers) never
//    appears verbatim when it holds '<' (it is escaped); the page has <html> and </html>;
//  - JSON: parses (nlohmann), and the header's pseudonym equals the document's;
//  - PDF: starts with "%PDF-" and ends with "%%EOF" (cairo), whatever the text; the same
//    document renders to the same bytes twice.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/engine.hpp"
#include "actionable/io/json.hpp"
#include "actionable/report/report.hpp"
#include "fuzz_common.hpp"

using namespace actionable;

namespace {

/// Every free-text field of the document gets `t` (appended, so the structure stays).
void inject(report::Document& d, std::string const& t) {
  auto put = [&](std::string& s) { s += t; };
  put(d.header.pseudonym);
  put(d.header.centre);
  put(d.header.tumour_name);
  put(d.header.stage);
  put(d.summary.why);
  for (auto& s : d.summary.input_issues) put(s);
  for (auto& g : d.summary.groups)
    for (auto& s : g.therapies) put(s);
  for (auto* rows : {&d.options, &d.evidence}) {
    for (auto& r : *rows) {
      put(r.therapy);
      put(r.criterion);
      put(r.source);
      for (auto& s : r.findings) put(s);
      for (auto& s : r.sites) put(s);
      for (auto& s : r.because) put(s);
      for (auto& c : r.cites) put(c.text);
    }
  }
  for (auto& r : d.tests_to_order) {
    put(r.test);
    for (auto& s : r.options) put(s);
  }
  for (auto& r : d.suppressed) put(r.therapy), put(r.by);
  for (auto& r : d.off_label) put(r.therapy), put(r.criterion);
  for (auto& r : d.near_misses) put(r.reason);
  for (auto* rows : {&d.findings, &d.germline})
    for (auto& r : *rows) put(r.gene), put(r.alteration), put(r.specimen);
  for (auto& r : d.tests) put(r.what), put(r.panel);
  for (auto& r : d.treatments) put(r.drugs), put(r.best_response);
  // One extra finding row and one test row carrying only the text.
  report::FindingRow f;
  f.gene = t;
  f.alteration = t;
  d.findings.push_back(f);
  report::TestRow tr;
  tr.what = t;
  d.tests.push_back(tr);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::shipped_engine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size > 65536) return 0;
  auto const in = fuzz::as_text(data, size);
  auto nul = in.find('\0');
  auto record = in.substr(0, nul);
  std::string text = nul == std::string_view::npos ? std::string() : std::string(in.substr(nul + 1));
  if (!text.empty() && nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::ignore) !=
                           nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) {
    std::string valid;  // invalid UTF-8: every byte >= 0x80 becomes "é"
    for (char c : text) valid += static_cast<unsigned char>(c) >= 0x80 ? std::string("\xC3\xA9") : std::string(1, c);
    text = std::move(valid);
  }
  auto const& cat = *fuzz::reference_catalog();
  auto const& e = *fuzz::shipped_engine();

  auto patient = io::read_patient_json(record, cat);
  if (!patient) {
    auto const& fixed = fuzz::kPatients[size % std::size(fuzz::kPatients)];
    patient = io::read_patient_json(fixed, cat);
    FUZZ_CHECK(static_cast<bool>(patient), "a fixed record does not read");
  }
  auto outcome = e.match(*patient);
  if (!outcome) return 0;  // (an engine error on a record that reads: fuzz_patient's business)

  report::Options ro;
  ro.report_date = "2026-12-02";
  ro.engine_version = "fuzz";
  static report::Language const kLangs[] = {report::Language::kEn, report::Language::kNl, report::Language::kFr};
  ro.lang = kLangs[size == 0 ? 0 : static_cast<unsigned char>(in[0]) % 3];
  auto d = report::build(*outcome, *patient, cat, ro);
  // The text is injected between markers no template holds, so a verbatim copy in the HTML is
  // the text itself, never a piece of the page's own markup.
  std::string const marked = "\xE2\x9F\xA6" + text + "\xE2\x9F\xA7";  // ⟦text⟧
  if (!text.empty()) inject(d, marked);

  auto html = report::render_html(d);
  for (char const* bad : {"<script", "<img", "href=\"javascript"})
    FUZZ_CHECK(html.find(bad) == std::string::npos, std::string("HTML holds ") + bad);
  if (text.find('<') != std::string::npos)
    FUZZ_CHECK(html.find(marked) == std::string::npos, "the injected text appears unescaped in the HTML");
  FUZZ_CHECK(html.find("<html") != std::string::npos && html.find("</html>") != std::string::npos,
             "HTML without <html> … </html>");

  auto js = report::render_json(d);
  auto j = nlohmann::json::parse(js, nullptr, false);
  FUZZ_CHECK(!j.is_discarded(), "render_json is not JSON: " + js.substr(0, 200));
  FUZZ_CHECK(j.contains("header") && j["header"].value("pseudonym", std::string("\x01")) == d.header.pseudonym,
             "the JSON header's pseudonym differs from the document's");

  auto pdf = report::render_pdf(d);
  FUZZ_CHECK(pdf.rfind("%PDF-", 0) == 0, "the PDF does not start with %PDF-");
  auto tail = pdf.substr(pdf.size() > 32 ? pdf.size() - 32 : 0);
  FUZZ_CHECK(tail.find("%%EOF") != std::string::npos, "the PDF does not end with %%EOF");
  FUZZ_CHECK(report::render_pdf(d) == pdf, "the same document rendered to other PDF bytes");
  return 0;
}
