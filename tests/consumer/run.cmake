# Drives one consumer check (cmake -P). Variables:
#   ACTION    install | find_package | pkg_config | add_subdirectory
#   VARIANT   static | shared
#   PREFIX    install prefix to fill (install, add_subdirectory) or to consume
#   WORK      scratch folder of this check (wiped first)
#   KMEET_BUILD_DIR  (install) the kmeet build tree to install from
#   KMEET_SOURCE_DIR (add_subdirectory) kmeet's sources
#   GENERATOR, CXX   the generator and compiler of the main build
#   LAZY_LIBCURL     the main build's KMEET_LAZY_LIBCURL (the add_subdirectory build uses it too)
#   LAUNCHER         the main build's compiler launcher (ccache), if any
cmake_minimum_required(VERSION 3.25)
set(consumer_src "${CMAKE_CURRENT_LIST_DIR}")
set(jobs 2)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " cmd)
    message(FATAL_ERROR "failed (${rc}): ${cmd}")
  endif()
endfunction()

# Runs the consumer binary and checks its verdict.
function(run_consumer exe)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${ARGN} "${exe}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message(STATUS "consumer: ${out}${err}")
  if(NOT rc EQUAL 0 OR NOT out MATCHES "kmeet consumer ok")
    message(FATAL_ERROR "the consumer failed (${rc})")
  endif()
endfunction()

# Checks that `exe` links libkmeet the way VARIANT says.
function(check_linkage exe)
  execute_process(COMMAND readelf -d "${exe}" OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "readelf failed on ${exe}")
  endif()
  if(VARIANT STREQUAL "shared" AND NOT dyn MATCHES "NEEDED[^\n]*\\[libkmeet\\.so\\.0\\.1\\]")
    message(FATAL_ERROR "${exe} does not need libkmeet.so.0.1:\n${dyn}")
  endif()
  if(VARIANT STREQUAL "static" AND dyn MATCHES "libkmeet")
    message(FATAL_ERROR "${exe} needs a shared libkmeet although kmeet is static:\n${dyn}")
  endif()
  if(LAZY_LIBCURL AND dyn MATCHES "NEEDED[^\n]*libcurl")
    message(FATAL_ERROR "${exe} needs libcurl at start-up although kmeet loads it lazily:\n${dyn}")
  endif()
endfunction()

function(install_kmeet build_dir)
  file(REMOVE_RECURSE "${PREFIX}")
  foreach(component kmeet_runtime kmeet_development)
    run(${CMAKE_COMMAND} --install "${build_dir}" --prefix "${PREFIX}" --component ${component})
  endforeach()
  foreach(f include/kmeet/kmeet.hpp include/kmeet/client.hpp include/kmeet/testing/local_kaltura.hpp
            include/kmeet/testing/mock_transport.hpp)
    if(NOT EXISTS "${PREFIX}/${f}")
      message(FATAL_ERROR "not installed: ${f}")
    endif()
  endforeach()
  file(GLOB_RECURSE config "${PREFIX}/*/kmeetConfig.cmake")
  file(GLOB_RECURSE version "${PREFIX}/*/kmeetConfigVersion.cmake")
  file(GLOB_RECURSE pc "${PREFIX}/*/kmeet.pc")
  if(NOT config OR NOT version OR NOT pc)
    message(FATAL_ERROR "kmeetConfig.cmake, kmeetConfigVersion.cmake or kmeet.pc not installed")
  endif()
  file(GLOB_RECURSE testing_targets "${PREFIX}/*/kmeetTestingTargets.cmake")
  file(GLOB_RECURSE testing_pc "${PREFIX}/*/kmeet-testing.pc")
  file(GLOB_RECURSE testing_archive "${PREFIX}/*/libkmeet_testing.a")
  if(NOT testing_targets OR NOT testing_pc OR NOT testing_archive)
    message(FATAL_ERROR "kmeet::testing (libkmeet_testing.a, kmeetTestingTargets.cmake, kmeet-testing.pc) not installed")
  endif()
  if(VARIANT STREQUAL "shared")
    file(GLOB_RECURSE so "${PREFIX}/*/libkmeet.so.0.1.0")
    file(GLOB_RECURSE soname "${PREFIX}/*/libkmeet.so.0.1")
    file(GLOB_RECURSE devlink "${PREFIX}/*/libkmeet.so")
    if(NOT so OR NOT soname OR NOT devlink)
      message(FATAL_ERROR "libkmeet.so.0.1.0 with its links libkmeet.so.0.1 and libkmeet.so not installed")
    endif()
    execute_process(COMMAND readelf -d "${so}" OUTPUT_VARIABLE dyn)
    if(NOT dyn MATCHES "SONAME[^\n]*\\[libkmeet\\.so\\.0\\.1\\]")
      message(FATAL_ERROR "libkmeet's SONAME is not libkmeet.so.0.1:\n${dyn}")
    endif()
    if(LAZY_LIBCURL AND dyn MATCHES "NEEDED[^\n]*libcurl")
      message(FATAL_ERROR "libkmeet.so needs libcurl although it loads it lazily:\n${dyn}")
    endif()
  else()
    file(GLOB_RECURSE archive "${PREFIX}/*/libkmeet.a")
    if(NOT archive)
      message(FATAL_ERROR "libkmeet.a not installed")
    endif()
  endif()
  message(STATUS "kmeet (${VARIANT}) installed to ${PREFIX}")
