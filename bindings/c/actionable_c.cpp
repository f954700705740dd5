// The C ABI (bindings/c/include/actionable/actionable.h) over the Engine facade. Every entry
// point catches everything: no exception crosses into C. Strings handed out are malloc'd.
#include "actionable/actionable.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/catalog/catalog.hpp"
#include "actionable/engine.hpp"

struct actionable_engine {
  std::shared_ptr<actionable::Engine const> engine;
};

namespace {

// malloc'd copy (NUL-terminated); nullptr when out of memory.
char* dup(std::string_view s) noexcept {
  auto* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) return nullptr;
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

// malloc'd a + b + c without std::string (safe inside a catch handler).
char* cat3(char const* a, char const* b, char const* c) noexcept {
  std::size_t la = std::strlen(a), lb = std::strlen(b), lc = std::strlen(c);
  auto* p = static_cast<char*>(std::malloc(la + lb + lc + 1));
  if (p == nullptr) return nullptr;
  std::memcpy(p, a, la);
  std::memcpy(p + la, b, lb);
  std::memcpy(p + la + lb, c, lc);
  p[la + lb + lc] = '\0';
  return p;
}

void put(char** out, std::string_view s) noexcept {
  if (out != nullptr) *out = dup(s);
}

std::string errors_json(std::vector<actionable::RecordError> const& errors) {
  auto arr = nlohmann::json::array();
  for (auto const& e : errors) arr.push_back({{"pointer", e.pointer}, {"message", e.message}});
  return arr.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string failure_json(std::string const& message) { return errors_json({actionable::RecordError{"", message}}); }

actionable_engine* load(std::vector<actionable::RuleSource>* sources, std::vector<std::string> const* paths,
                        char const* reference_dir, char** diagnostics_out) noexcept {
  if (diagnostics_out != nullptr) *diagnostics_out = nullptr;
  try {
    std::string dir = reference_dir != nullptr && reference_dir[0] != '\0'
                          ? std::string(reference_dir)
                          : actionable::catalog::Catalog::default_dir();
    std::string error;
    auto cat = actionable::catalog::Catalog::load(dir, &error);
    if (!cat) {
      put(diagnostics_out, "cannot load reference data from '" + dir + "': " + error + "\n");
      return nullptr;
    }
    auto catalog = std::make_shared<actionable::catalog::Catalog const>(std::move(*cat));
    actionable::Diagnostics diags;
    auto engine = sources != nullptr ? actionable::Engine::from_sources(std::move(*sources), catalog, diags)
                                     : actionable::Engine::from_paths(*paths, catalog, diags);
    if (!diags.empty()) put(diagnostics_out, diags.format());
    if (!engine) {
      if (diagnostics_out != nullptr && *diagnostics_out == nullptr) {
        put(diagnostics_out, "rule set could not be compiled\n");
      }
      return nullptr;
    }
    return new actionable_engine{std::move(engine)};
  } catch (std::exception const& e) {
    if (diagnostics_out != nullptr) {
      std::free(*diagnostics_out);
      *diagnostics_out = cat3("internal error: ", e.what(), "\n");
    }
  } catch (...) {
    if (diagnostics_out != nullptr) {
      std::free(*diagnostics_out);
      *diagnostics_out = dup("internal error\n");
    }
  }
  return nullptr;
}

using Method = actionable::MatchOutcome (actionable::Engine::*)(std::string_view,
                                                                actionable::RecordPolicy const&) const;

int run_record(actionable_engine const* engine, char const* record, std::size_t len, Method method, char** result_out,
               char** errors_out) noexcept {
  if (result_out != nullptr) *result_out = nullptr;
  if (errors_out != nullptr) *errors_out = nullptr;
  try {
    if (engine == nullptr || !engine->engine) {
      put(errors_out, failure_json("engine is NULL"));
      return ACTIONABLE_FAILURE;
    }
    if (record == nullptr && len != 0) {
      put(errors_out, failure_json("record is NULL"));
      return ACTIONABLE_FAILURE;
    }
    auto outcome =
        ((*engine->engine).*method)(std::string_view(record == nullptr ? "" : record, len), actionable::RecordPolicy{});
    if (outcome.ok) {
      if (result_out != nullptr) {
        *result_out = dup(outcome.json);
        if (*result_out == nullptr) {
          put(errors_out, failure_json("out of memory"));
          return ACTIONABLE_FAILURE;
        }
      }
      return ACTIONABLE_OK;
    }
    put(errors_out, errors_json(outcome.errors));
    return ACTIONABLE_RECORD_ERRORS;
  } catch (std::exception const& e) {
    if (errors_out != nullptr) {
      std::free(*errors_out);
      *errors_out = nullptr;
      try {
        *errors_out = dup(failure_json(std::string("internal error: ") + e.what()));
      } catch (...) {
        *errors_out = dup(R"([{"pointer":"","message":"internal error"}])");
      }
    }
  } catch (...) {
    if (errors_out != nullptr) {
      std::free(*errors_out);
      *errors_out = dup(R"([{"pointer":"","message":"internal error"}])");
    }
  }
  if (result_out != nullptr) {
    std::free(*result_out);
    *result_out = nullptr;
  }
  return ACTIONABLE_FAILURE;
}

}  // namespace

extern "C" {

const char* actionable_version(void) { return ACTIONABLE_VERSION; }

void actionable_free(void* p) { std::free(p); }

actionable_engine* actionable_engine_load(const char* const* rule_paths, size_t n, const char* reference_dir_or_null,
                                          char** diagnostics_out) {
  if (diagnostics_out != nullptr) *diagnostics_out = nullptr;
  try {
    if (rule_paths == nullptr && n != 0) {
      if (diagnostics_out != nullptr) *diagnostics_out = dup("rule_paths is NULL\n");
      return nullptr;
    }
    std::vector<std::string> paths;
    paths.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (rule_paths[i] == nullptr) {
        if (diagnostics_out != nullptr) *diagnostics_out = dup("rule path is NULL\n");
        return nullptr;
      }
      paths.emplace_back(rule_paths[i]);
    }
    return load(nullptr, &paths, reference_dir_or_null, diagnostics_out);
  } catch (...) {
    if (diagnostics_out != nullptr) *diagnostics_out = dup("out of memory\n");
    return nullptr;
  }
}

actionable_engine* actionable_engine_load_sources(const char* const* paths, const char* const* texts, size_t n,
                                                  const char* reference_dir_or_null, char** diagnostics_out) {
  if (diagnostics_out != nullptr) *diagnostics_out = nullptr;
  try {
    if ((paths == nullptr || texts == nullptr) && n != 0) {
      if (diagnostics_out != nullptr) *diagnostics_out = dup("paths or texts is NULL\n");
      return nullptr;
    }
    std::vector<actionable::RuleSource> sources;
    sources.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (paths[i] == nullptr || texts[i] == nullptr) {
        if (diagnostics_out != nullptr) *diagnostics_out = dup("rule path or text is NULL\n");
        return nullptr;
      }
      sources.push_back(actionable::RuleSource{paths[i], texts[i]});
    }
    return load(&sources, nullptr, reference_dir_or_null, diagnostics_out);
  } catch (...) {
    if (diagnostics_out != nullptr) *diagnostics_out = dup("out of memory\n");
    return nullptr;
  }
}

