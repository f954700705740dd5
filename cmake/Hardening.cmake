# Hardened release builds (issue 14, docs/reliability.md): in Release, RelWithDebInfo and
# MinSizeRel every target is built with -D_FORTIFY_SOURCE=2 and -fstack-protector-strong,
# as position-independent code linked into PIE executables, with full RELRO (-z relro -z now).
# Check an executable with `readelf -h` (Type: DYN), `readelf -l` (GNU_RELRO) and `readelf -d`
# (FLAGS BIND_NOW). Off in sanitizer builds (FORTIFY and ASan intercept the same functions).
# Included from the top-level CMakeLists.txt before any target is defined.
option(ACTIONABLE_HARDEN "Hardening flags for release builds (FORTIFY, stack protector, PIE, full RELRO)" ON)
if(ACTIONABLE_HARDEN AND ACTIONABLE_SANITIZE STREQUAL "" AND NOT ACTIONABLE_FUZZ
   AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  include(CheckPIESupported)
  check_pie_supported(LANGUAGES CXX)
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  set(_rel "$<CONFIG:Release,RelWithDebInfo,MinSizeRel>")
  add_compile_options("$<${_rel}:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2;-fstack-protector-strong>")
  add_link_options("$<${_rel}:-Wl,-z,relro;-Wl,-z,now>")
endif()
