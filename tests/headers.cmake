# Public headers stand alone: one translation unit per include/kmeet/*.hpp (and kmeet/testing/*.hpp) holding only
# `#include <kmeet/X.hpp>`, compiled as part of the build (target kmeet_header_check) with the
# project's warnings. The ctest headers.public_includes checks that no public header includes
# libcurl, OpenSSL, nlohmann/json or fmt, and that kmeet/kmeet.hpp includes every public header.
# The kmeet::testing headers (include/kmeet/testing/) follow the same rules, outside kmeet.hpp.
file(GLOB _kmeet_public_headers CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/include/kmeet/*.hpp"
     "${PROJECT_SOURCE_DIR}/include/kmeet/testing/*.hpp")
set(_kmeet_header_tus "")
foreach(_header ${_kmeet_public_headers})
  file(RELATIVE_PATH _rel "${PROJECT_SOURCE_DIR}/include" "${_header}")
  string(REGEX REPLACE "[/.]" "_" _name "${_rel}")
  set(_tu "${CMAKE_CURRENT_BINARY_DIR}/header_check/${_name}.cpp")
  # file(CONFIGURE) rewrites the file only when its content changes (no needless rebuilds).
  file(CONFIGURE OUTPUT "${_tu}" CONTENT "#include <${_rel}>\n" @ONLY)
  list(APPEND _kmeet_header_tus "${_tu}")
endforeach()
add_library(kmeet_header_check OBJECT ${_kmeet_header_tus})
# Only kmeet's include directory and C++20: nothing of kmeet's private dependencies.
target_include_directories(kmeet_header_check PRIVATE "${PROJECT_SOURCE_DIR}/include")
target_compile_features(kmeet_header_check PRIVATE cxx_std_20)
kmeet_set_warnings(kmeet_header_check)

add_test(NAME headers.public_includes
  COMMAND ${CMAKE_COMMAND} "-DINCLUDE_DIR=${PROJECT_SOURCE_DIR}/include"
    -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/headers_check.cmake")
set_tests_properties(headers.public_includes PROPERTIES LABELS headers)

# The architecture rules of docs/architecture.md (layers, Client in one folder, no private
# includes from public headers or the CLI), and no function body over 80 lines in src/, tools/,
# include/ (scripts/function_lengths.py).
add_test(NAME architecture.layers
  COMMAND ${CMAKE_COMMAND} "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}" -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/layers_check.cmake")
set_tests_properties(architecture.layers PROPERTIES LABELS headers)
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME architecture.function_lengths
    COMMAND ${Python3_EXECUTABLE} "${PROJECT_SOURCE_DIR}/scripts/function_lengths.py" src tools include
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
  set_tests_properties(architecture.function_lengths PROPERTIES LABELS headers)
endif()
