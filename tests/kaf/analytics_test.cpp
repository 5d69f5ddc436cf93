// Analytics through KAF (protocol.md G.2) against a MockTransport that plays KAF: it decodes the KS of
// every request with the admin secret, checks its privileges and serves the page the `api` JSON asks
// for.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <ranges>

#include "core/encoding.hpp"
#include "kmeet/analytics.hpp"
#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/testing/mock_transport.hpp"
#include "kmeet/ks.hpp"

namespace kmeet {
namespace {

using kmeet::testing::MockTransport;

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using namespace std::chrono_literals;

static_assert(std::ranges::input_range<AnalyticsRange<RoomSession>>);
static_assert(std::input_iterator<AnalyticsRange<Attendee>::iterator>);

constexpr const char* kSecret = "0123456789abcdef0123456789abcdef";
constexpr const char* kKaf = "https://kaf.example.com";
constexpr std::int64_t kPartner = 1234567;
const Timestamp kNow{std::chrono::seconds(1'700'000'000)};
const RoomId kRoom{4711};

/// What KAF sees in one request.
struct Seen {
  KsInfo ks;
  std::map<std::string, std::string> privileges;
  std::vector<std::string> privilege_keys;
  Json api;
  std::string raw_api;  // the privilege value as sent (URL-encoded)
  [[nodiscard]] std::int64_t page() const { return api["params"]["page"].get<std::int64_t>(); }
};

Seen decode(const HttpRequest& r) {
  const std::string prefix = std::string(kKaf) + "/newrowkaf/index/api?ks=";
  EXPECT_EQ(r.method, HttpMethod::get);
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.idempotent);
  EXPECT_TRUE(r.url.starts_with(prefix)) << r.url;
  const std::string encoded = r.url.substr(prefix.size());
  EXPECT_EQ(encoded.find_first_of("&#"), std::string::npos);
  Seen s;
  s.ks = Ks::inspect(detail::php_urldecode(encoded), std::string_view(kSecret));
  EXPECT_TRUE(s.ks.signature_valid);
  for (const auto& [k, v] : s.ks.privilege_list) {
    s.privilege_keys.push_back(k);
    s.privileges[k] = v;
  }
  s.raw_api = s.privileges["api"];
  s.api = Json::parse(detail::php_urldecode(s.raw_api));
  return s;
}

HttpResponse json_response(const Json& body, int status = 200) {
  return HttpResponse{.status = status, .headers = {{"Content-Type", "application/json"}}, .body = body.dump()};
}

HttpResponse text_response(int status, std::string body, std::string type = "text/html") {
  return HttpResponse{.status = status, .headers = {{"Content-Type", std::move(type)}}, .body = std::move(body)};
}

/// Serves `items` under `key`, 30 per page, as KAF does; `null_last` picks null over "" on the
/// last page.
struct PagedKaf {
  std::string key;
  std::vector<Json> items;
  bool null_last = false;
  bool numeric_next = false;
  std::vector<Seen> seen;

  HttpResponse operator()(const HttpRequest& r) {
    seen.push_back(decode(r));
    const std::int64_t page = seen.back().page();
    const auto total = static_cast<std::int64_t>(items.size());
    Json list = Json::array();
    for (std::int64_t i = page * 30; i < total && i < (page + 1) * 30; ++i) list.push_back(items[static_cast<std::size_t>(i)]);
    Json data;
    data[key] = list;
    data["total_count"] = total;
    if ((page + 1) * 30 < total) {
      data["next_page"] = numeric_next ? Json(page + 1) : Json(std::to_string(page + 1));
    } else {
      data["next_page"] = null_last ? Json(nullptr) : Json("");
    }
    return json_response(Json{{"status", "success"}, {"data", data}});
  }
};

Json session_item(std::int64_t id) {
  return Json{{"id", std::to_string(id)},
              {"room_id", "490"},
              {"third_party_room_id", "4711"},
              {"room_name", "Room"},
              {"date_start", std::to_string(1'600'000'000 + id)},
              {"date_end", std::to_string(1'600'000'100 + id)},
              {"duration", "1.6667"},
              {"type", "room"},
              {"instructors", "{}"},
              {"participants_count", "2"}};
}

std::vector<Json> sessions(std::int64_t n) {
  std::vector<Json> v;
  for (std::int64_t i = 1; i <= n; ++i) v.push_back(session_item(i));
  return v;
}

class AnalyticsTest : public ::testing::Test {
 protected:
  std::shared_ptr<MockTransport> transport;

  Client client(MockTransport::Handler handler, std::string admin_secret = kSecret) {
    transport = std::make_shared<MockTransport>(std::move(handler));
    Config c;
    c.service_url = "https://api.example.com";
    c.partner_id = PartnerId(kPartner);
    c.admin_secret = std::move(admin_secret);
    if (c.admin_secret.empty()) c.ks = "a-ready-ks-for-api-calls";
    c.kaf_url = kKaf;
    c.transport = transport;
    c.clock = [] { return kNow; };
    c.retry.max_attempts = 3;
    c.retry.initial_backoff = 1ms;
    c.retry.max_backoff = 2ms;
    return Client(std::move(c));
  }

  /// A client whose KAF answers every request with `response`.
  Client answering(HttpResponse response) {
    return client([response](const HttpRequest&) { return response; });
  }
};

// ---------------------------------------------------------------------------------------------
// Paging: 0, 1, 30, 31, 1000 records

class SessionPaging : public AnalyticsTest, public ::testing::WithParamInterface<std::int64_t> {};

TEST_P(SessionPaging, FetchesEveryPageWithAFreshKsPerPage) {
  const std::int64_t n = GetParam();
  PagedKaf kaf{.key = "sessions", .items = sessions(n)};
  auto c = client(std::ref(kaf));
  auto all = c.analytics().sessions(kRoom).to_vector();

  ASSERT_EQ(static_cast<std::int64_t>(all.size()), n);
  for (std::int64_t i = 0; i < n; ++i) EXPECT_EQ(all[static_cast<std::size_t>(i)].id, SessionId(i + 1));
  const std::int64_t pages = n == 0 ? 1 : (n + 29) / 30;
  ASSERT_EQ(static_cast<std::int64_t>(kaf.seen.size()), pages);
  std::set<std::string> distinct_ks;
  for (const auto& r : transport->requests()) distinct_ks.insert(r.url);
  EXPECT_EQ(static_cast<std::int64_t>(distinct_ks.size()), pages);
  for (std::int64_t p = 0; p < pages; ++p) {
    const Seen& s = kaf.seen[static_cast<std::size_t>(p)];
    EXPECT_EQ(s.page(), p);
    EXPECT_EQ(s.ks.type, SessionType::user);
    EXPECT_EQ(s.ks.user_id, "");
    EXPECT_EQ(s.ks.partner_id, PartnerId(kPartner));
    EXPECT_EQ(s.ks.expires_at, kNow + 5min);
    EXPECT_THAT(s.privilege_keys, ::testing::ElementsAre("resourceId", "role", "api"));
    EXPECT_EQ(s.privileges.at("resourceId"), "4711");
    EXPECT_EQ(s.privileges.at("role"), "viewerRole");
    EXPECT_EQ(s.api["method"], "GET");
    EXPECT_EQ(s.api["action"], "analytics/sessions");
    EXPECT_EQ(s.api["params"]["third_party_room_id"], "4711");
  }
}

INSTANTIATE_TEST_SUITE_P(Counts, SessionPaging, ::testing::Values(0, 1, 29, 30, 31, 60, 61, 1000));

TEST_F(AnalyticsTest, NextPageNullOnTheLastPageEndsTheListing) {
  PagedKaf kaf{.key = "sessions", .items = sessions(31), .null_last = true};
  auto c = client(std::ref(kaf));
  EXPECT_EQ(c.analytics().sessions(kRoom).to_vector().size(), 31U);
  EXPECT_EQ(kaf.seen.size(), 2U);
}

TEST_F(AnalyticsTest, NextPageAsANumberIsFollowed) {
  PagedKaf kaf{.key = "sessions", .items = sessions(65), .numeric_next = true};
  auto c = client(std::ref(kaf));
  EXPECT_EQ(c.analytics().sessions(kRoom).to_vector().size(), 65U);
  EXPECT_EQ(kaf.seen.size(), 3U);
}

TEST_F(AnalyticsTest, RangeIsLazyAndFetchesPagesAsTheCallerIterates) {
  PagedKaf kaf{.key = "sessions", .items = sessions(45)};
  auto c = client(std::ref(kaf));
  auto range = c.analytics().sessions(kRoom);
  EXPECT_EQ(transport->request_count(), 0U);
  auto it = range.begin();
  EXPECT_EQ(transport->request_count(), 1U);
  EXPECT_EQ(range.total_count(), 45);
  for (int i = 0; i < 29; ++i) ++it;
  EXPECT_EQ(it->id, SessionId(30));
  EXPECT_EQ(transport->request_count(), 1U);
  ++it;
  EXPECT_EQ(transport->request_count(), 2U);
  EXPECT_EQ(it->id, SessionId(31));
  std::size_t rest = 0;
  for (; it != range.end(); ++it) ++rest;
  EXPECT_EQ(rest, 15U);
  EXPECT_EQ(range.pages_fetched(), 2U);
}

TEST_F(AnalyticsTest, WorksWithRangeAlgorithms) {
  PagedKaf kaf{.key = "sessions", .items = sessions(40)};
  auto c = client(std::ref(kaf));
  auto range = c.analytics().sessions(kRoom);
  std::vector<std::int64_t> ids;
  for (const auto& s : range | std::views::take(3)) ids.push_back(s.id.value());
  EXPECT_THAT(ids, ::testing::ElementsAre(1, 2, 3));
  EXPECT_EQ(kaf.seen.size(), 1U);
}

// ---------------------------------------------------------------------------------------------
// The exact request

TEST_F(AnalyticsTest, SessionsRequestCarriesTheGuidesApiJsonInTheKs) {
  PagedKaf kaf{.key = "sessions", .items = {}};
  auto c = client(std::ref(kaf));
  const Timestamp from{std::chrono::seconds(1522153700)};
  const Timestamp to{std::chrono::seconds(1522156000)};
  (void)c.analytics().sessions(kRoom, from, to).to_vector();
  ASSERT_EQ(kaf.seen.size(), 1U);
  const std::string json =
      R"({"method":"GET","action":"analytics/sessions","params":{"third_party_room_id":"4711","page":0,)"
      R"("from_date":"1522153700","to_date":"1522156000"}})";
  EXPECT_EQ(detail::php_urldecode(kaf.seen[0].raw_api), json);
  // URL-encoded like the guide: no raw separator the privilege grammar would split on.
  EXPECT_EQ(kaf.seen[0].raw_api, detail::url_encode_component(json));
  EXPECT_EQ(kaf.seen[0].ks.privileges,
            "resourceId:4711,role:viewerRole,api:" + detail::url_encode_component(json));
}

TEST_F(AnalyticsTest, AttendeesByEventScopeUseEventIdNeverResourceId) {
  PagedKaf kaf{.key = "session_attendance", .items = {}};
  auto c = client(std::ref(kaf));
  (void)c.analytics().session_attendees(SessionId(16772), EventId(3371011)).to_vector();
  ASSERT_EQ(kaf.seen.size(), 1U);
  const Seen& s = kaf.seen[0];
  EXPECT_THAT(s.privilege_keys, ::testing::ElementsAre("eventId", "role", "api"));
  EXPECT_EQ(s.privileges.at("eventId"), "3371011");
  EXPECT_EQ(s.privileges.count("resourceId"), 0U);
  EXPECT_EQ(s.api.dump(),
            R"({"action":"analytics/session-attendees","method":"GET","params":{"include_third_party_data":1,"page":0,"session_id":16772}})");
  EXPECT_EQ(detail::php_urldecode(s.raw_api),
            R"({"method":"GET","action":"analytics/session-attendees","params":{"session_id":16772,"page":0,"include_third_party_data":1}})");
}

TEST_F(AnalyticsTest, AttendeesByRoomScopeUseResourceId) {
  PagedKaf kaf{.key = "session_attendance", .items = {}};
  auto c = client(std::ref(kaf));
  (void)c.analytics().session_attendees(SessionId(5), kRoom).to_vector();
  EXPECT_THAT(kaf.seen.at(0).privilege_keys, ::testing::ElementsAre("resourceId", "role", "api"));
}

TEST_F(AnalyticsTest, AttendeePagesEachCarryTheirPageNumber) {
  std::vector<Json> items;
  for (int i = 0; i < 75; ++i) items.push_back(Json{{"session_id", "9"}, {"user_id", std::to_string(i)}});
  PagedKaf kaf{.key = "session_attendance", .items = items};
  auto c = client(std::ref(kaf));
  auto all = c.analytics().session_attendees(SessionId(9), kRoom).to_vector();
  ASSERT_EQ(all.size(), 75U);
  ASSERT_EQ(kaf.seen.size(), 3U);
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(kaf.seen[p].page(), static_cast<std::int64_t>(p));
    EXPECT_EQ(kaf.seen[p].api["params"]["session_id"], 9);
  }
}

TEST_F(AnalyticsTest, MessagesRoomsUsersAndUserRequests) {
  std::vector<Json> seen_api;
  auto c = client([&](const HttpRequest& r) {
    Seen s = decode(r);
    seen_api.push_back(s.api);
    const std::string action = s.api["action"];
    Json data;
    if (action == "analytics/room-messages") {
      data["messages"] = Json::array({Json{{"id", 1}, {"third_party_user_id", "max"}, {"user_name", "Max"},
                                           {"message", "hi, all"}, {"type", "public"}, {"date", "1700000000000"}}});
    } else if (action == "rooms") {
      data["rooms"] = Json::array({Json{{"id", "490"}, {"third_party_id", "4711"}, {"name", "Room"}}});
    } else if (action == "users") {
      data["users"] = Json::array({Json{{"id", 203}, {"third_party_id", "max"}, {"email", "m@x.org"},
                                        {"first_name", "Max"}, {"last_name", "M"}, {"role", "user"}}});
    } else if (action == "users/203") {
      return json_response(Json{{"status", "success"},
                                {"data", Json{{"id", "203"}, {"third_party_id", "max"}, {"first_name", "Max"}}}});
    }
    data["total_count"] = 1;
    data["next_page"] = "";
    return json_response(Json{{"status", "success"}, {"data", data}});
  });
  auto a = c.analytics();
  auto messages = a.room_messages(kRoom, MessageType::public_chat).to_vector();
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].id, "1");
  EXPECT_EQ(messages[0].third_party_user_id, "max");
  EXPECT_EQ(messages[0].message, "hi, all");
  EXPECT_EQ(messages[0].date, kNow);
  auto rooms = a.rooms(kRoom).to_vector();
  ASSERT_EQ(rooms.size(), 1U);
  EXPECT_EQ(rooms[0].third_party_id, "4711");
  auto users = a.users(EventId(77)).to_vector();
  ASSERT_EQ(users.size(), 1U);
  EXPECT_EQ(users[0].id, "203");
  EXPECT_EQ(users[0].email, "m@x.org");
  AnalyticsUser u = a.user("203", kRoom);
  EXPECT_EQ(u.third_party_id, "max");
  EXPECT_EQ(u.first_name, "Max");

  ASSERT_EQ(seen_api.size(), 4U);
  EXPECT_EQ(seen_api[0]["params"], (Json{{"third_party_room_id", "4711"}, {"type", "public"}, {"page", 0}}));
  EXPECT_EQ(seen_api[1]["params"], (Json{{"page", 0}}));
  EXPECT_EQ(seen_api[2]["params"], (Json{{"page", 0}}));
  EXPECT_EQ(seen_api[3]["action"], "users/203");
  EXPECT_EQ(seen_api[3]["params"], Json::object());
}

TEST_F(AnalyticsTest, MessageTypesHaveTheirWireNames) {
  EXPECT_EQ(to_string(MessageType::questions), "questions");
  EXPECT_EQ(to_string(MessageType::public_chat), "public");
  EXPECT_EQ(to_string(MessageType::moderators), "moderators");
}

// ---------------------------------------------------------------------------------------------
// Records

TEST_F(AnalyticsTest, DecodesTheGuidesSessionExample) {
  auto c = answering(text_response(200, R"({
    "status": "success",
    "data": {
      "sessions": [ {
        "id": "16772", "room_id": "490", "third_party_room_id": "93839", "room_name": "Nir api test room",
        "date_start": "1522153776", "date_end": "1522155274", "duration": "24.9667", "type": "room",
        "instructors": "{\"203\":{\"role\":\"admin\",\"name\":\"Denis Sicun\"}}",
        "participants_count": "1", "some_future_field": {"x": [1, 2]} } ],
      "total_count": 1, "next_page": "" } })", "application/json"));
  auto all = c.analytics().sessions(kRoom).to_vector();
  ASSERT_EQ(all.size(), 1U);
  const RoomSession& s = all[0];
  EXPECT_EQ(s.id, SessionId(16772));
  EXPECT_EQ(s.room_id, "490");
  EXPECT_EQ(s.third_party_room_id, "93839");
  EXPECT_EQ(s.room_name, "Nir api test room");
  EXPECT_EQ(s.start, Timestamp(std::chrono::seconds(1522153776)));
  EXPECT_EQ(s.end, Timestamp(std::chrono::seconds(1522155274)));
  EXPECT_EQ(s.length(), std::chrono::seconds(1498));
  EXPECT_DOUBLE_EQ(s.duration.value(), 24.9667);
  EXPECT_EQ(s.type, "room");
  ASSERT_EQ(s.instructors.size(), 1U);
  EXPECT_EQ(s.instructors[0].id, "203");
  EXPECT_EQ(s.instructors[0].role, "admin");
  EXPECT_EQ(s.instructors[0].name, "Denis Sicun");
  EXPECT_EQ(s.participants_count, 1);
}

TEST_F(AnalyticsTest, DecodesTheGuidesAttendeeExample) {
  auto c = answering(text_response(200, R"({"status":"success","data":{"session_attendance":[{
      "session_id": "16772", "user_id": "203", "lti_user_id": "denis", "user_type": "user",
      "user_name": "Denis Sicun", "user_email": "1610545059_c36129@lti-newrow.com",
      "lti_user_email": "denis@newrow.com", "time_joined": "1512657239", "time_left": "1512657271",
      "duration": "0.5333", "attention": "34%" }],"total_count":1,"next_page":""}})", "application/json"));
  auto all = c.analytics().session_attendees(SessionId(16772), kRoom).to_vector();
  ASSERT_EQ(all.size(), 1U);
  const Attendee& a = all[0];
  EXPECT_EQ(a.session_id, SessionId(16772));
  EXPECT_EQ(a.user_id, "203");
  EXPECT_EQ(a.lti_user_id, "denis");
  EXPECT_EQ(a.user_type, "user");
  EXPECT_EQ(a.user_name, "Denis Sicun");
  EXPECT_EQ(a.user_email, "1610545059_c36129@lti-newrow.com");
  EXPECT_EQ(a.lti_user_email, "denis@newrow.com");
  EXPECT_EQ(a.joined, Timestamp(std::chrono::seconds(1512657239)));
  EXPECT_EQ(a.left, Timestamp(std::chrono::seconds(1512657271)));
  EXPECT_EQ(a.time_in_room(), std::chrono::seconds(32));
  EXPECT_DOUBLE_EQ(a.duration.value(), 0.5333);
  EXPECT_DOUBLE_EQ(a.attention.value(), 34.0);
}

TEST_F(AnalyticsTest, MillisecondsAndSecondsGiveTheSameTimes) {
  PagedKaf kaf{.key = "sessions",
               .items = {Json{{"id", 1}, {"date_start", 1522153776}, {"date_end", "1522155274"}},
                         Json{{"id", 2}, {"date_start", 1522153776000}, {"date_end", "1522155274000"}},
                         Json{{"id", 3}, {"start_date", "1522153776"}, {"end_date", 1522155274000.0}}}};
  auto c = client(std::ref(kaf));
  auto all = c.analytics().sessions(kRoom).to_vector();
  ASSERT_EQ(all.size(), 3U);
  for (const auto& s : all) {
    EXPECT_EQ(s.start, Timestamp(std::chrono::seconds(1522153776))) << s.id.value();
    EXPECT_EQ(s.end, Timestamp(std::chrono::seconds(1522155274))) << s.id.value();
  }
}

TEST_F(AnalyticsTest, StringAndNumberIdsAndCountsAreTheSame) {
  PagedKaf kaf{.key = "sessions",
               .items = {Json{{"id", "16772"}, {"room_id", 490}, {"participants_count", 7}},
                         Json{{"id", 16773}, {"room_id", "490"}, {"participants_count", "7"}}}};
  auto c = client(std::ref(kaf));
  auto all = c.analytics().sessions(kRoom).to_vector();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].id, SessionId(16772));
  EXPECT_EQ(all[1].id, SessionId(16773));
  for (const auto& s : all) {
    EXPECT_EQ(s.room_id, "490");
    EXPECT_EQ(s.participants_count, 7);
  }
}

