// The api_v3 codec against the spec: exact request bytes (A, C), every error shape (B), retries.
#include "api/api_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>
#include "kmeet/testing/mock_transport.hpp"

namespace kmeet::detail {
namespace {

using kmeet::testing::MockTransport;

using ::testing::HasSubstr;
using ::testing::Not;

class FixedKs : public KsProvider {
 public:
  explicit FixedKs(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}
  std::string get() override { return tokens_.at(index_); }
  bool refresh_after_rejection(std::string_view, std::string_view reason) override {
    reasons.emplace_back(reason);
    if (index_ + 1 >= tokens_.size()) return false;
    ++index_;
    return true;
  }
  std::vector<std::string> reasons;

 private:
  std::vector<std::string> tokens_;
  std::size_t index_ = 0;
};

struct Fixture {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  std::shared_ptr<FixedKs> ks = std::make_shared<FixedKs>(std::vector<std::string>{"KS_PLACEHOLDER", "KS_RENEWED"});
  std::vector<std::chrono::milliseconds> sleeps;
  ApiClient client{mock,
                   ApiSettings{.service_url = "https://www.kaltura.com/",
                               .client_tag = "node:25-07-20",
                               .api_version = "21.20.0",
                               .retry = RetryPolicy{},
                               .sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); }},
                   ks};
};

HttpResponse json_response(std::string body, HttpHeaders extra = {}) {
  HttpResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", "application/json"}};
  for (auto& h : extra) r.headers.push_back(h);
  r.body = std::move(body);
  return r;
}

TEST(ApiEncode, SessionStartMatchesTheNodeCaptureByteForByte) {
  Fixture f;
  ApiCall call{.service = "session", .action = "start", .idempotent = true, .with_ks = false};
  call.params["secret"] = "SECRET";
  call.params["userId"] = "max@organization.com";
  call.params["type"] = 0;
  call.params["partnerId"] = 1234567;
  call.params["expiry"] = 86400;
  call.params["privileges"] = "eventId:3371011,role:viewerRole";
  const HttpRequest r = f.client.encode(call, "IGNORED_BECAUSE_WITH_KS_IS_FALSE");
  EXPECT_EQ(r.method, HttpMethod::post);
  EXPECT_EQ(r.url, "https://www.kaltura.com/api_v3/service/session/action/start");
  EXPECT_EQ(find_header(r.headers, "content-type"), "application/json");
  // protocol.md A.7 capture, without the optional kalsig.
  EXPECT_EQ(r.body,
            R"({"secret":"SECRET","userId":"max@organization.com","type":0,"partnerId":1234567,"expiry":86400,)"
            R"("privileges":"eventId:3371011,role:viewerRole","format":1,"apiVersion":"21.20.0","clientTag":"node:25-07-20"})");
}

TEST(ApiEncode, ScheduleEventAddMatchesTheNodeCapture) {
  Fixture f;
  ApiCall call{.service = "schedule_scheduleevent", .action = "add"};
  WireJson ev;
  ev["objectType"] = "KalturaRecordScheduleEvent";
  ev["summary"] = "Tomorrow's Event";
  ev["startDate"] = 1586185200;
  ev["endDate"] = 1586188800;
  ev["recurrenceType"] = 0;
  ev["tags"] = "custom_rec_auto_start:1";
  call.params["scheduleEvent"] = ev;
  const HttpRequest r = f.client.encode(call, "KS_PLACEHOLDER");
  EXPECT_EQ(r.url, "https://www.kaltura.com/api_v3/service/schedule_scheduleevent/action/add");
  EXPECT_FALSE(r.idempotent);
  EXPECT_EQ(r.body,
            R"({"scheduleEvent":{"objectType":"KalturaRecordScheduleEvent","summary":"Tomorrow's Event","startDate":1586185200,)"
            R"("endDate":1586188800,"recurrenceType":0,"tags":"custom_rec_auto_start:1"},"format":1,"apiVersion":"21.20.0",)"
            R"("clientTag":"node:25-07-20","ks":"KS_PLACEHOLDER"})");
}

