# One shape for the component libraries actionable::io, ::import and ::registry (in the style of
# fmt's setup_target): a static, position-independent library actionable_<name> with its alias
# actionable::<name> and export name <name>; <root>/include as its public headers (installed to
# CMAKE_INSTALL_INCLUDEDIR), the calling folder and <root>/src as private include paths; and the
# project's warnings. actionable_core (top-level CMakeLists.txt) has no calling folder of its
# own to add, so it keeps its own block.
function(actionable_add_library name root)
  set(target actionable_${name})
  add_library(${target} STATIC ${ARGN})
  add_library(actionable::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME ${target}
    POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${root}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${root}/src)
  actionable_set_warnings(${target})
endfunction()
