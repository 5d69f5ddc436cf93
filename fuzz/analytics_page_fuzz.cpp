// libFuzzer target: the KAF analytics page decoder (envelope, paging checks, typed records) on
// arbitrary bodies and statuses. Any input must give a value or a kmeet::Error, never a crash,
// a hang or another exception type.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kaf/analytics_decode.hpp"

using namespace kmeet;
using namespace kmeet::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // First byte: status (200 most of the time) and which list to read.
  const std::uint8_t sel = data[0];
  HttpResponse response;
  response.status = (sel & 0x0F) == 0x0F ? 500 : ((sel & 0x0F) == 0x0E ? 403 : 200);
  response.headers = {{"Content-Type", (sel & 0x10) ? "text/html" : "application/json"}};
  response.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  static constexpr std::string_view kKeys[] = {"sessions", "attendees", "messages", "rooms"};
  const std::string_view key = kKeys[(sel >> 5) & 3];
  try {
    const Json body = decode_kaf_body(response, "fuzz");
    const PageEnvelope page = read_envelope(body, key, "fuzz");
    PageTracker tracker("fuzz");
    tracker.accept(page);
    std::size_t i = 0;
    for (const auto& item : *page.items) {
      const std::string path = std::string(key) + "[" + std::to_string(i++) + "]";
      try {
        switch ((sel >> 5) & 3) {
          case 0: (void)decode_session(item, path); break;
          case 1: (void)decode_attendee(item, path); break;
          case 2: (void)decode_message(item, path); break;
          default: (void)decode_room(item, path); break;
        }
      } catch (const Error&) {
      }
      try {
        (void)decode_user(item, path);
      } catch (const Error&) {
      }
    }
    if (body.is_object() && body.contains("data")) {
      try {
        (void)read_object_data(body, "fuzz");
      } catch (const Error&) {
      }
    }
  } catch (const HttpError& e) {
    try {
      rethrow_kaf_http_error(e, "fuzz");
    } catch (const Error&) {
    }
  } catch (const Error&) {
  }
  return 0;
}