TEST_F(AnalyticsTest, MissingFieldsAreEmptyNotErrors) {
  PagedKaf kaf{.key = "session_attendance", .items = {Json::object(), Json{{"user_name", "Only a name"}},
                                                      Json{{"time_joined", ""}, {"time_left", nullptr}, {"attention", ""}}}};
  auto c = client(std::ref(kaf));
  auto all = c.analytics().session_attendees(SessionId(3), kRoom).to_vector();
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0].session_id, SessionId(3));  // the session asked for
  EXPECT_EQ(all[0].user_id, "");
  EXPECT_FALSE(all[0].joined.has_value());
  EXPECT_FALSE(all[0].time_in_room().has_value());
  EXPECT_EQ(all[1].user_name, "Only a name");
  EXPECT_FALSE(all[2].joined.has_value());
  EXPECT_FALSE(all[2].left.has_value());
  EXPECT_FALSE(all[2].attention.has_value());
}

TEST_F(AnalyticsTest, SessionWithoutIdIsAProtocolError) {
  PagedKaf kaf{.key = "sessions", .items = {session_item(1), Json{{"room_name", "no id"}}}};
  auto c = client(std::ref(kaf));
  try {
    (void)c.analytics().sessions(kRoom).to_vector();
    FAIL() << "expected ProtocolError";
  } catch (const ProtocolError& e) {
    EXPECT_THAT(e.what(), HasSubstr("sessions[1].id"));
  }
}