TEST(ApiEncode, MultirequestUsesZeroBasedKeysAndOneBasedReferences) {
  Fixture f;
  std::vector<ApiCall> calls(2);
  calls[0] = {.service = "schedule_scheduleevent", .action = "add"};
  calls[0].params["scheduleEvent"] = WireJson{{"objectType", "KalturaRecordScheduleEvent"}, {"summary", "s"}};
  calls[1] = {.service = "schedule_scheduleeventresource", .action = "add"};
  calls[1].params["scheduleEventResource"] = WireJson{
      {"objectType", "KalturaScheduleEventResource"}, {"eventId", result_ref(1, "id")}, {"resourceId", 1100601}};
  const HttpRequest r = f.client.encode_multi(calls, "KS");
  EXPECT_EQ(r.url, "https://www.kaltura.com/api_v3/service/multirequest");
  EXPECT_EQ(r.body,
            R"({"0":{"scheduleEvent":{"objectType":"KalturaRecordScheduleEvent","summary":"s"},"service":"schedule_scheduleevent","action":"add"},)"
            R"("1":{"scheduleEventResource":{"objectType":"KalturaScheduleEventResource","eventId":"{1:result:id}","resourceId":1100601},)"
            R"("service":"schedule_scheduleeventresource","action":"add"},"format":1,"apiVersion":"21.20.0","clientTag":"node:25-07-20","ks":"KS"})");
  EXPECT_FALSE(r.idempotent);
  EXPECT_EQ(result_ref(3), "{3:result}");
}

// The encoder writes the body text directly; it must give exactly what serialising the parameters
// plus the common fields as one DOM gives, for any parameters (escapes, UTF-8, nesting, a
// parameter that shadows a common field, a KS or client tag that needs escaping).
WireJson reference_body(WireJson params, const ApiSettings& s, std::string_view ks) {
  params["format"] = 1;
  if (!s.api_version.empty()) params["apiVersion"] = s.api_version;
  if (!s.client_tag.empty()) params["clientTag"] = s.client_tag;
  if (!ks.empty()) params["ks"] = ks;
  return params;
}

std::vector<WireJson> tricky_params() {
  std::vector<WireJson> out;
  out.push_back(WireJson::object());
  out.push_back(WireJson{{"scheduleResourceId", 1100601}});
  out.push_back(WireJson{{"name", "quote \" back\\slash \n tab\t \u0001 ctl"}, {"n", -3}, {"d", 1.5}, {"b", true}});
  out.push_back(WireJson{{"name", "Zoë 会議 😀"}, {"nested", {{"a", WireJson::array({1, "x", nullptr})}, {"e", WireJson::object()}}}});
  out.push_back(WireJson{{"format", 2}, {"x", 1}});  // shadows a common field: kept in place, overwritten
  out.push_back(WireJson{{"x", 1}, {"ks", "mine"}});
  out.push_back(WireJson{{"service", "shadow"}, {"action", "shadow"}, {"y", 2}});
  out.push_back(WireJson{{"filter", {{"objectType", "KalturaScheduleEventFilter"}, {"referenceIdIn", "a,b"}}},
                         {"pager", {{"objectType", "KalturaFilterPager"}, {"pageSize", 500}, {"pageIndex", 1}}}});
  return out;
}

TEST(ApiEncode, DirectBodyEqualsTheDomSerialisation) {
  for (const auto& settings : {ApiSettings{.service_url = "https://h", .client_tag = "node:25-07-20", .api_version = "21.20.0"},
                               ApiSettings{.service_url = "https://h", .client_tag = "t\"ag ü", .api_version = ""},
                               ApiSettings{.service_url = "https://h", .client_tag = "", .api_version = "1"}}) {
    const ApiClient client(std::make_shared<MockTransport>(), settings, nullptr);
    for (const std::string ks : {"", "djJ8MTIzNDU2N3x-_abc=", "odd \"ks\" ü"}) {
      std::vector<ApiCall> calls;
      for (const auto& params : tricky_params()) {
        ApiCall call{.service = "schedule_scheduleevent", .action = "list", .params = params};
        EXPECT_EQ(client.encode(call, ks).body, reference_body(params, settings, ks).dump()) << params.dump();
        calls.push_back(call);
      }
      WireJson multi = WireJson::object();
      for (std::size_t i = 0; i < calls.size(); ++i) {
        WireJson item = calls[i].params;
        item["service"] = calls[i].service;
        item["action"] = calls[i].action;
        multi[std::to_string(i)] = item;
      }
      EXPECT_EQ(client.encode_multi(calls, ks).body, reference_body(multi, settings, ks).dump());
      // Without the shadowing items the direct path is taken for the whole multirequest.
      std::vector<ApiCall> plain(calls.begin(), calls.begin() + 4);
      WireJson plain_multi = WireJson::object();
      for (std::size_t i = 0; i < plain.size(); ++i) {
        WireJson item = plain[i].params;
        item["service"] = plain[i].service;
        item["action"] = plain[i].action;
        plain_multi[std::to_string(i)] = item;
      }
      EXPECT_EQ(client.encode_multi(plain, ks).body, reference_body(plain_multi, settings, ks).dump());
      EXPECT_EQ(client.encode_multi(std::span<const ApiCall>{}, ks).body,
                reference_body(WireJson::object(), settings, ks).dump());
    }
  }
}

