/* C99 test of the C ABI (bindings/c/include/actionable/actionable.h).
 * Usage: actionable_c_test SOURCE_DIR   (reference data from $ACTIONABLE_REFERENCE)
 * Ends with "N passed, N failed"; exit status 1 on any failure. */
#include <actionable/actionable.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_passed = 0;
static int g_failed = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++g_passed;                                                              \
    } else {                                                                   \
      ++g_failed;                                                              \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* Read a whole file into a malloc'd, NUL-terminated buffer. */
static char* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* buf;
  long size;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (char*)malloc((size_t)size + 1);
  if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf == NULL) return NULL;
  buf[size] = '\0';
  *len = (size_t)size;
  return buf;
}

/* Replace the first `from` in `s` by `to` (same length). */
static void replace_same_length(char* s, const char* from, const char* to) {
  char* at = strstr(s, from);
  if (at != NULL) memcpy(at, to, strlen(to));
}

struct job {
  const actionable_engine* engine;
  const char* record;
  size_t len;
  const char* expected;
  int mismatches;
};

static void* match_repeatedly(void* arg) {
  struct job* j = (struct job*)arg;
  int i;
  for (i = 0; i < 200; ++i) {
    char* result = NULL;
    int status = actionable_match_json(j->engine, j->record, j->len, &result, NULL);
    if (status != ACTIONABLE_OK || result == NULL || strcmp(result, j->expected) != 0) ++j->mismatches;
    actionable_free(result);
  }
  return NULL;
}

int main(int argc, char** argv) {
  char rules_dir[4096];
  char patient_path[4096];
  const char* paths[1];
  char* diagnostics = NULL;
  char* result = NULL;
  char* errors = NULL;
  char* text = NULL;
  char* record;
  size_t len = 0;
  int status;
  actionable_engine* engine;

  if (argc < 2) {
    fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
    return 2;
  }
  snprintf(rules_dir, sizeof rules_dir, "%s/rules/examples", argv[1]);
  snprintf(patient_path, sizeof patient_path, "%s/rules/examples/patient_P1-000123.json", argv[1]);

  /* Version. */
  CHECK(actionable_version() != NULL && strlen(actionable_version()) > 0);

  /* Load the example rules (reference data: NULL = $ACTIONABLE_REFERENCE). */
  paths[0] = rules_dir;
  engine = actionable_engine_load(paths, 1, NULL, &diagnostics);
  CHECK(engine != NULL);
  if (engine == NULL) {
    fprintf(stderr, "load failed:\n%s", diagnostics ? diagnostics : "(no diagnostics)\n");
    actionable_free(diagnostics);
    printf("%d passed, %d failed\n", g_passed, g_failed + 1);
    return 1;
  }
  actionable_free(diagnostics);
  diagnostics = NULL;

  /* Rule-set identity. */
  CHECK(strlen(actionable_ruleset_name(engine)) > 0);
  CHECK(strlen(actionable_ruleset_version(engine)) > 0);
  CHECK(strlen(actionable_ruleset_sha256(engine)) == 64);

  /* Match the example patient. */
  record = read_file(patient_path, &len);
  CHECK(record != NULL);
  if (record == NULL) {
    actionable_engine_free(engine);
    printf("%d passed, %d failed\n", g_passed, g_failed);
    return 1;
  }
  status = actionable_match_json(engine, record, len, &result, &errors);
  CHECK(status == ACTIONABLE_OK);
  CHECK(errors == NULL);
  CHECK(result != NULL && strstr(result, "\"recommended\":\"standard_of_care\"") != NULL);
  CHECK(result != NULL && strstr(result, actionable_ruleset_sha256(engine)) != NULL);

  /* The engine is immutable: match from several threads at once, same result. */
  if (result != NULL) {
    struct job jobs[4];
    pthread_t threads[4];
    int t;
    for (t = 0; t < 4; ++t) {
      jobs[t].engine = engine;
      jobs[t].record = record;
      jobs[t].len = len;
      jobs[t].expected = result;
      jobs[t].mismatches = 0;
      pthread_create(&threads[t], NULL, match_repeatedly, &jobs[t]);
    }
    for (t = 0; t < 4; ++t) {
      pthread_join(threads[t], NULL);
      CHECK(jobs[t].mismatches == 0);
    }
  }
  actionable_free(result);
  result = NULL;

  /* Explain and the text report. */
  status = actionable_explain(engine, record, len, &text, &errors);
  CHECK(status == ACTIONABLE_OK);
  CHECK(text != NULL && strstr(text, "P1-000123") != NULL);
  actionable_free(text);
  text = NULL;
  status = actionable_report_text(engine, record, len, &text, &errors);
  CHECK(status == ACTIONABLE_OK && text != NULL);
  actionable_free(text);
  text = NULL;

  /* A bad record: status 1 and an error naming /tumour/oncotree. */
  replace_same_length(record, "\"LUAD\"", "\"LUXX\"");
  status = actionable_match_json(engine, record, len, &result, &errors);
  CHECK(status == ACTIONABLE_RECORD_ERRORS);
  CHECK(result == NULL);
  CHECK(errors != NULL && strstr(errors, "\"/tumour/oncotree\"") != NULL);
  if (errors != NULL) printf("bad record errors: %s\n", errors);
  actionable_free(errors);
  errors = NULL;

  /* Not JSON at all. */
  status = actionable_match_json(engine, "{not json", 9, &result, &errors);
  CHECK(status == ACTIONABLE_RECORD_ERRORS);
  CHECK(errors != NULL && errors[0] == '[');
  actionable_free(errors);
  errors = NULL;

  /* Misuse gives ACTIONABLE_FAILURE, never a crash. */
  status = actionable_match_json(NULL, "{}", 2, &result, &errors);
  CHECK(status == ACTIONABLE_FAILURE);
  CHECK(result == NULL && errors != NULL);
  actionable_free(errors);
  errors = NULL;

  /* Rule tests. */
  {
    size_t passed = 0, failed = 0;
    char* failures = NULL;
    status = actionable_run_tests(engine, &passed, &failed, &failures);
    CHECK(status == ACTIONABLE_OK);
    CHECK(passed >= 1 && failed == 0 && failures == NULL);
    actionable_free(failures);
  }

  /* DOT. */
  text = actionable_dot(engine);
  CHECK(text != NULL && strstr(text, "digraph") != NULL);
  actionable_free(text);
  text = NULL;

  actionable_engine_free(engine);
  free(record);

  /* Rules that do not compile: NULL and the formatted diagnostics. */
  {
    const char* src_paths[1] = {"bad.rules"};
    const char* src_texts[1] = {"this is not a rule\n"};
    engine = actionable_engine_load_sources(src_paths, src_texts, 1, NULL, &diagnostics);
    CHECK(engine == NULL);
    CHECK(diagnostics != NULL && strstr(diagnostics, "bad.rules:1:") != NULL && strstr(diagnostics, "error") != NULL);
    actionable_free(diagnostics);
    diagnostics = NULL;
    actionable_engine_free(engine);
  }

  /* A reference directory that does not exist. */
  paths[0] = rules_dir;
  engine = actionable_engine_load(paths, 1, "/nonexistent/reference", &diagnostics);
  CHECK(engine == NULL);
  CHECK(diagnostics != NULL && strstr(diagnostics, "reference") != NULL);
  actionable_free(diagnostics);

  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
