// kmeet::testing::LocalKaltura: the emulator inside the test process, driven through kmeet::Client
// and over raw HTTP, and every way a test seeds, inspects, moves and breaks it.

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "emulator/wire.hpp"
#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/rooms.hpp"
#include "kmeet/sessions.hpp"
#include "kmeet/testing/local_kaltura.hpp"

namespace kmeet::test {
namespace {

using namespace std::chrono_literals;
using kmeet::testing::LocalKaltura;
using kmeet::testing::LocalKalturaOptions;
using wire::Json;

/// One api_v3 JSON call to `local` (format=1).
Json api(const LocalKaltura& local, const std::string& service, const std::string& action, Json params) {
  params["format"] = 1;
  return wire::request(local.service_url() + "/api_v3/service/" + service + "/action/" + action, params.dump(),
                       "application/json")
      .json();
}

std::string admin_ks(const LocalKaltura& local) {
  return api(local, "session", "start",
             {{"secret", local.admin_secret()}, {"type", 2}, {"partnerId", local.partner_id().value()}})
      .get<std::string>();
}

TEST(LocalKalturaTest, ListensOnAFreeLoopbackPortUntilDestroyed) {
  std::string url;
  {
    LocalKaltura a;
    const LocalKaltura b;
    EXPECT_NE(a.port(), b.port());
    url = a.service_url();
    EXPECT_EQ(url, "http://127.0.0.1:" + std::to_string(a.port()));
    EXPECT_EQ(wire::request(url + "/api_v3/service/system/action/ping?format=1").body, "true");
  }
  EXPECT_NE(wire::request(url + "/api_v3/service/system/action/ping?format=1", {}, {}, 2000).code, CURLE_OK);
}

TEST(LocalKalturaTest, ConfigPointsAClientAtIt) {
  LocalKaltura local;
  const Config c = local.config();
  EXPECT_EQ(c.service_url, local.service_url());
  EXPECT_EQ(c.kaf_url, local.service_url());
  EXPECT_EQ(c.partner_id, local.partner_id());
  EXPECT_EQ(c.admin_secret, local.admin_secret());
  EXPECT_EQ(c.user_secret, local.user_secret());
  const Client client(c);
  const Room made = client.rooms().add(Room{.name = "From the client"});
  const auto rooms = local.rooms();
  ASSERT_EQ(rooms.size(), 1U);
  EXPECT_EQ(rooms[0].id, made.id);
  EXPECT_EQ(rooms[0].name, "From the client");
  EXPECT_EQ(rooms[0].status, RoomStatus::active);
  EXPECT_EQ(rooms[0].object_type, "KalturaLocationScheduleResource");
  EXPECT_GE(local.request_count(), 1U);
}

TEST(LocalKalturaTest, SeedingGoesThroughTheApiAndItsValidation) {
  LocalKaltura local;
  const RoomId room = local.add_room("Seeded", "vcprovider:newrow,custom_rs_room_cap:5");
  const Timestamp start = local.now() + 1h;
  const EventId event = local.add_event(room, "Seeded session", start, start + 30min);
  const auto events = local.events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].id, event);
  EXPECT_EQ(events[0].start, start);
  EXPECT_EQ(events[0].end, start + 30min);
  EXPECT_EQ(events[0].rooms, std::vector<RoomId>{room});
  EXPECT_EQ(events[0].status, EventStatus::active);
  EXPECT_EQ(events[0].owner_id, "local-kaltura");
  EXPECT_EQ(local.rooms()[0].tags, "vcprovider:newrow,custom_rs_room_cap:5");
  try {
    (void)local.add_room("");
    FAIL() << "an empty name was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("PROPERTY_VALIDATION_MIN_LENGTH: ", 0), 0U) << e.what();
  }
  EXPECT_THROW((void)local.add_event(room, "Backwards", start, start - 1h), std::runtime_error);
  EXPECT_THROW((void)local.add_event(RoomId(42), "Nowhere", start, start + 1h), std::runtime_error);
}

