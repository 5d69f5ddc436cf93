// `--output json` is a contract (docs/cli.md): every command's JSON keys, in order, with their
// JSON types, pinned against the emulator; the attendance rows pinned byte for byte.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "kmeet/http.hpp"
#include "run_kmeet.hpp"
#include "support/emulator.hpp"
#include "support/loopback_server.hpp"

namespace kmeet::test {
namespace {

using Json = nlohmann::ordered_json;

// `key:type` of every member, in order (`id:number`, `tags:string`, `left:null`...).
std::vector<std::string> shape(const Json& object) {
  std::vector<std::string> out;
  for (const auto& [key, value] : object.items()) {
    out.push_back(key + ":" + (value.is_number_integer() ? std::string("integer") : std::string(value.type_name())));
  }
  return out;
}

using Shape = std::vector<std::string>;

const Shape kRoom = {"id:integer",     "partnerId:integer", "name:string",      "systemName:string",
                     "description:string", "status:integer", "tags:string",     "createdAt:integer",
                     "updatedAt:integer",  "objectType:string"};
const Shape kEvent = {"id:integer",        "partnerId:integer",   "summary:string",          "description:string",
                      "status:integer",    "startDate:integer",   "endDate:integer",         "referenceId:string",
                      "ownerId:string",    "recurrenceType:integer", "duration:integer",    "classificationType:integer",
                      "sequence:integer",  "tags:string",         "createdAt:integer",       "updatedAt:integer",
                      "objectType:string"};
const Shape kLink = {"eventId:integer", "resourceId:integer", "partnerId:integer", "createdAt:integer",
                     "updatedAt:integer"};

class CliShapes : public EmulatorTest {
 protected:
  std::map<std::string, std::string> env() {
    return {{"PATH", "/usr/bin:/bin"},
            {"HOME", "/nonexistent"},
            {"TZ", "UTC"},
            {"KALTURA_SERVICE_URL", emulator().base_url()},
            {"KALTURA_PARTNER_ID", std::to_string(emulator().partner_id())},
            {"KALTURA_ADMIN_SECRET", emulator().admin_secret()},
            {"KALTURA_USER_SECRET", emulator().user_secret()},
            {"KALTURA_KAF_URL", emulator().base_url()}};
  }
  Json json_of(std::vector<std::string> args, const std::string& input = {}) {
    args.insert(args.end(), {"-o", "json"});
    const auto r = run_kmeet(args, env(), input);
    EXPECT_EQ(r.code, 0) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_TRUE(Json::accept(r.out)) << r.out;
    return Json::accept(r.out) ? Json::parse(r.out) : Json();
  }
  static std::string id(const Json& j) { return std::to_string(j.at("id").get<std::int64_t>()); }
};

TEST_F(CliShapes, RoomsEventsAndLinks) {
  const Json room = json_of({"room", "create", "--name", "R", "--description", "d", "--system-name", "s-1"});
  EXPECT_EQ(shape(room), kRoom);
  const std::string r = id(room);
  EXPECT_EQ(shape(json_of({"room", "get", r})), kRoom);
  EXPECT_EQ(shape(json_of({"room", "list"}).at(0)), kRoom);
  EXPECT_EQ(shape(json_of({"room", "update", r, "--name", "R2"})), kRoom);

  const Json event = json_of({"event", "create", "--room", r, "--summary", "S", "--description", "d", "--start",
                              "2031-03-01T09:00:00Z", "--end", "2031-03-01T10:00:00Z", "--reference-id", "ref"});
  EXPECT_EQ(shape(event), kEvent);
  const std::string e = id(event);
  EXPECT_EQ(shape(json_of({"event", "get", e})), kEvent);
  EXPECT_EQ(shape(json_of({"event", "list"}).at(0)), kEvent);
  EXPECT_EQ(shape(json_of({"event", "update", e, "--summary", "S2"})), kEvent);
  EXPECT_EQ(shape(json_of({"event", "cancel", e})), kEvent);

  const Json other = json_of({"room", "create", "--name", "R3", "--description", "d", "--system-name", "s-3"});
  EXPECT_EQ(shape(json_of({"link", "add", "--event", e, "--room", id(other)})), kLink);
  EXPECT_EQ(shape(json_of({"link", "list", "--event", e}).at(0)), kLink);
  EXPECT_EQ(shape(json_of({"link", "delete", "--event", e, "--room", id(other)})),
            (Shape{"eventId:integer", "resourceId:integer", "deleted:boolean"}));
  EXPECT_EQ(shape(json_of({"event", "delete", e})), kEvent);
  EXPECT_EQ(shape(json_of({"room", "delete", r})), kRoom);
}

TEST_F(CliShapes, JoinKsAndSession) {
  const Json room = json_of({"room", "create", "--name", "J"});
  EXPECT_EQ(shape(json_of({"join", "--room", id(room), "--user", "u", "--role", "moderator"})),
            (Shape{"url:string", "ks:string", "expiresAt:integer"}));
  EXPECT_EQ(shape(json_of({"join", "--room", id(room), "--user", "u", "--iframe"})),
            (Shape{"url:string", "ks:string", "expiresAt:integer", "iframe:string"}));

  const Json minted = json_of({"ks", "mint", "--user", "u", "--room", id(room)});
  EXPECT_EQ(shape(minted), (Shape{"ks:string", "partnerId:integer", "type:string", "userId:string",
                                  "privileges:string", "expiresAt:integer", "version:integer"}));
  EXPECT_EQ(shape(json_of({"ks", "inspect", "-"}, minted.at("ks").get<std::string>() + "\n")),
            (Shape{"version:integer", "partnerId:integer", "readable:boolean", "type:string", "userId:string",
                   "expiresAt:integer", "expires:string", "privileges:string", "privilegeList:object",
                   "duplicatePrivileges:array", "signature:string"}));
  auto no_secret = env();
  no_secret.erase("KALTURA_ADMIN_SECRET");
  const auto unread = run_kmeet({"ks", "inspect", minted.at("ks").get<std::string>(), "-o", "json"}, no_secret);
  EXPECT_EQ(shape(Json::parse(unread.out)),
            (Shape{"version:integer", "partnerId:integer", "readable:boolean", "signature:string", "note:string"}));

  const Json started = json_of({"session", "start", "--type", "admin", "--user", "ops"});
  EXPECT_EQ(shape(started), (Shape{"ks:string"}));
  const std::string ks = started.at("ks");
  EXPECT_EQ(shape(json_of({"session", "get", ks})),
            (Shape{"sessionType:integer", "partnerId:integer", "userId:string", "expiry:integer", "expires:string",
                   "privileges:string"}));
  EXPECT_EQ(shape(json_of({"session", "time"})),
            (Shape{"serverTime:integer", "localTime:integer", "skewSeconds:integer"}));
  EXPECT_EQ(shape(json_of({"session", "end", ks})), (Shape{"ended:boolean"}));
}

TEST_F(CliShapes, AnalyticsDoctorAndImport) {
  const Json room = json_of({"room", "create", "--name", "A"});
  const Json event = json_of({"event", "create", "--room", id(room), "--summary", "S", "--start", "+1h", "--end", "+2h"});
  CurlTransport http;
  HttpRequest rq;
  rq.method = HttpMethod::get;
  rq.url = json_of({"join", "--event", id(event), "--user", "m", "--role", "moderator"}).at("url");
  rq.idempotent = true;
  ASSERT_EQ(http.send(rq).status, 200);
  const Json sessions = json_of({"analytics", "sessions", "--room", id(room)});
  ASSERT_EQ(sessions.size(), 1U) << sessions.dump();
  EXPECT_EQ(shape(sessions.at(0)),
            (Shape{"id:integer", "room_id:integer", "third_party_room_id:integer", "room_name:string",
                   "date_start:integer", "date_end:integer", "duration:integer", "type:string",
                   "participants_count:integer"}));
  const Json people = json_of({"analytics", "attendees", "--session", id(sessions.at(0)), "--room", id(room)});
  ASSERT_EQ(people.size(), 1U) << people.dump();
  EXPECT_EQ(shape(people.at(0)), (Shape{"user_id:string", "name:string", "email:string", "role:string",
                                        "joined:integer", "left:integer", "duration:integer"}));

  const Json checks = json_of({"doctor"});
  ASSERT_FALSE(checks.empty());
  for (const Json& c : checks) EXPECT_EQ(shape(c), (Shape{"check:string", "ok:boolean", "detail:string"}));

  const std::string csv = "room_name,summary,start,end\nR,S,2031-01-01T00:00:00Z,2031-01-01T01:00:00Z\n";
  EXPECT_EQ(shape(json_of({"import", "-", "--dry-run"}, csv)),
            (Shape{"rows:integer", "rooms:integer", "meetings:integer", "duplicates:integer", "invalid:integer"}));
  EXPECT_EQ(shape(json_of({"import", "-"}, csv)), (Shape{"created:integer", "skipped:integer", "failed:integer"}));
}

// KAF's attendance rows as `analytics attendees -o json` prints them, to the byte: the application's
// user id when KAF sends one, Unix times, seconds (KAF's minutes when a time is missing), null
// for what is unknown.
TEST(CliShapesAttendees, RowsPrintedToTheByte) {
  LoopbackServer server([](Connection& c, const ReceivedRequest&) {
    const std::string body =
        R"({"status":"success","data":{"session_attendance":[)"
        R"({"session_id":"16772","user_id":"501","lti_user_id":"ann@example.com","user_type":"student",)"
        R"("user_name":"Ann \"A\" \u00e9","user_email":"a@kaf","lti_user_email":"ann@example.com",)"
        R"("time_joined":"1798797600","duration":"0.5333"},)"
        R"({"session_id":"16772","user_id":"502","user_type":"instructor","user_name":"Bob",)"
        R"("user_email":"","time_joined":"1798797600","time_left":"1798797660","duration":"1.0000"}],)"
        R"("total_count":2,"next_page":""}})";
    (void)c.send(http_response(200, body, {{"Content-Type", "application/json"}}));
  });
  const std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"},
                                                  {"KALTURA_SERVICE_URL", server.url("")},
                                                  {"KALTURA_KAF_URL", server.url("")},
                                                  {"KALTURA_PARTNER_ID", "1234567"},
                                                  {"KALTURA_ADMIN_SECRET", "0123456789abcdef0123456789abcdef"}};
  const auto r = run_kmeet({"analytics", "attendees", "--session", "16772", "--room", "42", "-o", "json"}, env);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "[\n"
            "  {\n"
            "    \"user_id\": \"ann@example.com\",\n"
            "    \"name\": \"Ann \\\"A\\\" \xc3\xa9\",\n"
            "    \"email\": \"ann@example.com\",\n"
            "    \"role\": \"student\",\n"
            "    \"joined\": 1798797600,\n"
            "    \"left\": null,\n"
            "    \"duration\": 32\n"
            "  },\n"
            "  {\n"
            "    \"user_id\": \"502\",\n"
            "    \"name\": \"Bob\",\n"
            "    \"email\": \"\",\n"
            "    \"role\": \"instructor\",\n"
            "    \"joined\": 1798797600,\n"
            "    \"left\": 1798797660,\n"
            "    \"duration\": 60\n"
            "  }\n"
            "]\n");
  const auto csv = run_kmeet({"analytics", "attendees", "--session", "16772", "--room", "42", "-o", "csv"}, env);
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out,
            "user_id,name,email,role,joined,left,duration\r\n"
            "ann@example.com,\"Ann \"\"A\"\" \xc3\xa9\",ann@example.com,student,1798797600,,32\r\n"
            "502,Bob,,instructor,1798797600,1798797660,60\r\n");
}

}  // namespace
}  // namespace kmeet::test
