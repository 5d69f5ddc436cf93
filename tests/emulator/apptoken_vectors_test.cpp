// The emulator reproduces tests/data/apptoken_vectors.json byte for byte (protocol.md I.5-I.8):
// the widget KS (v2 and v1), the token hash of each type, and the KS apptoken.startSession
// issues. In process, with the vectors' secret, partner, clock and random bytes.

#include <gtest/gtest.h>

#include <fstream>

#include "emulator/api.hpp"
#include "emulator/server_ks.hpp"
#include "emulator/world.hpp"
#include "support/ks_vectors.hpp"
#include "support/paths.hpp"

namespace kmeet::test {
namespace {

using emulator::Json;

const Json& vectors() {
  static const Json doc = [] {
    std::ifstream in(testdata_dir() + "/apptoken_vectors.json");
    if (!in) throw std::runtime_error("cannot open apptoken_vectors.json");
    return Json::parse(in);
  }();
  return doc;
}

std::string str(const Json& j, const char* key) { return j.at(key).get<std::string>(); }

/// An emulator world with the vectors' secret and partner whose random bytes are `randomHex`.
class AppTokenVectorsTest : public ::testing::Test {
 protected:
  AppTokenVectorsTest() : world_(config()), api_(world_) {
    const auto bytes = from_hex(str(vectors()["widgetKsV2"], "randomHex"));
    world_.random = [bytes](std::uint8_t* out, std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) out[i] = bytes[i % bytes.size()];
    };
  }

  static emulator::Config config() {
    emulator::Config c;
    c.partner_id = vectors()["partnerId"].get<std::int64_t>();
    c.admin_secrets = {str(vectors(), "secret")};
    return c;
  }

  /// The vectors' token (I.11's example), stored as apptoken.add would have stored it.
  void store_token(const std::string& hash_type) {
    Json props{{"id", str(vectors(), "appTokenId")}, {"token", str(vectors(), "appToken")},
               {"partnerId", vectors()["partnerId"]}, {"createdAt", 1699990000}, {"updatedAt", 1699990000},
               {"status", 2}, {"sessionType", 0}, {"sessionDuration", 3600},
               {"sessionPrivileges", "setrole:1234567"}, {"hashType", hash_type}};
    world_.state.app_tokens[str(vectors(), "appTokenId")] = emulator::AppTokenRecord{props, 1, 0};
  }

  Json call(Json params, std::int64_t now) { return api_.handle(params, now); }

  emulator::World world_;
  emulator::Api api_;
};

TEST_F(AppTokenVectorsTest, TheWidgetKsV2IsTheVector) {
  const Json& v = vectors()["widgetKsV2"];
  const std::int64_t valid_until = v["validUntil"].get<std::int64_t>();
  const Json r = call({{"service", "session"}, {"action", "startWidgetSession"}, {"widgetId", "_1234567"},
                       {"expiry", 86400}},
                      valid_until - 86400);
  EXPECT_EQ(str(r, "ks"), str(v, "ks"));
  EXPECT_EQ(r["partnerId"], 1234567);
  EXPECT_EQ(r["userId"], 0);
}

TEST_F(AppTokenVectorsTest, TheWidgetKsV1IsTheVector) {
  const Json& v = vectors()["widgetKsV1"];
  // info = 1234567;1234567;1700000000;0;1699913600.1234;0;view:*,widget:1;;
  EXPECT_EQ(emulator::php_microtime(1699913600, 123400), "1699913600.1234");
  emulator::ServerKs ks;
  ks.partner_id = 1234567;
  ks.valid_until = 1700000000;
  ks.type = 0;
  ks.user = "0";
  ks.privileges = "view:*,widget:1";
  EXPECT_EQ(emulator::server_ks_v1(str(vectors(), "secret"), ks, "1699913600.1234"), str(v, "ks"));
}

TEST_F(AppTokenVectorsTest, EachHashTypeOverEachWidgetKsIsTheVector) {
  for (const char* which : {"widgetKsV2", "widgetKsV1"}) {
    const Json& v = vectors()[which];
    for (auto it = v["tokenHash"].begin(); it != v["tokenHash"].end(); ++it) {
      EXPECT_EQ(emulator::hash_hex(it.key(), str(v, "ks") + str(vectors(), "appToken")), it->get<std::string>())
          << which << " " << it.key();
      // ...and startSession carried by that widget KS accepts exactly that hash.
      store_token(it.key());
      const Json ok = call({{"service", "apptoken"}, {"action", "startSession"}, {"id", str(vectors(), "appTokenId")},
                            {"tokenHash", *it}, {"ks", v["ks"]}},
                           1699996400);
      EXPECT_EQ(ok.value("objectType", std::string()), "KalturaSessionInfo") << which << " " << it.key() << ok;
    }
  }
}

TEST_F(AppTokenVectorsTest, TheAppTokenKsIsTheVector) {
  const Json& v = vectors()["appTokenKsV2"];
  store_token("SHA256");
  const Json widget = vectors()["widgetKsV2"];
  const Json r = call({{"service", "apptoken"}, {"action", "startSession"}, {"id", str(vectors(), "appTokenId")},
                       {"tokenHash", widget["tokenHash"]["SHA256"]}, {"userId", str(v, "userId")}, {"type", 0},
                       {"expiry", 3600}, {"sessionPrivileges", "eventId:3371011,role:viewerRole"}, {"ks", widget["ks"]}},
                      v["validUntil"].get<std::int64_t>() - 3600);
  EXPECT_EQ(str(r, "ks"), str(v, "ks"));
  EXPECT_EQ(str(r, "privileges"), str(v, "privileges"));
  EXPECT_EQ(r["expiry"], v["validUntil"]);
  EXPECT_EQ(r["sessionType"], v["type"]);
  EXPECT_EQ(str(r, "userId"), str(v, "userId"));
  EXPECT_EQ(r["partnerId"], "1234567");
  // The I.8 worked example drops `setrole:999` and `sessionid:x` and gives the same KS.
  const Json again = call({{"service", "apptoken"}, {"action", "startSession"}, {"id", str(vectors(), "appTokenId")},
                           {"tokenHash", widget["tokenHash"]["SHA256"]}, {"userId", str(v, "userId")}, {"expiry", 3600},
                           {"sessionPrivileges", "eventId:3371011,role:viewerRole,setrole:999,sessionid:x"},
                           {"ks", widget["ks"]}},
                          v["validUntil"].get<std::int64_t>() - 3600);
  EXPECT_EQ(str(again, "ks"), str(v, "ks"));
}

TEST_F(AppTokenVectorsTest, TheAppTokenKsFieldsAreTheVectors) {
  // The field string of the vector, through the v2 generator alone: plain text and token.
  const Json& v = vectors()["appTokenKsV2"];
  emulator::ServerKs ks;
  ks.partner_id = 1234567;
  ks.valid_until = v["validUntil"].get<std::int64_t>();
  ks.type = 0;
  ks.user = str(v, "userId");
  ks.privileges = str(v, "privileges");
  emulator::KsRandom rand{};
  const auto bytes = from_hex(str(v, "randomHex"));
  std::copy(bytes.begin(), bytes.end(), rand.begin());
  EXPECT_EQ(emulator::server_ks_v2(str(vectors(), "secret"), ks, rand), str(v, "ks"));
  const KsInfo info = Ks::inspect(str(v, "ks"), str(vectors(), "secret"));
  EXPECT_EQ(info.privileges, str(v, "privileges"));
  EXPECT_EQ(info.user_id, str(v, "userId"));
}

}  // namespace
}  // namespace kmeet::test
