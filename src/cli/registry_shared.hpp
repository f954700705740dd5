// What the `actionable registry` subcommand files share (cmd_registry.cpp,
// cmd_registry_admin.cpp, cmd_registry_portal.cpp): the shared options, opening the registry,
// loading the key, and the error convention (print "actionable registry: …", exit 1).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "actionable/registry/registry.hpp"
#include "cli/commands.hpp"

namespace actionable::cli::registry_cli {

namespace reg = actionable::registry;

/// --db, --key-file, --centre, --actor (before or after the subcommand).
struct Shared {
  std::string db;
  std::string key_file;
  std::vector<std::string> centres;
  std::string actor;
};

/// Print "actionable registry: MESSAGE" to stderr and exit 1 (CLI::RuntimeError).
[[noreturn]] void fail(std::string const& message);
std::unique_ptr<reg::Registry> open_registry(Shared const& s);
/// --key-file, else $ACTIONABLE_PSEUDONYM_KEY_FILE / $ACTIONABLE_PSEUDONYM_KEY; fails without one.
reg::PseudonymKey load_key(Shared const& s);
/// The centre a local patient id belongs to: the only --centre, or the only centre in scope.
std::string patient_centre(reg::Registry& r, Shared const& s);
/// `pseudonym` if given, else the pseudonym of `local_id` (needs the key).
std::string resolve_pseudonym(reg::Registry& r, Shared const& s, std::string const& local_id,
                              std::string const& pseudonym);

/// Run a callback body, turning registry errors into exit 1.
template <class F>
void guarded(F&& f) {
  try {
    f();
  } catch (reg::Error const& e) {
    fail(e.what());
  }
}

void setup_checks(CLI::App& parent, Shared& s);  ///< audit-verify, integrity-check, grant, patients
void setup_backup(CLI::App& parent, Shared& s);  ///< backup, restore
void setup_rotate_key(CLI::App& parent, Shared& s);
#ifdef ACTIONABLE_HAVE_PORTAL
void setup_user(CLI::App& parent, Shared& s);
void setup_registry_report(CLI::App& parent, Shared& s, Common& common);
#endif

}  // namespace actionable::cli::registry_cli
