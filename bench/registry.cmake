# Registry benchmark (bench/bench_registry.cpp): import and match synthetic patients on SQLite
# (and PostgreSQL when ACTIONABLE_TEST_PG is set); reports records/s and database size.
# Included by bench/CMakeLists.txt.
if(TARGET actionable_registry)
  add_executable(actionable_registry_bench ${CMAKE_CURRENT_LIST_DIR}/bench_registry.cpp)
  target_link_libraries(actionable_registry_bench PRIVATE actionable::registry actionable::core benchmark::benchmark)
  target_include_directories(actionable_registry_bench PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  target_compile_definitions(actionable_registry_bench PRIVATE ACTIONABLE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  if(COMMAND actionable_set_warnings)
    actionable_set_warnings(actionable_registry_bench)
  endif()
endif()
