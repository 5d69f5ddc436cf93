#include <gtest/gtest.h>

#include <random>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "ks/crypto.hpp"
#include "support/ks_vectors.hpp"

namespace kmeet {
namespace {

using test::ks_vectors;
using namespace std::chrono_literals;

std::string secret() { return ks_vectors()["secret"].get<std::string>(); }
PartnerId partner() { return PartnerId(ks_vectors()["partnerId"].get<std::int64_t>()); }
Timestamp expiry() { return Timestamp(std::chrono::seconds(ks_vectors()["expiry"].get<std::int64_t>())); }
std::string v2_ks(std::size_t i) { return ks_vectors()["v2"][i]["ks"].get<std::string>(); }

TEST(KsInspect, DecodesEveryV2VectorBackToItsFields) {
  for (const auto& v : ks_vectors()["v2"]) {
    SCOPED_TRACE(v["name"].get<std::string>());
    const KsInfo info = Ks::inspect(v["ks"].get<std::string>(), secret());
    EXPECT_EQ(info.version, KsVersion::v2);
    EXPECT_EQ(info.partner_id, partner());
    EXPECT_TRUE(info.readable);
    EXPECT_TRUE(info.signature_valid);
    const auto& d = v["decoded"];
    EXPECT_EQ(info.expires_at, Timestamp(std::chrono::seconds(std::stoll(d["_e"].get<std::string>()))));
    EXPECT_EQ(info.raw_type, std::stoi(d["_t"].get<std::string>()));
    EXPECT_EQ(info.type, v["type"].get<int>() == 2 ? SessionType::admin : SessionType::user);
    EXPECT_EQ(info.user_id, d["_u"].get<std::string>());
    std::vector<std::pair<std::string, std::string>> expected;
    for (const auto& [key, value] : d.items()) {
      if (!key.starts_with('_')) expected.emplace_back(key, value.get<std::string>());
    }
    EXPECT_EQ(info.privilege_list, expected);
    EXPECT_EQ(info.privileges, v["privileges"].get<std::string>());  // server rebuild == input
    EXPECT_FALSE(info.master_partner_id.has_value());
    EXPECT_FALSE(info.additional_data.has_value());
  }
}

TEST(KsInspect, WithoutSecretOnlyVersionAndPartnerOfV2) {
  const KsInfo info = Ks::inspect(v2_ks(0));
  EXPECT_EQ(info.version, KsVersion::v2);
  EXPECT_EQ(info.partner_id, partner());
  EXPECT_FALSE(info.readable);
  EXPECT_FALSE(info.signature_valid);
  EXPECT_TRUE(info.user_id.empty());
  EXPECT_TRUE(info.privileges.empty());
}

TEST(KsInspect, WrongSecretLeavesV2Unreadable) {
  const KsInfo info = Ks::inspect(v2_ks(0), std::string_view("not-the-secret"));
  EXPECT_EQ(info.partner_id, partner());
  EXPECT_FALSE(info.readable);
  EXPECT_FALSE(info.signature_valid);
}

TEST(KsInspect, V1WithWrongSecretIsReadableButNotValid) {
  const auto ks = ks_vectors()["v1"][0]["ks"].get<std::string>();
  const KsInfo info = Ks::inspect(ks, std::string_view("nope"));
  EXPECT_TRUE(info.readable);
  EXPECT_FALSE(info.signature_valid);
  EXPECT_EQ(info.user_id, "max@organization.com");
  EXPECT_FALSE(Ks::inspect(ks).signature_valid);
}

TEST(KsInspect, AcceptsMissingPaddingAndStandardAlphabetLikeTheServer) {
  // Vector 3 ends in '='; PHP's strict decoder accepts it without the padding too, and the
  // server maps '-' '_' back to '+' '/', so the standard alphabet is the same token.
  std::string ks = v2_ks(2);
  ASSERT_TRUE(ks.ends_with('='));
  ks.pop_back();
  EXPECT_TRUE(Ks::inspect(ks, secret()).signature_valid);
  std::string standard = v2_ks(0);
  std::replace(standard.begin(), standard.end(), '-', '+');
  std::replace(standard.begin(), standard.end(), '_', '/');
  EXPECT_TRUE(Ks::inspect(standard, secret()).signature_valid);
}

struct Hostile {
  const char* name;
  std::string ks;
  const char* reason;  // a fragment of the expected ValidationError reason
};

std::vector<Hostile> hostile_tokens() {
  const std::string good = v2_ks(0);
  std::string long_token(70000, 'A');
  return {
      {"empty string", "", "must not be empty"},
      {"plain words with spaces and punctuation", "hello, world!", "not valid base64"},
      {"single base64 character (lone trailing char)", "a", "not valid base64"},
      {"five base64 characters (lone trailing char)", "abcde", "not valid base64"},
      {"padding only", "====", "not valid base64"},
      {"whitespace only", " \t\r\n ", "decodes to nothing"},
      {"three padding characters", "QQ===", "not valid base64"},
      {"data after padding", "QQ==QQ==", "not valid base64"},
      {"non-ASCII bytes", "\xff\xfe\xfd\xfc", "not valid base64"},
      {"NUL byte inside", std::string("djJ8\0MTIz", 9), "not valid base64"},
      {"KS of 70000 characters", long_token, "too long"},
      {"v2 header only ('v2|')", "djJ8", "no ciphertext after the partner id"},
      {"v2 without ciphertext ('v2|1234567|')", "djJ8MTIzNDU2N3w=", "empty ciphertext"},
      {"v2 with non-numeric partner ('v2|abc|' + 16 bytes)", "djJ8YWJjfEFBQUFBQUFBQUFBQUFBQUE=",
       "partner id is not a positive number"},
      {"v2 with partner 0", "djJ8MHxBQUFBQUFBQUFBQUFBQUFB", "partner id is not a positive number"},
      {"v2 truncated by 4 characters (ciphertext not a multiple of 16)", good.substr(0, good.size() - 4),
       "not a multiple of 16"},
      {"v2 cut in half", good.substr(0, good.size() / 2), "not a multiple of 16"},
      {"v1 without '|' ('1234567;1234567;1')", "MTIzNDU2NzsxMjM0NTY3OzE=", "no '|' separator"},
      {"v1 with fewer than 3 ';' fields ('abc|1;2')", "YWJjfDE7Mg==", "fewer than 3"},
      {"v1 with non-numeric partner ('abc|x;y;z')", "YWJjfHg7eTt6", "partner id is not a positive number"},
  };
}

TEST(KsInspect, HostileTokensGiveValidationErrorOnFieldKsWithoutEchoingThem) {
  for (const auto& h : hostile_tokens()) {
    SCOPED_TRACE(h.name);
    try {
      (void)Ks::inspect(h.ks, secret());
      ADD_FAILURE() << "accepted: " << h.name;
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "ks");
      EXPECT_NE(e.reason().find(h.reason), std::string::npos) << e.reason();
      if (h.ks.size() > 8) {
        EXPECT_EQ(std::string(e.what()).find(h.ks), std::string::npos) << "token echoed";
      }
      EXPECT_EQ(std::string(e.what()).find(secret()), std::string::npos);
    }
    const std::vector<std::string> secrets{secret()};
    EXPECT_EQ(Ks::verify(h.ks, partner(), secrets, expiry() - 10s), KsStatus::invalid_str);
  }
}

TEST(KsVerify, ValidUntilTheExpirySecondExclusive) {
  const std::vector<std::string> secrets{secret()};
  KsInfo info;
  EXPECT_EQ(Ks::verify(v2_ks(0), partner(), secrets, expiry() - 1s, &info), KsStatus::valid);
  EXPECT_TRUE(info.signature_valid);
  EXPECT_EQ(info.user_id, "max@organization.com");
  EXPECT_EQ(Ks::verify(v2_ks(0), partner(), secrets, expiry()), KsStatus::expired);  // strict
  EXPECT_EQ(Ks::verify(v2_ks(0), partner(), secrets, expiry() + 1s), KsStatus::expired);
  const auto v1 = ks_vectors()["v1"][0]["ks"].get<std::string>();
  EXPECT_EQ(Ks::verify(v1, partner(), secrets, expiry() - 1s), KsStatus::valid);
  EXPECT_EQ(Ks::verify(v1, partner(), secrets, expiry()), KsStatus::expired);
}

TEST(KsVerify, TriesEveryAdminSecret) {
  const std::vector<std::string> secrets{"old-secret", "", secret()};
  EXPECT_EQ(Ks::verify(v2_ks(1), partner(), secrets, expiry() - 1s), KsStatus::valid);
  EXPECT_EQ(Ks::verify(ks_vectors()["v1"][0]["ks"].get<std::string>(), partner(), secrets, expiry() - 1s),
            KsStatus::valid);
}

TEST(KsVerify, WrongSecretsOrNoneIsInvalidStr) {
  const std::vector<std::string> wrong{"a", "b"};
  EXPECT_EQ(Ks::verify(v2_ks(0), partner(), wrong, expiry() - 1s), KsStatus::invalid_str);
  EXPECT_EQ(Ks::verify(v2_ks(0), partner(), {}, expiry() - 1s), KsStatus::invalid_str);
  EXPECT_EQ(Ks::verify(ks_vectors()["v1"][0]["ks"].get<std::string>(), partner(), wrong, expiry() - 1s),
            KsStatus::invalid_str);
}

TEST(KsVerify, WrongPartnerIsInvalidPartner) {
  const std::vector<std::string> secrets{secret()};
  KsInfo info;
  EXPECT_EQ(Ks::verify(v2_ks(0), PartnerId(7654321), secrets, expiry() - 1s, &info), KsStatus::invalid_partner);
  EXPECT_EQ(info.partner_id, partner());
  EXPECT_EQ(Ks::verify(ks_vectors()["v1"][0]["ks"].get<std::string>(), PartnerId(1), secrets, expiry() - 1s),
            KsStatus::invalid_partner);
}

TEST(KsVerify, UnknownSessionTypeIsInvalidType) {
  KsSigner signer(secret());
  const std::vector<std::string> secrets{secret()};
  for (const int type : {3, 4, -1}) {
    SCOPED_TRACE(type);
    const KsParams p{.partner_id = partner(), .type = static_cast<SessionType>(type), .expires_at = expiry()};
    EXPECT_EQ(Ks::verify(signer.mint_v2(p), partner(), secrets, expiry() - 1s), KsStatus::invalid_type);
    EXPECT_EQ(Ks::verify(signer.mint_v1(p, 5), partner(), secrets, expiry() - 1s), KsStatus::invalid_type);
  }
}

TEST(KsVerify, TypeOneIsTheServersWidgetTypeNotInvalid) {
  // protocol.md E.5: the API enum has no 1, but the server uses it for widget sessions (isAdmin() is
  // type >= 1); nothing in the spec calls it invalid.
  KsSigner signer(secret());
  const KsParams p{.partner_id = partner(), .type = static_cast<SessionType>(1), .expires_at = expiry()};
  const std::vector<std::string> secrets{secret()};
  for (const std::string& ks : {signer.mint_v2(p), signer.mint_v1(p, 5)}) {
    KsInfo info;
    EXPECT_EQ(Ks::verify(ks, partner(), secrets, expiry() - 1s, &info), KsStatus::valid);
    EXPECT_EQ(info.raw_type, 1);
    EXPECT_TRUE(info.widget());
    EXPECT_EQ(Ks::verify(ks, partner(), secrets, expiry(), &info), KsStatus::expired);
    EXPECT_TRUE(Ks::inspect(ks, secret()).widget());
  }
  EXPECT_FALSE(Ks::inspect(signer.mint_v2(KsParams{.partner_id = partner(), .type = SessionType::admin,
                                                   .expires_at = expiry()}),
                           secret())
                   .widget());
}

/// A KS v1 signed with `secret` around `info` (`partner;partner;expiry;type;rand;user;privileges`).
std::string v1_token(const std::string& info) {
  const auto sig = detail::to_hex(detail::sha1(secret(), info));
  std::string out;
  detail::base64_append(out, sig + "|" + info);
  return out;
}

TEST(KsInspect, V1ListsEveryPrivilegeItemWithDuplicatesFlagged) {
  // An injected firstName (protocol.md F.6): v1 keeps both roles in its string.
  const std::string privileges =
      "eventId:3371011,role:viewerRole,userContextualRole:3,firstName:Max,role:adminRole,userContextualRole:0,*";
  const std::string info_text = partner().str() + ";" + partner().str() + ";" +
                                std::to_string(expiry().time_since_epoch().count()) + ";0;5;bob;" + privileges;
  const KsInfo info = Ks::inspect(v1_token(info_text), secret());
  EXPECT_EQ(info.version, KsVersion::v1);
  EXPECT_TRUE(info.signature_valid);
  EXPECT_EQ(info.privileges, privileges);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"eventId", "3371011"}, {"role", "viewerRole"}, {"userContextualRole", "3"}, {"firstName", "Max"},
      {"role", "adminRole"},  {"userContextualRole", "0"}, {"all", "*"}};
  EXPECT_EQ(info.privilege_list, expected);
  EXPECT_EQ(info.duplicate_privileges, (std::vector<std::string>{"role", "userContextualRole"}));
  KsInfo verified;
  EXPECT_EQ(Ks::verify(v1_token(info_text), partner(), std::vector<std::string>{secret()}, expiry() - 1s, &verified),
            KsStatus::valid);
  EXPECT_EQ(verified.duplicate_privileges, info.duplicate_privileges);
}

