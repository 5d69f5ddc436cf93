#pragma once
// State shared by a Client and every service handle it gives out.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/api_client.hpp"
#include "kmeet/config.hpp"
#include "kmeet/ks.hpp"

namespace kmeet::detail {

/// The admin KS for API calls: the configured one, or minted locally and renewed 5 minutes before
/// expiry, or obtained through session.start. Thread-safe.
class AdminSession final : public KsProvider {
 public:
  AdminSession(const Config& config, const KsSigner* signer, Clock clock);
  /// session.start needs the api client, which needs this provider: wired after construction.
  void set_api(const ApiClient* api) { api_ = api; }
  std::string get() override;
  bool refresh_after_rejection(std::string_view ks, std::string_view reason) override;

 private:
  std::string obtain(Timestamp now);
  const Config& config_;
  const KsSigner* signer_;
  Clock clock_;
  const ApiClient* api_ = nullptr;
  std::mutex mutex_;
  std::string ks_;
  Timestamp expires_at_{};
};

struct ClientContext {
  explicit ClientContext(Config cfg);
  ~ClientContext();
  ClientContext(const ClientContext&) = delete;
  ClientContext& operator=(const ClientContext&) = delete;
  Config config;
  Clock clock;
  std::optional<KsSigner> signer;  // when the admin secret is known
  std::shared_ptr<AdminSession> admin_session;
  ApiClient api;
  std::string kaf_base;

  /// Now, by the configured clock.
  [[nodiscard]] Timestamp now() const { return clock(); }
};

/// When a KS from `session.start` really expires: the server clamps the lifetime to the partner's
/// maximum (protocol.md D.1), so `estimate` (now + the asked lifetime, at most a day) is lowered to the
/// KS's own `_e` when the KS can be read (v1 always, v2 with the admin or user secret of `config`).
/// Never throws.
Timestamp issued_ks_expiry(const Config& config, std::string_view ks, Timestamp estimate);

}  // namespace kmeet::detail
