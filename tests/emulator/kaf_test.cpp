// KAF: the launch page (G.1, G.3) and the analytics API built from the recorded joins (G.2).

#include <gtest/gtest.h>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

/// The GUIDE's duration format: minutes, 4 decimals ("24.9667" for 1498 s).
std::string minutes(long long seconds) {
  const long long t = (seconds * 20000 + 60) / 120;
  std::string frac = std::to_string(t % 10000);
  return std::to_string(t / 10000) + "." + std::string(4 - frac.size(), '0') + frac;
}

class KafTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    ks = admin_ks(emulator());
    const auto t = now() + 600;
    room_id = add_room(emulator(), ks, "Room-1", "vcprovider:newrow,custom_rs_room_cap:25,custom_rs_show_chat:1")["id"]
                  .get<std::int64_t>();
    event_id = add_event(emulator(), ks, "Physics 101", t, t + 3600, "custom_rs_show_chat:0,custom_rec_auto_start:1")["id"]
                   .get<std::int64_t>();
    link(emulator(), ks, event_id, room_id);
  }
  Response launch(const std::string& user_ks) {
    return request(emulator().base_url() + "/virtualEvent/launch?ks=" + escape(user_ks));
  }
  std::string join_ks(const std::string& user, const std::string& privileges) {
    return mint(emulator(), SessionType::user, user, privileges);
  }
  Response analytics(const std::string& target, const Json& api) {
    const std::string privs = target + ",role:viewerRole,api:" + escape(api.dump());
    return request(emulator().base_url() + "/newrowkaf/index/api?ks=" + escape(mint(emulator(), SessionType::user, "", privs)));
  }
  std::string ks;
  std::int64_t room_id = 0;
  std::int64_t event_id = 0;
};

TEST_F(KafTest, LaunchByEventShowsWhoJoinsWhatWithWhichSettings) {
  const auto r = launch(join_ks("max@organization.com", "eventId:" + std::to_string(event_id) +
                                                         ",role:adminRole,userContextualRole:0,firstName:Max,lastName:Planck,"
                                                         "email:max@organization.com"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<td id=\"user\">max@organization.com</td>"), std::string::npos);
  EXPECT_NE(r.body.find("<td id=\"display-name\">Max Planck</td>"), std::string::npos);
  EXPECT_NE(r.body.find("<td id=\"role\">moderator (adminRole)</td>"), std::string::npos);
  EXPECT_NE(r.body.find("<td id=\"contextual-role\">0</td>"), std::string::npos);
  EXPECT_NE(r.body.find("<td id=\"room-name\">Room-1</td>"), std::string::npos);
  EXPECT_NE(r.body.find("<td id=\"room-id\">" + std::to_string(room_id) + "</td>"), std::string::npos);
  EXPECT_NE(r.body.find("<td id=\"event-summary\">Physics 101</td>"), std::string::npos);
  // event tags override room tags
  EXPECT_NE(r.body.find("<td id=\"setting-custom_rs_show_chat\">0</td>"), std::string::npos);
  EXPECT_NE(r.body.find("<td id=\"setting-custom_rs_room_cap\">25</td>"), std::string::npos);
  EXPECT_NE(r.body.find("<td id=\"setting-custom_rec_auto_start\">1</td>"), std::string::npos);
  EXPECT_EQ(stats(emulator())["joins"], 1);
}

