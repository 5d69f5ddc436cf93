// Typed model mapping: a 500-object list page decoded into Room values, and the room + event + link
// multirequest of one meeting built from typed values. docs/performance.md, "API codec".
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <array>
#include <string>

#include "api/api_client.hpp"
#include "model/wire.hpp"

namespace {

using kmeet::detail::Json;

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

// From the response text to Page<Room>: parse, then map every object (tags into typed settings).
void BM_DecodeListPage500Typed(benchmark::State& state) {
  const std::string body = room_list_page(500);
  for (auto _ : state) {
    const Json v = kmeet::detail::parse_json(body);
    benchmark::DoNotOptimize(kmeet::detail::room_page_from_wire(v));
  }
  state.SetItemsProcessed(state.iterations() * 500);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_DecodeListPage500Typed);

// Only the mapping step (the DOM already parsed).
void BM_MapListPage500(benchmark::State& state) {
  const Json v = kmeet::detail::parse_json(room_list_page(500));
  for (auto _ : state) benchmark::DoNotOptimize(kmeet::detail::room_page_from_wire(v));
  state.SetItemsProcessed(state.iterations() * 500);
}
BENCHMARK(BM_MapListPage500);

void BM_DecodeRoomTyped(benchmark::State& state) {
  const std::string body =
      R"({"id":1100601,"partnerId":1234567,"name":"Physics 101 - Room 12","description":"Weekly lecture room",)"
      R"("status":2,"tags":"vcprovider:newrow,custom_rs_room_cap:50","createdAt":1586100234,)"
      R"("updatedAt":1586100234,"objectType":"KalturaLocationScheduleResource"})";
  for (auto _ : state) benchmark::DoNotOptimize(kmeet::detail::room_from_wire(kmeet::detail::parse_json(body)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeRoomTyped);

}  // namespace
