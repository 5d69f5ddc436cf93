// Loads libcurl on first use instead of at process start-up (kmeet CLI only).
//
// Linking libcurl costs every process about 13 ms before main() runs (libcurl.so.4 pulls in some
// twenty libraries: GnuTLS, Kerberos, LDAP, SSH, ...), which is most of what `kmeet --help`,
// `kmeet ks mint` and `kmeet import --dry-run` would spend. This file defines the few libcurl
// entry points the SDK's CurlTransport calls; the executable is linked with --as-needed, so the
// linker resolves the SDK's calls here and leaves libcurl out of the start-up list. The first call
// that needs HTTP dlopen()s libcurl.so.4 and forwards to it from then on.
//
// If libcurl cannot be loaded, curl_global_init() fails and the SDK reports a TransportError
// ("libcurl could not be initialised"); nothing aborts.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>

namespace {

// curl_url_get's handle is `CURLU*` before libcurl 8.x and `const CURLU*` after: take it from curl.h.
template <typename>
struct FirstParameter;
template <typename R, typename A, typename... Rest>
struct FirstParameter<R (*)(A, Rest...)> {
  using type = A;
};
using UrlGetHandle = FirstParameter<decltype(&::curl_url_get)>::type;

struct CurlApi {
  void* lib = nullptr;
  CURLcode (*global_init)(long) = nullptr;
  CURL* (*easy_init)() = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  void (*easy_reset)(CURL*) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  char* (*easy_escape)(CURL*, const char*, int) = nullptr;
  void (*free_fn)(void*) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;
  CURLU* (*url)() = nullptr;
  void (*url_cleanup)(CURLU*) = nullptr;
  CURLUcode (*url_get)(UrlGetHandle, CURLUPart, char**, unsigned int) = nullptr;
  CURLUcode (*url_set)(CURLU*, CURLUPart, const char*, unsigned int) = nullptr;

  template <typename F>
  bool bind(F& fn, const char* name) {
    fn = reinterpret_cast<F>(dlsym(lib, name));
    return fn != nullptr;
  }

  CurlApi() {
    lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) return;
    const bool all = bind(global_init, "curl_global_init") && bind(easy_init, "curl_easy_init") &&
                     bind(easy_cleanup, "curl_easy_cleanup") && bind(easy_reset, "curl_easy_reset") &&
                     bind(easy_perform, "curl_easy_perform") && bind(easy_setopt, "curl_easy_setopt") &&
                     bind(easy_getinfo, "curl_easy_getinfo") && bind(easy_strerror, "curl_easy_strerror") &&
                     bind(easy_escape, "curl_easy_escape") && bind(free_fn, "curl_free") &&
                     bind(slist_append, "curl_slist_append") && bind(slist_free_all, "curl_slist_free_all") &&
                     bind(url, "curl_url") && bind(url_cleanup, "curl_url_cleanup") &&
                     bind(url_get, "curl_url_get") && bind(url_set, "curl_url_set");
    if (!all) {
      dlclose(lib);
      lib = nullptr;
    }
  }
  // Never dlclose()d: handles may outlive static destructors.
};

const CurlApi& api() {
  static const CurlApi instance;  // thread-safe one-time load
  return instance;
}

bool loaded() { return api().lib != nullptr; }

}  // namespace

extern "C" {

CURLcode curl_global_init(long flags) { return loaded() ? api().global_init(flags) : CURLE_FAILED_INIT; }

CURL* curl_easy_init() { return loaded() ? api().easy_init() : nullptr; }

void curl_easy_cleanup(CURL* handle) {
  if (loaded()) api().easy_cleanup(handle);
}

void curl_easy_reset(CURL* handle) {
  if (loaded()) api().easy_reset(handle);
}

CURLcode curl_easy_perform(CURL* handle) { return loaded() ? api().easy_perform(handle) : CURLE_FAILED_INIT; }

// The option's number says the type of its one argument (curl.h: CURLOPTTYPE_*).
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
  if (!loaded()) return CURLE_FAILED_INIT;
  va_list args;
  va_start(args, option);
  CURLcode rc;
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    rc = api().easy_setopt(handle, option, va_arg(args, long));
  } else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB) {
    rc = api().easy_setopt(handle, option, va_arg(args, curl_off_t));
  } else {  // object, string, function pointers and blobs
    rc = api().easy_setopt(handle, option, va_arg(args, void*));
  }
  va_end(args);
  return rc;
}

// Every CURLINFO takes one pointer.
CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
  if (!loaded()) return CURLE_FAILED_INIT;
  va_list args;
  va_start(args, info);
  CURLcode rc = api().easy_getinfo(handle, info, va_arg(args, void*));
  va_end(args);
  return rc;
}

const char* curl_easy_strerror(CURLcode code) {
  return loaded() ? api().easy_strerror(code) : "libcurl (libcurl.so.4) could not be loaded";
}

char* curl_easy_escape(CURL* handle, const char* text, int length) {
  return loaded() ? api().easy_escape(handle, text, length) : nullptr;
}

void curl_free(void* p) {
  if (loaded()) api().free_fn(p);
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
  return loaded() ? api().slist_append(list, text) : nullptr;
}

void curl_slist_free_all(curl_slist* list) {
  if (loaded()) api().slist_free_all(list);
}

CURLU* curl_url() { return loaded() ? api().url() : nullptr; }

void curl_url_cleanup(CURLU* handle) {
  if (loaded()) api().url_cleanup(handle);
}

CURLUcode curl_url_get(UrlGetHandle handle, CURLUPart what, char** part, unsigned int flags) {
  return loaded() ? api().url_get(handle, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

CURLUcode curl_url_set(CURLU* handle, CURLUPart what, const char* part, unsigned int flags) {
  return loaded() ? api().url_set(handle, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

}  // extern "C"
