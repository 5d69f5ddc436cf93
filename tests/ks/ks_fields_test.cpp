#include "ks/ks_fields.hpp"

#include <gtest/gtest.h>

#include "support/ks_vectors.hpp"

namespace kmeet::detail {
namespace {

TEST(KsFields, FieldStringOfEveryVector) {
  const auto& doc = test::ks_vectors();
  for (const auto& v : doc["v2"]) {
    SCOPED_TRACE(v["name"].get<std::string>());
    std::string out;
    append_ks_v2_fields(out, v["privileges"].get<std::string>(), doc["expiry"].get<std::int64_t>(),
                        v["type"].get<int>(), v["userId"].get<std::string>());
    EXPECT_EQ(out, v["fields"].get<std::string>());
  }
}

TEST(KsFields, SplitMirrorsGenerateKsV2) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  split_privileges(" a:1 ,,b, *,a:2,c:x:y,\t,:v", out);
  const std::vector<std::pair<std::string_view, std::string_view>> expected{
      {"a", "2"}, {"b", ""}, {"all", "*"}, {"c", "x:y"}, {"", "v"}};
  EXPECT_EQ(out, expected);
  split_privileges("", out);
  EXPECT_TRUE(out.empty());
}

TEST(KsFields, ParseStrMirrorsPhp) {
  const auto pairs = php_parse_str("a=1&&b=x+y%2Bz&a=3&c&+d.e=5&f[0]=g&h[=i&=j&k=%zz");
  const std::vector<std::pair<std::string, std::string>> expected{
      {"a", "3"}, {"b", "x y+z"}, {"c", ""}, {"d_e", "5"}, {"f", "g"}, {"h_", "i"}, {"k", "%zz"}};
  EXPECT_EQ(pairs, expected);
}

TEST(KsFields, RebuildTurnsAllStarBackIntoStar) {
  EXPECT_EQ(rebuild_privileges({{"all", "*"}, {"sview", ""}, {"role", "viewerRole"}}), "*,sview,role:viewerRole");
}

TEST(KsFields, IntvalAndTrimLikePhp) {
  EXPECT_EQ(php_intval("1700000000"), 1700000000);
  EXPECT_EQ(php_intval("  -12abc"), -12);
  EXPECT_EQ(php_intval("abc"), 0);
  EXPECT_EQ(php_intval("99999999999999999999999"), INT64_MAX);
  EXPECT_EQ(php_trim(std::string_view("\0\x0B x \t\r\n", 8)), "x");
}

}  // namespace
}  // namespace kmeet::detail
