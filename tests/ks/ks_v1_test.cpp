#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "support/ks_vectors.hpp"

namespace kmeet {
namespace {

using test::ks_vectors;

TEST(KsV1, ReproducesEveryVectorByteForByte) {
  const auto& doc = ks_vectors();
  ASSERT_GE(doc["v1"].size(), 1U);
  KsSigner signer(doc["secret"].get<std::string>());
  for (const auto& v : doc["v1"]) {
    SCOPED_TRACE(v["name"].get<std::string>());
    const KsParams p{.partner_id = PartnerId(doc["partnerId"].get<std::int64_t>()),
                     .type = static_cast<SessionType>(v["type"].get<int>()),
                     .user_id = v["userId"].get<std::string>(),
                     .privileges = v["privileges"].get<std::string>(),
                     .expires_at = Timestamp(std::chrono::seconds(doc["expiry"].get<std::int64_t>()))};
    EXPECT_EQ(signer.mint_v1(p, v["rand"].get<std::int64_t>()), v["ks"].get<std::string>());

    const KsInfo info = Ks::inspect(v["ks"].get<std::string>(), doc["secret"].get<std::string>());
    EXPECT_EQ(info.version, KsVersion::v1);
    EXPECT_TRUE(info.readable);
    EXPECT_TRUE(info.signature_valid);
    EXPECT_EQ(info.partner_id, p.partner_id);
    EXPECT_EQ(info.user_id, p.user_id);
    EXPECT_EQ(info.privileges, p.privileges);
    EXPECT_EQ(info.expires_at, p.expires_at);
    EXPECT_EQ(info.raw_type, v["type"].get<int>());
    EXPECT_FALSE(info.master_partner_id.has_value());
  }
}

TEST(KsV1, RandomRandStillVerifies) {
  KsSigner signer("secret");
  const KsParams p{.partner_id = PartnerId(9), .type = SessionType::admin, .user_id = "admin",
                   .privileges = "*", .expires_at = Timestamp(std::chrono::seconds(2000))};
  const auto ks = signer.mint(p, KsVersion::v1);
  const std::vector<std::string> secrets{"secret"};
  KsInfo info;
  EXPECT_EQ(Ks::verify(ks, PartnerId(9), secrets, Timestamp(std::chrono::seconds(1999)), &info), KsStatus::valid);
  EXPECT_EQ(info.type, SessionType::admin);
  EXPECT_EQ(info.privileges, "*");
  ASSERT_EQ(info.privilege_list.size(), 1U);
  EXPECT_EQ(info.privilege_list[0], (std::pair<std::string, std::string>{"all", "*"}));
}

TEST(KsV1, RejectsSemicolonsThatWouldShiftFields) {
  KsSigner signer("secret");
  try {
    (void)signer.mint_v1(KsParams{.partner_id = PartnerId(1), .user_id = "bob;999"}, 1);
    FAIL() << "user id with ';' accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "user_id");
  }
  try {
    (void)signer.mint_v1(KsParams{.partner_id = PartnerId(1), .privileges = "role:viewerRole;123"}, 1);
    FAIL() << "privileges with ';' accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "privileges");
  }
}

}  // namespace
}  // namespace kmeet
