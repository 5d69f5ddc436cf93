#include "core/encoding.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace kmeet::detail {
namespace {

TEST(Encoding, PhpUrlencodeIsRfc1738) {
  EXPECT_EQ(php_urlencode("a b~c*d-e_f.g/h@i%j+k&l=m"), "a+b%7Ec%2Ad-e_f.g%2Fh%40i%25j%2Bk%26l%3Dm");
  EXPECT_EQ(php_urlencode("Zoë"), "Zo%C3%AB");
  EXPECT_EQ(php_urlencode(std::string_view("\0\n", 2)), "%00%0A");
  EXPECT_EQ(php_urlencode(""), "");
}

TEST(Encoding, UrlEncodeComponentIsRfc3986) {
  EXPECT_EQ(url_encode_component("a b~c*d-e_f.g/h=i+j"), "a%20b~c%2Ad-e_f.g%2Fh%3Di%2Bj");
  EXPECT_EQ(url_encode_component(R"({"a":"b,c"})"), "%7B%22a%22%3A%22b%2Cc%22%7D");
  EXPECT_EQ(url_encode_component(""), "");
}

// The hand-written encoder (the offline layer must not need libcurl) agrees with libcurl's
// curl_easy_escape, which it replaced, on every byte value.
TEST(Encoding, UrlEncodeComponentMatchesCurlForEveryByte) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::unique_ptr<char, decltype(&curl_free)> curl(curl_easy_escape(nullptr, all.data(), static_cast<int>(all.size())),
                                                   &curl_free);
  ASSERT_NE(curl, nullptr);
  EXPECT_EQ(url_encode_component(all), std::string(curl.get()));
}

TEST(Encoding, PhpUrldecode) {
  EXPECT_EQ(php_urldecode("a+b%7e%7E%2"), "a b~~%2");
  EXPECT_EQ(php_urldecode("%zz%4"), "%zz%4");
  EXPECT_EQ(php_urldecode(php_urlencode("any ~ thing/ü")), "any ~ thing/ü");
}

TEST(Encoding, HtmlEscape) {
  EXPECT_EQ(html_escape(R"(<a href="x?a=1&b='2'">)"), "&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;");
  EXPECT_EQ(html_escape("plain Zoë"), "plain Zoë");
}

}  // namespace
}  // namespace kmeet::detail
