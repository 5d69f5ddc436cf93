# What libkmeet.so exports (cmake -DLIB=<path to libkmeet.so> -P exports_check.cmake): the public
# API only. kmeet is built with hidden visibility and marks its API KMEET_EXPORT
# (kmeet/export.hpp), so no symbol of kmeet's internals — the `detail` namespace — may be among the
# dynamic symbols, and the API itself must be (a Client, an error type, a free function).
cmake_minimum_required(VERSION 3.25)
if(NOT LIB OR NOT EXISTS "${LIB}")
  message(FATAL_ERROR "exports_check: LIB '${LIB}' does not exist")
endif()
execute_process(COMMAND nm -D --defined-only -C "${LIB}"
  OUTPUT_VARIABLE symbols RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIB}: ${err}")
endif()
string(REPLACE "\n" ";" lines "${symbols}")
set(leaks "")
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "kmeet::")
    math(EXPR count "${count} + 1")
  endif()
  # Any kmeet symbol that names kmeet's internals (kmeet::detail::..., or a template instantiated
  # over one) is a leak.
  if(line MATCHES "kmeet::detail::")
    string(APPEND leaks "  ${line}\n")
  endif()
endforeach()
if(leaks)
  message(FATAL_ERROR "libkmeet.so exports kmeet's internals (mark only the public API KMEET_EXPORT):\n${leaks}")
endif()
foreach(api "kmeet::Client::Client" "typeinfo for kmeet::ApiError" "kmeet::to_string\\(kmeet::KsStatus\\)"
            "kmeet::CurlTransport::CurlTransport")
  if(NOT symbols MATCHES "${api}")
    message(FATAL_ERROR "libkmeet.so does not export ${api}")
  endif()
endforeach()
message(STATUS "libkmeet.so exports ${count} kmeet symbols, none of kmeet::detail")
