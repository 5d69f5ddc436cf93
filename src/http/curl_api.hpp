#pragma once
// The libcurl functions kmeet calls, in one table (docs/http.md, "How libcurl is loaded"). Nothing
// else in kmeet calls libcurl.
//
// Built with KMEET_LAZY_LIBCURL (the default on Linux), the table is filled from libcurl.so.4 by
// dlopen() when the first CurlTransport is made, so a program that never sends a request (KS
// minting, launch URLs, `kmeet --help`) does not map libcurl and the twenty-odd libraries it needs
// at start-up (docs/performance.md). Without it, the table holds libcurl's own functions, linked as
// usual.

#include <curl/curl.h>

namespace kmeet::detail {

/// libcurl's entry points; each member has exactly the type curl.h declares.
struct CurlApi {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_reset) easy_reset = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_free) free = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  decltype(&::curl_url) url = nullptr;
  decltype(&::curl_url_cleanup) url_cleanup = nullptr;
  decltype(&::curl_url_get) url_get = nullptr;
  decltype(&::curl_url_set) url_set = nullptr;
  // The multi interface, for the async engine (http/async_engine.hpp).
  decltype(&::curl_multi_init) multi_init = nullptr;
  decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&::curl_multi_setopt) multi_setopt = nullptr;
  decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&::curl_multi_socket_action) multi_socket_action = nullptr;
  decltype(&::curl_multi_info_read) multi_info_read = nullptr;
  decltype(&::curl_multi_strerror) multi_strerror = nullptr;
};

/// The table, loaded and `curl_global_init`ed once per process (thread-safe). Throws
/// TransportError (kind `other`, nothing sent) naming the library and the loader's reason when
/// libcurl cannot be loaded or initialised; the next call tries again.
const CurlApi& curl_api();

/// Loads every entry point from the shared library `soname` (dlopen + dlsym); throws
/// TransportError as above. The handle is never closed: easy handles may outlive static
/// destructors. curl_api() uses it with KMEET_LIBCURL_SONAME in the lazy build; it is compiled in
/// both builds, so that tests can check it with a missing library.
CurlApi load_curl_api(const char* soname);

}  // namespace kmeet::detail
