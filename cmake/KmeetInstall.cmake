# Install rules and package files for kmeet (included by the top-level CMakeLists.txt).
#
#   cmake --install build [--prefix DIR] [--component kmeet_runtime|kmeet_development|kmeet_tools]
#
# installs
#   include/kmeet/*.hpp                         (kmeet_development)
#   lib/libkmeet.a, or lib/libkmeet.so.0.1.0 + SONAME link libkmeet.so.0.1 (kmeet_runtime) + the
#   libkmeet.so development link (kmeet_development), with BUILD_SHARED_LIBS=ON
#   lib/cmake/kmeet/kmeet{Config,ConfigVersion,Targets*}.cmake   (kmeet_development)
#   lib/pkgconfig/kmeet.pc                      (kmeet_development)
#   lib/libkmeet_testing.a, include/kmeet/testing/*.hpp, lib/cmake/kmeet/kmeetTestingTargets*.cmake,
#   lib/pkgconfig/kmeet-testing.pc              (kmeet_development, with KMEET_BUILD_TESTING_LIBRARY):
#   kmeet::testing, loaded by find_package(kmeet CONFIG COMPONENTS testing)
#   bin/kmeet, bin/kmeet-emulator               (kmeet_tools, when those targets are built)
#
# Version compatibility is SameMinorVersion: before 1.0 a minor release may change the API and
# the ABI (the SONAME is libkmeet.so.MAJOR.MINOR), so `find_package(kmeet 0.1)` accepts 0.1.x only.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KMEET_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/kmeet" CACHE STRING
    "Where kmeetConfig.cmake is installed, relative to the prefix")
set(KMEET_PKGCONFIG_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig" CACHE STRING
    "Where kmeet.pc is installed, relative to the prefix")
get_target_property(_kmeet_type kmeet TYPE)
if(_kmeet_type STREQUAL "STATIC_LIBRARY")
  set(KMEET_INSTALL_STATIC ON)
else()
  set(KMEET_INSTALL_STATIC OFF)
endif()

# Headers: the whole public tree (only .hpp files).
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/kmeet"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  COMPONENT kmeet_development
  FILES_MATCHING PATTERN "*.hpp")

# The library. Its private dependencies show up in the exported static target as
# $<LINK_ONLY:CURL::libcurl> etc.; kmeetConfig.cmake finds them again with find_dependency.
install(TARGETS kmeet EXPORT kmeetTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT kmeet_development
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT kmeet_runtime
          NAMELINK_COMPONENT kmeet_development
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT kmeet_runtime
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT kmeetTargets
  NAMESPACE kmeet::
  FILE kmeetTargets.cmake
  DESTINATION "${KMEET_CMAKE_INSTALL_DIR}"
  COMPONENT kmeet_development)

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/kmeetConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/kmeetConfig.cmake"
  INSTALL_DESTINATION "${KMEET_CMAKE_INSTALL_DIR}"
  NO_SET_AND_CHECK_MACRO NO_CHECK_REQUIRED_COMPONENTS_MACRO)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/kmeetConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/kmeetConfig.cmake"
  "${PROJECT_BINARY_DIR}/kmeetConfigVersion.cmake"
  DESTINATION "${KMEET_CMAKE_INSTALL_DIR}"
  COMPONENT kmeet_development)

# kmeet.pc, relocatable: every path is relative to the .pc file's own folder.
if(IS_ABSOLUTE "${KMEET_PKGCONFIG_INSTALL_DIR}")
  set(KMEET_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _kmeet_pc_up "/_/${KMEET_PKGCONFIG_INSTALL_DIR}" "/_")
  set(KMEET_PC_PREFIX "\${pcfiledir}/${_kmeet_pc_up}")
endif()
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(KMEET_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(KMEET_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()
if(KMEET_INSTALL_STATIC)
  # A static libkmeet.a still needs what it calls: libcurl (unless it is loaded lazily, then the
  # dynamic loader's library), libcrypto, fmt and libical (nlohmann_json is header-only and used only
  # inside kmeet's sources). date-tz ships no .pc file, so it follows -lkmeet in Libs itself: a static
  # libkmeet.a cannot be linked without it.
  set(KMEET_PC_LIBS_PRIVATE "-pthread")
  set(KMEET_PC_LIBS_STATIC " -ldate-tz")
  if(KMEET_LAZY_LIBCURL)
    set(KMEET_PC_REQUIRES_PRIVATE "libcrypto fmt libical")
    foreach(_lib ${CMAKE_DL_LIBS})
      string(APPEND KMEET_PC_LIBS_PRIVATE " -l${_lib}")
    endforeach()
  else()
    set(KMEET_PC_REQUIRES_PRIVATE "libcurl libcrypto fmt libical")
  endif()
else()
  set(KMEET_PC_REQUIRES_PRIVATE "")
  set(KMEET_PC_LIBS_PRIVATE "")
  set(KMEET_PC_LIBS_STATIC "")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/kmeet.pc.in" "${PROJECT_BINARY_DIR}/kmeet.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/kmeet.pc"
  DESTINATION "${KMEET_PKGCONFIG_INSTALL_DIR}"
  COMPONENT kmeet_development)

# kmeet::testing (always static): its own export set, so that find_package(kmeet) without the
# component needs none of its dependencies (cpp-httplib, OpenSSL's libssl).
if(TARGET kmeet_testing)
  install(TARGETS kmeet_testing EXPORT kmeetTestingTargets
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT kmeet_development
    INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
  install(EXPORT kmeetTestingTargets
    NAMESPACE kmeet::
    FILE kmeetTestingTargets.cmake
    DESTINATION "${KMEET_CMAKE_INSTALL_DIR}"
    COMPONENT kmeet_development)
  configure_file("${CMAKE_CURRENT_LIST_DIR}/kmeet-testing.pc.in" "${PROJECT_BINARY_DIR}/kmeet-testing.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/kmeet-testing.pc"
    DESTINATION "${KMEET_PKGCONFIG_INSTALL_DIR}"
    COMPONENT kmeet_development)
endif()

# Programs. With a shared libkmeet they find it through a relative RPATH.
file(RELATIVE_PATH _kmeet_bin_to_lib
  "/_/${CMAKE_INSTALL_BINDIR}" "/_/${CMAKE_INSTALL_LIBDIR}")
foreach(_tool kmeet-cli kmeet-emulator)
  if(TARGET ${_tool})
    if(NOT KMEET_INSTALL_STATIC)
      set_target_properties(${_tool} PROPERTIES INSTALL_RPATH "$ORIGIN/${_kmeet_bin_to_lib}")
    endif()
    install(TARGETS ${_tool}
      RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
      COMPONENT kmeet_tools)
  endif()
endforeach()
