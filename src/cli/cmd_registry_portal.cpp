// actionable registry user … | report … — the portal's accounts and the tumour-board / cohort
// reports from stored runs (docs/portal.md, docs/report.md). Built with the portal only.
#ifdef ACTIONABLE_HAVE_PORTAL
#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "actionable/portal/accounts.hpp"
#include "actionable/portal/reports.hpp"
#include "cli/registry_shared.hpp"

namespace actionable::cli::registry_cli {

namespace {

/// A password from a file (first line; "-" = standard input) or typed twice at the terminal
/// without echo — never from argv, where other users of the machine could read it.
std::string read_password(std::string const& file) {
  if (!file.empty()) {
    std::ifstream f;
    std::istream& in = file == "-" ? std::cin : (f.open(file), f);
    if (file != "-" && !f) fail(file + ": cannot open the password file");
    std::string pw;
    std::getline(in, pw);
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    return pw;
  }
  if (!isatty(0)) fail("give --password-file FILE (standard input is not a terminal)");
  auto ask = [](char const* prompt) {
    std::cerr << prompt << std::flush;
    termios old{};
    tcgetattr(0, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(0, TCSANOW, &quiet);
    std::string pw;
    std::getline(std::cin, pw);
    tcsetattr(0, TCSANOW, &old);
    std::cerr << "\n";
    return pw;
  };
  std::string a = ask("New password: "), b = ask("Again: ");
  if (a != b) fail("the two passwords differ");
  return a;
}

}  // namespace

void setup_user(CLI::App& parent, Shared& s) {
  struct O {
    std::string login, role = "pi", password_file, common_file;
    bool totp = false;
  };
  auto o = std::make_shared<O>();
  auto* u = parent.add_subcommand("user", "Portal accounts: add, disable, enable, reset, list (docs/portal.md)");
  u->require_subcommand(1);
  u->fallthrough();
  auto open_owner = [&s] {
    Shared all = s;
    all.centres.clear();  // accounts are registry-wide; --centre names the user's centre
    return open_registry(all);
  };
  auto print_totp = [](std::string const& login, std::string const& secret) {
    std::cout << "TOTP secret for " << login << ": " << secret << "\n"
              << portal::totp_uri(secret, login, "PRECISION 1 portal") << "\n";
  };
  auto* add = u->add_subcommand("add", "Add a user (password from --password-file or typed twice)");
  add->add_option("LOGIN", o->login, "Login (3-64 letters, digits, . _ - @)")->required();
  add->add_option("--role", o->role, "pi, data_manager or admin")
      ->check(CLI::IsMember({"pi", "data_manager", "admin"}));
  add->add_option("--password-file", o->password_file, "File whose first line is the password (- = stdin)");
  add->add_option("--common-passwords", o->common_file, "Extra list of common passwords to refuse (one a line)");
  add->add_flag("--totp", o->totp, "Enrol a TOTP second factor (prints the secret once)");
  add->callback([o, &s, open_owner, print_totp] {
    guarded([&] {
      auto role = *portal::parse_role(o->role);
      std::optional<std::string> centre;
      if (role != portal::Role::kAdmin) {
        if (s.centres.size() != 1) fail("a " + o->role + " belongs to one centre: give --centre CODE");
        centre = s.centres.front();
      } else if (!s.centres.empty()) {
        fail("an admin sees every centre: no --centre");
      }
      std::string pw = read_password(o->password_file);
      auto r = open_owner();
      std::string secret;
      portal::Accounts(*r).add(o->login, role, centre, pw, portal::PasswordPolicy::standard(o->common_file), o->totp,
                               &secret);
      std::cerr << "added " << o->role << " " << o->login << (centre ? " of centre " + *centre : std::string()) << "\n";
      if (!secret.empty()) print_totp(o->login, secret);
    });
  });
  auto* reset = u->add_subcommand("reset", "New password (ends the user's sessions, clears a lockout)");
  reset->add_option("LOGIN", o->login, "Login")->required();
  reset->add_option("--password-file", o->password_file, "File whose first line is the password (- = stdin)");
  reset->add_option("--common-passwords", o->common_file, "Extra list of common passwords to refuse");
  reset->add_flag("--totp", o->totp, "Enrol a new TOTP secret as well");
  reset->callback([o, open_owner, print_totp] {
    guarded([&] {
      std::string pw = read_password(o->password_file);
      auto r = open_owner();
      std::string secret;
      portal::Accounts(*r).reset(o->login, pw, portal::PasswordPolicy::standard(o->common_file), o->totp, &secret);
      std::cerr << "reset " << o->login << "\n";
      if (!secret.empty()) print_totp(o->login, secret);
    });
  });
  for (bool disable : {true, false}) {
    auto* d = u->add_subcommand(disable ? "disable" : "enable",
                                disable ? "Disable a user (ends their sessions)" : "Enable a user");
    d->add_option("LOGIN", o->login, "Login")->required();
    d->callback([o, open_owner, disable] {
      guarded([&] {
        auto r = open_owner();
        portal::Accounts(*r).set_disabled(o->login, disable);
        std::cerr << (disable ? "disabled " : "enabled ") << o->login << "\n";
      });
    });
  }
  auto* ls = u->add_subcommand("list", "List the users (login, role, centre, second factor, state)");
  ls->callback([open_owner] {
    guarded([&] {
      auto r = open_owner();
      for (auto const& x : portal::Accounts(*r).list()) {
        std::cout << x.login << "\t" << portal::to_string(x.role) << "\t" << x.centre.value_or("-") << "\t"
                  << (x.totp ? "totp" : "-") << "\t" << (x.disabled ? "disabled" : "active") << "\n";
      }
    });
  });
}
void setup_registry_report(CLI::App& parent, Shared& s, Common& common) {
  struct O {
    std::string patient, pseudonym, output, format, lang = "en", as_of, intended_use;
    std::int64_t run = 0;
    bool cohort = false;
  };
  auto o = std::make_shared<O>();
  auto* sub = parent.add_subcommand(
      "report", "The tumour-board report of a stored run (--patient / --pseudonym) or the cohort report (--cohort)");
  // The flags of `registry report`; alike in shape to `registry endpoints` and `serve`, different
  // options: a table of them would only move the help texts away from the fields they set.
  sub->add_option("--patient", o->patient, "Local patient id (with the key and --centre)");
  sub->add_option("--pseudonym", o->pseudonym, "Pseudonym (64 hex)");
  sub->add_option("--run", o->run, "Match run id (default: the patient's latest run)");
  sub->add_flag("--cohort", o->cohort, "The cohort report of the centres in scope");
  sub->add_option("--as-of", o->as_of, "Cohort: follow-up due up to this date (default: today)");
  sub->add_option("-o,--output", o->output, "Output file (default: stdout)");
  sub->add_option("--format", o->format, "html, pdf or json (default: by the output's extension, else html)")
      ->check(CLI::IsMember({"html", "pdf", "json"}));
  sub->add_option("--lang", o->lang, "en, nl or fr")->check(CLI::IsMember({"en", "nl", "fr"}));
  sub->add_option("--intended-use", o->intended_use, "The deployment's intended-use statement");
  sub->callback([o, &s, &common] {
    guarded([&] {
      std::string format = o->format;
      auto ends = [&](std::string const& e) {
        return o->output.size() >= e.size() && o->output.compare(o->output.size() - e.size(), e.size(), e) == 0;
      };
      if (format.empty()) format = ends(".pdf") ? "pdf" : ends(".json") ? "json" : "html";
      std::string out;
      auto r = open_registry(s);
      if (o->cohort) {
        if (!o->patient.empty() || !o->pseudonym.empty()) fail("--cohort or a patient, not both");
        if (format == "pdf") fail("the cohort report is HTML or JSON");
        reg::EndpointParams p;
        if (!o->as_of.empty()) {
          auto d = reg::parse_date(o->as_of);
          if (!d) fail("'" + o->as_of + "' is not a date (YYYY-MM-DD)");
          p.as_of = *d;
        }
        reg::EndpointFilter f;
        auto cohort = portal::cohort_from_registry(*r, f, p, ACTIONABLE_VERSION);
        out = format == "json" ? report::render_cohort_json(cohort) + "\n"
                               : report::render_cohort_html(cohort, *report::parse_language(o->lang));
      } else {
        std::string ps = resolve_pseudonym(*r, s, o->patient, o->pseudonym);
        portal::EngineCache engines(common.catalog());
        report::Options ro;
        ro.lang = *report::parse_language(o->lang);
        ro.engine_version = ACTIONABLE_VERSION;
        ro.intended_use = o->intended_use;
        std::string err;
        auto stored = portal::patient_report(*r, engines, ps, ro, err,
                                             o->run ? std::optional<std::int64_t>(o->run) : std::nullopt);
        if (!stored) fail(err.empty() ? "no such patient in scope" : err);
        out = format == "json"  ? report::render_json(stored->document) + "\n"
              : format == "pdf" ? report::render_pdf(stored->document)
                                : report::render_html(stored->document);
      }
      if (o->output.empty() || o->output == "-") {
        std::cout << out;
      } else {
        std::ofstream f(o->output, std::ios::binary);
        f << out;
        if (!f) fail(o->output + ": cannot write file");
      }
    });
  });
}

}  // namespace actionable::cli::registry_cli
#endif