TEST_F(AnalyticsTest, WrongFieldTypesAreProtocolErrorsNamingTheField) {
  const std::vector<std::pair<Json, std::string>> cases = {
      {Json{{"id", "1"}, {"room_name", Json::object()}}, "sessions[0].room_name"},
      {Json{{"id", "1"}, {"date_start", "yesterday"}}, "sessions[0].date_start"},
      {Json{{"id", "1"}, {"date_start", -5}}, "sessions[0].date_start"},
      {Json{{"id", "1"}, {"participants_count", "many"}}, "sessions[0].participants_count"},
      {Json{{"id", "abc"}}, "sessions[0].id"},
      {Json{{"id", "1"}, {"instructors", "{not json"}}, "sessions[0].instructors"},
      {Json{{"id", "1"}, {"instructors", "42"}}, "sessions[0].instructors"},
      {Json::array({1, 2}), "sessions[0]"},
  };
  for (const auto& [item, field] : cases) {
    PagedKaf kaf{.key = "sessions", .items = {item}};
    auto c = client(std::ref(kaf));
    try {
      (void)c.analytics().sessions(kRoom).to_vector();
      ADD_FAILURE() << "expected ProtocolError for " << item.dump();
    } catch (const ProtocolError& e) {
      EXPECT_THAT(e.what(), HasSubstr(field)) << item.dump();
    }
  }
}

