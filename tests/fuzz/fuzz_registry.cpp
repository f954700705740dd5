// Fuzz target: the registry's record and follow-up parsers (Registry::import_lines,
// registry::parse_follow_up) on a throw-away SQLite registry with two centres.
//
// Input: JSON Lines text (at most 64 lines are used), each line a patient record (patient.md +
// the registry's fields: centre, consents, treatments, …) or a follow-up document. Every line
// is imported with default centre BE-A, then imported again, and read as a follow-up document.
// Invariants:
//  - import_lines never throws on any input: a bad line is a rejection with issues, never an
//    error that stops the batch (which would lose the other lines);
//  - inserted + updated + unchanged + rejected = the number of non-blank lines;
//  - every issue names a line of the input (1 … n), a JSON pointer ("" or "/…") and a
//    one-line, non-empty message; every rejected line has at least one issue;
//  - importing the same lines again inserts nothing, and every line with an issue the first
//    time has one again (a consent withdrawn by a later line may refuse more);
//  - parse_follow_up gives a value exactly when it reported no issue, with pointers as above;
//  - the record the registry stores reads like the record as given: when the engine reads a
//    line the registry accepts, it reads the registry's canonical input into the same Patient
//    (but for the pseudonym, and input_issues, of which the registry keeps a count) — the
//    whitelist drops nothing the engine reads (docs/registry.md, "What is stored");
//  - every 256 inputs, and at the end of a replay: integrity_check passes and every line of
//    export_jsonl is a JSON object. The registry is re-created every 1,024 inputs (bounded size).
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/detail/io/patient_json.hpp"
#include "actionable/registry/registry.hpp"
#include "fuzz_common.hpp"
#include "record.hpp"  // src/registry (the registry's record reader; this target is its test)

using namespace actionable;

namespace {

struct World {
  std::filesystem::path dir;
  std::string url;
  std::unique_ptr<registry::Registry> reg;
  registry::PseudonymKey key = registry::PseudonymKey::from_bytes("fuzz-key-0123456789abcdef0123456789abcdef");
  std::size_t inputs = 0;

  World() {
    dir = std::filesystem::temp_directory_path() / ("act_fuzz_registry_" + std::to_string(::getpid()));
    reset();
  }
  void reset() {
    reg.reset();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    url = "sqlite:" + (dir / "r.db").string();
    reg = registry::Registry::open(url, {});
    reg->init();
    reg->add_centre("BE-A", "A");
    reg->add_centre("BE-B", "B");
    reg->bind_key(key);
  }
  void check_whole() {
    auto ic = reg->integrity_check();
    FUZZ_CHECK(ic.ok, "integrity_check: " + (ic.problems.empty() ? std::string("?") : ic.problems.front()));
    std::ostringstream out;
    reg->export_jsonl(out);
    std::istringstream in(out.str());
    std::string l;
    while (std::getline(in, l)) {
      auto j = nlohmann::json::parse(l, nullptr, false);
      FUZZ_CHECK(!j.is_discarded() && j.is_object(), "export_jsonl line is not a JSON object: " + l.substr(0, 200));
    }
  }
  ~World() {
    if (reg && inputs > 0) check_whole();  // the end of a replay or a campaign
    reg.reset();
    std::filesystem::remove_all(dir);
  }
};

World& world() {
  static World w;
  return w;
}

void check_issues(std::vector<registry::RecordIssue> const& issues, std::int64_t lines, char const* who) {
  for (auto const& i : issues) {
    FUZZ_CHECK(lines < 0 || (i.line >= 1 && i.line <= lines),
               std::string(who) + ": issue on line " + std::to_string(i.line) + " of " + std::to_string(lines));
    FUZZ_CHECK(i.pointer.empty() || i.pointer[0] == '/', std::string(who) + ": bad pointer '" + i.pointer + "'");
    FUZZ_CHECK(!i.message.empty(), std::string(who) + ": empty message at " + i.pointer);
    FUZZ_CHECK(i.message.find('\n') == std::string::npos, std::string(who) + ": multi-line message: " + i.message);
  }
}

/// The stored form of `line` reads into the Patient the line itself reads into.
void check_stored_reads_alike(std::string const& line) {
  std::vector<registry::RecordIssue> issues;
  auto rec = registry::detail::parse_record(line, "BE-A", issues);
  if (!rec) return;
  auto original = nlohmann::json::parse(line, nullptr, false);
  if (original.is_discarded() || !original.is_object()) return;
  std::string const pseudonym(64, 'a');
  original["patient"] = pseudonym;
  original["centre"] = rec->centre;
  auto const& cat = *fuzz::reference_catalog();
  std::vector<RecordError> errors, stored_errors;
  auto given = io::read_patient(original, cat, errors);
  if (!given) return;
  auto stored = io::read_patient_text(registry::detail::canonical_input(*rec, pseudonym), cat, stored_errors);
  FUZZ_CHECK(stored.has_value(),
             "the stored record does not read: " +
                 (stored_errors.empty() ? std::string("?")
                                        : stored_errors.front().pointer + ": " + stored_errors.front().message));
  FUZZ_CHECK(stored->input_issues.size() == (given->input_issues.empty() ? 0u : 1u),
             "the stored record keeps " + std::to_string(stored->input_issues.size()) + " input issue lines");
  stored->input_issues = given->input_issues;
  FUZZ_CHECK(*stored == *given, "the stored record reads into another Patient than the record as given");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  world();
  fuzz::reference_catalog();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size > 65536) return 0;
  auto& w = world();
  if (++w.inputs % 1024 == 0) w.reset();
  std::vector<std::string> lines;
  std::string_view in = fuzz::as_text(data, size);
  while (!in.empty() && lines.size() < 64) {
    auto nl = in.find('\n');
    lines.emplace_back(in.substr(0, nl));
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  }
  std::int64_t documents = 0;
  for (auto const& l : lines) {
    std::string_view t = l;
    if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
    if (t.find_first_not_of(" \t") != std::string_view::npos) ++documents;
  }
  auto const n = static_cast<std::int64_t>(lines.size());

