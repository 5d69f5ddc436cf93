# Every example program runs against a fresh kmeet-emulator (label `examples`): exit status 0 and
# some expected output. tests/scripts/with_emulator.sh starts the emulator on a free port, exports
# the KALTURA_* variables and, with --meeting, creates a room and a linked session first
# (KMEET_ROOM_ID, KMEET_EVENT_ID, KMEET_TEST_KS).
# examples/ is added after tests/, so look for the sources; the targets exist by generate time.

# The GoogleTest example of docs/getting-started.md (examples/testing/): a user's tests against
# kmeet::testing::LocalKaltura, which runs the emulator in the test's own process.
# (The tests need GoogleTest, so examples/testing is built whenever this file is read.)
if(KMEET_BUILD_EXAMPLES AND KMEET_BUILD_TESTING_LIBRARY AND EXISTS "${PROJECT_SOURCE_DIR}/examples/testing/CMakeLists.txt")
  add_test(NAME examples.local_kaltura_gtest COMMAND kmeet_example_lecture_test)
  set_tests_properties(examples.local_kaltura_gtest PROPERTIES LABELS examples TIMEOUT 300)
endif()

if(NOT TARGET kmeet-emulator OR NOT KMEET_BUILD_EXAMPLES)
  return()
endif()
set(_kx_scripts "${CMAKE_CURRENT_SOURCE_DIR}/scripts")

# kmeet_example_test(NAME [MEETING] [ARGS a...] [EXPECT regex...] [REJECT regex...])
function(kmeet_example_test name)
  cmake_parse_arguments(PARSE_ARGV 1 kx "MEETING" "" "ARGS;EXPECT;REJECT")
  if(NOT EXISTS "${PROJECT_SOURCE_DIR}/examples/${name}.cpp")
    return()
  endif()
  set(setup "")
  if(kx_MEETING)
    set(setup --meeting)
  endif()
  set(checks "")
  foreach(re ${kx_EXPECT})
    list(APPEND checks -e "${re}")
  endforeach()
  foreach(re ${kx_REJECT})
    list(APPEND checks --not "${re}")
  endforeach()
  # ARGS may name the variables with_emulator.sh exports ("$KMEET_EVENT_ID"): sh expands them.
  set(cmdline "exec \"$0\"")
  foreach(arg ${kx_ARGS})
    string(APPEND cmdline " \"${arg}\"")
  endforeach()
  add_test(NAME examples.${name}
    COMMAND "${_kx_scripts}/with_emulator.sh" $<TARGET_FILE:kmeet-emulator> ${setup} --
      "${_kx_scripts}/expect.sh" ${checks} -- sh -c "${cmdline}" $<TARGET_FILE:kmeet_example_${name}>)
  set_tests_properties(examples.${name} PROPERTIES LABELS examples TIMEOUT 180)
endfunction()

kmeet_example_test(join_urls MEETING
  ARGS "$KMEET_EVENT_ID"
  EXPECT "^moderator: http://127\\.0\\.0\\.1:[0-9]+/virtualEvent/launch\\?ks=[A-Za-z0-9%_-]+"
         "^attendee:  http://127\\.0\\.0\\.1:[0-9]+/virtualEvent/launch\\?ks="
         "<iframe src=\"http://127\\.0\\.0\\.1:[0-9]+/virtualEvent/launch\\?ks=[^\"]+\" width=\"1100px\" height=\"700px\""
         # `;` would split the CMake list: `.` stands for it.
         "allow=\"microphone \\*. camera \\*. speakers \\*. usermedia \\*. autoplay \\*. fullscreen \\*. display-capture \\*.\"")
kmeet_example_test(inspect_ks MEETING
  ARGS "$KMEET_TEST_KS"
  EXPECT "partner_id: +1234567" "signature: +valid|valid"
  REJECT "emulator-admin-secret")
kmeet_example_test(full_meeting_flow
  ARGS --open-links
  EXPECT "^room [0-9]+ \\(Full flow room\\)" "^event [0-9]+ \\(Full flow session\\)"
         "^moderator link: http://127\\.0\\.0\\.1:[0-9]+/virtualEvent/launch\\?ks="
         "<iframe src=\"http://127\\.0\\.0\\.1:[0-9]+/virtualEvent/launch"
         "^opened a launch page: HTTP 200"
         "^  attendee Grace Hopper <teacher@example.com>"
         "^  attendee Alan Turing <student@example.com>"
         "^1 session\\(s\\) held in room [0-9]+")
kmeet_example_test(attendance_report MEETING
  ARGS "$KMEET_ROOM_ID"
  EXPECT "sam@example.com" "Sam")
# The README's quick-start program, so the README stays true.
kmeet_example_test(quickstart
  EXPECT "^room [0-9]+, event [0-9]+$"
         "^http://127\\.0\\.0\\.1:[0-9]+/virtualEvent/launch\\?ks=[A-Za-z0-9%_-]+$")
kmeet_example_test(create_room
  ARGS "Room-1" 30
  EXPECT "^room [0-9]+ \"Room-1\" tags: .*vcprovider:newrow")
kmeet_example_test(schedule_event MEETING
  ARGS "$KMEET_ROOM_ID" "Algebra" 60
  EXPECT "^event [0-9]+ in room [0-9]+")
kmeet_example_test(list_room_events MEETING
  ARGS "$KMEET_ROOM_ID"
  EXPECT "^room [0-9]+ \"Examples room\"" "^  event [0-9]+" "^1 event\\(s\\)")
# Timetable sync of a 2035 term (tests/data/sync): plan, apply, and an empty second plan.
kmeet_example_test(timetable_sync
  ARGS "${PROJECT_SOURCE_DIR}/tests/data/sync/term_2035.ics" 2051222400 2082758400
  EXPECT "^plan: 8 to create, 0 to update, 0 to cancel, 0 to delete, 0 unchanged, 0 conflicts$"
         "^  create algebra-2035@uni.example/20350326 \"Algebra\" at 2058505200 in Room 101$"
         "^applied: 8 done, 0 not done$" "^second plan: nothing to do$")

# The metrics hook exported in the Prometheus text format (--verbose also logs each request, on stderr).
kmeet_example_test(bulk_provisioner
  ARGS 300 64
  EXPECT "^made 300 meetings, 0 failed, in [0-9.e-]+ s, 64 in flight$"
         "^every callback ran on the one engine thread$")
kmeet_example_test(export_metrics
  ARGS --verbose
  EXPECT "^# TYPE kmeet_calls_total counter$"
         "^kmeet_calls_total\\{call=\"schedule_scheduleresource\\.add\",outcome=\"ok\"\\} 1$"
         "^kmeet_calls_total\\{call=\"schedule_scheduleresource\\.get\",outcome=\"INVALID_OBJECT_ID\"\\} 1$"
         "^kmeet_calls_total\\{call=\"create_meetings\",outcome=\"ok\"\\} 1$"
         "^kmeet_call_duration_seconds_count\\{call=\"schedule_scheduleresource\\.list\"\\} 1$"
  REJECT "emulator-admin-secret")
