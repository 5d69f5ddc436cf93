# The CLI's unit and integration tests (tests/cli) need the CLI's core library.
if(TARGET kmeet_cli_test AND TARGET kmeet_cli_core)
  target_link_libraries(kmeet_cli_test PRIVATE kmeet_cli_core)
endif()

# With KMEET_LAZY_LIBCURL the `kmeet` executable starts without libcurl (docs/performance.md):
# nothing in its dynamic section may name it.
if(TARGET kmeet-cli AND KMEET_LAZY_LIBCURL)
  add_test(NAME cli.starts_without_libcurl
    COMMAND ${CMAKE_COMMAND} "-DEXE=$<TARGET_FILE:kmeet-cli>" -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/no_libcurl_check.cmake")
  set_tests_properties(cli.starts_without_libcurl PROPERTIES LABELS cli)
endif()
