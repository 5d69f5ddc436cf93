// api_v3 codec throughput: request encoding (single call, multirequest of room + event + link) and
// response decoding (a small object, a 500-object list page). docs/performance.md, "API codec".
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <array>
#include <string>

#include "api/api_client.hpp"
#include "kmeet/version.hpp"
#include "kmeet/testing/mock_transport.hpp"

namespace {

using kmeet::detail::ApiCall;
using kmeet::detail::ApiClient;
using kmeet::detail::ApiSettings;
using kmeet::detail::WireJson;

// A realistic admin KS length (v2, ~200 bytes of base64url).
const std::string kKs(212, 'd');

ApiClient make_client() {
  ApiSettings s;
  s.service_url = "https://www.kaltura.com";
  s.client_tag = "kmeet:" KMEET_VERSION_STRING;
  s.api_version = "21.20.0";
  return ApiClient(std::make_shared<kmeet::testing::MockTransport>(), std::move(s), nullptr);
}

ApiCall room_add() {
  ApiCall c{.service = "schedule_scheduleresource", .action = "add"};
  WireJson room = WireJson::object();
  room["objectType"] = "KalturaLocationScheduleResource";
  room["name"] = "Physics 101 - Room 12";
  room["description"] = "Weekly lecture room";
  room["tags"] = "vcprovider:newrow,custom_rs_room_cap:50,custom_rs_show_logo:1";
  c.params["scheduleResource"] = std::move(room);
  return c;
}

ApiCall event_add() {
  ApiCall c{.service = "schedule_scheduleevent", .action = "add"};
  WireJson ev = WireJson::object();
  ev["objectType"] = "KalturaRecordScheduleEvent";
  ev["summary"] = "Physics 101 - Week 3";
  ev["startDate"] = 1786185200;
  ev["endDate"] = 1786188800;
  ev["recurrenceType"] = 0;
  ev["tags"] = "custom_rec_auto_start:1,custom_rs_class_mode:virtual_classroom";
  c.params["scheduleEvent"] = std::move(ev);
  return c;
}

ApiCall link_add() {
  ApiCall c{.service = "schedule_scheduleeventresource", .action = "add"};
  WireJson link = WireJson::object();
  link["objectType"] = "KalturaScheduleEventResource";
  link["eventId"] = kmeet::detail::result_ref(2, "id");
  link["resourceId"] = kmeet::detail::result_ref(1, "id");
  c.params["scheduleEventResource"] = std::move(link);
  return c;
}

void BM_EncodeGetTime(benchmark::State& state) {
  const ApiClient api = make_client();
  const ApiCall call{.service = "system", .action = "getTime", .idempotent = true};
  for (auto _ : state) benchmark::DoNotOptimize(api.encode(call, kKs));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeGetTime);

void BM_EncodeRoomAdd(benchmark::State& state) {
  const ApiClient api = make_client();
  const ApiCall call = room_add();
  for (auto _ : state) benchmark::DoNotOptimize(api.encode(call, kKs));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeRoomAdd);

// One meeting: room + event + link with `{N:result:id}` references, as create_meeting sends it.
void BM_EncodeMeetingMultirequest(benchmark::State& state) {
  const ApiClient api = make_client();
  const std::array<ApiCall, 3> calls{room_add(), event_add(), link_add()};
  for (auto _ : state) benchmark::DoNotOptimize(api.encode_multi(calls, kKs));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeMeetingMultirequest);

const std::string kRoomJson =
    R"({"id":1100601,"partnerId":1234567,"name":"Physics 101 - Room 12","description":"Weekly lecture room",)"
    R"("status":2,"tags":"vcprovider:newrow,custom_rs_room_cap:50","createdAt":1586100234,)"
    R"("updatedAt":1586100234,"objectType":"KalturaLocationScheduleResource"})";

kmeet::HttpResponse ok(std::string body) {
  kmeet::HttpResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", "application/json"}, {"X-Me", "emulator"}};
  r.body = std::move(body);
  return r;
}

// decode_body + as_api_error: what ApiClient::call does with every 200 answer.
void BM_DecodeSmallObject(benchmark::State& state) {
  const kmeet::HttpResponse r = ok(kRoomJson);
  for (auto _ : state) {
    auto v = kmeet::detail::decode_body(r);
    benchmark::DoNotOptimize(kmeet::detail::as_api_error(v, r));
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * r.body.size()));
}
BENCHMARK(BM_DecodeSmallObject);

std::string room_list_page(int n) {
  std::string body = R"({"objects":[)";
  for (int i = 0; i < n; ++i) {
    if (i) body += ',';
    body += fmt::format(
        R"({{"id":{},"partnerId":1234567,"name":"Room {}","description":"Weekly lecture room {}","status":2,)"
        R"("tags":"vcprovider:newrow,custom_rs_room_cap:50,custom_rs_show_logo:1","createdAt":{},"updatedAt":{},)"
        R"("objectType":"KalturaLocationScheduleResource"}})",
        1100601 + i, i, i, 1586100234 + i, 1586100234 + i);
  }
  body += R"(],"totalCount":500,"objectType":"KalturaScheduleResourceListResponse"})";
  return body;
}

// A full list page (pager.pageSize 500) parsed into the JSON DOM.
void BM_DecodeListPage500(benchmark::State& state) {
  const kmeet::HttpResponse r = ok(room_list_page(500));
  for (auto _ : state) {
    auto v = kmeet::detail::decode_body(r);
    benchmark::DoNotOptimize(kmeet::detail::as_api_error(v, r));
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations() * 500);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * r.body.size()));
}
BENCHMARK(BM_DecodeListPage500);

void BM_ResultRef(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(kmeet::detail::result_ref(2, "id"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResultRef);

}  // namespace
