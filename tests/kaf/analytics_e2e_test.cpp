// End to end against kmeet-emulator over loopback: people join through their launch URLs
// (Client::join + an HTTP GET of the URL, as a browser would), then the attendance report built from
// KAF analytics lists exactly them.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "api/api_client.hpp"
#include "client/context.hpp"
#include "kmeet/analytics.hpp"
#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/report.hpp"
#include "support/emulator.hpp"

namespace kmeet {
namespace {

using ::testing::HasSubstr;

class AnalyticsE2E : public test::EmulatorTest {
 protected:
  void SetUp() override {
    test::EmulatorTest::SetUp();
    Config c;
    c.service_url = emulator().base_url();
    c.kaf_url = emulator().base_url();
    c.partner_id = PartnerId(emulator().partner_id());
    c.admin_secret = emulator().admin_secret();
    client_ = std::make_unique<Client>(std::move(c));
  }

  Client& client() { return *client_; }

  RoomId create_room(const std::string& name) {
    detail::ApiCall call{.service = "schedule_scheduleresource", .action = "add"};
    call.params["scheduleResource"] = {{"objectType", "KalturaLocationScheduleResource"},
                                       {"name", name},
                                       {"tags", "vcprovider:newrow"}};
    const auto r = detail::ClientAccess::context(client())->services.api.call(call);
    return RoomId(r.at("id").get<std::int64_t>());
  }

  EventId create_event(RoomId room) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    detail::ApiCall add{.service = "schedule_scheduleevent", .action = "add"};
    add.params["scheduleEvent"] = {{"objectType", "KalturaRecordScheduleEvent"},
                                   {"summary", "Lecture"},
                                   {"startDate", now - 60},
                                   {"endDate", now + 3600},
                                   {"recurrenceType", 0}};
    const EventId event(detail::ClientAccess::context(client())->services.api.call(add).at("id").get<std::int64_t>());
    detail::ApiCall link{.service = "schedule_scheduleeventresource", .action = "add"};
    link.params["scheduleEventResource"] = {{"objectType", "KalturaScheduleEventResource"},
                                            {"eventId", event.value()},
                                            {"resourceId", room.value()}};
    (void)detail::ClientAccess::context(client())->services.api.call(link);
    return event;
  }

  /// Joins like a person: a join link, then a GET of the launch page. Returns the page.
  std::string join(JoinRequest request) {
    const JoinLink link = client().join(request);
    const HttpResponse page =
        detail::ClientAccess::context(client())->services.api.transport().send(HttpRequest{.method = HttpMethod::get, .url = link.url});
    EXPECT_EQ(page.status, 200) << page.body;
    return page.body;
  }

