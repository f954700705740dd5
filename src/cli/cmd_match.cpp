// actionable match --rules RULES [PATIENT.json | -] — one record, or JSON Lines; one bad
// line never stops the batch. Errors name the line and the JSON pointer. Exit 1 when any
// record was rejected. Records are matched on all cores; output order is input order.
#include <atomic>
#include <nlohmann/json.hpp>
#include <fstream>
#include <sstream>
#include <future>
#include <thread>

#include <unistd.h>

#include <chrono>

#include "actionable/io/json.hpp"
#include "cli/match_output.hpp"
#include "cli/streams.hpp"
#include "cli/rules_loader.hpp"
#ifdef ACTIONABLE_HAVE_CONVERT
#include "actionable/detail/io/readers/assemble.hpp"
#include "actionable/detail/util/parallel.hpp"
#include "util/lines.hpp"
#endif

namespace actionable::cli {
namespace {

struct MatchOptions {
  std::vector<std::string> rules;
#ifdef ACTIONABLE_HAVE_CONVERT
  InputOptions inputs;
#endif
  std::string input = "-";
  std::string format = "json";
  std::string output;
  std::string summary;
  unsigned threads = 0;
};

bool is_blank(std::string const& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

/// A whole-file single JSON document (pretty-printed) vs JSON Lines: a document whose first
/// non-blank line is not a complete JSON value is read whole.

}  // namespace

void write_summary(std::string const& path, CohortSummary const& summary) {
  if (path.empty()) return;
  std::ofstream f;
  open_output(path, f) << summary.json().dump(2) << "\n";
}

void setup_match(CLI::App& app, Common& common) {
  auto opt = std::make_shared<MatchOptions>();
  auto* sub = app.add_subcommand("match", "Match patient records (JSON or JSON Lines) against rules");
  sub->add_option("--rules,-r", opt->rules, "Rule file or directory (repeatable)")->required()->allow_extra_args(false);
  sub->add_option("PATIENT", opt->input, "Patient JSON / JSON Lines file, or - for stdin");
  sub->add_option("--format", opt->format,
                  "json (one result per line), text (for people) or tsv (one row per patient x match)")
      ->check(CLI::IsMember({"json", "text", "tsv"}));
  sub->add_option("--summary", opt->summary,
                  "Also write a cohort summary (JSON: patients per pathway, class, gene; "
                  "indeterminate counts with the tests that would decide them)");
  sub->add_option("--output,-o", opt->output, "Write results to this file instead of stdout");
  sub->add_option("--threads,-j", opt->threads, "Worker threads (default: all cores)");
#ifdef ACTIONABLE_HAVE_CONVERT
  add_input_options(*sub, opt->inputs);
#endif
  sub->callback([opt, &common] {
    auto engine = load_rules(opt->rules, common, true);
#ifdef ACTIONABLE_HAVE_CONVERT
    if (opt->inputs.any()) {
      // MAF / cBioPortal / VCF / Phenopacket inputs: assemble one record per sample, then
      // match them as a JSON Lines batch (same code path, same output).
      auto assembled = assemble_from_options(opt->inputs, common);
      RecordPolicy mo;
      mo.warn_unknown_genes = opt->inputs.unknown_genes != "error";
      std::stringstream batch;
      for (auto const& r : assembled.records) batch << r.dump() << "\n";
      std::ofstream ofile;
      std::ostream* out = &std::cout;
      if (!opt->output.empty()) {
        ofile.open(opt->output, std::ios::binary);
        out = &ofile;
      }
      CohortSummary summary;
      int rc = run_match(engine, batch, *out, "<assembled>", opt->format, opt->threads, false,
                         opt->summary.empty() ? nullptr : &summary, mo);
      write_summary(opt->summary, summary);
      if (rc != 0 || assembled.errors != 0 || assembled.rejected != 0) throw CLI::RuntimeError(1);
      return;
    }
#endif
    std::ifstream file;
    std::istream* in = &open_input(opt->input, file);
    std::ofstream ofile;
    std::ostream* out = &open_output(opt->output, ofile);
    CohortSummary summary;
    RecordPolicy mo;
#ifdef ACTIONABLE_HAVE_CONVERT
    mo.warn_unknown_genes = opt->inputs.unknown_genes == "warn";  // JSON records: strict by default
#endif
    int rc = run_match(engine, *in, *out, input_name(opt->input), opt->format, opt->threads, false,
                       opt->summary.empty() ? nullptr : &summary, mo);
    write_summary(opt->summary, summary);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

int run_match(std::shared_ptr<Engine const> const& engine, std::istream& in, std::ostream& out,
              std::string const& origin, std::string const& format, unsigned threads, bool explain,
              CohortSummary* summary, RecordPolicy const& mo) {
  bool tsv = format == "tsv" && !explain;
  if (tsv) out << kTsvHeader;
  auto const read_options = io::read_options(mo);
  // One record: read, match, render in the chosen format from the typed Outcome (kept for the
  // summary). explain keeps its text trace.
  struct Rendered {
    bool ok = false;
    std::string text;
    std::optional<Outcome> outcome;
    std::vector<RecordError> errors, warnings;
  };
  // A line longer than util::kMaxLineBytes is refused without being kept (docs/reliability.md).
  std::string const too_long = "line longer than " + std::to_string(util::kMaxLineBytes) + " bytes: record refused";
  auto one = [&](std::string const& record) {
    Rendered r;
    if (explain) {
      auto e = engine->explain_json(record, mo);
      r.ok = e.ok;
      r.text = std::move(e.json);
      r.errors = std::move(e.errors);
      return r;
    }
    auto patient = io::read_patient_json(record, engine->catalog(), read_options, &r.warnings);
    if (!patient) {
      r.errors = std::move(patient.errors);
      return r;
    }
    auto outcome = engine->match(*patient);
    if (!outcome) {
      r.errors = std::move(outcome.errors);
      return r;
    }
    r.ok = true;
    r.text = format == "text" ? io::outcome_text(*outcome, patient->tumour_code)
             : tsv            ? result_tsv(*outcome)
                              : io::write_outcome(*outcome) + "\n";
    if (summary) r.outcome = std::move(outcome.value);
    return r;
  };
  // Write one result and feed the summary (in input order).
  auto emit = [&](Rendered const& r) {
    out << r.text;
    if (format == "text" && !explain) out << "\n";
    if (summary && r.outcome) summary->add(*r.outcome);
  };
  // Read the first chunk to decide between one document and JSON Lines.
  std::string text;
  {
    std::string line;
    bool overlong = false;
    std::vector<std::string> head;
    std::vector<bool> head_overlong;
    // Peek the first non-blank line.
    while (util::read_line(in, line, overlong)) {
      head.push_back(line);
      head_overlong.push_back(overlong);
      if (!is_blank(line)) break;
    }
    std::string first = head.empty() ? "" : head.back();
    bool first_ok = !first.empty() && !nlohmann::json::parse(first, nullptr, false).is_discarded();
    bool single_document = false;
    if (!first.empty() && !first_ok && !head_overlong.back()) {
      // Either a pretty-printed document or a JSON Lines batch whose first line is bad: look at
      // the next non-blank line — in a batch it is a complete record.
      while (util::read_line(in, line, overlong)) {
        head.push_back(line);
        head_overlong.push_back(overlong);
        if (!is_blank(line)) break;
      }
      std::string second = head.back();
      bool has_second = head.size() >= 2 && !is_blank(second);
      single_document =
          has_second && !head_overlong.back() && nlohmann::json::parse(second, nullptr, false).is_discarded();
    }
    if (single_document) {
      // A multi-line single document: read it all, but no more than the record limit allows
      // (io: 16 MiB), so that an endless input costs bounded memory.
      for (auto const& h : head) text += h + "\n";
      std::size_t const cap = util::kMaxLineBytes + 1;
      std::string chunk(64 * 1024, '\0');
      while (text.size() <= cap && in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())).gcount() > 0)
        text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
      if (text.size() > cap) {
        if (summary) ++summary->rejected;
        std::cerr << origin << ": the record is larger than " << util::kMaxLineBytes << " bytes: refused\n";
        return 1;
      }
      auto r = one(text);
      for (auto const& w : r.warnings)
        std::cerr << origin << ": warning: " << (w.pointer.empty() ? "" : w.pointer + ": ") << w.message << "\n";
      if (!r.ok) {
        if (summary) ++summary->rejected;
        for (auto const& e : r.errors)
          std::cerr << origin << ": " << (e.pointer.empty() ? "" : e.pointer + ": ") << e.message << "\n";
        return 1;
      }
      emit(r);
      return 0;
    }
    // JSON Lines: process head lines then the rest, in parallel batches.
    std::size_t line_no = 0;
    int rc = 0;
    unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::pair<std::size_t, std::string>> batch;  // line number, record ("" + flag: too long)
    std::vector<bool> batch_overlong;
    bool progress = isatty(2) && !explain;
    auto started = std::chrono::steady_clock::now();
    std::size_t done = 0;
    auto flush = [&] {
      std::vector<Rendered> results(batch.size());
      util::parallel_for(batch.size(), n, [&](std::size_t i) {
        if (batch_overlong[i])
          results[i].errors.push_back({"", too_long});
        else
          results[i] = one(batch[i].second);
      });
      for (std::size_t i = 0; i < batch.size(); ++i) {
        auto const& r = results[i];
        for (auto const& w : r.warnings)
          std::cerr << origin << ":" << batch[i].first << ": warning: " << (w.pointer.empty() ? "" : w.pointer + ": ")
                    << w.message << "\n";
        if (!r.ok) {
          rc = 1;
          if (summary) ++summary->rejected;
          for (auto const& e : r.errors)
            std::cerr << origin << ":" << batch[i].first << ": " << (e.pointer.empty() ? "" : e.pointer + ": ")
                      << e.message << "\n";
          continue;
        }
        emit(r);
      }
      done += batch.size();
      batch.clear();
      batch_overlong.clear();
      if (progress) {
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::cerr << "\r" << done << " records, " << static_cast<long>(secs > 0 ? done / secs : 0) << " records/s"
                  << std::flush;
      }
    };
    auto take = [&](std::string const& l, bool too_big) {
      ++line_no;
      if (!too_big && is_blank(l)) return;
      batch.push_back({line_no, too_big ? std::string() : l});
      batch_overlong.push_back(too_big);
      if (batch.size() >= 256 * n) flush();
    };
    for (std::size_t i = 0; i < head.size(); ++i) take(head[i], head_overlong[i]);
    while (util::read_line(in, line, overlong)) take(line, overlong);
    flush();
    if (progress) std::cerr << "\n";
    out.flush();
    return rc;
  }
}

}  // namespace actionable::cli
