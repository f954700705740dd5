// Engine facade: files → parse → check → compile, and patient → evaluate → classify → Outcome.
// The JSON entry points (match_json, explain_json, report_text) are the io module's adapters:
// src/io/engine_json.cpp.
#include "actionable/engine.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "actionable/detail/dsl/parser.hpp"
#include "actionable/detail/engine/impl.hpp"
#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/detail/explain/trace.hpp"
#include "actionable/detail/sema/check.hpp"
#include "actionable/detail/util/parallel.hpp"
#include "util/sha256.hpp"

namespace actionable {

namespace {

std::string sha256_hex(std::vector<RuleSource> const& sources) {
  util::Sha256 h;
  for (auto const& s : sources) {
    std::string frame = std::to_string(s.text.size()) + ":";
    h.update(frame);
    h.update(s.text);
  }
  return h.hex();
}

void file_error(Diagnostics& diags, std::string const& code, std::string const& path, std::string const& message) {
  Diagnostic d;
  d.severity = Severity::kError;
  d.code = code;
  d.path = path;
  d.message = message;
  diags.add(std::move(d));
}

/// The `ruleset` declarations of a rule file: lines whose first word is `ruleset` (a string
/// never spans lines and a comment starts with '#', so such a line is a declaration — or a
/// syntax error the parser reports).
std::size_t declarations_in(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t at = 0; at < text.size();) {
    auto eol = text.find('\n', at);
    auto line = text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    auto first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line.substr(first).rfind("ruleset", 0) == 0 &&
        (line.size() == first + 7 || line[first + 7] == ' ' || line[first + 7] == '\t' || line[first + 7] == '"'))
      ++n;
    if (eol == std::string_view::npos) break;
    at = eol + 1;
  }
  return n;
}

}  // namespace

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

RuleSetInfo const& Engine::info() const noexcept { return impl_->info; }
std::vector<RuleSetInfo> const& Engine::rule_sets() const noexcept { return impl_->parts; }
std::shared_ptr<ir::RuleSet const> Engine::rules() const noexcept { return impl_->rules; }
std::shared_ptr<graph::DecisionGraph const> Engine::graph() const noexcept { return impl_->graph; }
std::string Engine::dot() const { return graph::to_dot(*impl_->graph); }
std::vector<RuleSource> const& Engine::sources() const noexcept { return impl_->sources; }
catalog::Catalog const& Engine::catalog() const noexcept { return *impl_->catalog; }

std::shared_ptr<Engine const> Engine::from_paths(std::vector<std::string> const& paths,
                                                 std::shared_ptr<catalog::Catalog const> catalog, Diagnostics& diags) {
  namespace fs = std::filesystem;
  struct File {
    std::string path;
    std::uint32_t set;  ///< the argument it came from: each may be a rule set of its own
  };
  std::vector<File> files;
  bool bad = false;
  for (std::uint32_t arg = 0; arg < paths.size(); ++arg) {
    auto const& p = paths[arg];
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".rules") found.push_back(it->path().generic_string());
      }
      if (ec) {
        file_error(diags, "E002", p, "cannot read directory: " + ec.message());
        bad = true;
      }
      std::sort(found.begin(), found.end());
      if (found.empty() && !ec) {
        file_error(diags, "E003", p, "no .rules files in this directory");
        bad = true;
      }
      for (auto& f : found) files.push_back({std::move(f), arg});
    } else if (fs::exists(p, ec)) {
      files.push_back({p, arg});
    } else {
      file_error(diags, "E002", p, "no such file or directory");
      bad = true;
    }
  }
  std::vector<RuleSource> sources;
  for (auto const& f : files) {
    std::ifstream in(f.path, std::ios::binary);
    if (!in) {
      file_error(diags, "E002", f.path, "cannot open file");
      bad = true;
      continue;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    sources.push_back({f.path, ss.str(), f.set});
  }
  if (bad) return nullptr;
  // The same file named twice (e.g. a directory and a file in it) is read once.
  std::vector<RuleSource> unique;
  for (auto& s : sources) {
    bool dup = std::any_of(unique.begin(), unique.end(), [&](auto const& u) {
      std::error_code ec;
      return fs::equivalent(u.path, s.path, ec);
    });
    if (!dup) unique.push_back(std::move(s));
  }
  return from_sources(std::move(unique), std::move(catalog), diags);
}

