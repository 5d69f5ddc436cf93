// Request parsing and response shapes (A, B): Content-Type rule, form paths, parameter merge
// order, XML default, unknown service/action, error args, objectType last, nulls omitted.

#include <gtest/gtest.h>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

class RequestTest : public EmulatorTest {
 protected:
  std::string url(const std::string& service, const std::string& action) {
    return emulator().base_url() + "/api_v3/service/" + service + "/action/" + action;
  }
};

TEST_F(RequestTest, JsonBodyOnlyWithContentTypeExactlyApplicationJson) {
  const auto ks = admin_ks(emulator());
  const Json body{{"ks", ks}, {"format", 1}, {"scheduleResource", room("R1")}};
  auto ok = request(url("schedule_scheduleresource", "add"), body.dump(), "application/json");
  EXPECT_EQ(ok.json()["name"], "R1");
  // upper case still equals after strtolower
  ok = request(url("schedule_scheduleresource", "add"), body.dump(), "APPLICATION/JSON");
  EXPECT_EQ(ok.json()["objectType"], "KalturaLocationScheduleResource");
  // with a charset the JSON body is ignored: no format -> XML, no KS -> MISSING_KS
  const auto ignored = request(url("schedule_scheduleresource", "add"), body.dump(), "application/json; charset=utf-8");
  EXPECT_EQ(ignored.headers.at("content-type"), "text/xml");
  EXPECT_NE(ignored.body.find("<code>MISSING_KS</code>"), std::string::npos);
  // with format in the query, the error comes as JSON
  const auto q = request(url("schedule_scheduleresource", "add") + "?format=1", body.dump(),
                         "application/json; charset=utf-8");
  EXPECT_EQ(q.json()["code"], "MISSING_KS");
}

TEST_F(RequestTest, FormEncodingWithColonPaths) {
  const auto ks = admin_ks(emulator());
  const std::string body = "ks=" + escape(ks) +
                           "&format=1&scheduleResource:objectType=KalturaLocationScheduleResource"
                           "&scheduleResource:name=" + escape("Form room") +
                           "&scheduleResource:tags=" + escape("vcprovider:newrow");
  const auto r = request(url("schedule_scheduleresource", "add"), body, "application/x-www-form-urlencoded").json();
  EXPECT_EQ(r["name"], "Form room");
  EXPECT_EQ(r["tags"], "vcprovider:newrow");
  // ':' paths inside a JSON body work too
  const Json j{{"ks", ks}, {"format", 1}, {"scheduleResource:objectType", "KalturaLocationScheduleResource"},
               {"scheduleResource:name", "Json path"}};
  EXPECT_EQ(request(url("schedule_scheduleresource", "add"), j.dump(), "application/json").json()["name"], "Json path");
}

TEST_F(RequestTest, UrlPathAndQueryOverrideTheBody) {
  const auto ks = admin_ks(emulator());
  const auto a = add_room(emulator(), ks, "A")["id"].get<std::int64_t>();
  const auto b = add_room(emulator(), ks, "B")["id"].get<std::int64_t>();
  const Json body{{"ks", ks}, {"format", 1}, {"scheduleResourceId", a}};
  // query beats body
  auto r = request(url("schedule_scheduleresource", "get") + "?scheduleResourceId=" + std::to_string(b), body.dump(),
                   "application/json");
  EXPECT_EQ(r.json()["name"], "B");
  // URL path pairs beat the query
  r = request(url("schedule_scheduleresource", "get") + "/scheduleResourceId/" + std::to_string(a) +
                  "?scheduleResourceId=" + std::to_string(b),
              body.dump(), "application/json");
  EXPECT_EQ(r.json()["name"], "A");
  // GET with query parameters works as well
  r = request(url("schedule_scheduleresource", "get") + "?format=1&scheduleResourceId=" + std::to_string(a) +
              "&ks=" + escape(ks));
  EXPECT_EQ(r.json()["name"], "A");
  // legacy index.php form
  r = request(emulator().base_url() + "/api_v3/index.php?service=system&action=getTime&format=1");
  EXPECT_TRUE(r.json().is_number_integer());
}

