// actionable registry audit-verify | integrity-check | grant | patients | backup | restore |
// rotate-key (docs/registry.md, docs/cli.md). backup / restore are SQLite's online backup API
// through the library (Registry::backup / restore); a PostgreSQL registry is refused with the
// pg_dump procedure's pointer. rotate-key reads the centres' local ids (JSON Lines with
// "patient" and "centre", e.g. the records once imported) and re-derives every pseudonym.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/registry_shared.hpp"
#include "util/json_text.hpp"

namespace actionable::cli::registry_cli {

void setup_checks(CLI::App& parent, Shared& s) {
  auto* av = parent.add_subcommand("audit-verify", "Check the audit log's hash chain");
  av->callback([&s] {
    guarded([&] {
      auto r = open_registry(s);
      auto rep = r->audit_verify();
      if (!rep.ok) fail("audit chain broken: " + rep.message);
      std::cout << "ok: " << rep.entries << " entries, head " << rep.head << "\n";
    });
  });
  auto* ic = parent.add_subcommand("integrity-check", "Database integrity, schema, stored hashes, roles, audit chain");
  ic->callback([&s] {
    guarded([&] {
      auto r = open_registry(s);
      auto rep = r->integrity_check();
      for (auto const& c : rep.checks) std::cout << "checked: " << c << "\n";
      for (auto const& p : rep.problems) std::cerr << "problem: " << p << "\n";
      if (!rep.ok) throw CLI::RuntimeError(1);
      std::cout << "ok\n";
    });
  });
  auto grant = std::make_shared<std::pair<std::string, std::string>>();
  auto* g = parent.add_subcommand("grant", "PostgreSQL: make a login role a PI of a centre");
  g->add_option("CENTRE", grant->first, "Centre code")->required();
  g->add_option("ROLE", grant->second, "Login role (created if missing)")->required();
  g->callback([grant, &s] { guarded([&] { open_registry(s)->grant_centre(grant->first, grant->second); }); });
  auto* pl = parent.add_subcommand("patients", "List the patients in scope (pseudonym, centre, tumour, runs)");
  pl->callback([&s] {
    guarded([&] {
      for (auto const& p : open_registry(s)->patients())
        std::cout << p.pseudonym << "\t" << p.centre << "\t" << p.oncotree.value_or("-") << "\t" << p.included << "\t"
                  << p.runs << "\n";
    });
  });
}

void setup_backup(CLI::App& parent, Shared& s) {
  auto path = std::make_shared<std::string>();
  auto* b = parent.add_subcommand("backup", "SQLite: a consistent copy of the registry into a new file (mode 0600)");
  b->add_option("FILE", *path, "The backup file to create (an existing file is refused)")->required();
  b->callback([path, &s] {
    guarded([&] {
      auto reg = open_registry(s);
      reg->backup(*path);
      std::cerr << "backed up " << reg->database().describe() << " to " << *path << " (checked: integrity_check ok)\n";
    });
  });
  // Set up like `backup` above (FILE argument, guarded callback on the open registry); what each then
  // does and prints differs.
  auto from = std::make_shared<std::string>();
  auto* r = parent.add_subcommand("restore", "SQLite: replace the registry with a checked backup (all or nothing)");
  r->add_option("FILE", *from, "A file written by `actionable registry backup`")->required();
  r->callback([from, &s] {
    guarded([&] {
      auto reg = open_registry(s);
      reg->restore(*from);
      auto audit = reg->audit_verify();
      std::cerr << "restored " << reg->database().describe() << " from " << *from
                << "; audit chain ok: " << audit.entries << " entries, head " << audit.head << "\n";
    });
  });
}

void setup_rotate_key(CLI::App& parent, Shared& s) {
  struct O {
    std::string new_key, ids;
  };
  auto o = std::make_shared<O>();
  auto* sub = parent.add_subcommand("rotate-key", "Re-derive every pseudonym under a new key, in one transaction");
  sub->add_option("--new-key", o->new_key, "The new key file (created, mode 0600, if it does not exist)")->required();
  sub->add_option("IDS", o->ids, "JSON Lines with \"patient\" (and \"centre\") for every patient and forgotten patient")
      ->required();
  sub->callback([o, &s] {
    guarded([&] {
      auto r = open_registry(s);
      auto old_key = load_key(s);
      std::ifstream in(o->ids, std::ios::binary);
      if (!in) fail(o->ids + ": cannot open file");
      std::string default_centre;
      if (auto cs = r->centres(); cs.size() == 1) default_centre = cs.front().code;
      std::vector<reg::LocalId> ids;
      std::string line;
      std::int64_t n = 0, bad = 0;
      while (std::getline(in, line)) {
        ++n;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto const nul = util::nul_byte(line);  // nlohmann would read the part before it
        auto doc = nul ? nlohmann::json() : nlohmann::json::parse(line, nullptr, false);
        std::string why;
        if (nul)
          why = "not a JSON object: " + util::nul_byte_message(*nul);
        else if (doc.is_discarded() || !doc.is_object())
          why = "not a JSON object";
        else if (!doc.contains("patient") || !doc["patient"].is_string())
          why = "/patient: a string is required";
        else if (doc.contains("centre") && !doc["centre"].is_string())
          why = "/centre: must be a string";
        else if (!doc.contains("centre") && default_centre.empty())
          why = "/centre: required (several centres)";
        if (!why.empty()) {
          std::cerr << o->ids << ":" << n << ": " << why << "\n";
          ++bad;
          continue;
        }
        ids.push_back({doc.value("centre", default_centre), doc["patient"].get<std::string>()});
      }
      if (bad > 0) fail(std::to_string(bad) + " bad line(s) in " + o->ids + ": nothing changed");
      bool created = !std::filesystem::exists(o->new_key);
      if (created) reg::PseudonymKey::write_new_key_file(o->new_key);
      auto rep = r->rotate_key(old_key, reg::PseudonymKey::from_file(o->new_key), ids);
      std::cerr << "rotated: " << rep.patients << " patient(s), " << rep.tombstones << " tombstone(s), " << rep.runs
                << " match run(s); " << rep.unknown << " id(s) named no patient\n"
                << "the registry now expects the key in " << o->new_key << (created ? " (new)" : "") << " (fingerprint "
                << rep.new_fingerprint << "; was " << rep.old_fingerprint << ")\n"
                << "use it from now on; keep the old key only while backups made before the rotation are kept\n";
    });
  });
}

}  // namespace actionable::cli::registry_cli
