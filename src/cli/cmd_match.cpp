// actionable match --rules RULES [PATIENT.json | -] — one record, or JSON Lines; one bad
// line never stops the batch. Errors name the line and the JSON pointer. Exit 1 when any
// record was rejected. Records are matched on all cores; output order is input order.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "actionable/io/json.hpp"
#include "cli/match_output.hpp"
#include "cli/streams.hpp"
#include "cli/rules_loader.hpp"
#include "actionable/detail/io/patient_json.hpp"
#include "actionable/detail/util/parallel.hpp"
#include "util/lines.hpp"
#ifdef ACTIONABLE_HAVE_CONVERT
#include "actionable/detail/io/readers/assemble.hpp"
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

}  // namespace

void write_summary(std::string const& path, CohortSummary const& summary) {
  if (path.empty()) return;
  std::ofstream f;
  open_output(path, f) << summary.json().dump(2) << "\n";
}

void setup_match(CLI::App& app, Common& common) {
  auto opt = std::make_shared<MatchOptions>();
  auto* sub = app.add_subcommand("match", "Match patient records (JSON or JSON Lines) against rules");
  sub->add_option("--rules,-r", opt->rules, "Rule file or directory (repeatable)")->required();
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
      // match the records as they are (JSON values, read by io::read_patient), in batches as
      // a JSON Lines input is: the same checks, the same output, no text round trip.
      auto assembled = assemble_from_options(opt->inputs, common);
      RecordPolicy mo;
      mo.warn_unknown_genes = opt->inputs.unknown_genes != "error";
      std::ofstream ofile;
      std::ostream* out = &std::cout;
      if (!opt->output.empty()) {
        ofile.open(opt->output, std::ios::binary);
        out = &ofile;
      }
      CohortSummary summary;
      int rc = run_match(engine, assembled.records, *out, "<assembled>", opt->format, opt->threads,
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

namespace {

/// One record to match: a line of the input (or the whole of a single document), or a record
/// the lab-file readers assembled, handed over as its JSON value — never printed and parsed
/// back (issue 10: the readers' records reach the engine without a text round trip).
struct Job {
  std::size_t line = 0;   ///< line of the input (a batch), or the record's place (assembled)
  std::string text;       ///< the record's text; unused when `value` is set
  bool overlong = false;  ///< the line was longer than util::kMaxLineBytes: refused unread
  nlohmann::json const* value = nullptr;
};

/// One record read, matched and rendered in the chosen format from the typed Outcome (kept for
/// the summary); explain keeps its text trace.
struct Rendered {
  bool ok = false;
  std::string text;
  std::optional<Outcome> outcome;
  std::vector<RecordError> errors, warnings;
};

std::string issue_line(RecordError const& e) { return (e.pointer.empty() ? "" : e.pointer + ": ") + e.message; }

/// What `match` / `explain` do with each record, whatever the records come from.
class Matcher {
 public:
  Matcher(std::shared_ptr<Engine const> const& engine, std::ostream& out, std::string const& origin,
          std::string const& format, unsigned threads, bool explain, CohortSummary* summary, RecordPolicy const& mo)
      : engine_(engine),
        out_(out),
        origin_(origin),
        format_(format),
        tsv_(format == "tsv" && !explain),
        explain_(explain),
        summary_(summary),
        policy_(mo),
        read_options_(io::read_options(mo)),
        threads_(threads ? threads : std::max(1u, std::thread::hardware_concurrency())),
        progress_(isatty(2) && !explain),
        too_long_("line longer than " + std::to_string(util::kMaxLineBytes) + " bytes: record refused") {
    if (tsv_) out_ << kTsvHeader;
  }

  unsigned threads() const noexcept { return threads_; }

  Rendered one(Job const& job) const {
    Rendered r;
    if (job.overlong) {
      r.errors.push_back({"", too_long_});
      return r;
    }
    if (explain_) {
      auto e = engine_->explain_json(job.value ? job.value->dump() : job.text, policy_);
      r.ok = e.ok;
      r.text = std::move(e.json);
      r.errors = std::move(e.errors);
      return r;
    }
    std::optional<model::Patient> patient;
    if (job.value) {
      patient = io::read_patient(*job.value, engine_->catalog(), r.errors, &r.warnings, read_options_);
    } else {
      auto read = io::read_patient_json(job.text, engine_->catalog(), read_options_, &r.warnings);
      if (read)
        patient = std::move(read.value);
      else
        r.errors = std::move(read.errors);
    }
    if (!patient) return r;
    auto outcome = engine_->match(*patient);
    if (!outcome) {
      r.errors = std::move(outcome.errors);
      return r;
    }
    r.ok = true;
    r.text = format_ == "text" ? io::outcome_text(*outcome, patient->tumour_code)
             : tsv_            ? result_tsv(*outcome)
                               : io::write_outcome(*outcome) + "\n";
    if (summary_) r.outcome = std::move(outcome.value);
    return r;
  }

  /// The whole input was one document: its issues name the input alone.
  int single(Job const& job) {
    auto r = one(job);
    for (auto const& w : r.warnings) std::cerr << origin_ << ": warning: " << issue_line(w) << "\n";
    if (!r.ok) {
      if (summary_) ++summary_->rejected;
      for (auto const& e : r.errors) std::cerr << origin_ << ": " << issue_line(e) << "\n";
      return 1;
    }
    emit(r);
    return 0;
  }

  /// Adds a record to the batch; matches the batch once it holds 256 records per worker.
  void take(Job job) {
    batch_.push_back(std::move(job));
    if (batch_.size() >= 256 * static_cast<std::size_t>(threads_)) flush();
  }

  /// Matches the batch on the workers, then writes results and issues in input order.
  void flush() {
    std::vector<Rendered> results(batch_.size());
    util::parallel_for(batch_.size(), threads_, [&](std::size_t i) { results[i] = one(batch_[i]); });
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      auto const& r = results[i];
      std::string const where = origin_ + ":" + std::to_string(batch_[i].line) + ": ";
      for (auto const& w : r.warnings) std::cerr << where << "warning: " << issue_line(w) << "\n";
      if (!r.ok) {
        rc_ = 1;
        if (summary_) ++summary_->rejected;
        for (auto const& e : r.errors) std::cerr << where << issue_line(e) << "\n";
        continue;
      }
      emit(r);
    }
    done_ += batch_.size();
    batch_.clear();
    if (progress_) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      std::cerr << "\r" << done_ << " records, " << static_cast<long>(secs > 0 ? done_ / secs : 0) << " records/s"
                << std::flush;
    }
  }

  /// Matches what is left, ends the progress line; the exit code of the batch.
  int finish() {
    flush();
    if (progress_) std::cerr << "\n";
    out_.flush();
    return rc_;
  }

 private:
  // Write one result and feed the summary (in input order).
  void emit(Rendered const& r) {
    out_ << r.text;
    if (format_ == "text" && !explain_) out_ << "\n";
    if (summary_ && r.outcome) summary_->add(*r.outcome);
  }

  std::shared_ptr<Engine const> engine_;
  std::ostream& out_;
  std::string origin_, format_;
  bool tsv_, explain_;
  CohortSummary* summary_;
  RecordPolicy policy_;
  io::PatientReadOptions read_options_;
  unsigned threads_;
  bool progress_;
  std::string too_long_;  // a line longer than util::kMaxLineBytes is refused unread (docs/reliability.md)
  std::vector<Job> batch_;
  std::size_t done_ = 0;
  int rc_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace

int run_match(std::shared_ptr<Engine const> const& engine, std::istream& in, std::ostream& out,
              std::string const& origin, std::string const& format, unsigned threads, bool explain,
              CohortSummary* summary, RecordPolicy const& mo) {
  Matcher matcher(engine, out, origin, format, threads, explain, summary, mo);
  // Read the first lines to decide between one document and JSON Lines.
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
    Job job;
    for (auto const& h : head) job.text += h + "\n";
    std::size_t const cap = util::kMaxLineBytes + 1;
    std::string chunk(64 * 1024, '\0');
    while (job.text.size() <= cap && in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())).gcount() > 0)
      job.text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (job.text.size() > cap) {
      if (summary) ++summary->rejected;
      std::cerr << origin << ": the record is larger than " << util::kMaxLineBytes << " bytes: refused\n";
      return 1;
    }
    return matcher.single(job);
  }
  // JSON Lines: the head lines then the rest, in parallel batches; blank lines are skipped.
  std::size_t line_no = 0;
  auto take = [&](std::string&& l, bool too_big) {
    ++line_no;
    if (!too_big && is_blank(l)) return;
    Job job;
    job.line = line_no;
    job.overlong = too_big;
    if (!too_big) job.text = std::move(l);
    matcher.take(std::move(job));
  };
  for (std::size_t i = 0; i < head.size(); ++i) take(std::move(head[i]), head_overlong[i]);
  while (util::read_line(in, line, overlong)) take(std::move(line), overlong);
  return matcher.finish();
}

int run_match(std::shared_ptr<Engine const> const& engine, std::vector<nlohmann::json> const& records,
              std::ostream& out, std::string const& origin, std::string const& format, unsigned threads,
              CohortSummary* summary, RecordPolicy const& mo) {
  Matcher matcher(engine, out, origin, format, threads, false, summary, mo);
  for (std::size_t i = 0; i < records.size(); ++i) {
    Job job;
    job.line = i + 1;
    job.value = &records[i];
    matcher.take(std::move(job));
  }
  return matcher.finish();
}

}  // namespace actionable::cli