TEST(LocalKalturaTest, OpenRunsTheLaunchPageAndRecordsJoins) {
  LocalKaltura local;
  const Client client(local.config());
  const RoomId room = local.add_room("Joinable");
  const EventId event = local.add_event(room, "Now", local.now(), local.now() + 1h);
  const JoinLink teacher = client.join({.event = event, .user_id = "t@example.com", .role = Role::moderator,
                                        .first_name = "Grace", .last_name = "Hopper"});
  const auto page = local.open(teacher.url);
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(page.joined);
  EXPECT_NE(page.page.find("Grace Hopper"), std::string::npos);
  const auto joins = local.joins();
  ASSERT_EQ(joins.size(), 1U);
  EXPECT_EQ(joins[0].user_id, "t@example.com");
  EXPECT_EQ(joins[0].name, "Grace Hopper");
  EXPECT_EQ(joins[0].role, Role::moderator);
  EXPECT_EQ(joins[0].room, room);
  EXPECT_EQ(joins[0].event, event);
  // An attendee with a room link waits for a moderator: a page, no join.
  LocalKaltura other;
  const RoomId empty = other.add_room("Empty");
  const auto waiting = other.open(Client(other.config()).join({.room = empty, .user_id = "s@example.com"}).url);
  EXPECT_EQ(waiting.status, 200);
  EXPECT_FALSE(waiting.joined);
  EXPECT_THROW((void)local.open(local.service_url() + "/virtualEvent/launch"), std::invalid_argument);
  EXPECT_EQ(local.open(local.service_url() + "/virtualEvent/launch?ks=nonsense").status, 403);
}

TEST(LocalKalturaTest, TheClockMovesAndTheClientFollowsIt) {
  LocalKaltura local;
  const Client client(local.config());
  (void)client.rooms().add(Room{.name = "Before"});  // the client's admin KS lives 24 h
  const Timestamp before = local.now();
  local.advance_clock(48h);
  EXPECT_NEAR(static_cast<double>((local.now() - before).count()), 48.0 * 3600, 2);
  EXPECT_NEAR(static_cast<double>((client.ks_sessions().server_time() - before).count()), 48.0 * 3600, 2);
  const Room after = client.rooms().add(Room{.name = "After"});  // a fresh KS on the server's clock
  EXPECT_NEAR(static_cast<double>(after.created_at->time_since_epoch().count()),
              static_cast<double>(local.now().time_since_epoch().count()), 2);
  local.set_clock(Timestamp(std::chrono::seconds(2000000000)));
  EXPECT_NEAR(static_cast<double>(local.now().time_since_epoch().count()), 2000000000.0, 1);
  // The Config's clock outlives the server: then it is the system clock.
  Config orphan;
  {
    const LocalKaltura gone;
    orphan = gone.config();
  }
  const auto system_now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  EXPECT_NEAR(static_cast<double>((orphan.clock() - system_now).count()), 0.0, 2);
}

TEST(LocalKalturaTest, FaultsCanBeSwitchedOnAndOff) {
  LocalKaltura local;
  Config c = local.config();
  c.retry.max_attempts = 1;
  const Client client(c);
  local.set_faults("5xx=1");
  EXPECT_THROW((void)client.rooms().list(), HttpError);
  local.clear_faults();
  EXPECT_NO_THROW((void)client.rooms().list());
  EXPECT_THROW(local.set_faults("5xx=2"), std::invalid_argument);
  LocalKalturaOptions o;
  o.faults = "html=1";
  LocalKaltura broken(o);
  EXPECT_THROW((void)Client(broken.config()).ks_sessions().server_time(), Error);
}

