# Sanitizer and fuzzing builds (docs/reliability.md; CMakePresets.json: asan, tsan).
#   ACTIONABLE_SANITIZE  "" (default), "address,undefined" or "thread": every target of the
#                        build is compiled and linked with -fsanitize=<list>.
#   ACTIONABLE_FUZZ      ON: clang only; also builds the libFuzzer targets of tests/fuzz (every
#                        object gets coverage instrumentation, -fsanitize=fuzzer-no-link) and
#                        turns ASan + UBSan on unless ACTIONABLE_SANITIZE says otherwise.
# Included from the top-level CMakeLists.txt before any target is defined.
option(ACTIONABLE_FUZZ "Build the libFuzzer targets of tests/fuzz (clang)" OFF)
set(ACTIONABLE_SANITIZE "" CACHE STRING "Sanitizers for every target: address,undefined | thread | empty")

if(ACTIONABLE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ACTIONABLE_FUZZ=ON needs clang (e.g. CXX=clang++-14; Debian clang-14 libfuzzer-14-dev)")
  endif()
  if(ACTIONABLE_SANITIZE STREQUAL "")
    set(ACTIONABLE_SANITIZE "address,undefined" CACHE STRING "" FORCE)
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  # The gene / OncoTree suggestion search is left out of coverage (the reason is in the list).
  set_source_files_properties(src/catalog/genes.cpp src/catalog/oncotree.cpp PROPERTIES COMPILE_OPTIONS
    "-fsanitize-coverage-ignorelist=${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzz/coverage_ignorelist.txt")
endif()

if(NOT ACTIONABLE_SANITIZE STREQUAL "")
  set(_san -fsanitize=${ACTIONABLE_SANITIZE} -fno-omit-frame-pointer)
  if(ACTIONABLE_SANITIZE MATCHES "undefined")
    # Every UBSan report is fatal (a test or a fuzz run fails on it, not just prints it).
    list(APPEND _san -fno-sanitize-recover=all)
  endif()
  add_compile_options(${_san})
  add_link_options(${_san})
  message(STATUS "actionable: sanitizers ${ACTIONABLE_SANITIZE}")
endif()
