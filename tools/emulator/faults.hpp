#pragma once
// Fault injection: `--faults 5xx=0.05,429=0.02,reset_before=0.02,reset_after=0.02,delay=0.05,
// delay_ms=300,html=0.02,malformed=0.02` with `--seed N` for replay (docs/emulator.md).

#include <cstdint>
#include <string>
#include <string_view>

namespace kmeet::emulator {

enum class Fault { none, http_5xx, http_429, reset_before, reset_after, html, malformed };

std::string_view to_string(Fault f);

struct FaultSpec {
  double http_5xx = 0;
  double http_429 = 0;
  double reset_before = 0;
  double reset_after = 0;
  double html = 0;
  double malformed = 0;
  double delay = 0;
  int delay_ms = 300;

  [[nodiscard]] bool any() const {
    return http_5xx + http_429 + reset_before + reset_after + html + malformed + delay > 0;
  }
};

/// Parses the spec; throws std::invalid_argument naming the bad item.
FaultSpec parse_faults(std::string_view spec);

struct FaultDecision {
  Fault kind = Fault::none;
  bool delay = false;
  int status = 0;  ///< for http_5xx: 500, 502, 503 or 504
};

/// The decision for the n-th faultable request: a pure function of (seed, n), so a run with
/// one client at a time replays exactly.
FaultDecision decide(const FaultSpec& spec, std::uint64_t seed, std::uint64_t n);

/// Aborts the TCP connection between (local_port, remote_addr:remote_port) with a RST.
/// Returns false when the socket could not be found.
bool reset_connection(int local_port, const std::string& remote_addr, int remote_port);

}  // namespace kmeet::emulator
