// TLS verification end to end: kmeet-emulator serving HTTPS with a self-signed certificate made by
// the test (`--tls-cert/--tls-key`), reached through a real Client and CurlTransport.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "support/emulator.hpp"
#include "support/tls_server.hpp"

namespace kmeet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct TlsEmulator {
  test::SelfSignedCert cert;
  test::EmulatorProcess emulator{test::EmulatorProcess::Options{
      .extra_args = {"--tls-cert", cert.cert_file(), "--tls-key", cert.key_file()}}};

  Config config() const {
    Config c;
    c.service_url = emulator.base_url();
    c.partner_id = PartnerId(emulator.partner_id());
    c.admin_secret = emulator.admin_secret();
    c.retry = RetryPolicy::none();
    c.http.connect_timeout = std::chrono::seconds(5);
    c.http.timeout = std::chrono::seconds(10);
    return c;
  }
};

TEST(TlsEmulator, SelfSignedCertificateIsRejectedByDefault) {
  TlsEmulator tls;
  ASSERT_THAT(tls.emulator.base_url(), StartsWith("https://127.0.0.1:"));
  Client client(tls.config());
  try {
    (void)client.ks_sessions().server_time();
    FAIL() << "a self-signed certificate was accepted";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::tls) << e.what();
    EXPECT_FALSE(e.outcome_unknown()) << "nothing was sent before the handshake failed";
    // The message names the endpoint, never the KS or the secret.
    EXPECT_THAT(std::string(e.what()), Not(HasSubstr(tls.emulator.admin_secret())));
    EXPECT_THAT(std::string(e.what()), Not(HasSubstr("ks=")));
  }
}

TEST(TlsEmulator, AcceptedWhenTheCaFileTrustsIt) {
  TlsEmulator tls;
  Config c = tls.config();
  c.http.ca_file = tls.cert.cert_file();
  Client client(c);
  const auto server_now = client.ks_sessions().server_time();
  const auto skew = std::chrono::abs(server_now - std::chrono::time_point_cast<std::chrono::seconds>(
                                                       std::chrono::system_clock::now()));
  EXPECT_LT(skew, std::chrono::seconds(60));
  // A KS-bearing call over the verified channel works too.
  const SessionInfo info = client.ks_sessions().get();
  EXPECT_EQ(info.partner_id, PartnerId(tls.emulator.partner_id()));
}

TEST(TlsEmulator, ACertificateForAnotherHostIsRejectedEvenWhenTrusted) {
  test::SelfSignedCert other("DNS:not-this-host.example");
  test::EmulatorProcess emulator{test::EmulatorProcess::Options{
      .extra_args = {"--tls-cert", other.cert_file(), "--tls-key", other.key_file()}}};
  Config c;
  c.service_url = emulator.base_url();
  c.partner_id = PartnerId(emulator.partner_id());
  c.admin_secret = emulator.admin_secret();
  c.retry = RetryPolicy::none();
  c.http.ca_file = other.cert_file();
  Client client(c);
  try {
    (void)client.ks_sessions().server_time();
    FAIL() << "a certificate for another host name was accepted";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::tls) << e.what();
  }
}

}  // namespace
}  // namespace kmeet