TEST_F(KafTest, LaunchErrorsSayWhy) {
  const std::string ev = "eventId:" + std::to_string(event_id);
  auto r = launch("garbage");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("INVALID_KS"), std::string::npos);
  r = launch(mint(emulator(), SessionType::user, "u", ev + ",role:viewerRole", -1));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("expired"), std::string::npos);
  r = request(emulator().base_url() + "/virtualEvent/launch");
  EXPECT_EQ(r.status, 403);
  r = launch(join_ks("u", ev));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("no role"), std::string::npos);
  r = launch(join_ks("u", "role:viewerRole"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("neither an eventId nor a resourceId"), std::string::npos);
  r = launch(join_ks("u", "eventId:424242,role:viewerRole"));
  EXPECT_EQ(r.status, 404);
  const auto t = now() + 600;
  const auto lonely = add_event(emulator(), ks, "lonely", t, t + 60)["id"].get<std::int64_t>();
  r = launch(join_ks("u", "eventId:" + std::to_string(lonely) + ",role:viewerRole"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("not associated"), std::string::npos);
  const auto plain = add_room(emulator(), ks, "not a meeting room", "just:tags")["id"].get<std::int64_t>();
  r = launch(join_ks("u", "resourceId:" + std::to_string(plain) + ",role:adminRole"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("vcprovider:newrow"), std::string::npos);
  r = launch(join_ks("u", "resourceId:99,role:adminRole"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(stats(emulator())["joins"], 0);
}

TEST_F(KafTest, AttendeeByResourceWaitsForAModerator) {
  const std::string res = "resourceId:" + std::to_string(room_id);
  auto r = launch(join_ks("student", res + ",role:viewerRole"));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Waiting for a moderator"), std::string::npos);
  EXPECT_EQ(stats(emulator())["joins"], 0);
  EXPECT_EQ(launch(join_ks("teacher", res + ",role:adminRole")).status, 200);
  r = launch(join_ks("student", res + ",role:viewerRole"));
  EXPECT_EQ(r.body.find("Waiting"), std::string::npos);
  EXPECT_EQ(stats(emulator())["joins"], 2);
}

TEST_F(KafTest, SessionsAndAttendeesFromJoins) {
  const std::string ev = "eventId:" + std::to_string(event_id);
  launch(join_ks("teacher", ev + ",role:adminRole,firstName:Ada,lastName:Lovelace,email:ada@example.com"));
  launch(join_ks("student1", ev + ",role:viewerRole,firstName:Bob"));
  const auto sessions = analytics("resourceId:" + std::to_string(room_id),
                                  {{"method", "GET"}, {"action", "analytics/sessions"}, {"params", {{"page", 0}}}});
  ASSERT_EQ(sessions.status, 200) << sessions.body;
  const auto sj = sessions.json();
  EXPECT_EQ(sj["status"], "success");
  EXPECT_EQ(sj["data"]["total_count"], 1);
  EXPECT_EQ(sj["data"]["next_page"], "");
  const auto& s = sj["data"]["sessions"][0];
  EXPECT_EQ(s["third_party_room_id"], std::to_string(room_id));
  EXPECT_EQ(s["room_name"], "Room-1");
  EXPECT_EQ(s["participants_count"], "2");
  EXPECT_TRUE(s["id"].is_string());
  EXPECT_TRUE(s["date_start"].is_string());
  // The GUIDE's shapes: strings, duration in minutes with 4 decimals, type "room", instructors a
  // JSON-encoded object keyed by the KAF user id.
  EXPECT_EQ(s["type"], "room");
  const auto span = std::stoll(s["date_end"].get<std::string>()) - std::stoll(s["date_start"].get<std::string>());
  EXPECT_EQ(s["duration"], minutes(span));
  ASSERT_TRUE(s["instructors"].is_string());
  const auto instructors = Json::parse(s["instructors"].get<std::string>());
  ASSERT_TRUE(instructors.is_object());
  ASSERT_EQ(instructors.size(), 1U);
  const std::string instructor_id = instructors.begin().key();
  EXPECT_EQ(instructors.begin().value(), (Json{{"role", "admin"}, {"name", "Ada Lovelace"}}));
  // by eventId the same room is meant
  const auto by_event = analytics(ev, {{"method", "GET"}, {"action", "analytics/sessions"}, {"params", Json::object()}}).json();
  EXPECT_EQ(by_event["data"]["total_count"], 1);

  const auto att = analytics("resourceId:" + std::to_string(room_id),
                             {{"method", "GET"},
                              {"action", "analytics/session-attendees"},
                              {"params", {{"session_id", std::stoi(s["id"].get<std::string>())}, {"include_third_party_data", 1}}}})
                       .json();
  ASSERT_EQ(att["data"]["session_attendance"].size(), 2U);
  const auto& a = att["data"]["session_attendance"][0];
  EXPECT_EQ(a["lti_user_id"], "teacher");
  EXPECT_EQ(a["user_type"], "instructor");
  EXPECT_EQ(a["user_name"], "Ada Lovelace");
  EXPECT_EQ(a["user_email"], "ada@example.com");
  EXPECT_EQ(a["user_id"], instructor_id);
  EXPECT_EQ(a["duration"], minutes(std::stoll(a["time_left"].get<std::string>()) -
                                   std::stoll(a["time_joined"].get<std::string>())));
  EXPECT_EQ(a["attention"], "100%");
  EXPECT_EQ(att["data"]["session_attendance"][1]["user_type"], "student");

  const auto rooms = analytics(ev, {{"method", "GET"}, {"action", "rooms"}, {"params", Json::object()}}).json();
  EXPECT_EQ(rooms["data"]["rooms"][0]["third_party_id"], std::to_string(room_id));
  const auto users = analytics(ev, {{"method", "GET"}, {"action", "users"}, {"params", Json::object()}}).json();
  ASSERT_EQ(users["data"]["total_count"], 2);
  const auto uid = users["data"]["users"][0]["id"].get<std::string>();
  const auto one = analytics(ev, {{"method", "GET"}, {"action", "users/" + uid}}).json();
  EXPECT_EQ(one["data"]["third_party_id"], "teacher");
  EXPECT_EQ(one["data"]["first_name"], "Ada");
}

TEST_F(KafTest, AttendeesArePagedBy30) {
  const std::string ev = "eventId:" + std::to_string(event_id);
  for (int i = 0; i < 65; ++i) {
    ASSERT_EQ(launch(join_ks("user" + std::to_string(i), ev + ",role:viewerRole")).status, 200);
  }
  const auto sid = analytics(ev, {{"method", "GET"}, {"action", "analytics/sessions"}}).json()["data"]["sessions"][0]["id"];
  std::size_t seen = 0;
  std::string next = "0";
  int pages = 0;
  while (!next.empty()) {
    const auto j = analytics(ev, {{"method", "GET"},
                                  {"action", "analytics/session-attendees"},
                                  {"params", {{"session_id", sid}, {"page", std::stoi(next)}}}})
                       .json();
    EXPECT_EQ(j["data"]["total_count"], 65);
    seen += j["data"]["session_attendance"].size();
    next = j["data"]["next_page"].get<std::string>();
    ++pages;
    ASSERT_LT(pages, 5);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, 65U);
}

TEST_F(KafTest, RoomMessages) {
  const auto post_msg = request(emulator().base_url() + "/__emulator/messages",
                                Json{{"resourceId", room_id}, {"type", "questions"}, {"userId", "student1"},
                                     {"message", "What is a quark?"}}.dump(),
                                "application/json");
  ASSERT_EQ(post_msg.status, 200) << post_msg.body;
  const auto j = analytics("resourceId:" + std::to_string(room_id),
                           {{"method", "GET"}, {"action", "analytics/room-messages"}, {"params", {{"type", "questions"}}}})
                     .json();
  ASSERT_EQ(j["data"]["messages"].size(), 1U);
  EXPECT_EQ(j["data"]["messages"][0]["third_party_user_id"], "student1");
  EXPECT_EQ(j["data"]["messages"][0]["message"], "What is a quark?");
}

TEST_F(KafTest, AnalyticsErrors) {
  auto r = request(emulator().base_url() + "/newrowkaf/index/api?ks=bad");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["status"], "error");
  EXPECT_EQ(r.json()["error"]["code"], "INVALID_KS");
  r = analytics("resourceId:" + std::to_string(room_id), {{"method", "GET"}, {"action", "analytics/nope"}});
  EXPECT_EQ(r.status, 404);
  r = analytics("resourceId:" + std::to_string(room_id), {{"method", "GET"}, {"action", "analytics/session-attendees"}});
  EXPECT_EQ(r.status, 400);
  r = analytics("resourceId:424242", {{"method", "GET"}, {"action", "analytics/sessions"}});
  EXPECT_EQ(r.status, 404);
  r = request(emulator().base_url() + "/newrowkaf/index/api?ks=" +
              escape(mint(emulator(), SessionType::user, "", "resourceId:" + std::to_string(room_id) + ",role:viewerRole")));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["code"], "MISSING_API");
}

TEST_F(KafTest, AnalyticsParamsMayBeNumbersOrStrings) {
  // G.2 types session_id and page as integers (and include_third_party_data as 1); the GUIDE's own
  // JSON example writes "session_id":"16772". Both are read the same way.
  const std::string ev = "eventId:" + std::to_string(event_id);
  for (int i = 0; i < 31; ++i) {
    ASSERT_EQ(launch(join_ks("user" + std::to_string(i), ev + ",role:viewerRole")).status, 200);
  }
  const std::string res = "resourceId:" + std::to_string(room_id);
  const auto sid = analytics(res, {{"method", "GET"}, {"action", "analytics/sessions"}, {"params", {{"page", 0}}}})
                       .json()["data"]["sessions"][0]["id"]
                       .get<std::string>();
  EXPECT_EQ(analytics(res, {{"method", "GET"}, {"action", "analytics/sessions"}, {"params", {{"page", "0"}}}})
                .json()["data"]["sessions"][0]["id"],
            sid);
  for (const Json& session_id : {Json(std::stoll(sid)), Json(sid)}) {
    for (const Json& page : {Json(1), Json("1")}) {
      for (const Json& third_party : {Json(1), Json("1")}) {
        const auto r = analytics(res, {{"method", "GET"},
                                       {"action", "analytics/session-attendees"},
                                       {"params",
                                        {{"session_id", session_id}, {"page", page}, {"include_third_party_data", third_party}}}});
        ASSERT_EQ(r.status, 200) << r.body;
        const auto j = r.json();
        EXPECT_EQ(j["data"]["total_count"], 31);
        EXPECT_EQ(j["data"]["next_page"], "");
        ASSERT_EQ(j["data"]["session_attendance"].size(), 1U) << session_id << " " << page;
        EXPECT_EQ(j["data"]["session_attendance"][0]["session_id"], sid);
        EXPECT_EQ(j["data"]["session_attendance"][0]["lti_user_id"], "user30");
      }
    }
  }
  // without include_third_party_data (or with 0) the lti_* fields are left out
  for (const Json& off : {Json(0), Json("0")}) {
    const auto j = analytics(res, {{"method", "GET"},
                                   {"action", "analytics/session-attendees"},
                                   {"params", {{"session_id", std::stoll(sid)}, {"include_third_party_data", off}}}})
                       .json();
    ASSERT_EQ(j["data"]["session_attendance"].size(), 30U);
    EXPECT_FALSE(j["data"]["session_attendance"][0].contains("lti_user_id"));
    EXPECT_EQ(j["data"]["next_page"], "1");
  }
}

class KafGuideDurationTest : public KafTest {
 protected:
  EmulatorProcess::Options emulator_options() override {
    EmulatorProcess::Options o;
    o.extra_args = {"--attendance-seconds", "1498"};
    return o;
  }
};

TEST_F(KafGuideDurationTest, DurationsAreMinutesWithFourDecimalsLikeTheGuide) {
  // The GUIDE's session lasted 1498 s: "duration":"24.9667".
  ASSERT_EQ(launch(join_ks("teacher", "eventId:" + std::to_string(event_id) + ",role:adminRole,firstName:Ada")).status, 200);
  const std::string res = "resourceId:" + std::to_string(room_id);
  const auto s = analytics(res, {{"method", "GET"}, {"action", "analytics/sessions"}}).json()["data"]["sessions"][0];
  EXPECT_EQ(std::stoll(s["date_end"].get<std::string>()) - std::stoll(s["date_start"].get<std::string>()), 1498);
  EXPECT_EQ(s["duration"], "24.9667");
  const auto a = analytics(res, {{"method", "GET"},
                                 {"action", "analytics/session-attendees"},
                                 {"params", {{"session_id", s["id"]}}}})
                     .json()["data"]["session_attendance"][0];
  EXPECT_EQ(a["duration"], "24.9667");
  EXPECT_EQ(a["attention"], "100%");
}

}  // namespace
}  // namespace kmeet::test
