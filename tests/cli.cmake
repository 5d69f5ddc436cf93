# The CLI's unit and integration tests (tests/cli) need the CLI's core library.
if(TARGET kmeet_cli_test AND TARGET kmeet_cli_core)
  target_link_libraries(kmeet_cli_test PRIVATE kmeet_cli_core)
endif()
