# The emulator judged by Kaltura's own Node client (npm kaltura-client, pinned at the version the
# protocol spec captured). Needs node + npm; fails (never skips) without them unless
# -DKMEET_NODE_TESTS=OFF.
option(KMEET_NODE_TESTS "Run the official kaltura-client (npm) against kmeet-emulator" ON)
if(KMEET_NODE_TESTS AND TARGET kmeet-emulator)
  find_program(KMEET_NODE_EXECUTABLE node)
  find_program(KMEET_NPM_EXECUTABLE npm)
  # fidelity.js: sessions, rooms, events, links, multirequest. apptoken.js: the app-token flow
  # (protocol.md I). They share one npm install (RESOURCE_LOCK: never two installs at once).
  foreach(_script kaltura_client_node:fidelity kaltura_client_node_apptoken:apptoken)
    string(REPLACE ":" ";" _parts "${_script}")
    list(GET _parts 0 _name)
    list(GET _parts 1 _file)
    add_test(NAME emulator.${_name}
      COMMAND ${CMAKE_COMMAND}
        -DNODE=${KMEET_NODE_EXECUTABLE} -DNPM=${KMEET_NPM_EXECUTABLE}
        -DEMULATOR=$<TARGET_FILE:kmeet-emulator>
        -DWORK_DIR=${PROJECT_BINARY_DIR}/node_client
        -DSCRIPT=${CMAKE_CURRENT_SOURCE_DIR}/emulator/node/${_file}.js
        -DVERSION=21.20.0
        -P ${CMAKE_CURRENT_SOURCE_DIR}/emulator/node/run.cmake)
    set_tests_properties(emulator.${_name} PROPERTIES LABELS "emulator;node" TIMEOUT 900 RESOURCE_LOCK kmeet_node_client)
  endforeach()
endif()
