// Fuzzes the api_v3 response decoder: any body, any status, as a single call and a multirequest.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/api_client.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kmeet;
  if (size < 1) return 0;
  HttpResponse response;
  response.status = (data[0] & 1U) != 0 ? 200 : 500 + data[0] % 8;
  response.headers = {{"X-Me", "fuzz"}, {"Retry-After", std::string(reinterpret_cast<const char*>(data), size > 4 ? 4 : size)}};
  response.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    detail::Json value = detail::decode_body(response);
    if (auto err = detail::as_api_error(value, response)) {
      (void)err->what();
      (void)err->ks_reason();
    }
    if (value.is_array()) {
      for (const auto& item : value) (void)detail::as_api_error(item, response);
    }
  } catch (const Error& e) {
    (void)e.what();  // every failure must be a kmeet::Error
  }
  return 0;
}
