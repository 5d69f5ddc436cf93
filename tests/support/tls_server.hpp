#pragma once
// An HTTPS server on 127.0.0.1 with a freshly generated self-signed certificate (OpenSSL APIs,
// written to a temporary directory), for TLS verification tests. Answers every GET/POST with
// `200 secure`.

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace kmeet::test {

/// A self-signed certificate (also its own CA) and its key, as PEM files in a temporary directory
/// that is removed on destruction.
class SelfSignedCert {
 public:
  /// `subject_alt_names` in OpenSSL config syntax, e.g. `IP:127.0.0.1,DNS:localhost`.
  explicit SelfSignedCert(std::string_view subject_alt_names = "IP:127.0.0.1,DNS:localhost");
  ~SelfSignedCert();
  SelfSignedCert(const SelfSignedCert&) = delete;
  SelfSignedCert& operator=(const SelfSignedCert&) = delete;
  [[nodiscard]] const std::string& cert_file() const { return cert_file_; }
  [[nodiscard]] const std::string& key_file() const { return key_file_; }
  /// A directory holding only the certificate under its subject hash name (`xxxxxxxx.0`), usable
  /// as a CA path.
  [[nodiscard]] const std::string& hashed_dir() const { return hashed_dir_; }

 private:
  std::string dir_;
  std::string cert_file_;
  std::string key_file_;
  std::string hashed_dir_;
};

class TlsServer {
 public:
  explicit TlsServer(std::string_view subject_alt_names = "IP:127.0.0.1,DNS:localhost");
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;
  [[nodiscard]] int port() const { return port_; }
  /// `https://<host>:<port><path_and_query>`.
  [[nodiscard]] std::string url(std::string_view path_and_query = "/",
                                std::string_view host = "127.0.0.1") const;
  [[nodiscard]] const SelfSignedCert& cert() const { return cert_; }
  /// Requests that completed the TLS handshake and were answered.
  [[nodiscard]] std::size_t requests_answered() const { return answered_.load(); }

 private:
  struct Impl;
  SelfSignedCert cert_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<std::size_t> answered_{0};
  std::thread thread_;
};

}  // namespace kmeet::test