 private:
  std::unique_ptr<Client> client_;
};

std::set<std::string> user_ids(const AttendanceReport& report) {
  std::set<std::string> ids;
  for (const auto& row : report.rows) ids.insert(row.user_id);
  return ids;
}

TEST_F(AnalyticsE2E, AttendanceReportListsExactlyThePeopleWhoJoinedTheRoom) {
  const RoomId room = create_room("Physics 101");
  const RoomId other = create_room("Chemistry");

  join({.room = room, .user_id = "prof@uni.example", .role = Role::moderator, .first_name = "Ada",
        .last_name = "Lovelace", .email = "prof@uni.example"});
  std::set<std::string> expected = {"prof@uni.example"};
  // 34 attendees: the attendance list spans two KAF pages (30 + 5).
  for (int i = 0; i < 34; ++i) {
    const std::string id = "student" + std::to_string(i) + "@uni.example";
    join({.room = room, .user_id = id, .first_name = "Student", .last_name = std::to_string(i), .email = id});
    expected.insert(id);
  }
  // Someone in another room is not in this room's report.
  join({.room = other, .user_id = "chem-prof", .role = Role::moderator});

  auto analytics = client().analytics();
  const auto sessions = analytics.sessions(room).to_vector();
  ASSERT_EQ(sessions.size(), 1U);
  const RoomSession& s = sessions[0];
  EXPECT_EQ(s.third_party_room_id, room.str());
  EXPECT_EQ(s.room_name, "Physics 101");
  EXPECT_EQ(s.participants_count, 35);
  ASSERT_TRUE(s.start.has_value());
  ASSERT_EQ(s.instructors.size(), 1U);
  EXPECT_EQ(s.instructors[0].name, "Ada Lovelace");

  auto range = analytics.session_attendees(s.id, room);
  const auto attendees = range.to_vector();
  EXPECT_EQ(range.pages_fetched(), 2U);
  EXPECT_EQ(range.total_count(), 35);
  const AttendanceReport report = AttendanceReport::from_attendees(s.id, attendees);
  EXPECT_EQ(report.rows.size(), 35U);
  EXPECT_EQ(user_ids(report), expected);
  for (const auto& row : report.rows) {
    EXPECT_EQ(row.session_id, s.id);
    EXPECT_EQ(row.email, row.user_id);  // every joiner used their address as id and email
    EXPECT_TRUE(row.joined.has_value());
    EXPECT_TRUE(row.left.has_value());
    EXPECT_TRUE(row.duration.has_value());
    if (row.user_id == "prof@uni.example") {
      EXPECT_EQ(row.name, "Ada Lovelace");
    } else {
      EXPECT_EQ(row.name.rfind("Student ", 0), 0U) << row.name;
    }
  }

  // The CSV and JSON exports carry the same people.
  const std::string csv = report.to_csv();
  for (const auto& id : expected) EXPECT_THAT(csv, HasSubstr("," + id + ","));
  const auto json = nlohmann::json::parse(report.to_json());
  EXPECT_EQ(json["attendees"].size(), 35U);

  // fetch() does the same in one call.
  EXPECT_EQ(user_ids(AttendanceReport::fetch(analytics, s.id, room)), expected);
}

TEST_F(AnalyticsE2E, AttendeeWaitingForAModeratorIsNotReported) {
  const RoomId room = create_room("Empty room");
  const std::string page = join({.room = room, .user_id = "early-bird"});
  EXPECT_THAT(page, HasSubstr("Waiting for a moderator"));
  EXPECT_TRUE(client().analytics().sessions(room).to_vector().empty());

  join({.room = room, .user_id = "host", .role = Role::moderator});
  join({.room = room, .user_id = "late"});
  const auto sessions = client().analytics().sessions(room).to_vector();
  ASSERT_EQ(sessions.size(), 1U);
  const auto report = AttendanceReport::fetch(client().analytics(), sessions[0].id, room);
  EXPECT_EQ(user_ids(report), (std::set<std::string>{"host", "late"}));
}

TEST_F(AnalyticsE2E, JoinsThroughAnEventAreReportedWithAnEventScopedKs) {
  const RoomId room = create_room("Seminar");
  const EventId event = create_event(room);
  join({.event = event, .user_id = "speaker", .role = Role::moderator});
  join({.event = event, .user_id = "listener-1"});
  join({.event = event, .user_id = "listener-2"});

  const auto sessions = client().analytics().sessions(room).to_vector();
  ASSERT_EQ(sessions.size(), 1U);
  // Attendance read with an eventId-scoped KS (the room is found from the event).
  const auto report = AttendanceReport::fetch(client().analytics(), sessions[0].id, event);
  EXPECT_EQ(user_ids(report), (std::set<std::string>{"speaker", "listener-1", "listener-2"}));
  for (const auto& row : report.rows) {
    EXPECT_EQ(row.role, row.user_id == "speaker" ? "instructor" : "student");
  }
}

TEST_F(AnalyticsE2E, RoomsUsersAndOneUser) {
  const RoomId room = create_room("Lab");
  join({.room = room, .user_id = "lab-lead", .role = Role::moderator, .first_name = "Lab", .last_name = "Lead",
        .email = "lead@lab.example"});

  auto analytics = client().analytics();
  const auto rooms = analytics.rooms(room).to_vector();
  ASSERT_EQ(rooms.size(), 1U);
  EXPECT_EQ(rooms[0].third_party_id, room.str());
  EXPECT_EQ(rooms[0].name, "Lab");

  const auto users = analytics.users(room).to_vector();
  ASSERT_EQ(users.size(), 1U);
  EXPECT_EQ(users[0].third_party_id, "lab-lead");
  const AnalyticsUser u = analytics.user(users[0].id, room);
  EXPECT_EQ(u.first_name, "Lab");
  EXPECT_EQ(u.last_name, "Lead");
  EXPECT_EQ(u.email, "lead@lab.example");
}

TEST_F(AnalyticsE2E, RoomMessagesByChannel) {
  const RoomId room = create_room("Chatty");
  auto post = [&](const std::string& type, const std::string& user, const std::string& text) {
    HttpRequest r{.method = HttpMethod::post, .url = emulator().base_url() + "/__emulator/messages"};
    r.headers = {{"Content-Type", "application/json"}};
    r.body = nlohmann::json{{"resourceId", room.value()}, {"type", type}, {"userId", user}, {"userName", user},
                            {"message", text}}
                 .dump();
    ASSERT_EQ(detail::ClientAccess::context(client())->services.api.transport().send(r).status, 200);
  };
  post("public", "ann", "hello, everyone");
  post("questions", "bob", "what is \"entropy\"?");
  post("public", "cid", "hi");

  auto analytics = client().analytics();
  const auto pub = analytics.room_messages(room, MessageType::public_chat).to_vector();
  ASSERT_EQ(pub.size(), 2U);
  EXPECT_EQ(pub[0].third_party_user_id, "ann");
  EXPECT_EQ(pub[0].message, "hello, everyone");
  EXPECT_TRUE(pub[0].date.has_value());
  const auto questions = analytics.room_messages(room, MessageType::questions).to_vector();
  ASSERT_EQ(questions.size(), 1U);
  EXPECT_EQ(questions[0].message, "what is \"entropy\"?");
  EXPECT_TRUE(analytics.room_messages(room, MessageType::moderators).to_vector().empty());
}

TEST_F(AnalyticsE2E, SessionsOutsideTheTimeWindowAreLeftOut) {
  const RoomId room = create_room("Window");
  join({.room = room, .user_id = "host", .role = Role::moderator});
  const auto now = Timestamp(std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch()));
  auto analytics = client().analytics();
  EXPECT_EQ(analytics.sessions(room, now - std::chrono::hours(1), now + std::chrono::hours(1)).to_vector().size(), 1U);
  EXPECT_TRUE(analytics.sessions(room, now + std::chrono::hours(1), now + std::chrono::hours(2)).to_vector().empty());
}