TEST(ApiEncode, TextThatIsNotUtf8IsAValidationErrorNamingTheParameter) {
  Fixture f;
  WireJson params = {{"scheduleResource", {{"objectType", "KalturaLocationScheduleResource"}, {"name", "bad\xFF"}}}};
  const ApiCall call{.service = "schedule_scheduleresource", .action = "add", .params = params};
  for (int multi = 0; multi < 2; ++multi) {
    try {
      if (multi == 0) {
        (void)f.client.call(call);
      } else {
        (void)f.client.multirequest(std::vector<ApiCall>{call});
      }
      FAIL() << "no ValidationError";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "schedule_scheduleresource.add.scheduleResource.name");
      EXPECT_EQ(e.reason(), "must be valid UTF-8");
    }
  }
  EXPECT_EQ(f.mock->request_count(), 0U);  // nothing sent
}

TEST(ApiDecode, ObjectResultIsReturnedAsIs) {
  Fixture f;
  f.mock->reply(json_response(
      R"({"id":1100601,"partnerId":1234567,"name":"Room-1","description":"My first meeting room","status":2,)"
      R"("tags":"vcprovider:newrow","createdAt":1586100234,"updatedAt":1586100234,"objectType":"KalturaLocationScheduleResource"})"));
  ApiCall call{.service = "schedule_scheduleresource", .action = "get", .idempotent = true};
  call.params["scheduleResourceId"] = 1100601;
  Json v = f.client.call(call);
  EXPECT_EQ(v["id"], 1100601);
  EXPECT_EQ(v["objectType"], "KalturaLocationScheduleResource");
  EXPECT_THAT(f.mock->last_request().body, HasSubstr(R"("scheduleResourceId":1100601,"format":1)"));
}

TEST(ApiDecode, StringAndNullResults) {
  Fixture f;
  f.mock->reply_json(R"("djJ8MTIzNDU2N3x\/abc")").reply_json("null");
  ApiCall call{.service = "session", .action = "start", .idempotent = true, .with_ks = false};
  EXPECT_EQ(f.client.call(call), "djJ8MTIzNDU2N3x/abc");  // PHP's escaped slash decoded
  EXPECT_TRUE(f.client.call(call).is_null());
}

TEST(ApiDecode, ApiExceptionBecomesApiErrorWithArgsAndServerHeaders) {
  Fixture f;
  f.mock->reply(json_response(
      R"({"code":"INVALID_OBJECT_ID","message":"Invalid object id [123]","objectType":"KalturaAPIException","args":{"ID":"123"}})",
      {{"X-Me", "pa-apis-7"}, {"X-Kaltura-Session", "1795431523, 1700000000"}}));
  ApiCall call{.service = "schedule_scheduleresource", .action = "get", .idempotent = true};
  try {
    (void)f.client.call(call);
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "INVALID_OBJECT_ID");
    EXPECT_EQ(e.api_message(), "Invalid object id [123]");
    EXPECT_EQ(e.args().at("ID"), "123");
    EXPECT_EQ(e.server(), "pa-apis-7");
    EXPECT_EQ(e.session(), "1795431523, 1700000000");
  }
  EXPECT_EQ(f.mock->request_count(), 1U);  // an API error is an answer, not retried
}

TEST(ApiDecode, ArgsAsEmptyArrayAreAccepted) {
  Fixture f;
  f.mock->reply_json(R"({"code":"MISSING_KS","message":"Missing KS, session not established","objectType":"KalturaAPIException","args":[]})");
  ApiCall call{.service = "schedule_scheduleresource", .action = "list", .idempotent = true};
  try {
    (void)f.client.call(call);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "MISSING_KS");
    EXPECT_TRUE(e.args().empty());
  }
}

