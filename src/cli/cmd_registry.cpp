// actionable registry … — the PRECISION 1 registry (docs/registry.md): init | import | match |
// decide | follow-up | endpoints | replay | diff | export | forget here; audit-verify |
// integrity-check | backup | restore | rotate-key | grant | patients in cmd_registry_admin.cpp;
// the portal's user and report in cmd_registry_portal.cpp. Shared options (--db, --key-file,
// --centre, --actor) may be given before or after the subcommand. Diagnostics go to stderr;
// exit 1 on bad input or a failed check, 2 on usage errors (CLI11).
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "actionable/registry/endpoints.hpp"
#include "cli/registry_shared.hpp"
#include "cli/rules_loader.hpp"
#include "cli/streams.hpp"
#include "util/sha256.hpp"

namespace actionable::cli::registry_cli {
namespace {

using nlohmann::json;

std::string db_url(Shared const& s) {
  if (!s.db.empty()) return s.db;
  if (char const* e = std::getenv("ACTIONABLE_DB"); e && *e) return e;
  return "sqlite:./actionable.db";
}

}  // namespace

void fail(std::string const& message) {
  std::cerr << "actionable registry: " << message << "\n";
  throw CLI::RuntimeError(1);
}

std::unique_ptr<reg::Registry> open_registry(Shared const& s) {
  reg::OpenOptions o;
  o.scope.centres = s.centres;
  o.actor = s.actor;
  return reg::Registry::open(db_url(s), o);
}

reg::PseudonymKey load_key(Shared const& s) {
  // The library refuses a key file that group or others may read (kKey, naming the fix).
  if (!s.key_file.empty()) return reg::PseudonymKey::from_file(s.key_file);
  if (auto k = reg::PseudonymKey::from_environment()) return *k;
  fail("no pseudonymisation key: give --key-file or set ACTIONABLE_PSEUDONYM_KEY_FILE");
}

/// The centre a local patient id belongs to: the only --centre, or the only centre in scope.
std::string patient_centre(reg::Registry& r, Shared const& s) {
  if (s.centres.size() == 1) return s.centres.front();
  auto cs = r.centres();
  if (cs.size() == 1) return cs.front().code;
  fail("name the patient's centre with --centre (the pseudonym depends on it)");
}

std::string resolve_pseudonym(reg::Registry& r, Shared const& s, std::string const& local_id,
                              std::string const& pseudonym) {
  if (!pseudonym.empty()) return pseudonym;
  if (local_id.empty()) fail("give --patient ID (with --centre) or --pseudonym HEX");
  return load_key(s).pseudonym(patient_centre(r, s), local_id);
}

namespace {

/// Reference-data versions for match runs: sha256 of each file of the reference directory.
std::string reference_versions(Common& common) {
  std::string dir = common.reference_dir.empty() ? catalog::Catalog::default_dir() : common.reference_dir;
  json out = json::object();
  std::error_code ec;
  for (auto const& e : std::filesystem::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    out[e.path().filename().string()] = util::sha256_hex(ss.str());
  }
  return out.dump();
}

std::istream& input_stream(std::string const& path, std::ifstream& file) {
  if (path == "-" || path.empty()) return std::cin;
  file.open(path, std::ios::binary);
  if (!file) fail(path + ": cannot open file");
  return file;
}

void print_issues(std::string const& origin, std::vector<reg::RecordIssue> const& issues) {
  for (auto const& i : issues) {
    std::cerr << origin;
    if (i.line > 0) std::cerr << ":" << i.line;
    std::cerr << ": " << (i.pointer.empty() ? "" : i.pointer + ": ") << i.message << "\n";
  }
}

/// A rule set named on the command line: a stored one (sha256 / prefix, version, name@version)
/// or rule files / directories on disk.
std::shared_ptr<reg::Matcher const> rule_set(reg::Registry& r, Common& common, std::string const& ref) {
  if (!std::filesystem::exists(ref)) {
    if (auto stored = r.load_rule_set(ref)) {
      std::string err;
      auto m = reg::engine_matcher_factory(common.catalog())(stored->second, err);
      if (!m) fail("stored rule set " + ref + " does not compile:\n" + err);
      return m;
    }
    fail("'" + ref + "' is neither a stored rule set nor a rules path");
  }
  return reg::engine_matcher(load_rules({ref}, common, true));
}

void run_match(reg::Registry& r, Common& common, std::vector<std::string> const& rules, reg::MatchOptions o) {
  auto m = reg::engine_matcher(load_rules(rules, common, true));
  o.reference = reference_versions(common);
  o.rebuild = reg::engine_matcher_factory(common.catalog());
  auto rep = r.match(*m, o);
  print_issues("match", rep.issues);
  std::cerr << "matched with " << m->info().name << " " << m->info().version << " (" << rep.ruleset_sha.substr(0, 12)
            << "): " << rep.runs << " run(s), " << rep.skipped << " unchanged, " << rep.failed << " failed\n";
  if (rep.failed > 0) throw CLI::RuntimeError(1);
}

void setup_init(CLI::App& parent, Shared& s) {
  struct O {
    std::vector<std::string> centres, grants;
    std::string new_key;
  };
  auto o = std::make_shared<O>();
  auto* sub = parent.add_subcommand("init", "Create or migrate the registry schema; add centres");
  sub->add_option("--add-centre", o->centres, "Centre to add, CODE or CODE=Name (repeatable)");
  sub->add_option("--new-key", o->new_key, "Write a new pseudonymisation key file (mode 0600) and bind it");
  sub->add_option("--grant", o->grants, "PostgreSQL: CENTRE=LOGIN_ROLE, make the role a PI of the centre");
  sub->callback([o, &s] {
    guarded([&] {
      auto r = open_registry(s);
      int before = r->schema_version();
      r->init();
      std::cerr << "schema version " << before << " -> " << r->schema_version() << " (" << r->database().describe()
                << ")\n";
      for (auto const& c : o->centres) {
        auto eq = c.find('=');
        r->add_centre(c.substr(0, eq), eq == std::string::npos ? "" : c.substr(eq + 1));
      }
      for (auto const& g : o->grants) {
        auto eq = g.find('=');
        if (eq == std::string::npos) fail("--grant takes CENTRE=ROLE");
        r->grant_centre(g.substr(0, eq), g.substr(eq + 1));
      }
      if (!o->new_key.empty()) {
        reg::PseudonymKey::write_new_key_file(o->new_key);
        r->bind_key(reg::PseudonymKey::from_file(o->new_key));
        std::cerr << "new key written to " << o->new_key << ": keep it outside the database, backed up\n";
      } else if (!s.key_file.empty() || reg::PseudonymKey::from_environment()) {
        r->bind_key(load_key(s));
      }
    });
  });
}

void setup_import(CLI::App& parent, Shared& s, Common& common) {
  struct O {
    std::string input = "-";
    std::vector<std::string> rules;
    std::size_t batch = 500;
    std::string default_centre;
  };
  auto o = std::make_shared<O>();
  // Set up like `init` above and every subcommand here (options struct, subcommand, flags,
  // callback); what is alike is CLI11's calling shape, the options are each command's own.
  auto* sub = parent.add_subcommand("import", "Import patient records (JSON Lines); unknown fields are dropped");
  sub->add_option("RECORDS", o->input, "JSON Lines file, or - for stdin");
  sub->add_option("--rules,-r", o->rules, "Also match the imported patients against these rules");
  sub->add_option("--batch", o->batch, "Records per transaction (default 500)");
  sub->add_option("--default-centre", o->default_centre, "Centre for records without \"centre\"");
  sub->callback([o, &s, &common] {
    guarded([&] {
      auto r = open_registry(s);
      auto key = load_key(s);
      std::ifstream file;
      std::istream& in = input_stream(o->input, file);
      reg::ImportOptions io;
      io.batch_size = o->batch;
      io.default_centre = o->default_centre;
      if (io.default_centre.empty() && s.centres.size() == 1) io.default_centre = s.centres.front();
      if (io.default_centre.empty())
        if (auto cs = r->centres(); cs.size() == 1) io.default_centre = cs.front().code;
      auto rep = r->import_jsonl(in, key, io);
      print_issues(input_name(o->input), rep.issues);
      std::cerr << "imported: " << rep.inserted << " new, " << rep.updated << " updated, " << rep.unchanged
                << " unchanged, " << rep.rejected << " rejected\n";
      if (!o->rules.empty()) {
        reg::MatchOptions mo;
        mo.skip_current = true;
        run_match(*r, common, o->rules, mo);
      }
      if (rep.rejected > 0) throw CLI::RuntimeError(1);
    });
  });
}

void setup_match_cmd(CLI::App& parent, Shared& s, Common& common) {
  struct O {
    std::vector<std::string> rules, patients, pseudonyms;
    bool skip_current = false;
  };
  auto o = std::make_shared<O>();
  auto* sub = parent.add_subcommand("match", "Match stored patients against rules; store the runs");
  sub->add_option("--rules,-r", o->rules, "Rule file or directory (repeatable)")->required();
  sub->add_option("--patient", o->patients, "Local patient id (with --centre); default: every patient in scope");
  sub->add_option("--pseudonym", o->pseudonyms, "Pseudonym (repeatable)");
  sub->add_flag("--skip-current", o->skip_current, "Skip patients already matched on this rule set and record");
  sub->callback([o, &s, &common] {
    guarded([&] {
      auto r = open_registry(s);
      reg::MatchOptions mo;
      mo.skip_current = o->skip_current;
      mo.pseudonyms = o->pseudonyms;
      for (auto const& p : o->patients) mo.pseudonyms.push_back(resolve_pseudonym(*r, s, p, ""));
      run_match(*r, common, o->rules, mo);
    });
  });
}

void setup_decide(CLI::App& parent, Shared& s) {
  struct O {
    std::string patient, pseudonym, option, trial, cohort, date, reason;
    std::int64_t run = 0;
  };
  auto o = std::make_shared<O>();
  auto* sub = parent.add_subcommand("decide", "Record the treatment decision for a patient");
  sub->add_option("--patient", o->patient, "Local patient id (with --centre)");
  sub->add_option("--pseudonym", o->pseudonym, "Pseudonym instead of --patient");
  sub->add_option("--option", o->option, "empirical | standard_of_care | matched_trial | precision2")
      ->required()
      ->check(CLI::IsMember({"empirical", "standard_of_care", "matched_trial", "precision2"}));
  sub->add_option("--trial", o->trial, "Trial id (NCT…) for matched_trial");
  sub->add_option("--cohort", o->cohort, "Trial arm / PRECISION 2 cohort");
  sub->add_option("--date", o->date, "Decision date YYYY-MM-DD (default: today)");
  sub->add_option("--reason", o->reason, "Why, when the recommendation was not followed");
  sub->add_option("--run", o->run, "Match run the decision refers to (default: the latest)");
  sub->callback([o, &s] {
    guarded([&] {
      auto r = open_registry(s);
      reg::DecisionInput d;
      d.pseudonym = resolve_pseudonym(*r, s, o->patient, o->pseudonym);
      d.option = o->option;
      if (!o->trial.empty()) d.trial = o->trial;
      if (!o->cohort.empty()) d.cohort = o->cohort;
      d.date = o->date.empty() ? reg::format_date(reg::today_utc()) : o->date;
      if (!o->reason.empty()) d.reason = o->reason;
      if (o->run > 0) d.run_id = o->run;
      std::int64_t id = r->decide(d);
      std::cout << "decision " << id << "\n";
    });
  });
}

void setup_follow_up(CLI::App& parent, Shared& s) {
  struct O {
    std::string input = "-";
  };
  auto o = std::make_shared<O>();
  auto* sub = parent.add_subcommand(
      "follow-up", "Record 6-monthly follow-up visits (JSON Lines: patient, visit, date, recist, vital_status, …)");
  sub->add_option("VISITS", o->input, "JSON Lines file, or - for stdin");
  sub->callback([o, &s] {
    guarded([&] {
      auto r = open_registry(s);
      std::ifstream file;
      std::istream& in = input_stream(o->input, file);
      std::string default_centre;
      if (s.centres.size() == 1)
        default_centre = s.centres.front();
      else if (auto cs = r->centres(); cs.size() == 1)
        default_centre = cs.front().code;
      std::optional<reg::PseudonymKey> key;
      std::string line;
      std::int64_t n = 0, ok = 0, bad = 0;
      std::string origin = input_name(o->input);
      while (std::getline(in, line)) {
        ++n;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        std::vector<reg::RecordIssue> issues;
        std::string local, centre;
        auto f = reg::parse_follow_up(line, default_centre, local, centre, issues);
        try {
          if (f) {
            if (!key) key = load_key(s);
            f->pseudonym = key->pseudonym(centre, local);
            r->follow_up(*f);
            ++ok;
            continue;
          }
        } catch (reg::Error const& e) {
          if (e.code() == reg::ErrorCode::kDatabase || e.code() == reg::ErrorCode::kKey) throw;
          issues.push_back({0, "", e.what()});
        }
        for (auto& i : issues) i.line = n;
        print_issues(origin, issues);
        ++bad;
      }
      std::cerr << "follow-up: " << ok << " visit(s) recorded, " << bad << " rejected\n";
      if (bad > 0) throw CLI::RuntimeError(1);
    });
  });
}

void setup_endpoints(CLI::App& parent, Shared& s) {
  struct O {
    reg::EndpointFilter filter;
    std::string from, to, ruleset, as_of, format = "table";
    double cbr_months = 6, ratio = 1.3;
  };
  auto o = std::make_shared<O>();
  auto* sub = parent.add_subcommand("endpoints", "Protocol endpoints (JSON or a table)");
  // The flags of `registry endpoints`: line by line they look like `registry report`'s
  // (cmd_registry_portal.cpp), but each names its own option, field and help text.
  sub->add_option("--tumour", o->filter.tumours, "OncoTree code (repeatable)");
  sub->add_option("--from", o->from, "Patients included on or after YYYY-MM-DD");
  sub->add_option("--to", o->to, "Patients included on or before YYYY-MM-DD");
  sub->add_option("--ruleset", o->ruleset, "Only match runs of this rule set (version, name@version, sha256)");
  sub->add_option("--as-of", o->as_of, "Follow-up visits due up to this date (default: today)");
  sub->add_option("--cbr-months", o->cbr_months, "SD must last longer than this for clinical benefit (default 6)");
  sub->add_option("--pfs-ratio", o->ratio, "PFS ratio success threshold (default 1.3)");
  sub->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  sub->callback([o, &s] {
    guarded([&] {
      auto r = open_registry(s);
      reg::EndpointFilter f = o->filter;
      for (auto const* d : {&o->from, &o->to, &o->as_of})
        if (!d->empty() && !reg::parse_date(*d)) fail("'" + *d + "' is not a date (YYYY-MM-DD)");
      if (!o->from.empty()) f.from = o->from;
      if (!o->to.empty()) f.to = o->to;
      if (!o->ruleset.empty()) f.ruleset = o->ruleset;
      reg::EndpointParams p;
      if (!o->as_of.empty()) p.as_of = *reg::parse_date(o->as_of);
      p.cbr_months = o->cbr_months;
      p.pfs_ratio_threshold = o->ratio;
      auto e = reg::compute_endpoints(reg::endpoint_facts(*r, f), p);
      std::cout << (o->format == "json" ? reg::endpoints_json(e, f) : reg::endpoints_table(e));
    });
  });
}

void setup_replay(CLI::App& parent, Shared& s, Common& common) {
  auto ruleset = std::make_shared<std::string>();
  auto* sub = parent.add_subcommand("replay", "Re-run stored match runs with their archived rule sets");
  sub->add_option("--ruleset", *ruleset, "Only runs of this stored rule set");
  sub->callback([ruleset, &s, &common] {
    guarded([&] {
      auto r = open_registry(s);
      auto rep = r->replay(reg::engine_matcher_factory(common.catalog()),
                           ruleset->empty() ? std::nullopt : std::optional<std::string>(*ruleset));
      for (auto const& p : rep.problems)
        std::cout << "run " << p.run_id << " " << p.pseudonym << " " << p.status << ": " << p.detail << "\n";
      std::cerr << "replay: " << rep.runs << " run(s), " << rep.identical << " byte-identical, " << rep.different
                << " different, " << rep.errors << " error(s)\n";
      if (rep.different + rep.errors > 0) throw CLI::RuntimeError(1);
    });
  });
}

void setup_diff(CLI::App& parent, Shared& s, Common& common) {
  struct O {
    std::string old_ref, new_ref, format = "json";
  };
  auto o = std::make_shared<O>();
  auto* sub = parent.add_subcommand("diff", "Patients whose pathway or matches change between two rule sets");
  sub->add_option("OLD", o->old_ref, "Stored rule set (sha256, version, name@version) or rules path")->required();
  sub->add_option("NEW", o->new_ref, "Stored rule set or rules path")->required();
  sub->add_option("--format", o->format, "json (one line per patient) or text")->check(CLI::IsMember({"json", "text"}));
  sub->callback([o, &s, &common] {
    guarded([&] {
      auto r = open_registry(s);
      auto a = rule_set(*r, common, o->old_ref);
      auto b = rule_set(*r, common, o->new_ref);
      auto rep = r->diff(*a, *b);
      for (auto const& e : rep.changed) {
        if (o->format == "json") {
          std::cout << json{{"pseudonym", e.pseudonym},
                            {"centre", e.centre},
                            {"recommended", {{"old", e.old_recommended}, {"new", e.new_recommended}}},
                            {"pathway_changed", e.pathway_changed},
                            {"added", e.added},
                            {"removed", e.removed}}
                           .dump()
                    << "\n";
        } else {
          std::cout << e.pseudonym.substr(0, 16) << "  " << e.centre << "  " << e.old_recommended << " -> "
                    << e.new_recommended;
          for (auto const& k : e.added) std::cout << "  +" << k;
          for (auto const& k : e.removed) std::cout << "  -" << k;
          std::cout << "\n";
        }
      }
      print_issues("diff", rep.errors);
      std::cerr << "diff " << rep.old_info.version << " -> " << rep.new_info.version << ": " << rep.changed.size()
                << " of " << rep.patients << " patient(s) change\n";
    });
  });
}

void setup_export(CLI::App& parent, Shared& s) {
  auto output = std::make_shared<std::string>();
  auto* sub = parent.add_subcommand("export", "Export patients in scope as JSON Lines (pseudonyms only)");
  sub->add_option("--output,-o", *output, "File to write (default: stdout)");
  sub->callback([output, &s] {
    guarded([&] {
      auto r = open_registry(s);
      if (output->empty()) {
        r->export_jsonl(std::cout);
        return;
      }
      std::ofstream out(*output, std::ios::binary);
      if (!out) fail(*output + ": cannot write file");
      ::chmod(output->c_str(), 0600);
      r->export_jsonl(out);
    });
  });
}

void setup_forget(CLI::App& parent, Shared& s) {
  struct O {
    std::string patient, pseudonym;
  };
  auto o = std::make_shared<O>();
  auto* sub = parent.add_subcommand("forget", "Erase a patient's clinical rows; keep a tombstone refusing re-import");
  sub->add_option("--patient", o->patient, "Local patient id (with --centre)");
  sub->add_option("--pseudonym", o->pseudonym, "Pseudonym instead of --patient");
  sub->callback([o, &s] {
    guarded([&] {
      auto r = open_registry(s);
      std::string ps = resolve_pseudonym(*r, s, o->patient, o->pseudonym);
      if (!r->forget(ps)) fail("no such patient in scope");
      std::cerr << "forgotten: " << ps << "\n";
    });
  });
}

}  // namespace
}  // namespace actionable::cli::registry_cli