TEST_F(AnalyticsE2E, UnknownSessionIsATypedError) {
  const RoomId room = create_room("Nowhere");
  try {
    (void)client().analytics().session_attendees(SessionId(999999), room).to_vector();
    FAIL() << "expected an error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "SESSION_NOT_FOUND");
  }
}

TEST_F(AnalyticsE2E, KsSignedWithAnotherSecretIsRefused) {
  const RoomId room = create_room("Locked");
  Config c = client().config();
  c.admin_secret = "not-the-partners-secret";
  Client wrong(std::move(c));
  try {
    (void)wrong.analytics().sessions(room).to_vector();
    FAIL() << "expected an error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "INVALID_KS");
  }
}

/// The emulator's faults hit every request, so these need no room: each fault is what a proxy or
/// a broken KAF could send instead of the analytics answer.
class AnalyticsFaultE2E : public test::EmulatorTest {
 protected:
  std::string fault;
  test::EmulatorProcess::Options emulator_options() override {
    test::EmulatorProcess::Options o;
    o.extra_args = {"--faults", fault, "--seed", "1"};
    return o;
  }
  void SetUp() override {}
  Client start(std::string spec) {
    fault = std::move(spec);
    test::EmulatorTest::SetUp();
    Config c;
    c.service_url = emulator().base_url();
    c.kaf_url = emulator().base_url();
    c.partner_id = PartnerId(emulator().partner_id());
    c.admin_secret = emulator().admin_secret();
    c.retry.initial_backoff = std::chrono::milliseconds(1);
    c.retry.max_backoff = std::chrono::milliseconds(5);
    return Client(std::move(c));
  }
};

TEST_F(AnalyticsFaultE2E, HtmlPageWith200IsAProtocolError) {
  Client c = start("html=1");
  try {
    (void)c.analytics().sessions(RoomId(1)).to_vector();
    FAIL() << "expected ProtocolError";
  } catch (const ProtocolError& e) {
    EXPECT_THAT(e.what(), HasSubstr("HTML page"));
  }
}

TEST_F(AnalyticsFaultE2E, PersistentServerErrorsAreRetriedThenReported) {
  Client c = start("5xx=1");
  try {
    (void)c.analytics().sessions(RoomId(1)).to_vector();
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_GE(e.status(), 500);
    EXPECT_THAT(e.what(), HasSubstr("HTML page"));
  }
}

TEST_F(AnalyticsFaultE2E, TruncatedJsonIsAProtocolError) {
  Client c = start("malformed=1");
  EXPECT_THROW((void)c.analytics().sessions(RoomId(1)).to_vector(), ProtocolError);
}

}  // namespace
}  // namespace kmeet