TEST(LocalKalturaTest, AppTokensAreListedWithoutTheirValueAndCanBeDisabled) {
  LocalKaltura local;
  const std::string ks = admin_ks(local);
  const Json token = api(local, "apptoken", "add",
                         {{"ks", ks}, {"appToken", {{"objectType", "KalturaAppToken"}, {"hashType", "SHA256"},
                                                    {"sessionType", 2}, {"description", "ci"}}}});
  const auto tokens = local.app_tokens();
  ASSERT_EQ(tokens.size(), 1U);
  EXPECT_EQ(tokens[0].id, token["id"]);
  EXPECT_EQ(tokens[0].status, 2);
  EXPECT_EQ(tokens[0].session_type, SessionType::admin);
  EXPECT_EQ(tokens[0].hash_type, "SHA256");
  EXPECT_EQ(tokens[0].session_duration, std::chrono::seconds(86400));
  EXPECT_EQ(tokens[0].description, "ci");
  EXPECT_FALSE(tokens[0].expiry.has_value());
  local.set_app_token_active(tokens[0].id, false);
  EXPECT_EQ(local.app_tokens()[0].status, 1);
  const auto widget = api(local, "session", "startWidgetSession", {{"widgetId", "_1234567"}})["ks"];
  const auto refused = api(local, "apptoken", "startSession", {{"ks", widget}, {"id", token["id"]}, {"tokenHash", "x"}});
  EXPECT_EQ(refused["code"], "APP_TOKEN_NOT_ACTIVE");
  local.set_app_token_active(tokens[0].id, true);
  EXPECT_THROW(local.set_app_token_active("0_nosuchid", true), std::invalid_argument);
}

TEST(LocalKalturaTest, ChatMessagesNeedAKnownRoomAndType) {
  LocalKaltura local;
  const RoomId room = local.add_room("Chatty");
  EXPECT_NO_THROW(local.add_chat_message(room, "u1", "Ann", "hello"));
  EXPECT_THROW(local.add_chat_message(RoomId(7), "u1", "Ann", "hello"), std::invalid_argument);
  EXPECT_THROW(local.add_chat_message(room, "u1", "Ann", "hello", "shouting"), std::invalid_argument);
}

TEST(LocalKalturaTest, ResetForgetsEverything) {
  LocalKaltura local;
  (void)local.add_room("Gone soon");
  local.advance_clock(1h);
  local.reset();
  EXPECT_TRUE(local.rooms().empty());
  const auto system_now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  EXPECT_NEAR(static_cast<double>((local.now() - system_now).count()), 0.0, 2);
}

TEST(LocalKalturaTest, OptionsAreCheckedAndUsed) {
  LocalKalturaOptions bad;
  bad.partner_id = PartnerId(0);
  try {
    const LocalKaltura local(bad);
    FAIL() << "partner 0 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "LocalKalturaOptions::partner_id: must be a positive id");
  }
  LocalKalturaOptions empty_secret;
  empty_secret.admin_secret.clear();
  EXPECT_THROW(LocalKaltura{empty_secret}, std::invalid_argument);
  LocalKalturaOptions faults;
  faults.faults = "bogus=1";
  EXPECT_THROW(LocalKaltura{faults}, std::invalid_argument);

  LocalKalturaOptions mine;
  mine.partner_id = PartnerId(777);
  mine.admin_secret = "my-admin-secret";
  mine.ks_version = KsVersion::v1;
  LocalKaltura local(mine);
  const std::string ks = admin_ks(local);
  EXPECT_EQ(Ks::inspect(ks).version, KsVersion::v1);
  EXPECT_EQ(Ks::inspect(ks).partner_id, PartnerId(777));
  EXPECT_NO_THROW((void)Client(local.config()).rooms().list());
}

TEST(LocalKalturaTest, AStateFileKeepsTheWorldAcrossInstances) {
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-local-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  LocalKalturaOptions o;
  o.state_file = (dir / "state.json").string();
  std::filesystem::remove(o.state_file);
  RoomId kept;
  {
    LocalKaltura local(o);
    kept = local.add_room("Kept");
  }
  {
    LocalKaltura local(o);
    ASSERT_EQ(local.rooms().size(), 1U);
    EXPECT_EQ(local.rooms()[0].id, kept);
  }
  std::filesystem::remove_all(dir);
}

TEST(LocalKalturaTest, AMovedServerKeepsRunning) {
  LocalKaltura first;
  const RoomId room = first.add_room("Moved");
  const int port = first.port();
  LocalKaltura second(std::move(first));
  EXPECT_EQ(second.port(), port);
  EXPECT_EQ(second.rooms()[0].id, room);
  LocalKaltura third;
  third = std::move(second);
  EXPECT_EQ(third.port(), port);
  EXPECT_EQ(wire::request(third.service_url() + "/api_v3/service/system/action/ping?format=1").body, "true");
}

}  // namespace
}  // namespace kmeet::test
