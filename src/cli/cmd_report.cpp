// actionable report --rules RULES PATIENT.json|- -o report.html|report.json|DIR/ — the molecular
// tumour board report (docs/report.md). One record or a JSON Lines batch; with -o DIR/ one
// file per patient plus index.html. The report date is --date (default: today, UTC), so a
// re-run with the same --date gives the same bytes.
#include <unistd.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "actionable/io/json.hpp"
#include "actionable/report/cohort.hpp"
#include "actionable/report/report.hpp"
#include "cli/rules_loader.hpp"
#include "cli/streams.hpp"

namespace actionable::cli {

namespace {

struct ReportOptions {
  std::vector<std::string> rules;
  std::string input = "-";
  std::string output;
  std::string format;  // html | json; "" = by the output's extension (html for a directory)
  std::string lang = "en";
  std::string date;
  std::string intended_use;
  bool cohort = false;
};

// The same libc calls as now_iso() in portal/accounts.cpp, with another format: a shared wrapper would
// take the format and the buffer size and be no shorter than either copy.
std::string today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

/// Write `text` to the file `path` (opened by open_output: "PATH: cannot write file" and status
/// 1 when it cannot be created), or say the same when the writing itself fails (disk full).
void write_file(std::string const& path, std::string const& text) {
  std::ofstream f;
  open_output(path, f) << text;
  if (f) return;
  std::cerr << path << ": cannot write file\n";
  throw CLI::RuntimeError(1);
}

/// A file name for a pseudonym: letters, digits, '-', '_' and '.' kept, the rest '_'.
std::string safe_name(std::string const& id) {
  std::string out;
  for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out.empty() || out[0] == '.' ? "_" + out : out;
}

void run_report(ReportOptions const& o, Common& common) {
  auto engine = load_rules(o.rules, common, true);
  std::stringstream buf;
  std::ifstream file;
  buf << open_input(o.input, file).rdbuf();
  std::string text = buf.str();
  // One document (possibly pretty-printed) or JSON Lines: a first line that is a whole record
  // means JSON Lines.
  std::vector<std::pair<std::size_t, std::string>> records;
  {
    std::istringstream lines(text);
    std::string line, first;
    std::size_t n = 0;
    bool lines_mode = false;
    while (std::getline(lines, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (first.empty()) {
        first = line;
        lines_mode = nlohmann::json::accept(line);
        if (!lines_mode) break;
      }
      records.push_back({n, line});
    }
    if (!lines_mode) records = {{1, text}};
  }
  report::Options ro;
  ro.lang = *report::parse_language(o.lang);
  ro.report_date = o.date.empty() ? today() : o.date;
  ro.engine_version = ACTIONABLE_VERSION;
  ro.intended_use = o.intended_use;
  bool to_dir = !o.output.empty() && (o.output.back() == '/' || std::filesystem::is_directory(o.output));
  std::string format = o.format;
  auto ends = [&](char const* ext) {
    std::string e = ext;
    return o.output.size() >= e.size() && o.output.compare(o.output.size() - e.size(), e.size(), e) == 0;
  };
  if (format.empty()) format = to_dir ? "html" : ends(".json") ? "json" : ends(".pdf") ? "pdf" : "html";
  if (format == "pdf" && !to_dir && (o.output.empty() || o.output == "-") && isatty(1)) {
    std::cerr << "error: a PDF goes to a file (-o report.pdf) or a pipe, not a terminal\n";
    throw CLI::RuntimeError(2);
  }
  if (!to_dir && records.size() > 1 && !o.cohort) {
    std::cerr << "error: " << records.size() << " records: give -o DIR/ for one report per patient\n";
    throw CLI::RuntimeError(2);
  }
  // One record read and matched; its errors printed with file[:line] and JSON pointer.
  auto read_and_match = [&](std::size_t line,
                            std::string const& rec) -> std::optional<std::pair<model::Patient, Outcome>> {
    auto where = input_name(o.input) + (records.size() > 1 ? ":" + std::to_string(line) : "");
    auto patient = io::read_patient_json(rec, engine->catalog());
    auto outcome = patient ? engine->match(*patient) : Result<Outcome>{};
    auto const& errors = !patient ? patient.errors : outcome.errors;
    if (!patient || !outcome) {
      for (auto const& e : errors)
        std::cerr << where << ": " << (e.pointer.empty() ? "" : e.pointer + ": ") << e.message << "\n";
      return std::nullopt;
    }
    return std::pair{std::move(*patient.value), std::move(*outcome.value)};
  };
  // Every record read and matched in turn, handed to `use`; 1 if any could not be, else 0.
  auto each_matched = [&](auto&& use) {
    int rc = 0;
    for (auto const& [line, rec] : records) {
      if (auto r = read_and_match(line, rec))
        use(std::move(*r));
      else
        rc = 1;
    }
    return rc;
  };
  if (o.cohort) {
    // One cohort report of the whole batch (what the results alone tell; docs/report.md).
    if (to_dir || format == "pdf") {
      std::cerr << "error: the cohort report is one HTML or JSON file (-o cohort.html)\n";
      throw CLI::RuntimeError(2);
    }
    std::vector<std::pair<model::Patient, Outcome>> batch;
    if (each_matched([&](std::pair<model::Patient, Outcome>&& r) { batch.push_back(std::move(r)); })) {
      std::cerr << "error: records that cannot be matched would make the cohort look complete: none written\n";
      throw CLI::RuntimeError(1);
    }
    auto cohort = report::cohort_from_batch(batch, input_name(o.input), ro.report_date, ACTIONABLE_VERSION);
    auto out =
        format == "json" ? report::render_cohort_json(cohort) + "\n" : report::render_cohort_html(cohort, ro.lang);
    if (o.output.empty() || o.output == "-")
      std::cout << out;
    else
      write_file(o.output, out);
    return;
  }
  if (to_dir) std::filesystem::create_directories(o.output);
  std::vector<report::IndexEntry> index;
  int rc = each_matched([&](std::pair<model::Patient, Outcome>&& r) {
    auto const& patient = r.first;
    auto const& outcome = r.second;
    auto doc = report::build(outcome, patient, engine->catalog(), ro);
    auto out = format == "json"  ? report::render_json(doc) + "\n"
               : format == "pdf" ? report::render_pdf(doc)
                                 : report::render_html(doc);
    if (to_dir) {
      auto name = safe_name(outcome.patient) + "." + format;
      write_file(o.output + "/" + name, out);
      index.push_back(
          {name, outcome.patient, patient.tumour_code, outcome.pathway.recommended, outcome.matches.size()});
    } else if (o.output.empty() || o.output == "-") {
      std::cout << out;
    } else {
      write_file(o.output, out);
    }
  });
  if (to_dir && format != "json") write_file(o.output + "/index.html", report::render_index_html(index, ro));
  if (rc) throw CLI::RuntimeError(rc);
}

}  // namespace

void setup_report(CLI::App& app, Common& common) {
  auto opt = std::make_shared<ReportOptions>();
  auto* sub =
      app.add_subcommand("report", "The molecular tumour board report of a patient (HTML or JSON; docs/report.md)");
  sub->add_option("--rules,-r", opt->rules, "Rule file or directory (repeatable)")->required();
  sub->add_option("PATIENT", opt->input, "Patient JSON (one record or JSON Lines), or - for stdin");
  sub->add_option("-o,--output", opt->output,
                  "report.html, report.json, or DIR/ for one file per patient + index.html");
  sub->add_option("--format", opt->format, "html, pdf or json (default: by the output's extension)")
      ->check(CLI::IsMember({"html", "pdf", "json"}));
  sub->add_option("--lang", opt->lang, "en, nl or fr (fixed labels)")->check(CLI::IsMember({"en", "nl", "fr"}));
  sub->add_option("--date", opt->date, "report date YYYY-MM-DD (default: today, UTC)");
  sub->add_option("--intended-use", opt->intended_use, "the deployment's intended-use statement");
  sub->add_flag("--cohort", opt->cohort, "one cohort report of the batch (HTML or JSON; docs/report.md)");
  sub->callback([opt, &common] { run_report(*opt, common); });
}

}  // namespace actionable::cli