std::shared_ptr<Engine const> Engine::from_sources(std::vector<RuleSource> sources,
                                                   std::shared_ptr<catalog::Catalog const> catalog,
                                                   Diagnostics& diags) {
  if (sources.empty()) {
    file_error(diags, "E003", "actionable", "no rule files given");
    return nullptr;
  }
  // Rule sets side by side: more than one `ruleset` declaration across sources of more than
  // one set. Otherwise the sources form one rule set, as they always did (a second
  // declaration in it is E104).
  std::vector<std::uint32_t> sets;  // distinct set values, in order of first appearance
  std::size_t declarations = 0;
  for (auto const& s : sources) {
    if (std::find(sets.begin(), sets.end(), s.set) == sets.end()) sets.push_back(s.set);
    declarations += declarations_in(s.text);
  }
  if (declarations > 1 && sets.size() > 1) {
    // Each set is checked and compiled alone (its names are its own; its tests run against
    // it alone), then linked into one IR and one decision graph.
    bool ok = true;
    auto impl = std::make_unique<Impl>();
    std::vector<ir::RuleSet> parts;
    std::vector<RuleSource> ordered;  // the sources grouped by set: what the registry archives
    // A path that declares no `ruleset` joins the rule set of the path before it (leading
    // ones: the first that declares one): `--rules rules/precision1 --rules rules/precision2`.
    std::vector<std::size_t> group_of(sets.size());
    std::size_t groups = 0;
    {
      std::vector<std::size_t> pending;
      for (std::size_t i = 0; i < sets.size(); ++i) {
        bool declares = std::any_of(sources.begin(), sources.end(),
                                    [&](auto const& s) { return s.set == sets[i] && declarations_in(s.text) > 0; });
        if (declares) {
          group_of[i] = groups++;
          for (auto p : pending) group_of[p] = group_of[i];
          pending.clear();
        } else if (groups > 0) {
          group_of[i] = groups - 1;
        } else {
          pending.push_back(i);
        }
      }
    }
    auto group_index = [&](std::uint32_t set) {
      return group_of[static_cast<std::size_t>(std::find(sets.begin(), sets.end(), set) - sets.begin())];
    };
    for (std::size_t k = 0; k < groups; ++k) {
      std::vector<RuleSource> group;
      for (auto const& s : sources)
        if (group_index(s.set) == k) group.push_back({s.path, s.text, 0});
      auto part = from_sources(group, catalog, diags);  // one set: the single-set path below
      for (auto& g : group) g.set = static_cast<std::uint32_t>(k);
      if (!part) {
        ok = false;
        continue;
      }
      for (auto const& prev : impl->parts)
        if (prev.name == part->info().name) {
          file_error(diags, "E107", group.front().path,
                     "two rule sets side by side are named '" + prev.name + "'; entries name their rule set by name");
          ok = false;
        }
      impl->parts.push_back(part->info());
      auto copy = *part->rules();
      copy.sha256 = part->info().sha256;
      parts.push_back(std::move(copy));
      impl->part_engines.push_back(std::move(part));
      ordered.insert(ordered.end(), group.begin(), group.end());
    }
    if (!ok) return nullptr;
    ir::RuleSet linked = ir::link(std::move(parts));
    util::Sha256 h;
    for (std::size_t k = 0; k < impl->parts.size(); ++k) {
      auto const& p = impl->parts[k];
      impl->info.name += (k ? " + " : "") + p.name;
      impl->info.version += (k ? " + " : "") + p.version;
      h.update(p.sha256 + "\n");
    }
    impl->info.sha256 = h.hex();
    linked.name = impl->info.name;
    linked.version = impl->info.version;
    linked.sha256 = impl->info.sha256;
    impl->rules = std::make_shared<ir::RuleSet const>(std::move(linked));
    impl->graph = graph::compile(impl->rules, catalog);
    impl->catalog = std::move(catalog);
    impl->sources = std::move(ordered);
    return std::make_shared<Engine const>(std::move(impl));
  }
  for (auto& s : sources) s.set = 0;
  std::vector<sema::ParsedFile> parsed;
  bool ok = true;
  for (auto const& s : sources) {
    auto src = std::make_shared<SourceFile const>(s.path, s.text);
    diags.keep(src);
    auto file = dsl::parse(*src, diags);
    if (!file) {
      ok = false;
      continue;
    }
    parsed.push_back({src, std::move(*file)});
  }
  if (!ok) return nullptr;
  auto rs = sema::check(parsed, *catalog, diags);
  if (!rs) return nullptr;
  auto impl = std::make_unique<Impl>();
  impl->info = {rs->name, rs->version, sha256_hex(sources)};
  impl->parts = {impl->info};
  rs->sha256 = impl->info.sha256;
  impl->rules = std::make_shared<ir::RuleSet const>(std::move(*rs));
  impl->graph = graph::compile(impl->rules, catalog);
  impl->catalog = std::move(catalog);
  impl->sources = std::move(sources);
  return std::make_shared<Engine const>(std::move(impl));
}