endfunction()

if(NOT ACTION STREQUAL "install")
  file(REMOVE_RECURSE "${WORK}")
  file(MAKE_DIRECTORY "${WORK}")
endif()
set(configure_args -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}" "-DCMAKE_SHARED_LINKER_FLAGS=${LINK_FLAGS}")
if(LAUNCHER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
endif()
separate_arguments(extra_compile UNIX_COMMAND "${CXX_FLAGS} ${LINK_FLAGS}")

if(ACTION STREQUAL "install")
  install_kmeet("${KMEET_BUILD_DIR}")

elseif(ACTION STREQUAL "find_package")
  run(${CMAKE_COMMAND} -S "${consumer_src}" -B "${WORK}" ${configure_args}
      -DKMEET_CONSUMER_MODE=find_package "-DCMAKE_PREFIX_PATH=${PREFIX}")
  run(${CMAKE_COMMAND} --build "${WORK}" -j ${jobs})
  foreach(exe consumer consumer_testing)
    check_linkage("${WORK}/${exe}")
    run_consumer("${WORK}/${exe}")
  endforeach()

elseif(ACTION STREQUAL "pkg_config")
  file(GLOB_RECURSE pc "${PREFIX}/*/kmeet.pc")
  get_filename_component(pc_dir "${pc}" DIRECTORY)
  set(pkg_env ${CMAKE_COMMAND} -E env "PKG_CONFIG_PATH=${pc_dir}")
  set(modules kmeet)
  if(VARIANT STREQUAL "static")
    # libkmeet.a needs libcurl, libcrypto, fmt and libical: kmeet.pc names them in Requires.private
    # (and -pthread in Libs.private), which `pkg-config --static` expands; -ldate-tz, which has no
    # .pc file, follows -lkmeet in Libs. A fully static link also pulls
    # the Libs.private of libcurl itself (zstd, nghttp2, ...), whose static libraries Debian does
    # not install by default, so link libkmeet.a against the shared system libraries, as users do:
    # `pkg-config --libs kmeet $(pkg-config --print-requires-private kmeet)`.
    execute_process(COMMAND ${pkg_env} pkg-config --print-requires-private kmeet
      OUTPUT_VARIABLE private OUTPUT_STRIP_TRAILING_WHITESPACE)
    string(REGEX REPLACE "[ \n]+" ";" private "${private}")
    # With KMEET_LAZY_LIBCURL, libcurl is loaded at run time: not linked, so not required.
    if(LAZY_LIBCURL)
      set(expected "libcrypto;fmt;libical")
      set(curl_flag "-ldl")
    else()
      set(expected "libcurl;libcrypto;fmt;libical")
      set(curl_flag "-lcurl")
    endif()
    if(NOT private STREQUAL expected)
      message(FATAL_ERROR "kmeet.pc Requires.private is '${private}', expected '${expected}'")
    endif()
    execute_process(COMMAND ${pkg_env} pkg-config --static --libs kmeet OUTPUT_VARIABLE static_libs)
    if(NOT static_libs MATCHES "-lkmeet" OR NOT static_libs MATCHES "-pthread" OR
       NOT static_libs MATCHES "${curl_flag}" OR NOT static_libs MATCHES "-lcrypto" OR NOT static_libs MATCHES "-lfmt" OR
       NOT static_libs MATCHES "-lical" OR NOT static_libs MATCHES "-ldate-tz")
      message(FATAL_ERROR "pkg-config --static --libs kmeet misses a library: ${static_libs}")
    endif()
    list(APPEND modules ${private})
  else()
    execute_process(COMMAND ${pkg_env} pkg-config --print-requires-private kmeet
      OUTPUT_VARIABLE private OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT private STREQUAL "")
      message(FATAL_ERROR "a shared kmeet.pc needs no Requires.private, has '${private}'")
    endif()
  endif()
  execute_process(COMMAND ${pkg_env} pkg-config --cflags --libs ${modules}
    RESULT_VARIABLE rc OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs ${modules} failed")
  endif()
  message(STATUS "pkg-config: ${flags}")
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run(${CXX} -std=c++20 ${extra_compile} "${consumer_src}/main.cpp" -o "${WORK}/consumer" ${flags})
  check_linkage("${WORK}/consumer")
  # kmeet-testing.pc: the static libkmeet_testing.a with what it needs (Requires: kmeet cpp-httplib ...).
  list(REMOVE_ITEM modules kmeet)
  execute_process(COMMAND ${pkg_env} pkg-config --cflags --libs kmeet-testing ${modules}
    RESULT_VARIABLE rc OUTPUT_VARIABLE testing_flags OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR NOT testing_flags MATCHES "-lkmeet_testing" OR NOT testing_flags MATCHES "-lkmeet( |$)")
    message(FATAL_ERROR "pkg-config --cflags --libs kmeet-testing failed or misses a library: ${testing_flags}")
  endif()
  separate_arguments(testing_flags UNIX_COMMAND "${testing_flags}")
  run(${CXX} -std=c++20 ${extra_compile} "${consumer_src}/testing_main.cpp" -o "${WORK}/consumer_testing" ${testing_flags})
  check_linkage("${WORK}/consumer_testing")
  file(GLOB_RECURSE lib "${PREFIX}/*/libkmeet.*")
  list(GET lib 0 lib)
  get_filename_component(lib_dir "${lib}" DIRECTORY)
  run_consumer("${WORK}/consumer" "LD_LIBRARY_PATH=${lib_dir}")
  run_consumer("${WORK}/consumer_testing" "LD_LIBRARY_PATH=${lib_dir}")

elseif(ACTION STREQUAL "add_subdirectory")
  if(VARIANT STREQUAL "shared")
    set(shared ON)
  else()
    set(shared OFF)
  endif()
  run(${CMAKE_COMMAND} -S "${consumer_src}" -B "${WORK}" ${configure_args}
      -DKMEET_CONSUMER_MODE=add_subdirectory "-DKMEET_SOURCE_DIR=${KMEET_SOURCE_DIR}"
      -DBUILD_SHARED_LIBS=${shared} -DKMEET_LAZY_LIBCURL=${LAZY_LIBCURL})
  run(${CMAKE_COMMAND} --build "${WORK}" -j ${jobs})
  foreach(exe consumer consumer_testing)
    check_linkage("${WORK}/${exe}")
    run_consumer("${WORK}/${exe}")
  endforeach()
  # The same build, installed: the prefix the find_package/pkg-config checks of this variant use.
  install_kmeet("${WORK}")

else()
  message(FATAL_ERROR "unknown ACTION '${ACTION}'")
endif()
