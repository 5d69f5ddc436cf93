# The sync tests (tests/sync) also drive `kmeet sync` in-process: they need the CLI's core library.
if(TARGET kmeet_sync_test AND TARGET kmeet_cli_core)
  target_link_libraries(kmeet_sync_test PRIVATE kmeet_cli_core)
endif()
