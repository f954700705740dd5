/* actionable — C ABI over the Engine facade (include/actionable/engine.hpp).
 *
 * Usable from C99 and C++. Every function is noexcept in effect: no C++ exception crosses
 * this boundary; failures come back as a status code plus an error string.
 *
 * Memory: every `char*` handed out through an out-parameter is allocated with malloc and
 * owned by the caller, who releases it with actionable_free(). Strings returned directly as
 * `const char*` (actionable_version, the ruleset getters) are owned by the library / the
 * engine and must not be freed.
 *
 * Threads: an actionable_engine is immutable once loaded. Any number of threads may call
 * the matching functions on the same engine at once, without locking; only
 * actionable_engine_free must not race with other calls on that engine.
 */
#ifndef ACTIONABLE_ACTIONABLE_H
#define ACTIONABLE_ACTIONABLE_H

#include <stddef.h>

#if defined(_WIN32)
#if defined(ACTIONABLE_C_BUILDING)
#define ACTIONABLE_C_API __declspec(dllexport)
#else
#define ACTIONABLE_C_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define ACTIONABLE_C_API __attribute__((visibility("default")))
#else
#define ACTIONABLE_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes of the record functions. */
#define ACTIONABLE_OK 0            /* success: *result_out holds the output */
#define ACTIONABLE_RECORD_ERRORS 1 /* the record is invalid: *errors_out lists why */
#define ACTIONABLE_FAILURE 2       /* bad argument (NULL engine/record) or internal error */

/* An opaque, immutable, compiled rule set bound to its reference data. */
typedef struct actionable_engine actionable_engine;

/* The library version, e.g. "0.1.0". Static storage; never NULL. */
ACTIONABLE_C_API const char* actionable_version(void);

/* Release a string handed out by this library. NULL is allowed. */
ACTIONABLE_C_API void actionable_free(void* p);

/* Compile every `.rules` file under the `n` given files or directories (directories are
 * searched recursively, in path order) into one rule set.
 *
 * reference_dir_or_null: reference-data directory (OncoTree, HGNC, exon table); NULL means
 *   $ACTIONABLE_REFERENCE, else the installed <prefix>/share/actionable/reference, else the
 *   source tree's rules/reference.
 * diagnostics_out (may be NULL): receives the formatted diagnostics
 *   ("file:line:col: error: message [E201]" with source line and caret) — the errors when
 *   loading fails, the warnings (or NULL when there are none) when it succeeds.
 *
 * Returns the engine, or NULL on any error. */
ACTIONABLE_C_API actionable_engine* actionable_engine_load(const char* const* rule_paths, size_t n,
                                                           const char* reference_dir_or_null, char** diagnostics_out);

/* Same, from rule texts already in memory (e.g. a rule set archived by a registry):
 * paths[i] names texts[i] in diagnostics and in the rule-set identity. */
ACTIONABLE_C_API actionable_engine* actionable_engine_load_sources(const char* const* paths, const char* const* texts,
                                                                   size_t n, const char* reference_dir_or_null,
                                                                   char** diagnostics_out);

/* Release an engine. NULL is allowed. */
ACTIONABLE_C_API void actionable_engine_free(actionable_engine* engine);

/* Match one patient record (JSON text of `len` bytes; docs/inputs.md).
 *
 * On ACTIONABLE_OK, *result_out receives the result JSON (one line, canonical, no newline)
 * and *errors_out is set to NULL. Otherwise *result_out is set to NULL and *errors_out
 * receives a JSON array of the problems, each {"pointer": "/tumour/oncotree",
 * "message": "..."} (pointer "" = the whole record / the call itself).
 * Either out-parameter may be NULL when the caller does not want it. */
ACTIONABLE_C_API int actionable_match_json(const actionable_engine* engine, const char* record, size_t len,
                                           char** result_out, char** errors_out);

/* The decision trace of one record, for people (as `actionable explain`); same contract as
 * actionable_match_json, with *text_out receiving plain text. */
ACTIONABLE_C_API int actionable_explain(const actionable_engine* engine, const char* record, size_t len,
                                        char** text_out, char** errors_out);

/* The match as a readable report (as `actionable match --format text`); same contract. */
ACTIONABLE_C_API int actionable_report_text(const actionable_engine* engine, const char* record, size_t len,
                                            char** text_out, char** errors_out);

/* Identity of the compiled rule set (the result's "ruleset" object). The strings belong to
 * the engine and live as long as it; NULL engine gives "". */
ACTIONABLE_C_API const char* actionable_ruleset_name(const actionable_engine* engine);
ACTIONABLE_C_API const char* actionable_ruleset_version(const actionable_engine* engine);
ACTIONABLE_C_API const char* actionable_ruleset_sha256(const actionable_engine* engine);

/* Run the rule set's `test` blocks. Counts go to *passed / *failed (either may be NULL);
 * *failures_out (may be NULL) receives one line per failure ("file:line: test ...: what
 * differed"), or NULL when none failed. Returns ACTIONABLE_OK, or ACTIONABLE_FAILURE on a
 * NULL engine / internal error (then *failures_out holds the message). */
ACTIONABLE_C_API int actionable_run_tests(const actionable_engine* engine, size_t* passed, size_t* failed,
                                          char** failures_out);

/* Graphviz DOT of the compiled decision graph, to be freed with actionable_free; NULL on a
 * NULL engine or internal error. */
ACTIONABLE_C_API char* actionable_dot(const actionable_engine* engine);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ACTIONABLE_ACTIONABLE_H */