void actionable_engine_free(actionable_engine* engine) { delete engine; }

int actionable_match_json(const actionable_engine* engine, const char* record, size_t len, char** result_out,
                          char** errors_out) {
  return run_record(engine, record, len, &actionable::Engine::match_json, result_out, errors_out);
}

int actionable_explain(const actionable_engine* engine, const char* record, size_t len, char** text_out,
                       char** errors_out) {
  return run_record(engine, record, len, &actionable::Engine::explain_json, text_out, errors_out);
}

int actionable_report_text(const actionable_engine* engine, const char* record, size_t len, char** text_out,
                           char** errors_out) {
  return run_record(engine, record, len, &actionable::Engine::report_text, text_out, errors_out);
}

const char* actionable_ruleset_name(const actionable_engine* engine) {
  return engine != nullptr && engine->engine ? engine->engine->info().name.c_str() : "";
}

const char* actionable_ruleset_version(const actionable_engine* engine) {
  return engine != nullptr && engine->engine ? engine->engine->info().version.c_str() : "";
}

const char* actionable_ruleset_sha256(const actionable_engine* engine) {
  return engine != nullptr && engine->engine ? engine->engine->info().sha256.c_str() : "";
}

int actionable_run_tests(const actionable_engine* engine, size_t* passed, size_t* failed, char** failures_out) {
  if (passed != nullptr) *passed = 0;
  if (failed != nullptr) *failed = 0;
  if (failures_out != nullptr) *failures_out = nullptr;
  try {
    if (engine == nullptr || !engine->engine) {
      put(failures_out, "engine is NULL\n");
      return ACTIONABLE_FAILURE;
    }
    auto report = engine->engine->run_tests();
    if (passed != nullptr) *passed = report.passed;
    if (failed != nullptr) *failed = report.failed;
    if (failures_out != nullptr && !report.failures.empty()) {
      std::string text;
      for (auto const& f : report.failures) text += f + "\n";
      *failures_out = dup(text);
    }
    return ACTIONABLE_OK;
  } catch (std::exception const& e) {
    if (failures_out != nullptr) {
      std::free(*failures_out);
      *failures_out = cat3("internal error: ", e.what(), "\n");
    }
  } catch (...) {
    if (failures_out != nullptr) {
      std::free(*failures_out);
      *failures_out = dup("internal error\n");
    }
  }
  return ACTIONABLE_FAILURE;
}

char* actionable_dot(const actionable_engine* engine) {
  try {
    if (engine == nullptr || !engine->engine) return nullptr;
    return dup(engine->engine->dot());
  } catch (...) {
    return nullptr;
  }
}

}  // extern "C"