namespace {

/// Calls `run` with the patient whose tumour is resolved from its code (a copy only for a
/// hand-built patient that names its tumour by code alone); the record error match() reports
/// when the code is missing or not in the loaded OncoTree.
template <class Run>
auto with_tumour(model::Patient const& patient, catalog::Catalog const& catalog, Run run)
    -> Result<decltype(run(patient))> {
  Result<decltype(run(patient))> out;
  auto tumour = engine_detail::resolve_tumour(patient, catalog);
  if (!tumour) {
    out.errors.push_back({patient.tumour_code.empty() ? "/tumour" : "/tumour/oncotree",
                          patient.tumour_code.empty() ? "required field is missing"
                                                      : "unknown OncoTree code '" + patient.tumour_code +
                                                            "' (OncoTree " + catalog.oncotree.version() + ")"});
    return out;
  }
  if (*tumour == patient.tumour) {
    out.value = run(patient);
  } else {
    model::Patient resolved = patient;
    resolved.tumour = *tumour;
    out.value = run(resolved);
  }
  return out;
}

}  // namespace

Result<Outcome> Engine::match(model::Patient const& patient) const {
  return with_tumour(patient, *impl_->catalog, [&](model::Patient const& p) {
    eval::PatientView view(p, *impl_->catalog);
    auto evaluation = eval::evaluate(*impl_->graph, view);
    return engine_detail::to_outcome(eval::classify(*impl_->rules, view, evaluation), *impl_->rules, impl_->info);
  });
}

namespace {

Truth truth(eval::Tri t) noexcept {
  return t == eval::Tri::kTrue ? Truth::kTrue : t == eval::Tri::kFalse ? Truth::kFalse : Truth::kUnknown;
}

}  // namespace

std::string_view to_string(Truth t) noexcept {
  return t == Truth::kTrue ? "true" : t == Truth::kFalse ? "false" : "unknown";
}

Result<Trace> Engine::explain(model::Patient const& patient) const {
  return with_tumour(patient, *impl_->catalog, [&](model::Patient const& p) {
    auto const& rs = *impl_->rules;
    auto const& tree = impl_->catalog->oncotree;
    eval::PatientView view(p, *impl_->catalog);
    auto evaluation = eval::evaluate(*impl_->graph, view);
    auto steps = explain::trace(rs, view, evaluation);  // before classify: both read the one memo
    Trace t;
    t.outcome = engine_detail::to_outcome(eval::classify(rs, view, evaluation), rs, impl_->info);
    t.patient = p.id;
    t.tumour_code = p.tumour_code;
    t.tumour_name = tree.name(p.tumour);
    t.lineage = std::move(steps.lineage);
    t.solid = steps.solid;
    t.closed_world = view.closed_world();
    t.tests = p.tests.size();
    for (auto const& f : p.findings) t.findings.push_back(f.normalised());
    t.criteria_total = rs.criteria.size();
    for (auto& s : steps.steps) {
      auto const& c = rs.criteria[s.criterion];
      TraceStep st;
      st.criterion = engine_detail::criterion_ref(c, rs);
      st.cls = engine_detail::class_of(c.cls);
      st.tumour = s.tumour;
      st.tumour_reason = std::move(s.tumour_reason);
      st.when = truth(s.when);
      for (auto& l : s.lines)
        st.atoms.push_back(TraceAtom{l.is_define, std::move(l.text), std::move(l.source), truth(l.value),
                                     std::move(l.findings), std::move(l.missing)});
      if (c.require != ir::kNoNode) {
        st.require_text = c.require_text;
        st.require = truth(s.require);
      }
      for (std::size_t i = 0; i < c.excludes.size(); ++i)
        st.excludes.emplace_back(c.excludes[i].text, truth(s.excludes[i]));
      if (c.kind != ir::CriterionKind::kRule) st.status = ir::status_name(c.status);
      t.steps.push_back(std::move(st));
    }
    return t;
  });
}

std::vector<Result<Outcome>> Engine::match_many(std::vector<model::Patient> const& patients, unsigned threads) const {
  std::vector<Result<Outcome>> out(patients.size());
  util::parallel_for(patients.size(), threads, [&](std::size_t i) { out[i] = match(patients[i]); });
  return out;
}

