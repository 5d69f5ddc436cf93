// The table of libcurl functions (http/curl_api.hpp): complete, and a libcurl that cannot be
// loaded (the KMEET_LAZY_LIBCURL build's loader) is a TransportError that names it, never a crash
// or std::bad_alloc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/curl_api.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail {
namespace {

using ::testing::HasSubstr;

TEST(CurlApi, EveryEntryPointIsThere) {
  const CurlApi& api = curl_api();
  EXPECT_NE(api.global_init, nullptr);
  EXPECT_NE(api.easy_init, nullptr);
  EXPECT_NE(api.easy_cleanup, nullptr);
  EXPECT_NE(api.easy_reset, nullptr);
  EXPECT_NE(api.easy_perform, nullptr);
  EXPECT_NE(api.easy_setopt, nullptr);
  EXPECT_NE(api.easy_getinfo, nullptr);
  EXPECT_NE(api.easy_strerror, nullptr);
  EXPECT_NE(api.free, nullptr);
  EXPECT_NE(api.slist_append, nullptr);
  EXPECT_NE(api.slist_free_all, nullptr);
  EXPECT_NE(api.url, nullptr);
  EXPECT_NE(api.url_cleanup, nullptr);
  EXPECT_NE(api.url_get, nullptr);
  EXPECT_NE(api.url_set, nullptr);
  EXPECT_NE(api.multi_init, nullptr);
  EXPECT_NE(api.multi_cleanup, nullptr);
  EXPECT_NE(api.multi_setopt, nullptr);
  EXPECT_NE(api.multi_add_handle, nullptr);
  EXPECT_NE(api.multi_remove_handle, nullptr);
  EXPECT_NE(api.multi_socket_action, nullptr);
  EXPECT_NE(api.multi_info_read, nullptr);
  EXPECT_NE(api.multi_strerror, nullptr);
  EXPECT_STREQ(api.easy_strerror(CURLE_OK), "No error");
  EXPECT_EQ(&curl_api(), &api) << "loaded once";
}

TransportError load_error(const char* soname) {
  try {
    (void)load_curl_api(soname);
  } catch (const TransportError& e) {
    return e;
  }
  ADD_FAILURE() << soname << " loaded";
  return TransportError(TransportError::Kind::other, "", false);
}

TEST(CurlApiLoader, AMissingLibraryIsATransportErrorNamingIt) {
  const TransportError e = load_error("libkmeet-test-no-such-curl.so.4");
  EXPECT_EQ(e.kind(), TransportError::Kind::other);
  EXPECT_FALSE(e.outcome_unknown()) << "nothing was sent";
  EXPECT_THAT(e.what(), HasSubstr("libcurl could not be loaded"));
  EXPECT_THAT(e.what(), HasSubstr("libkmeet-test-no-such-curl.so.4"));
  EXPECT_THAT(e.what(), HasSubstr("7.85 or later"));
}

TEST(CurlApiLoader, TheInstalledLibcurlLoads) {
  const CurlApi api = load_curl_api("libcurl.so.4");
  EXPECT_NE(api.easy_setopt, nullptr);
  EXPECT_STREQ(api.easy_strerror(CURLE_COULDNT_CONNECT), "Couldn't connect to server");
}

TEST(CurlApiLoader, ALibraryWithoutLibcurlsFunctionsIsRefused) {
  const TransportError e = load_error("libc.so.6");
  EXPECT_EQ(e.kind(), TransportError::Kind::other);
  EXPECT_THAT(e.what(), HasSubstr("libc.so.6 has no curl_global_init"));
}

}  // namespace
}  // namespace kmeet::detail