TEST(ApiDecode, InvalidKsStrDoesNotLeakTheKs) {
  Fixture f;
  const std::string ks(120, 'Z');
  f.mock->reply_json(R"({"code":"INVALID_KS","message":"Invalid KS \")" + ks +
                     R"(\", Error \"-1,INVALID_STR\"","objectType":"KalturaAPIException","args":{"KSID":")" + ks +
                     R"(","ERR_CODE":"-1","ERR_DESC":"INVALID_STR"}})");
  ApiCall call{.service = "schedule_scheduleresource", .action = "list", .idempotent = true};
  try {
    (void)f.client.call(call);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.ks_reason(), "INVALID_STR");
    EXPECT_THAT(std::string(e.what()), Not(HasSubstr(ks)));
  }
  EXPECT_TRUE(f.ks->reasons.empty());  // INVALID_STR is not renewable
}

TEST(ApiDecode, ExpiredKsIsRenewedOnceAndTheCallRepeated) {
  Fixture f;
  f.mock->reply_json(R"({"code":"INVALID_KS","message":"Invalid KS \"EXPIRED\", Error \"-1,INVALID_STR\"","objectType":"KalturaAPIException","args":{"KSID":"EXPIRED","ERR_CODE":"-1","ERR_DESC":"INVALID_STR"}})")
      .reply_json(R"({"objects":[],"totalCount":0,"objectType":"KalturaScheduleResourceListResponse"})");
  ApiCall call{.service = "schedule_scheduleresource", .action = "list", .idempotent = true};
  Json v = f.client.call(call);
  EXPECT_EQ(v["totalCount"], 0);
  ASSERT_EQ(f.mock->request_count(), 2U);
  EXPECT_THAT(f.mock->requests()[0].body, HasSubstr(R"("ks":"KS_PLACEHOLDER")"));
  EXPECT_THAT(f.mock->requests()[1].body, HasSubstr(R"("ks":"KS_RENEWED")"));
  EXPECT_EQ(f.ks->reasons, std::vector<std::string>{"EXPIRED"});
}

TEST(ApiDecode, HtmlErrorPageIsHttpErrorWithSnippet) {
  Fixture f;
  HttpResponse r;
  r.status = 502;
  r.body = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\"><html><title>502 Bad Gateway</title></html>";
  f.mock->reply(r);
  ApiCall call{.service = "schedule_scheduleevent", .action = "add"};  // not idempotent: no retry
  try {
    (void)f.client.call(call);
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_THAT(e.body_snippet(), HasSubstr("502 Bad Gateway"));
  }
  EXPECT_EQ(f.mock->request_count(), 1U);
}

TEST(ApiDecode, HtmlWithStatus200IsProtocolError) {
  Fixture f;
  f.mock->reply_json("<html><body>maintenance</body></html>");
  ApiCall call{.service = "schedule_scheduleevent", .action = "add"};
  try {
    (void)f.client.call(call);
    FAIL();
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.status(), 200);
    EXPECT_THAT(e.body_snippet(), HasSubstr("maintenance"));
  }
}

TEST(ApiDecode, TruncatedJsonIsProtocolError) {
  Fixture f;
  f.mock->reply_json(R"({"id":1100601,"name":"Ro)");
  ApiCall call{.service = "schedule_scheduleevent", .action = "add"};
  EXPECT_THROW((void)f.client.call(call), ProtocolError);
}

TEST(ApiDecode, DeepNestingIsRefusedBeforeParsing) {
  Fixture f;
  f.mock->reply_json(std::string(200'000, '[') + std::string(200'000, ']'));
  ApiCall call{.service = "schedule_scheduleevent", .action = "add"};
  try {
    (void)f.client.call(call);
    FAIL();
  } catch (const ProtocolError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("deeper than 64"));
  }
  EXPECT_TRUE(json_depth_within(R"({"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", 2));
  EXPECT_FALSE(json_depth_within("[[[]]]", 2));
}

TEST(ApiMulti, PerItemResultsAndErrors) {
  Fixture f;
  f.mock->reply_json(
      R"([{"id":11,"objectType":"KalturaRecordScheduleEvent"},)"
      R"({"code":"SCHEDULE_EVENT_ID_NOT_FOUND","message":"Schedule event id [0] not found","objectType":"KalturaAPIException","args":{"ID":"0"}}])");
  std::vector<ApiCall> calls(2, ApiCall{.service = "schedule_scheduleevent", .action = "add"});
  auto results = f.client.multirequest(calls);
  ASSERT_EQ(results.size(), 2U);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[0].value["id"], 11);
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error->code(), "SCHEDULE_EVENT_ID_NOT_FOUND");
}