  registry::ImportOptions o;
  o.default_centre = "BE-A";
  o.batch_size = 16;
  registry::ImportReport first, again;
  try {
    first = w.reg->import_lines(lines, w.key, o);
    again = w.reg->import_lines(lines, w.key, o);
  } catch (registry::Error const& e) {
    FUZZ_CHECK(false, std::string("import_lines threw: ") + e.what());
  }
  for (auto const* r : {&first, &again}) {
    FUZZ_CHECK(r->inserted + r->updated + r->unchanged + r->rejected == documents,
               "counts " + std::to_string(r->inserted) + "+" + std::to_string(r->updated) + "+" +
                   std::to_string(r->unchanged) + "+" + std::to_string(r->rejected) + " for " +
                   std::to_string(documents) + " documents");
    check_issues(r->issues, n, "import");
    std::set<std::int64_t> issue_lines;
    for (auto const& i : r->issues) issue_lines.insert(i.line);
    FUZZ_CHECK(static_cast<std::int64_t>(issue_lines.size()) >= r->rejected,
               std::to_string(r->rejected) + " rejected lines but issues on " + std::to_string(issue_lines.size()));
  }
  FUZZ_CHECK(again.inserted == 0, "re-import inserted " + std::to_string(again.inserted));
  // Every line rejected the first time is rejected again. (A line accepted the first time may be
  // refused the second: a later line withdrew the patient's PRECISION 1 consent, after which
  // no clinical data is accepted — docs/registry.md.)
  std::set<std::int64_t> first_rejected, again_rejected;
  for (auto const& i : first.issues) first_rejected.insert(i.line);
  for (auto const& i : again.issues) again_rejected.insert(i.line);
  FUZZ_CHECK(again.rejected >= first.rejected,
             "re-import rejected " + std::to_string(again.rejected) + ", first " + std::to_string(first.rejected));
  for (auto l : first_rejected)
    FUZZ_CHECK(again_rejected.count(l) == 1, "line " + std::to_string(l) + " had an issue, not on re-import");

  for (auto const& l : lines) check_stored_reads_alike(l);
  for (auto const& l : lines) {
    std::string local_id, centre;
    std::vector<registry::RecordIssue> issues;
    auto f = registry::parse_follow_up(l, "BE-A", local_id, centre, issues);
    FUZZ_CHECK(f.has_value() == issues.empty(), "parse_follow_up: value and issues disagree");
    check_issues(issues, -1, "follow-up");
  }
  if (w.inputs % 256 == 0) w.check_whole();
  return 0;
}
