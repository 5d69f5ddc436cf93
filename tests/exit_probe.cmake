# kmeet_exit_probe: a program that returns from main with 100 asynchronous calls in flight, run
# by kmeet_scale_test (tests/scale/exit_test.cpp) to check that the process exits cleanly.
if(TARGET kmeet_scale_test)
  add_executable(kmeet_exit_probe "${CMAKE_CURRENT_SOURCE_DIR}/scale/exit_probe.cpp")
  target_link_libraries(kmeet_exit_probe PRIVATE kmeet::kmeet)
  kmeet_set_warnings(kmeet_exit_probe)
  add_dependencies(kmeet_scale_test kmeet_exit_probe)
  target_compile_definitions(kmeet_scale_test PRIVATE KMEET_EXIT_PROBE_PATH="$<TARGET_FILE:kmeet_exit_probe>")
endif()