TEST_F(AnalyticsTest, InstructorsInTheEmulatorsArrayForm) {
  PagedKaf kaf{.key = "sessions",
               .items = {Json{{"id", "1"},
                              {"instructors", R"([{"id":"12","third_party_id":"teacher","name":"T. Eacher"}])"}},
                         Json{{"id", "2"}, {"instructors", ""}}, Json{{"id", "3"}, {"instructors", "[]"}}}};
  auto c = client(std::ref(kaf));
  auto all = c.analytics().sessions(kRoom).to_vector();
  ASSERT_EQ(all.size(), 3U);
  ASSERT_EQ(all[0].instructors.size(), 1U);
  EXPECT_EQ(all[0].instructors[0].id, "12");
  EXPECT_EQ(all[0].instructors[0].third_party_id, "teacher");
  EXPECT_EQ(all[0].instructors[0].name, "T. Eacher");
  EXPECT_TRUE(all[1].instructors.empty());
  EXPECT_TRUE(all[2].instructors.empty());
}

TEST_F(AnalyticsTest, AttendeeOfAnotherSessionIsAProtocolError) {
  PagedKaf kaf{.key = "session_attendance", .items = {Json{{"session_id", "8"}, {"user_id", "1"}}}};
  auto c = client(std::ref(kaf));
  EXPECT_THROW((void)c.analytics().session_attendees(SessionId(7), kRoom).to_vector(), ProtocolError);
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST_F(AnalyticsTest, HtmlErrorPageWith200IsAProtocolError) {
  auto c = answering(text_response(
      200, "<!DOCTYPE html>\n<html><head><title>Kaltura - Login</title></head><body>log in</body></html>"));
  try {
    (void)c.analytics().sessions(kRoom).to_vector();
    FAIL() << "expected ProtocolError";
  } catch (const ProtocolError& e) {
    EXPECT_THAT(e.what(), HasSubstr("HTML page"));
    EXPECT_THAT(e.what(), HasSubstr("Kaltura - Login"));
    EXPECT_THAT(e.what(), HasSubstr("analytics/sessions page 0"));
  }
}

TEST_F(AnalyticsTest, Http403HtmlPageIsAnHttpErrorSayingSo) {
  auto c = answering(text_response(403, "<html><head><title>Forbidden</title></head><body>no</body></html>"));
  try {
    (void)c.analytics().sessions(kRoom).to_vector();
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_THAT(e.what(), HasSubstr("HTML page"));
    EXPECT_THAT(e.what(), HasSubstr("Forbidden"));
  }
  EXPECT_EQ(transport->request_count(), 1U);  // a 403 is not retried
}

TEST_F(AnalyticsTest, NonJsonNon200IsAnHttpError) {
  auto c = answering(text_response(404, "not here", "text/plain"));
  try {
    (void)c.analytics().rooms(kRoom).to_vector();
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 404);
  }
}