namespace {

bool expectation_holds(ir::Expectation const& x, eval::Outcome const& o, ir::RuleSet const& rs, bool target_is_string) {
  auto name_ok = [&](ir::Criterion const& c) { return c.name == x.target && (x.arm.empty() || c.arm == x.arm); };
  auto therapy_ok = [&](std::vector<std::string> const& ts) {
    auto key = eval::therapy_key(x.target);
    return std::any_of(ts.begin(), ts.end(), [&](auto const& t) { return eval::therapy_key(t) == key; });
  };
  auto target_ok = [&](ir::Criterion const& c, std::vector<std::string> const& ts) {
    if (x.target.empty()) return true;
    return target_is_string ? therapy_ok(ts) : name_ok(c);
  };
  if (x.what == "pathway") return o.recommended == x.target;
  if (x.what == "option") return std::find(o.options.begin(), o.options.end(), x.target) != o.options.end();
  if (x.what == "coverage") return (o.coverage_declared ? "declared" : "assumed") == x.target;
  if (x.what == "indeterminate")
    return std::any_of(o.indeterminate.begin(), o.indeterminate.end(), [&](auto const& e) {
      auto const& c = rs.criteria[e.criterion];
      return target_ok(c, c.therapies);
    });
  if (x.what == "missing")  // some indeterminate entry names this test
    return std::any_of(o.indeterminate.begin(), o.indeterminate.end(), [&](auto const& e) {
      return std::find(e.missing.begin(), e.missing.end(), x.target) != e.missing.end();
    });
  if (x.what == "suppressed")
    return std::any_of(o.suppressed.begin(), o.suppressed.end(),
                       [&](auto const& e) { return target_ok(rs.criteria[e.criterion], e.therapies); });
  if (x.what == "off_label")
    return std::any_of(o.off_label.begin(), o.off_label.end(), [&](auto const& e) {
      auto const& c = rs.criteria[e.criterion];
      return target_ok(c, c.therapies);
    });
  if (x.what == "excluded" || x.what == "near_miss")  // a near miss is not excluded (result JSON)
    return std::any_of(o.excluded.begin(), o.excluded.end(), [&](auto const& e) {
      auto const& c = rs.criteria[e.criterion];
      return e.eligible_once.empty() == (x.what == "excluded") && target_ok(c, c.therapies);
    });
  if (x.what == "rule")
    return std::any_of(o.matches.begin(), o.matches.end(),
                       [&](auto const& m) { return name_ok(rs.criteria[m.criterion]); });
  return std::any_of(o.matches.begin(), o.matches.end(), [&](auto const& m) {
    return x.what == ir::class_name(m.cls) && target_ok(rs.criteria[m.criterion], m.therapies);
  });
}

std::string describe(eval::Outcome const& o, ir::RuleSet const& rs) {
  std::string s = "got pathway " + o.recommended + "; matches:";
  if (o.matches.empty()) s += " none";
  for (auto const& m : o.matches) {
    auto const& c = rs.criteria[m.criterion];
    s += std::string(" ") + ir::class_name(m.cls) + " " + c.name + (c.arm.empty() ? "" : "/" + c.arm) + " (";
    for (std::size_t i = 0; i < m.therapies.size(); ++i) s += (i ? ", " : "") + m.therapies[i];
    s += ")";
  }
  if (!o.indeterminate.empty()) {
    s += "; indeterminate:";
    for (auto const& e : o.indeterminate) s += " " + rs.criteria[e.criterion].name;
  }
  if (!o.suppressed.empty()) {
    s += "; suppressed:";
    for (auto const& e : o.suppressed) s += " " + rs.criteria[e.criterion].name;
  }
  return s;
}

}  // namespace

Engine::TestReport Engine::run_tests() const {
  TestReport report;
  if (!impl_->part_engines.empty()) {  // side by side: each rule set's tests against it alone
    for (auto const& part : impl_->part_engines) {
      auto r = part->run_tests();
      report.passed += r.passed;
      report.failed += r.failed;
      report.failures.insert(report.failures.end(), r.failures.begin(), r.failures.end());
    }
    return report;
  }
  auto const& rs = *impl_->rules;
  for (auto const& t : rs.tests) {
    eval::PatientView view(t.patient, *impl_->catalog);
    auto evaluation = eval::evaluate(*impl_->graph, view);
    auto outcome = eval::classify(rs, view, evaluation);
    std::vector<std::string> failed;
    for (auto const& x : t.expects) {
      bool is_string = x.target_is_string;
      bool holds = expectation_holds(x, outcome, rs, is_string);
      if (holds == x.negated) {
        failed.push_back("expect " + std::string(x.negated ? "not " : "") + x.what +
                         (x.target.empty() ? ""
                          : is_string      ? " \"" + x.target + "\""
                                           : " " + x.target) +
                         (x.arm.empty() ? "" : " arm \"" + x.arm + "\"") + " (line " + std::to_string(x.span.line()) +
                         ")");
      }
    }
    bool ok = failed.empty();
    if (!ok) {
      // One line per failed test (dsl.md §7): where it is, what was expected, what came out.
      std::string line = t.span.file_line() + ": test \"" + t.title + "\": ";
      for (std::size_t i = 0; i < failed.size(); ++i) line += (i ? "; " : "") + failed[i];
      line += " failed — " + describe(outcome, rs);
      report.failures.push_back(std::move(line));
    }
    if (ok)
      ++report.passed;
    else
      ++report.failed;
  }
  return report;
}

}  // namespace actionable