TEST(ApiMulti, WrongResultCountIsProtocolError) {
  Fixture f;
  f.mock->reply_json(R"([{"id":11}])");
  std::vector<ApiCall> calls(2, ApiCall{.service = "schedule_scheduleevent", .action = "add"});
  EXPECT_THROW((void)f.client.multirequest(calls), ProtocolError);
}

TEST(ApiMulti, RequestWideExceptionIsThrown) {
  Fixture f;
  f.mock->reply_json(R"({"code":"INTERNAL_SERVERL_ERROR","message":"Internal server error occurred","objectType":"KalturaAPIException","args":[]})");
  std::vector<ApiCall> calls(1, ApiCall{.service = "schedule_scheduleevent", .action = "add"});
  EXPECT_THROW((void)f.client.multirequest(calls), ApiError);
}

TEST(ApiRetry, IdempotentCallRetriesServerErrorsWithBackoff) {
  Fixture f;
  HttpResponse unavailable;
  unavailable.status = 503;
  unavailable.body = "<html>busy</html>";
  f.mock->reply(unavailable).reply(unavailable).reply_json("1700000000");
  ApiCall call{.service = "system", .action = "getTime", .idempotent = true, .with_ks = false};
  EXPECT_EQ(f.client.call(call), 1700000000);
  EXPECT_EQ(f.mock->request_count(), 3U);
  ASSERT_EQ(f.sleeps.size(), 2U);
  EXPECT_LE(f.sleeps[0], std::chrono::milliseconds(200));
  EXPECT_LE(f.sleeps[1], std::chrono::milliseconds(400));
}

TEST(ApiRetry, RateLimitHonoursRetryAfterEvenForCreates) {
  Fixture f;
  HttpResponse limited;
  limited.status = 429;
  limited.headers = {{"Retry-After", "2"}};
  f.mock->reply(limited).reply_json(R"({"id":5})");
  ApiCall call{.service = "schedule_scheduleresource", .action = "add"};
  EXPECT_EQ(f.client.call(call)["id"], 5);
  ASSERT_EQ(f.sleeps.size(), 1U);
  EXPECT_GE(f.sleeps[0], std::chrono::seconds(2));
}

TEST(ApiRetry, CreateWithUnknownOutcomeIsNeverResent) {
  Fixture f;
  f.mock->fail([] { throw TransportError(TransportError::Kind::reset, "connection reset", true); });
  ApiCall call{.service = "schedule_scheduleresource", .action = "add"};
  try {
    (void)f.client.call(call);
    FAIL();
  } catch (const TransportError& e) {
    EXPECT_TRUE(e.outcome_unknown());
  }
  EXPECT_EQ(f.mock->request_count(), 1U);
}

TEST(ApiRetry, CreateIsResentWhenItNeverLeft) {
  Fixture f;
  f.mock->fail([] { throw TransportError(TransportError::Kind::connect, "connection refused", false); })
      .reply_json(R"({"id":7})");
  ApiCall call{.service = "schedule_scheduleresource", .action = "add"};
  EXPECT_EQ(f.client.call(call)["id"], 7);
  EXPECT_EQ(f.mock->request_count(), 2U);
}

TEST(ApiRetry, CreateIsNotResentAfterServerError) {
  Fixture f;
  HttpResponse err;
  err.status = 500;
  f.mock->reply(err).reply_json(R"({"id":7})");
  ApiCall call{.service = "schedule_scheduleresource", .action = "add"};
  EXPECT_THROW((void)f.client.call(call), HttpError);
  EXPECT_EQ(f.mock->request_count(), 1U);
}

TEST(ApiRetry, OversizedAndTlsFailuresAreNotRetried) {
  Fixture f;
  f.mock->fail([] { throw TransportError(TransportError::Kind::too_large, "response larger than 64 MiB", true); })
      .fail([] { throw TransportError(TransportError::Kind::tls, "certificate verify failed", false); });
  ApiCall call{.service = "system", .action = "getTime", .idempotent = true, .with_ks = false};
  EXPECT_THROW((void)f.client.call(call), TransportError);
  EXPECT_THROW((void)f.client.call(call), TransportError);
  EXPECT_EQ(f.mock->request_count(), 2U);
}

TEST(ApiRetry, AttemptsAreBounded) {
  Fixture f;
  HttpResponse err;
  err.status = 503;
  for (int i = 0; i < 10; ++i) f.mock->reply(err);
  ApiCall call{.service = "system", .action = "getTime", .idempotent = true, .with_ks = false};
  EXPECT_THROW((void)f.client.call(call), HttpError);
  EXPECT_EQ(f.mock->request_count(), 4U);  // RetryPolicy{}.max_attempts
}