TEST_F(AnalyticsTest, ServerErrorsAreRetriedThenSucceed) {
  int calls = 0;
  PagedKaf kaf{.key = "sessions", .items = sessions(2)};
  auto c = client([&](const HttpRequest& r) {
    if (++calls == 1) return text_response(503, "busy", "text/plain");
    return kaf(r);
  });
  EXPECT_EQ(c.analytics().sessions(kRoom).to_vector().size(), 2U);
  EXPECT_EQ(calls, 2);
}

TEST_F(AnalyticsTest, PersistentServerErrorsSurfaceAsHttpError) {
  auto c = answering(text_response(502, "bad gateway", "text/plain"));
  EXPECT_THROW((void)c.analytics().sessions(kRoom).to_vector(), HttpError);
  EXPECT_EQ(transport->request_count(), 3U);  // max_attempts
}

/// The ApiError a full sessions listing ends with (a test failure when it ends otherwise).
template <class C>
ApiError sessions_api_error(C& c) {
  try {
    (void)c.analytics().sessions(kRoom).to_vector();
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "expected ApiError";
  return ApiError(ApiError::Details{});
}

TEST_F(AnalyticsTest, ExpiredKsIsAnApiErrorWithTheReason) {
  auto c = answering(json_response(
      Json{{"status", "error"}, {"error", {{"code", "INVALID_KS"}, {"message", "Invalid KS: the KS has expired [EXPIRED]."}}}},
      401));
  const ApiError e = sessions_api_error(c);
  EXPECT_EQ(e.code(), "INVALID_KS");
  EXPECT_EQ(e.ks_reason(), "EXPIRED");
  EXPECT_THAT(e.api_message(), HasSubstr("expired"));
}

TEST_F(AnalyticsTest, LongErrorEnvelopeStillGivesTheTypedError) {
  // Far longer than the 200-character snippet an HttpError keeps; the reason sits at the end and a
  // KS in the message must not leak.
  const std::string leaked_ks = "djJ8MTIzNDU2N3ybBet-7skL2TR7Dz-DITZLnVumERp7O0EXBXHA1ZlX3PbHfr5vzdFzBFH4";
  const std::string message = "Invalid KS " + leaked_ks + ": " + std::string(600, '.') + " [EXPIRED]";
  Json body{{"status", "error"},
            {"error", {{"code", "INVALID_KS"}, {"message", message}}},
            {"trace", std::vector<std::string>(20, "frame " + leaked_ks)}};
  ASSERT_GT(body.dump().size(), 1000U);
  auto c = answering(json_response(body, 401));
  const ApiError e = sessions_api_error(c);
  EXPECT_EQ(e.code(), "INVALID_KS");
  EXPECT_EQ(e.ks_reason(), "EXPIRED");
  EXPECT_THAT(e.what(), Not(HasSubstr(leaked_ks)));
  EXPECT_THAT(e.api_message(), Not(HasSubstr(leaked_ks)));
  EXPECT_EQ(transport->request_count(), 1U);  // a 401 is not retried
}

TEST_F(AnalyticsTest, LongErrorEnvelopeAfterRetriedServerErrorsIsClassified) {
  int calls = 0;
  const Json body{{"status", "error"},
                  {"error", {{"code", "SESSION_NOT_FOUND"}, {"message", "Session 7 does not exist." + std::string(400, ' ')}}}};
  auto c = client([&](const HttpRequest&) {
    return ++calls == 1 ? text_response(503, "busy", "text/plain") : json_response(body, 404);
  });
  try {
    (void)c.analytics().sessions(kRoom).to_vector();
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "SESSION_NOT_FOUND");
  }
  EXPECT_EQ(calls, 2);
}

