#pragma once
// A GET of a JSON document (the emulator's /__emulator/* endpoints) with kmeet's own transport.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <string>

#include "kmeet/http.hpp"

namespace kmeet::test {

/// The JSON at `url`; a status other than 200 fails the test (and the parse then throws).
inline nlohmann::json get_json(const std::string& url, std::size_t max_response_bytes = 256U << 20U) {
  CurlTransport t(HttpOptions{.timeout = std::chrono::seconds(60), .max_response_bytes = max_response_bytes});
  HttpRequest r;
  r.method = HttpMethod::get;
  r.url = url;
  r.idempotent = true;
  const HttpResponse res = t.send(r);
  EXPECT_EQ(res.status, 200) << url;
  return nlohmann::json::parse(res.body);
}

}  // namespace kmeet::test