TEST(KsInspect, NoDuplicatesInAnHonestKs) {
  KsSigner signer(secret());
  const KsParams p{.partner_id = partner(), .privileges = "eventId:1,role:viewerRole", .expires_at = expiry()};
  EXPECT_TRUE(Ks::inspect(signer.mint_v1(p, 5)).duplicate_privileges.empty());
  EXPECT_TRUE(Ks::inspect(signer.mint_v2(p), secret()).duplicate_privileges.empty());
  EXPECT_EQ(Ks::inspect(signer.mint_v1(p, 5)).privilege_list.size(), 2U);
}

TEST(KsVerify, StatusNamesMatchTheServer) {
  EXPECT_EQ(to_string(KsStatus::valid), "VALID");
  EXPECT_EQ(to_string(KsStatus::invalid_str), "INVALID_STR");
  EXPECT_EQ(to_string(KsStatus::invalid_partner), "INVALID_PARTNER");
  EXPECT_EQ(to_string(KsStatus::invalid_type), "INVALID_TYPE");
  EXPECT_EQ(to_string(KsStatus::expired), "EXPIRED");
}

TEST(KsVerify, EverySingleCharacterTamperIsRejected) {
  // Every substitution with a character that decodes differently changes the ciphertext, so the
  // SHA-1 inside no longer matches. (`-`/`+` and `_`/`/` are the same byte to the server.)
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::vector<std::string> secrets{secret()};
  for (const std::size_t vec : {0U, 1U, 4U}) {
    const std::string good = v2_ks(vec);
    std::mt19937 rng(1234 + static_cast<unsigned>(vec));
    int checked = 0;
    for (std::size_t pos = 0; pos < good.size(); ++pos) {
      if (good[pos] == '=') continue;
      std::string bad = good;
      char c = good[pos];
      while (c == good[pos]) c = alphabet[rng() % alphabet.size()];
      bad[pos] = c;
      // The last character may carry unused low bits: skip substitutions that decode the same.
      if (pos == good.find_last_not_of('=') && good.size() % 4 != 0) continue;
      const auto status = Ks::verify(bad, partner(), secrets, expiry() - 1s);
      const bool header_changed = pos < 16;  // "v2|1234567|" lives in the first 16 characters
      if (header_changed) {
        EXPECT_NE(status, KsStatus::valid) << "position " << pos;
      } else {
        EXPECT_EQ(status, KsStatus::invalid_str) << "position " << pos;
      }
      EXPECT_NO_THROW({
        try {
          (void)Ks::inspect(bad, secret());
        } catch (const ValidationError&) {
        }
      });
      ++checked;
    }
    EXPECT_GT(checked, 80);
  }
}