TEST_F(AnalyticsTest, StatusOtherThanSuccessIsAnApiErrorWithTheMessageRedacted) {
  const std::string leaked_ks = "djJ8MTIzNDU2N3ybBet-7skL2TR7Dz-DITZLnVumERp7O0EXBXHA1ZlX3PbHfr5vzdFzBFH4";
  auto c = answering(json_response(Json{{"status", "error"}, {"message", "bad ks " + leaked_ks}}));
  try {
    (void)c.analytics().sessions(kRoom).to_vector();
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "KAF_error");
    EXPECT_THAT(e.what(), HasSubstr("bad ks"));
    EXPECT_THAT(e.what(), Not(HasSubstr(leaked_ks)));
  }
}

TEST_F(AnalyticsTest, MalformedPagesAreProtocolErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json at all", "not valid JSON"},
      {R"([1,2])", "not a JSON object"},
      {R"({"data":{"sessions":[]}})", "\"status\""},
      {R"({"status":"success"})", "\"data\""},
      {R"({"status":"success","data":[]})", "\"data\""},
      {R"({"status":"success","data":{"total_count":0,"next_page":""}})", "data.sessions is missing"},
      {R"({"status":"success","data":{"sessions":{},"total_count":0,"next_page":""}})", "data.sessions is an object"},
      {R"({"status":"success","data":{"sessions":[],"total_count":"lots","next_page":""}})", "total_count"},
      {R"({"status":"success","data":{"sessions":[],"total_count":-1,"next_page":""}})", "total_count"},
      {R"({"status":"success","data":{"sessions":[],"total_count":0,"next_page":"soon"}})", "next_page"},
      {R"({"status":"success","data":{"sessions":[],"total_count":0,"next_page":{}}})", "next_page"},
  };
  for (const auto& [body, expected] : cases) {
    auto c = answering(text_response(200, body, "application/json"));
    try {
      (void)c.analytics().sessions(kRoom).to_vector();
      ADD_FAILURE() << "expected ProtocolError for " << body;
    } catch (const ProtocolError& e) {
      EXPECT_THAT(e.what(), HasSubstr(expected)) << body;
    }
  }
}