namespace actionable::cli {

void setup_registry(CLI::App& app, Common& common) {
  using namespace registry_cli;
  auto s = std::make_shared<Shared>();
  auto* r = app.add_subcommand("registry", "The PRECISION 1 registry (SQLite or PostgreSQL)");
  r->require_subcommand(1);
  r->fallthrough();
  r->add_option("--db", s->db, "sqlite:PATH (default ./actionable.db, or $ACTIONABLE_DB) or postgresql://…");
  r->add_option("--key-file", s->key_file,
                "Pseudonymisation key file (or $ACTIONABLE_PSEUDONYM_KEY_FILE); never stored in the database");
  r->add_option("--centre", s->centres, "Limit the session to this centre (repeatable)");
  r->add_option("--actor", s->actor, "Who is acting, for the audit log (SQLite; default $USER)");
  // The Shared options outlive the callbacks: keep them alive with the app.
  static std::vector<std::shared_ptr<Shared>> keep;
  keep.push_back(s);
  setup_init(*r, *s);
  setup_import(*r, *s, common);
  setup_match_cmd(*r, *s, common);
  setup_decide(*r, *s);
  setup_follow_up(*r, *s);
  setup_endpoints(*r, *s);
  setup_replay(*r, *s, common);
  setup_diff(*r, *s, common);
  setup_export(*r, *s);
  setup_forget(*r, *s);
  setup_checks(*r, *s);
  setup_backup(*r, *s);
  setup_rotate_key(*r, *s);
#ifdef ACTIONABLE_HAVE_PORTAL
  setup_user(*r, *s);
  setup_registry_report(*r, *s, common);
#endif
}

}  // namespace actionable::cli
