# The API reference builds with 0 Doxygen warnings (label `docs`), and the Markdown pages link only
# to files that exist.
find_program(KMEET_DOXYGEN doxygen)
if(KMEET_DOXYGEN)
  add_test(NAME docs.doxygen
    COMMAND "${PROJECT_SOURCE_DIR}/scripts/docs.sh" "${PROJECT_BINARY_DIR}/docs")
  set_tests_properties(docs.doxygen PROPERTIES LABELS docs TIMEOUT 300)
else()
  message(WARNING "doxygen not found: the docs.doxygen test is not defined (scripts/deps.sh installs it)")
endif()
add_test(NAME docs.links
  COMMAND ${CMAKE_COMMAND} "-DDOCS_DIR=${PROJECT_SOURCE_DIR}/docs" "-DROOT=${PROJECT_SOURCE_DIR}"
    -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/docs_links.cmake")
set_tests_properties(docs.links PROPERTIES LABELS docs)
