# One place for compiler flags.
# ACTIONABLE_WERROR=ON (CI: scripts/test.sh) makes every warning of the project's own code an
# error; third-party headers are not affected (they are included as system headers).
option(ACTIONABLE_WERROR "Treat warnings in actionable's own code as errors" OFF)
function(actionable_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter
                           $<$<BOOL:${ACTIONABLE_WERROR}>:-Werror>)
  endif()
endfunction()
