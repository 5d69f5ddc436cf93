# Consumer checks (label `consumer`): a tiny project outside the tree (tests/consumer/) builds and
# runs against kmeet as users consume it. The variant this tree was built as (static unless
# BUILD_SHARED_LIBS) is installed from this build; the other variant is built once by the
# add_subdirectory check and installed from there, so only one extra kmeet build runs.
set(_kc_work "${CMAKE_CURRENT_BINARY_DIR}/consumer")
if(BUILD_SHARED_LIBS)
  set(_kc_this shared)
  set(_kc_other static)
else()
  set(_kc_this static)
  set(_kc_other shared)
endif()

function(kmeet_consumer_test name action variant)
  add_test(NAME consumer.${name}
    COMMAND ${CMAKE_COMMAND}
      -DACTION=${action} -DVARIANT=${variant}
      "-DPREFIX=${_kc_work}/prefix-${variant}" "-DWORK=${_kc_work}/${name}"
      "-DKMEET_BUILD_DIR=${PROJECT_BINARY_DIR}" "-DKMEET_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
      "-DGENERATOR=${CMAKE_GENERATOR}" "-DCXX=${CMAKE_CXX_COMPILER}"
      "-DLAZY_LIBCURL=${KMEET_LAZY_LIBCURL}"
      # The main build's compiler launcher (ccache), so a re-run of add_subdirectory is quick.
      "-DLAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER}"
      # The main build's own flags (sanitizers, say): an instrumented libkmeet.a needs them to link.
      "-DCXX_FLAGS=${CMAKE_CXX_FLAGS}" "-DLINK_FLAGS=${CMAKE_EXE_LINKER_FLAGS}"
      -P "${CMAKE_CURRENT_SOURCE_DIR}/consumer/run.cmake")
  set_tests_properties(consumer.${name} PROPERTIES LABELS consumer TIMEOUT 1200 ${ARGN})
endfunction()

kmeet_consumer_test(install_${_kc_this} install ${_kc_this}
  FIXTURES_SETUP kmeet_prefix_${_kc_this})
kmeet_consumer_test(find_package_${_kc_this} find_package ${_kc_this}
  FIXTURES_REQUIRED kmeet_prefix_${_kc_this})
kmeet_consumer_test(pkg_config_${_kc_this} pkg_config ${_kc_this}
  FIXTURES_REQUIRED kmeet_prefix_${_kc_this})
kmeet_consumer_test(add_subdirectory_${_kc_other} add_subdirectory ${_kc_other}
  FIXTURES_SETUP kmeet_prefix_${_kc_other} RUN_SERIAL TRUE)
kmeet_consumer_test(find_package_${_kc_other} find_package ${_kc_other}
  FIXTURES_REQUIRED kmeet_prefix_${_kc_other})
kmeet_consumer_test(pkg_config_${_kc_other} pkg_config ${_kc_other}
  FIXTURES_REQUIRED kmeet_prefix_${_kc_other})