/// Pages scripted by hand: `pages[i]` answers page i (anything beyond repeats the last).
struct ScriptedKaf {
  std::vector<Json> pages;
  std::vector<std::int64_t>* asked;
  HttpResponse operator()(const HttpRequest& r) const {
    const Seen s = decode(r);
    if (asked != nullptr) asked->push_back(s.page());
    const auto i = std::min<std::size_t>(static_cast<std::size_t>(s.page()), pages.size() - 1);
    return json_response(Json{{"status", "success"}, {"data", pages[i]}});
  }
};

Json page_of(std::int64_t first_id, std::int64_t count, Json total, Json next) {
  Json list = Json::array();
  for (std::int64_t i = 0; i < count; ++i) list.push_back(session_item(first_id + i));
  return Json{{"sessions", list}, {"total_count", std::move(total)}, {"next_page", std::move(next)}};
}

class LoopTest : public AnalyticsTest {
 protected:
  void expect_protocol_error(std::vector<Json> pages, const std::string& message, std::size_t yielded_before) {
    std::vector<std::int64_t> asked;
    auto c = client(ScriptedKaf{std::move(pages), &asked});
    auto range = c.analytics().sessions(kRoom);
    std::size_t yielded = 0;
    try {
      for (const auto& s : range) {
        (void)s;
        ++yielded;
      }
      FAIL() << "expected ProtocolError";
    } catch (const ProtocolError& e) {
      EXPECT_THAT(e.what(), HasSubstr(message));
    }
    // The records before the bad page were handed out, then the iteration threw: never a
    // silently short listing. A caller that carries on gets the same error again.
    EXPECT_EQ(yielded, yielded_before);
    EXPECT_THROW((void)(range.begin() == range.end()), ProtocolError);
    EXPECT_LE(asked.size(), 3U);
  }
};

TEST_F(AnalyticsTest, NextPageOnlySaysThatAnotherPageFollows) {
  // protocol.md G.2 defines only "empty next_page = last page": whatever else it holds (1-based numbers,
  // the current page, a URL), the next request is page + 1 and nothing is skipped or repeated.
  std::vector<std::int64_t> asked;
  auto c = client(ScriptedKaf{{page_of(1, 30, 120, "2"), page_of(31, 30, 120, "1"),
                               page_of(61, 30, 120, "https://kaf.example.com/next"), page_of(91, 30, 120, "")},
                              &asked});
  const auto sessions = c.analytics().sessions(kRoom).to_vector();
  ASSERT_EQ(sessions.size(), 120U);
  EXPECT_EQ(sessions.back().id, SessionId(120));
  EXPECT_THAT(asked, ::testing::ElementsAre(0, 1, 2, 3));
}

TEST_F(LoopTest, AServerThatIgnoresThePageIsCaughtByTotalCount) {
  // The second page repeats the first: caught there, before total_count would be.
  expect_protocol_error({page_of(1, 30, 90, "1"), page_of(1, 30, 90, "1"), page_of(1, 30, 90, "1")},
                        "repeats the previous page", 30);
}

TEST_F(LoopTest, MorePagesThanTotalCountImplies) {
  expect_protocol_error({page_of(1, 30, 30, "1")}, "more pages than total_count implies", 0);
}

TEST_F(LoopTest, MoreRecordsThanTotalCount) {
  expect_protocol_error({page_of(1, 30, 20, "")}, "more than total_count", 0);
}

TEST_F(LoopTest, LastPageShortOfTotalCount) {
  expect_protocol_error({page_of(1, 30, 45, "1"), page_of(31, 10, 45, "")}, "incomplete", 30);
}

TEST_F(LoopTest, EmptyPageThatClaimsASuccessor) {
  expect_protocol_error({page_of(1, 0, nullptr, "1")}, "empty", 0);
}

TEST_F(LoopTest, APageThatRepeatsThePreviousOneEndsTheListing) {
  // A hostile KAF that always says "another page follows" without total_count, serving the same
  // records again: kmeet stops at the first repeat instead of paging for ever.
  expect_protocol_error({page_of(1, 30, nullptr, "1"), page_of(1, 30, nullptr, "1"), page_of(1, 30, nullptr, "1")},
                        "repeats the previous page", 30);
}

