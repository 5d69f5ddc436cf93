# The embed example in Debian's headless Chromium (label `embed`): the page for a moderator and an
# attendee, the launch page inside the iframe checked through the emulator's record of each join.
# Screenshots: <build>/embed/embed-moderator.png and embed-attendee.png (docs/images/embed.png is one).
find_program(KMEET_CHROMIUM NAMES chromium chromium-browser)
if(NOT TARGET kmeet-emulator OR NOT KMEET_BUILD_EXAMPLES OR
   NOT EXISTS "${PROJECT_SOURCE_DIR}/examples/embed/main.cpp")
  return()
endif()
if(NOT KMEET_CHROMIUM)
  message(WARNING "chromium not found: the embed.chromium test is not defined (scripts/deps.sh installs it)")
  return()
endif()
add_test(NAME embed.chromium
  COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/scripts/with_emulator.sh" $<TARGET_FILE:kmeet-emulator> --meeting --
    "${CMAKE_CURRENT_SOURCE_DIR}/scripts/embed_check.sh" $<TARGET_FILE:kmeet_example_embed>
    "${KMEET_CHROMIUM}" "${PROJECT_BINARY_DIR}/embed")
set_tests_properties(embed.chromium PROPERTIES LABELS embed TIMEOUT 600 RUN_SERIAL TRUE)