TEST_F(RequestTest, MissingFormatAnswersXml) {
  const auto r = request(url("system", "getTime"), "{}", "application/json");
  EXPECT_EQ(r.headers.at("content-type"), "text/xml");
  EXPECT_EQ(r.body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?><xml><result>", 0), 0U);
  const auto err = request(url("schedule_scheduleresource", "get") + "?scheduleResourceId=5&ks=" +
                           escape(admin_ks(emulator())));
  EXPECT_NE(err.body.find("<error><objectType>KalturaAPIException</objectType><code>INVALID_OBJECT_ID</code>"),
            std::string::npos);
  EXPECT_NE(err.body.find("<name>ID</name><value>5</value>"), std::string::npos);
}

TEST_F(RequestTest, UnknownServiceAndAction) {
  const auto ks = admin_ks(emulator());
  auto err = call(emulator(), "scheduleEvent", "list", {{"ks", ks}});
  EXPECT_EQ(err["code"], "SERVICE_DOES_NOT_EXISTS");
  EXPECT_EQ(err["args"], (Json{{"SRV_NAME", "scheduleevent"}}));
  err = call(emulator(), "schedule_scheduleevent", "frobnicate", {{"ks", ks}});
  EXPECT_EQ(err["code"], "ACTION_DOES_NOT_EXISTS");
  EXPECT_EQ(err["args"], (Json{{"ACTION_NAME", "frobnicate"}, {"SERVICE_NAME", "schedule_scheduleevent"}}));
  // service ids are case-insensitive
  EXPECT_EQ(call(emulator(), "Schedule_ScheduleEvent", "LIST", {{"ks", ks}})["objectType"],
            "KalturaScheduleEventListResponse");
}

TEST_F(RequestTest, ObjectTypeLastNullsOmittedSlashesEscaped) {
  const auto ks = admin_ks(emulator());
  Json res = room("R/1");
  res["description"] = nullptr;  // null in JSON: not set
  const auto r = post(emulator(), "schedule_scheduleresource", "add", {{"ks", ks}, {"scheduleResource", res}});
  EXPECT_NE(r.body.find("\"name\":\"R\\/1\""), std::string::npos);
  const auto j = r.json();
  EXPECT_EQ(j.items().begin().key(), "id");
  EXPECT_EQ((--j.end()).key(), "objectType");
  EXPECT_FALSE(j.contains("description"));
  EXPECT_FALSE(j.contains("systemName"));
  // key order as the server's class declares it
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "partnerId", "name", "status", "tags", "createdAt", "updatedAt",
                                            "objectType"}));
}

TEST_F(RequestTest, NullFieldClearsOnUpdate) {
  const auto ks = admin_ks(emulator());
  Json res = room("R");
  res["description"] = "to be cleared";
  const auto id = call(emulator(), "schedule_scheduleresource", "add", {{"ks", ks}, {"scheduleResource", res}})["id"];
  const auto upd = call(emulator(), "schedule_scheduleresource", "update",
                        {{"ks", ks},
                         {"scheduleResourceId", id},
                         {"scheduleResource", {{"objectType", "KalturaLocationScheduleResource"}, {"description__null", ""}}}});
  EXPECT_FALSE(upd.contains("description"));
  EXPECT_EQ(upd["name"], "R");  // omitted fields stay
  // form encoding of __null
  const auto r = request(url("schedule_scheduleresource", "update"),
                         "format=1&ks=" + escape(ks) + "&scheduleResourceId=" + std::to_string(id.get<int>()) +
                             "&scheduleResource:objectType=KalturaLocationScheduleResource&scheduleResource:tags__null=",
                         "application/x-www-form-urlencoded");
  EXPECT_FALSE(r.json().contains("tags"));
}

TEST_F(RequestTest, ScalarsAsStringsAreCast) {
  const auto ks = admin_ks(emulator());
  const auto t = now() + 86400 * 30;
  const Json ev{{"objectType", "KalturaRecordScheduleEvent"}, {"summary", "S"}, {"startDate", std::to_string(t)},
                {"endDate", std::to_string(t + 60)}, {"recurrenceType", "0"}, {"priority", "3"}};
  const auto r = call(emulator(), "schedule_scheduleevent", "add", {{"ks", ks}, {"scheduleEvent", ev}});
  EXPECT_EQ(r["startDate"], t);
  EXPECT_EQ(r["priority"], 3);
  EXPECT_EQ(r["recurrenceType"], 0);
  EXPECT_EQ(r["duration"], 60);
}

TEST_F(RequestTest, JsonpFormat) {
  const auto r = request(url("system", "getTime") + "?format=9&callback=cb");
  EXPECT_EQ(r.body.rfind("cb(", 0), 0U);
}

TEST_F(RequestTest, UnknownPathIs404) {
  EXPECT_EQ(request(emulator().base_url() + "/nothing-here").status, 404);
}

}  // namespace
}  // namespace kmeet::test
