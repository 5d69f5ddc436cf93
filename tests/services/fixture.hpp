#pragma once
// A Client over a MockTransport, configured like the Node client of the spec captures.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "kmeet/client.hpp"
#include "kmeet/testing/mock_transport.hpp"

namespace kmeet::testing_support {

using kmeet::testing::MockTransport;

/// The common tail every api_v3 body ends with in these tests (protocol.md A.3/A.7, without kalsig).
inline constexpr const char* kTail = R"("format":1,"apiVersion":"21.20.0","clientTag":"node:25-07-20","ks":"KS_PLACEHOLDER"})";

inline std::string url(const std::string& service, const std::string& action) {
  return "https://www.kaltura.com/api_v3/service/" + service + "/action/" + action;
}
inline constexpr const char* kMultiUrl = "https://www.kaltura.com/api_v3/service/multirequest";

inline Config mock_config(std::shared_ptr<Transport> transport) {
  Config c;
  c.service_url = "https://www.kaltura.com";
  c.partner_id = PartnerId(1234567);
  c.ks = "KS_PLACEHOLDER";
  c.client_tag = "node:25-07-20";
  c.retry = RetryPolicy::none();
  c.transport = std::move(transport);
  // Deterministic idempotency keys: kmeet-abab...ab.
  c.random = [](std::span<std::uint8_t> out) {
    for (auto& b : out) b = 0xab;
  };
  return c;
}

struct MockClient {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  Client client{mock_config(mock)};
};

}  // namespace kmeet::testing_support
