// Config::validate refuses a service or KAF URL without a real host (issue 21 item 6).
#include "kmeet/config.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"

namespace kmeet {
namespace {

Config with_urls(std::string service, std::string kaf = {}) {
  Config c;
  c.service_url = std::move(service);
  c.kaf_url = std::move(kaf);
  c.partner_id = PartnerId(1234567);
  c.admin_secret = "secret";
  return c;
}

std::string field_of(const Config& c) {
  try {
    c.validate();
  } catch (const ValidationError& e) {
    return e.field();
  }
  return {};
}

TEST(ConfigValidate, UrlsMustNameAHost) {
  for (const char* bad : {"http://", "http:///x", "https://", "https://:443", "https://:443/x", "http://user@/",
                          "http://[::1", "http://host:0", "http://host:99999", "http://host:x", "ftp://host",
                          "http://ho st"}) {
    EXPECT_EQ(field_of(with_urls(bad)), "service_url") << bad;
    EXPECT_EQ(field_of(with_urls("https://www.kaltura.com", bad)), "kaf_url") << bad;
  }
  for (const char* good : {"https://www.kaltura.com", "http://127.0.0.1:8080", "http://localhost:8080/api",
                           "https://[::1]:8443", "https://user@host/x", "http://h?x=1"}) {
    EXPECT_EQ(field_of(with_urls(good)), "") << good;
    EXPECT_EQ(field_of(with_urls("https://www.kaltura.com", good)), "") << good;
  }
}

}  // namespace
}  // namespace kmeet