TEST(ApiRetry, AGarbled200IsRetriedForIdempotentCalls) {
  // A proxy's HTML page or a cut-off body with status 200 (protocol.md H.1): one more failed attempt.
  Fixture f;
  f.mock->reply_json("<html><body>maintenance</body></html>").reply_json(R"({"id":7,"name":"Ro)")
      .reply_json(R"({"id":7,"name":"Room"})");
  ApiCall get{.service = "schedule_scheduleresource", .action = "get", .idempotent = true};
  EXPECT_EQ(f.client.call(get)["id"], 7);
  EXPECT_EQ(f.mock->request_count(), 3U);
  EXPECT_EQ(f.sleeps.size(), 2U);
  // The same in a multirequest of reads.
  f.mock->reply_json("<html>busy</html>").reply_json(R"([{"id":1},{"id":2}])");
  std::vector<ApiCall> reads{get, get};
  const auto items = f.client.multirequest(reads);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[1].value["id"], 2);
  EXPECT_EQ(f.mock->request_count(), 5U);
}

TEST(ApiRetry, ADeleteWhoseFirstAnswerWasGarbledIsDoneWhenTheResendFindsNothing) {
  Fixture f;
  f.mock->reply_json("nu")  // "null" cut in half: the delete may have run
      .reply_json(R"({"code":"INVALID_OBJECT_ID","message":"Invalid object id [7]","objectType":"KalturaAPIException","args":{"ID":"7"}})");
  ApiCall del{.service = "schedule_scheduleresource", .action = "delete", .idempotent = true};
  del.absent_after_unknown_is_success = true;
  EXPECT_TRUE(f.client.call(del).is_null());
  EXPECT_EQ(f.mock->request_count(), 2U);
}

TEST(ApiRetry, NotFoundAfterATransportResendIsDoneForADeleteOnly) {
  // libcurl re-sent the request on its own (a reused connection died): the first copy may have
  // deleted the object, so "not found" is success for a delete, an error for anything else.
  Fixture f;
  HttpResponse absent;
  absent.status = 200;
  absent.sends = 2;
  absent.body = R"({"code":"INVALID_OBJECT_ID","message":"Invalid object id [7]","objectType":"KalturaAPIException","args":{"ID":"7"}})";
  f.mock->reply(absent).reply(absent);
  ApiCall del{.service = "schedule_scheduleresource", .action = "delete", .idempotent = true};
  del.absent_after_unknown_is_success = true;
  EXPECT_TRUE(f.client.call(del).is_null());
  ApiCall get{.service = "schedule_scheduleresource", .action = "get", .idempotent = true};
  EXPECT_THROW((void)f.client.call(get), ApiError);
  EXPECT_EQ(f.mock->request_count(), 2U);
}

TEST(ApiRetry, SessionEndResentAfterAnUnknownOutcomeFindsTheSessionEnded) {
  Fixture f;
  const std::string logout =
      R"({"code":"INVALID_KS","message":"Invalid KS \"LOGOUT\", Error \"-1,INVALID_STR\"","objectType":"KalturaAPIException",)"
      R"("args":{"KSID":"LOGOUT","ERR_CODE":"-1","ERR_DESC":"INVALID_STR"}})";
  f.mock->fail([] { throw TransportError(TransportError::Kind::reset, "connection reset", true); })
      .reply_json(logout)
      .reply_json(logout);
  ApiCall end{.service = "session", .action = "end", .idempotent = true, .with_ks = false};
  end.logout_after_unknown_is_success = true;
  EXPECT_TRUE(f.client.call(end).is_null());
  EXPECT_EQ(f.mock->request_count(), 2U);
  // Without an unknown outcome before it, the same answer is the caller's error.
  EXPECT_THROW((void)f.client.call(end), ApiError);
}

TEST(ApiRetry, NoRetryWhenRetryAfterEndsPastTheDeadline) {
  Fixture f;
  HttpResponse unavailable;
  unavailable.status = 503;
  unavailable.headers = {{"Retry-After", "3600"}};
  f.mock->reply(unavailable).reply_json("1700000000");
  ApiCall call{.service = "system", .action = "getTime", .idempotent = true, .with_ks = false};
  EXPECT_THROW((void)f.client.call(call), HttpError);
  EXPECT_EQ(f.mock->request_count(), 1U);
  EXPECT_TRUE(f.sleeps.empty());
}

}  // namespace
}  // namespace kmeet::detail