TEST_F(AnalyticsTest, EndlessNewPagesStopAtTheCallersCap) {
  // Different records on every page, "another page follows" for ever: the cap ends it.
  std::int64_t served = 0;
  auto c = client([&](const HttpRequest& r) {
    const std::int64_t page = decode(r).page();
    ++served;
    Json list = Json::array();
    for (std::int64_t i = 1; i <= 30; ++i) list.push_back(session_item(page * 30 + i));
    return json_response(Json{{"status", "success"}, {"data", {{"sessions", list}, {"next_page", "more"}}}});
  });
  auto range = c.analytics().max_pages(5).sessions(kRoom);
  std::size_t yielded = 0;
  try {
    for (const auto& s : range) {
      (void)s;
      ++yielded;
    }
    FAIL() << "expected ProtocolError";
  } catch (const ProtocolError& e) {
    EXPECT_THAT(e.what(), HasSubstr("more than 5 pages"));
  }
  EXPECT_EQ(served, 5);
  EXPECT_EQ(yielded, 4U * 30U);  // the records of the pages before the refused one
  EXPECT_THROW((void)c.analytics().max_pages(0), ValidationError);
}

TEST_F(AnalyticsTest, WithoutTotalCountNextPageAloneDecides) {
  std::vector<std::int64_t> asked;
  auto c = client(ScriptedKaf{{page_of(1, 30, nullptr, "1"), page_of(31, 5, nullptr, nullptr)}, &asked});
  EXPECT_EQ(c.analytics().sessions(kRoom).to_vector().size(), 35U);
  EXPECT_THAT(asked, ::testing::ElementsAre(0, 1));
}

TEST_F(AnalyticsTest, TransportFailureMidListingThrowsFromTheIteration) {
  int calls = 0;
  PagedKaf kaf{.key = "sessions", .items = sessions(40)};
  auto c = client([&](const HttpRequest& r) -> HttpResponse {
    if (++calls > 1) throw TransportError(TransportError::Kind::connect, "connect to kaf.example.com failed", false);
    return kaf(r);
  });
  auto range = c.analytics().sessions(kRoom);
  std::size_t yielded = 0;
  EXPECT_THROW(
      {
        for (const auto& s : range) {
          (void)s;
          ++yielded;
        }
      },
      TransportError);
  EXPECT_EQ(yielded, 30U);
}

TEST_F(AnalyticsTest, ErrorMessagesNeverContainTheKs) {
  std::string sent_ks;
  auto c = client([&](const HttpRequest& r) {
    sent_ks = detail::php_urldecode(r.url.substr(r.url.find("ks=") + 3));
    return text_response(500, "failure for " + r.url, "text/plain");
  });
  try {
    (void)c.analytics().sessions(kRoom).to_vector();
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    ASSERT_FALSE(sent_ks.empty());
    EXPECT_THAT(e.what(), Not(HasSubstr(sent_ks)));
    EXPECT_THAT(e.what(), Not(HasSubstr(sent_ks.substr(0, 40))));
  }
}

// ---------------------------------------------------------------------------------------------
// Validation: refused before anything is sent

TEST_F(AnalyticsTest, WithoutAdminSecretEveryCallIsAValidationError) {
  auto c = client([](const HttpRequest&) -> HttpResponse { throw std::logic_error("nothing may be sent"); }, "");
  auto expect_admin_secret = [](auto&& f) {
    try {
      f();
      ADD_FAILURE() << "expected ValidationError";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "admin_secret");
    }
  };
  auto a = c.analytics();
  expect_admin_secret([&] { (void)a.sessions(kRoom); });
  expect_admin_secret([&] { (void)a.session_attendees(SessionId(1), kRoom); });
  expect_admin_secret([&] { (void)a.room_messages(kRoom, MessageType::questions); });
  expect_admin_secret([&] { (void)a.rooms(kRoom); });
  expect_admin_secret([&] { (void)a.users(kRoom); });
  expect_admin_secret([&] { (void)a.user("1", kRoom); });
  EXPECT_EQ(transport->request_count(), 0U);
}

TEST_F(AnalyticsTest, BadArgumentsAreValidationErrors) {
  auto c = client([](const HttpRequest&) -> HttpResponse { throw std::logic_error("nothing may be sent"); });
  auto a = c.analytics();
  auto field_of = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const ValidationError& e) {
      return e.field();
    }
    return "(no error)";
  };
  const Timestamp t1{std::chrono::seconds(2000)};
  const Timestamp t0{std::chrono::seconds(1000)};
  EXPECT_EQ(field_of([&] { (void)a.sessions(RoomId(0)); }), "room");
  EXPECT_EQ(field_of([&] { (void)a.sessions(kRoom, t1, t0); }), "from");
  EXPECT_EQ(field_of([&] { (void)a.session_attendees(SessionId(0), kRoom); }), "session");
  EXPECT_EQ(field_of([&] { (void)a.session_attendees(SessionId(1), EventId(-3)); }), "event");
  EXPECT_EQ(field_of([&] { (void)a.user("", kRoom); }), "user_id");
  EXPECT_EQ(field_of([&] { (void)a.user("../rooms", kRoom); }), "user_id");
  EXPECT_EQ(field_of([&] { (void)a.user("1?x=y", kRoom); }), "user_id");
  EXPECT_EQ(transport->request_count(), 0U);
}

TEST_F(AnalyticsTest, UserAnswerWithoutAnObjectIsAProtocolError) {
  auto c = answering(json_response(Json{{"status", "success"}, {"data", Json::array()}}));
  EXPECT_THROW((void)c.analytics().user("203", kRoom), ProtocolError);
}

}  // namespace
}  // namespace kmeet