TEST(KsVerify, RandomGarbageNeverCrashesOrValidates) {
  std::mt19937 rng(42);
  const std::vector<std::string> secrets{secret()};
  int decoded = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s(rng() % 300, '\0');
    const bool b64 = i % 2 == 0;  // half base64-looking, half arbitrary bytes
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=";
    for (char& c : s) c = b64 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() % 256);
    if (i % 3 == 0) s = "djJ8MTIzNDU2N3" + s;  // a real v2 header in front
    EXPECT_NE(Ks::verify(s, partner(), secrets, expiry() - 1s), KsStatus::valid);
    try {
      (void)Ks::inspect(s, secret());
      ++decoded;
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "ks");
    }
  }
  EXPECT_GT(decoded, 0);
}

TEST(KsRoundTrip, MintedTokensInspectBackToTheirParams) {
  KsSigner signer("another secret");
  const KsParams p{.partner_id = PartnerId(555), .type = SessionType::admin, .user_id = "a b+c&d=e%f/ü",
                   .privileges = "eventId:1,first name:x y,weird.key:1,*,sview:abc/def",
                   .expires_at = Timestamp(std::chrono::seconds(1900000000))};
  const KsInfo info = Ks::inspect(signer.mint_v2(p), std::string_view("another secret"));
  EXPECT_TRUE(info.signature_valid);
  EXPECT_EQ(info.user_id, p.user_id);
  EXPECT_EQ(info.type, SessionType::admin);
  EXPECT_EQ(info.expires_at, p.expires_at);
  // PHP parse_str turns the space and the dot in key names into '_' (why the builder refuses them).
  EXPECT_EQ(info.privileges, "eventId:1,first_name:x y,weird_key:1,*,sview:abc/def");
}

}  // namespace
}  // namespace kmeet
