// Fuzz target ctml_yaml: the CTML importer on YAML text (yaml-cpp, then the same translation as
// JSON), with the invariants of fuzz_ctml.cpp: what an import writes compiles, and the engine
// agrees with the reference evaluator on the fixed patients. Built when yaml-cpp is found.
#define FUZZ_CTML_NAME "fuzz.yaml"
#include "fuzz_ctml.cpp"  // one harness, two formats
