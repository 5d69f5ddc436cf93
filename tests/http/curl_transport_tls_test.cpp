// CurlTransport TLS: verification is on by default, a self-signed server is refused with kind tls,
// and accepted when its certificate is trusted through ca_file or ca_path.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "kmeet/errors.hpp"
#include "kmeet/http.hpp"
#include "support/tls_server.hpp"

namespace kmeet {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

HttpOptions fast_options() {
  HttpOptions options;
  options.connect_timeout = 1000ms;
  options.timeout = 1900ms;
  return options;
}

HttpRequest post(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  request.headers = {{"Content-Type", "application/json"}};
  request.body = R"({"secret":"do-not-show"})";
  return request;
}

TransportError send_expecting_failure(CurlTransport& transport, const HttpRequest& request) {
  try {
    transport.send(request);
  } catch (const TransportError& e) {
    return e;
  }
  ADD_FAILURE() << "no TransportError was thrown";
  return TransportError(TransportError::Kind::other, "none", false);
}

TEST(CurlTransportTls, SelfSignedServerIsRejectedByDefault) {
  test::TlsServer server;
  CurlTransport transport(fast_options());
  const auto e = send_expecting_failure(transport, post(server.url("/api?ks=SECRETKS123456")));
  EXPECT_EQ(e.kind(), TransportError::Kind::tls) << e.what();
  EXPECT_FALSE(e.outcome_unknown()) << "nothing is sent before the handshake succeeds";
  EXPECT_THAT(e.what(), HasSubstr("certificate"));
  EXPECT_THAT(e.what(), HasSubstr("https://127.0.0.1:" + std::to_string(server.port()) + "/api"));
  EXPECT_THAT(e.what(), Not(HasSubstr("SECRETKS")));
  EXPECT_THAT(e.what(), Not(HasSubstr("do-not-show")));
  EXPECT_EQ(server.requests_answered(), 0U);
}

TEST(CurlTransportTls, AcceptedWhenCaFileTrustsTheCertificate) {
  test::TlsServer server;
  HttpOptions options = fast_options();
  options.ca_file = server.cert().cert_file();
  CurlTransport transport(options);
  const auto response = transport.send(post(server.url("/api")));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "secure");
  // Host name verification by DNS name works too (the certificate names localhost).
  const auto by_name = transport.send(post(server.url("/api", "localhost")));
  EXPECT_EQ(by_name.body, "secure");
  EXPECT_EQ(server.requests_answered(), 2U);
}

TEST(CurlTransportTls, AcceptedWhenCaPathHoldsTheCertificate) {
  test::TlsServer server;
  HttpOptions options = fast_options();
  options.ca_path = server.cert().hashed_dir();
  options.ca_file = server.cert().hashed_dir() + "/no-such-bundle.pem";  // only the path may help
  CurlTransport transport(options);
  // A missing CA bundle is a TLS configuration error, named as such.
  const auto e = send_expecting_failure(transport, post(server.url("/api")));
  EXPECT_EQ(e.kind(), TransportError::Kind::tls) << e.what();

  options.ca_file.clear();
  CurlTransport with_path(options);
  EXPECT_EQ(with_path.send(post(server.url("/api"))).body, "secure");
}

TEST(CurlTransportTls, HostNameMismatchIsRejectedEvenWithTrustedCa) {
  test::TlsServer server("DNS:meetings.example.test");
  HttpOptions options = fast_options();
  options.ca_file = server.cert().cert_file();
  CurlTransport transport(options);
  const auto e = send_expecting_failure(transport, post(server.url("/api")));
  EXPECT_EQ(e.kind(), TransportError::Kind::tls) << e.what();
  EXPECT_FALSE(e.outcome_unknown());
  EXPECT_EQ(server.requests_answered(), 0U);
}

TEST(CurlTransportTls, VerificationCanOnlyBeTurnedOffExplicitly) {
  test::TlsServer server("DNS:meetings.example.test");
  HttpOptions options = fast_options();
  options.verify_tls = false;
  CurlTransport transport(options);
  EXPECT_EQ(transport.send(post(server.url("/api"))).body, "secure");
}

}  // namespace
}  // namespace kmeet
