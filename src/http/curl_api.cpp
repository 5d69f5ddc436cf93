#include "http/curl_api.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include "kmeet/errors.hpp"

#ifndef KMEET_LIBCURL_SONAME
#define KMEET_LIBCURL_SONAME "libcurl.so.4"
#endif

namespace kmeet::detail {
namespace {

using Kind = TransportError::Kind;

// kmeet sets CURLOPT_PROTOCOLS_STR, which libcurl has had since 7.85.0.
constexpr const char* kNeeds = "kmeet needs libcurl 7.85 or later for HTTP (Debian/Ubuntu: the libcurl4 package)";

template <typename F>
void bind(void* lib, const char* soname, F& fn, const char* name) {
  fn = reinterpret_cast<F>(::dlsym(lib, name));  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
  if (fn == nullptr) {
    throw TransportError(Kind::other, fmt::format("{} has no {}: {}", soname, name, kNeeds), false);
  }
}

#if KMEET_LAZY_LIBCURL

CurlApi table() { return load_curl_api(KMEET_LIBCURL_SONAME); }

#else

CurlApi table() {
  CurlApi api;
  api.global_init = &::curl_global_init;
  api.easy_init = &::curl_easy_init;
  api.easy_cleanup = &::curl_easy_cleanup;
  api.easy_reset = &::curl_easy_reset;
  api.easy_perform = &::curl_easy_perform;
  api.easy_setopt = &::curl_easy_setopt;
  api.easy_getinfo = &::curl_easy_getinfo;
  api.easy_strerror = &::curl_easy_strerror;
  api.free = &::curl_free;
  api.slist_append = &::curl_slist_append;
  api.slist_free_all = &::curl_slist_free_all;
  api.url = &::curl_url;
  api.url_cleanup = &::curl_url_cleanup;
  api.url_get = &::curl_url_get;
  api.url_set = &::curl_url_set;
  api.multi_init = &::curl_multi_init;
  api.multi_cleanup = &::curl_multi_cleanup;
  api.multi_setopt = &::curl_multi_setopt;
  api.multi_add_handle = &::curl_multi_add_handle;
  api.multi_remove_handle = &::curl_multi_remove_handle;
  api.multi_socket_action = &::curl_multi_socket_action;
  api.multi_info_read = &::curl_multi_info_read;
  api.multi_strerror = &::curl_multi_strerror;
  return api;
}

#endif

}  // namespace

CurlApi load_curl_api(const char* soname) {
  void* lib = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = ::dlerror();
    throw TransportError(Kind::other,
                         fmt::format("libcurl could not be loaded ({}): {}", why != nullptr ? why : soname, kNeeds),
                         false);
  }
  CurlApi api;
  try {
    bind(lib, soname, api.global_init, "curl_global_init");
    bind(lib, soname, api.easy_init, "curl_easy_init");
    bind(lib, soname, api.easy_cleanup, "curl_easy_cleanup");
    bind(lib, soname, api.easy_reset, "curl_easy_reset");
    bind(lib, soname, api.easy_perform, "curl_easy_perform");
    bind(lib, soname, api.easy_setopt, "curl_easy_setopt");
    bind(lib, soname, api.easy_getinfo, "curl_easy_getinfo");
    bind(lib, soname, api.easy_strerror, "curl_easy_strerror");
    bind(lib, soname, api.free, "curl_free");
    bind(lib, soname, api.slist_append, "curl_slist_append");
    bind(lib, soname, api.slist_free_all, "curl_slist_free_all");
    bind(lib, soname, api.url, "curl_url");
    bind(lib, soname, api.url_cleanup, "curl_url_cleanup");
    bind(lib, soname, api.url_get, "curl_url_get");
    bind(lib, soname, api.url_set, "curl_url_set");
    bind(lib, soname, api.multi_init, "curl_multi_init");
    bind(lib, soname, api.multi_cleanup, "curl_multi_cleanup");
    bind(lib, soname, api.multi_setopt, "curl_multi_setopt");
    bind(lib, soname, api.multi_add_handle, "curl_multi_add_handle");
    bind(lib, soname, api.multi_remove_handle, "curl_multi_remove_handle");
    bind(lib, soname, api.multi_socket_action, "curl_multi_socket_action");
    bind(lib, soname, api.multi_info_read, "curl_multi_info_read");
    bind(lib, soname, api.multi_strerror, "curl_multi_strerror");
  } catch (...) {
    ::dlclose(lib);
    throw;
  }
  return api;
}

const CurlApi& curl_api() {
  // A throwing initialiser leaves the static unset: the next call tries again.
  static const CurlApi api = [] {
    CurlApi loaded = table();
    if (loaded.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw TransportError(Kind::other, "libcurl could not be initialised", false);
    }
    return loaded;
  }();
  return api;
}

}  // namespace kmeet::detail
