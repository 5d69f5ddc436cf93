#pragma once
// Configuration and shared state of one emulator instance.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kmeet/ks.hpp"
#include "state.hpp"

namespace kmeet::emulator {

struct Config {
  std::string host = "127.0.0.1";
  int port = 0;
  std::int64_t partner_id = 1234567;
  /// Enabled admin secrets; the first one signs server-side generated sessions.
  std::vector<std::string> admin_secrets = {"emulator-admin-secret"};
  std::string user_secret = "emulator-user-secret";
  std::string state_file;
  std::string faults;
  std::uint64_t seed = 0;
  /// Shown on the launch page; the KAF endpoints are served on the same port.
  std::string kaf_base;
  int threads = 64;
  /// Nominal time an attendee stays in a room after joining (analytics model).
  std::int64_t attendance_seconds = 1800;
  /// max_single_schedule_event_duration (E.1).
  std::int64_t max_single_event_duration = 86400;
  /// KS version session.start emits (the partner setting).
  int ks_version = 2;
  bool verbose = false;
  /// PEM certificate and key: serve HTTPS instead of HTTP (both or neither).
  std::string tls_cert;
  std::string tls_key;

  // Limits (docs/emulator.md "Limits").
  std::size_t max_body = 16U * 1024U * 1024U;  ///< request body bytes; more is answered 413
  int max_multirequest = 500;                  ///< calls in one multirequest
  int max_connections = 1024;                  ///< open connections; the oldest idle one makes room
  int keep_alive_timeout = 5;                  ///< s a connection may wait for its next request
  int header_timeout = 10;                     ///< s for a request's head once its first byte came

  // Throttling (docs/emulator.md "Latency and rate limit").
  int latency_ms = 0;   ///< every api_v3/KAF answer is delayed by this much
  int rate_limit = 0;   ///< api_v3 calls per partner per window; 0 = unlimited
  int rate_window = 10;  ///< s, the window of `rate_limit` (docs/protocol.md K.1: _expiry, default 10)

  /// Recordings (docs/emulator.md "Recordings"): seconds a new recording stays converting before READY.
  std::int64_t recording_delay = 10;
};

/// Outcome of checking a KS like kCurrentContext::initKsPartnerUser + ks::isValid.
struct KsCheck {
  bool ok = false;
  /// For failures: the INVALID_KS `KSID` arg (the KS itself for INVALID_STR, else the reason).
  std::string ksid;
  std::string reason;  ///< INVALID_STR, EXPIRED, LOGOUT, ...
  KsInfo info;
};

struct World {
  explicit World(Config c);

  Config cfg;
  /// `http(s)://host:port` this emulator answers on, set once it is bound: the host of the entry
  /// URLs of docs/protocol.md J.6.
  std::string public_base;
  std::mutex mu;  ///< guards `state` and `fault_counts`
  State state;
  std::vector<KsSigner> signers;  ///< one per admin secret, same order
  std::atomic<std::int64_t> requests{0};
  std::atomic<bool> dirty{false};
  std::map<std::string, std::int64_t> fault_counts;
  /// Seconds added to the system clock (`POST /__emulator/clock`): every api_v3 and KAF request
  /// sees `now()`, KS expiry included.
  std::atomic<std::int64_t> clock_offset{0};
  /// Random bytes for the KSs the server issues itself (widget and app-token sessions); empty
  /// means OpenSSL's CSPRNG. Tests set it to reproduce the vectors.
  std::function<void(std::uint8_t*, std::size_t)> random;

  /// The emulator's "now": the system clock plus `clock_offset`, in Unix seconds.
  [[nodiscard]] std::int64_t now() const;

  /// Validates a KS against the partner's admin secrets, expiry, the logged-out list and the
  /// session ids of deleted app tokens (widget sessions skip both lists, protocol.md I.5, I.10).
  /// Call with `mu` held (reads `state`).
  KsCheck check_ks(const std::string& ks, std::int64_t now) const;

  /// Counts one api_v3 call of `partner`; true when it is over `--rate-limit` in the current
  /// window (docs/protocol.md K.1: a fixed window that starts at the first call, blocked calls count).
  bool rate_limited(std::int64_t partner);
  /// Forgets every rate-limit window (`/__emulator/reset`).
  void reset_rate_limits();

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    std::int64_t calls = 0;
  };
  std::mutex rate_mu_;
  std::map<std::int64_t, Window> windows_;
};

}  // namespace kmeet::emulator
