#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "ks/crypto.hpp"
#include "support/ks_vectors.hpp"

namespace kmeet {
namespace {

using test::ks_vectors;

RandomSource fixed_random(std::vector<std::uint8_t> bytes) {
  return [bytes = std::move(bytes)](std::span<std::uint8_t> out) {
    ASSERT_EQ(out.size(), bytes.size());
    std::copy(bytes.begin(), bytes.end(), out.begin());
  };
}

KsParams params_of(const nlohmann::ordered_json& v) {
  const auto& doc = ks_vectors();
  return KsParams{.partner_id = PartnerId(doc["partnerId"].get<std::int64_t>()),
                  .type = static_cast<SessionType>(v["type"].get<int>()),
                  .user_id = v["userId"].get<std::string>(),
                  .privileges = v["privileges"].get<std::string>(),
                  .expires_at = Timestamp(std::chrono::seconds(doc["expiry"].get<std::int64_t>()))};
}

// Decrypts a v2 token with the internal primitives, to compare the plaintext with the vector.
std::string decrypt_plain(const std::string& ks, const std::string& secret) {
  auto decoded = detail::ks_base64_decode(ks);
  EXPECT_TRUE(decoded.has_value());
  const auto second_bar = decoded->find('|', 3);
  std::string cipher = decoded->substr(second_bar + 1);
  EXPECT_TRUE(detail::aes128_cbc_zero_iv(detail::ks_aes_key(secret), false,
                                         reinterpret_cast<std::uint8_t*>(cipher.data()), cipher.size()));
  return cipher;
}

TEST(KsV2, ReproducesEveryVectorByteForByte) {
  const auto& doc = ks_vectors();
  const auto secret = doc["secret"].get<std::string>();
  ASSERT_GE(doc["v2"].size(), 5U);
  for (const auto& v : doc["v2"]) {
    SCOPED_TRACE(v["name"].get<std::string>());
    KsSigner signer(secret, fixed_random(test::from_hex(v["randomHex"].get<std::string>())));
    const std::string ks = signer.mint_v2(params_of(v));
    EXPECT_EQ(ks, v["ks"].get<std::string>());
    EXPECT_EQ(test::to_hex(decrypt_plain(ks, secret)), v["plainHex"].get<std::string>());
    // The plaintext carries the field string right after the hash and the random bytes.
    const std::string plain = decrypt_plain(ks, secret);
    const std::string fields = v["fields"].get<std::string>();
    EXPECT_EQ(plain.substr(36, fields.size()), fields);
  }
}

TEST(KsV2, MintDefaultsToV2) {
  const auto& doc = ks_vectors();
  const auto& v = doc["v2"][0];
  KsSigner signer(doc["secret"].get<std::string>(), fixed_random(test::from_hex(v["randomHex"].get<std::string>())));
  EXPECT_EQ(signer.mint(params_of(v)), v["ks"].get<std::string>());
  EXPECT_EQ(signer.mint(params_of(v), KsVersion::v2), v["ks"].get<std::string>());
}

TEST(KsV2, AesKeyIsSha1OfSecretTruncated) {
  const auto key = detail::ks_aes_key(ks_vectors()["secret"].get<std::string>());
  EXPECT_EQ(test::to_hex(key), "b1775a785f09a6ebaf2dc33d6eaeb989");  // F.4
}

TEST(KsV2, DefaultRandomIsFreshPerToken) {
  KsSigner signer("0123456789abcdef0123456789abcdef");
  const KsParams p{.partner_id = PartnerId(1234567), .user_id = "u", .privileges = "role:viewerRole",
                   .expires_at = Timestamp(std::chrono::seconds(1700000000))};
  const auto a = signer.mint_v2(p);
  const auto b = signer.mint_v2(p);
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("djJ8MTIzNDU2N3"));
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="),
            std::string::npos);
}

TEST(KsV2, ReservedNamesInPrivilegesAreOverwrittenInPlace) {
  // F.6: `_e`, `_t`, `_u` smuggled via the raw privileges string keep their position but get
  // the real values, exactly like the server's generateKsV2.
  const std::string secret = "s3cr3t";
  KsSigner signer(secret, fixed_random(std::vector<std::uint8_t>(16, 7)));
  const KsParams p{.partner_id = PartnerId(42), .user_id = "real",
                   .privileges = "_u:evil,role:viewerRole,_e:99999999999,role:adminRole, * ,x",
                   .expires_at = Timestamp(std::chrono::seconds(1700000000))};
  const std::string plain = decrypt_plain(signer.mint_v2(p), secret);
  const std::string expected = "_u=real&role=adminRole&_e=1700000000&all=%2A&x=&_t=0";
  EXPECT_EQ(plain.substr(36, expected.size()), expected);
}

TEST(KsV2, MasterPartnerAndAdditionalDataCannotBeSmuggledIn) {
  // F.6: `_m`/`_d` would survive as the KS master partner id / additional data: refused.
  KsSigner signer("s3cr3t");
  for (const char* privileges : {"_m:99", "role:viewerRole, _d:evil", "_m"}) {
    const KsParams p{.partner_id = PartnerId(42), .privileges = privileges,
                     .expires_at = Timestamp(std::chrono::seconds(1700000000))};
    try {
      (void)signer.mint_v2(p);
      FAIL() << privileges;
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "privileges");
      EXPECT_NE(e.reason().find("reserved"), std::string::npos) << e.reason();
    }
  }
  EXPECT_NO_THROW((void)signer.mint_v2(KsParams{.partner_id = PartnerId(42), .privileges = "my_m:1,_x:2",
                                               .expires_at = Timestamp(std::chrono::seconds(1700000000))}));
}

TEST(KsV2, ConcurrentMintingIsDeterministicAndThreadSafe) {
  const auto& doc = ks_vectors();
  const auto& v = doc["v2"][0];
  const KsSigner signer(doc["secret"].get<std::string>(),
                        fixed_random(test::from_hex(v["randomHex"].get<std::string>())));
  const auto params = params_of(v);
  const auto expected = v["ks"].get<std::string>();
  std::atomic<int> mismatches{0};
  auto work = [&] {
    for (int i = 0; i < 2000; ++i) {
      if (signer.mint_v2(params) != expected) ++mismatches;
    }
  };
  std::thread t1(work), t2(work);
  t1.join();
  t2.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(KsSigner, RejectsEmptySecretAndBadPartner) {
  try {
    KsSigner bad("");
    FAIL() << "empty secret accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "admin_secret");
  }
  KsSigner signer("secret");
  try {
    (void)signer.mint_v2(KsParams{.partner_id = PartnerId(0)});
    FAIL() << "partner 0 accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "partner_id");
  }
  EXPECT_THROW((void)signer.mint_v1(KsParams{.partner_id = PartnerId(-5)}, 1), ValidationError);
}

TEST(KsSigner, MovedSignerStillMints) {
  KsSigner a("secret");
  KsSigner b(std::move(a));
  const KsParams p{.partner_id = PartnerId(1), .expires_at = Timestamp(std::chrono::seconds(10))};
  EXPECT_FALSE(b.mint_v2(p).empty());
}

}  // namespace
}  // namespace kmeet
