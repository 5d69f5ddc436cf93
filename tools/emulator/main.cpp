// kmeet-emulator: a local Kaltura (api_v3 + KAF) for offline development, tests and the demo.
// See docs/emulator.md.

#include <signal.h>
#include <sys/resource.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "common.hpp"
#include "emulator.hpp"
#include "faults.hpp"

namespace {

constexpr const char* kUsage =
    "usage: kmeet-emulator [--port N] [--host ADDR] [--partner-id P] [--admin-secret A[,A2...]]\n"
    "                      [--user-secret U] [--state FILE] [--faults SPEC] [--seed N]\n"
    "                      [--kaf-base URL] [--threads N] [--attendance-seconds S]\n"
    "                      [--max-event-duration S] [--ks-version 1|2] [--verbose]\n"
    "                      [--tls-cert FILE --tls-key FILE] [--max-body BYTES]\n"
    "                      [--max-multirequest N] [--max-connections N] [--keep-alive-timeout S]\n"
    "                      [--header-timeout S] [--latency MS] [--rate-limit N] [--rate-window S]\n"
    "                      [--recording-delay S]\n"
    "Prints 'listening PORT' as its first line once it accepts connections; SIGTERM/SIGINT stop it\n"
    "(the --state file is saved). With --tls-cert/--tls-key it serves HTTPS. Defaults: 127.0.0.1,\n"
    "partner 1234567, admin secret emulator-admin-secret, user secret emulator-user-secret.\n";

constexpr long long kMaxLongLong = std::numeric_limits<long long>::max();
constexpr long long kTenYears = 10LL * 366 * 86400;

/// The value of an integer option: digits (an optional '-'), no overflow, within [lo, hi].
long long to_int(const std::string& flag, const std::string& v, long long lo, long long hi) {
  long long n = 0;
  const char* const first = v.data();
  const char* const last = first + v.size();
  const auto [ptr, ec] = std::from_chars(first, last, n);
  if (!kmeet::emulator::is_integer_string(v) || v.front() == '+' || ptr != last) {
    throw std::invalid_argument(flag + " needs a whole number, got '" + v + "'");
  }
  if (ec != std::errc() || n < lo || n > hi) {
    throw std::invalid_argument(flag + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                                ", got '" + v + "'");
  }
  return n;
}

std::string non_empty(const std::string& flag, const std::string& v) {
  if (v.empty()) throw std::invalid_argument(flag + " must not be empty");
  return v;
}

using kmeet::emulator::Config;
using Setter = std::function<void(Config&, const std::string& flag, const std::string& value)>;

int to_int32(const std::string& flag, const std::string& v, long long lo, long long hi) {
  return static_cast<int>(to_int(flag, v, lo, hi));
}

/// Every option that takes a value, and how it sets the configuration.
const std::map<std::string, Setter, std::less<>>& value_options() {
  static const std::map<std::string, Setter, std::less<>> m = {
      {"--port", [](Config& c, const std::string& f, const std::string& v) { c.port = to_int32(f, v, 0, 65535); }},
      {"--host", [](Config& c, const std::string& f, const std::string& v) { c.host = non_empty(f, v); }},
      {"--partner-id", [](Config& c, const std::string& f, const std::string& v) {
         c.partner_id = to_int(f, v, 1, std::numeric_limits<std::int32_t>::max());
       }},
      {"--admin-secret", [](Config& c, const std::string& f, const std::string& v) {
         c.admin_secrets.clear();
         for (const auto& s : kmeet::emulator::split(v, ',')) {
           if (!s.empty()) c.admin_secrets.push_back(s);
         }
         if (c.admin_secrets.empty()) throw std::invalid_argument(f + " must not be empty");
       }},
      {"--user-secret", [](Config& c, const std::string& f, const std::string& v) { c.user_secret = non_empty(f, v); }},
      {"--state", [](Config& c, const std::string& f, const std::string& v) { c.state_file = non_empty(f, v); }},
      {"--faults", [](Config& c, const std::string&, const std::string& v) { c.faults = v; }},
      {"--seed", [](Config& c, const std::string& f, const std::string& v) {
         c.seed = static_cast<std::uint64_t>(to_int(f, v, 0, kMaxLongLong));
       }},
      {"--kaf-base", [](Config& c, const std::string&, const std::string& v) { c.kaf_base = v; }},
      {"--threads", [](Config& c, const std::string& f, const std::string& v) { c.threads = to_int32(f, v, 1, 4096); }},
      {"--attendance-seconds", [](Config& c, const std::string& f, const std::string& v) {
         c.attendance_seconds = to_int(f, v, 1, kTenYears);
       }},
      {"--max-event-duration", [](Config& c, const std::string& f, const std::string& v) {
         c.max_single_event_duration = to_int(f, v, 1, kTenYears);
       }},
      {"--tls-cert", [](Config& c, const std::string& f, const std::string& v) { c.tls_cert = non_empty(f, v); }},
      {"--tls-key", [](Config& c, const std::string& f, const std::string& v) { c.tls_key = non_empty(f, v); }},
      {"--ks-version", [](Config& c, const std::string& f, const std::string& v) {
         if (v != "1" && v != "2") throw std::invalid_argument(f + " must be 1 or 2, got '" + v + "'");
         c.ks_version = v == "1" ? 1 : 2;
       }},
      {"--max-body", [](Config& c, const std::string& f, const std::string& v) {
         c.max_body = static_cast<std::size_t>(to_int(f, v, 1024, 1LL << 32));
       }},
      {"--max-multirequest", [](Config& c, const std::string& f, const std::string& v) {
         c.max_multirequest = to_int32(f, v, 1, 100000);
       }},
      {"--max-connections", [](Config& c, const std::string& f, const std::string& v) {
         c.max_connections = to_int32(f, v, 2, 1000000);
       }},
      {"--keep-alive-timeout", [](Config& c, const std::string& f, const std::string& v) {
         c.keep_alive_timeout = to_int32(f, v, 1, 3600);
       }},
      {"--header-timeout", [](Config& c, const std::string& f, const std::string& v) {
         c.header_timeout = to_int32(f, v, 1, 3600);
       }},
      {"--latency", [](Config& c, const std::string& f, const std::string& v) { c.latency_ms = to_int32(f, v, 0, 600000); }},
      {"--rate-limit", [](Config& c, const std::string& f, const std::string& v) {
         c.rate_limit = to_int32(f, v, 0, 1000000000);
       }},
      {"--rate-window", [](Config& c, const std::string& f, const std::string& v) { c.rate_window = to_int32(f, v, 1, 86400); }},
      {"--recording-delay", [](Config& c, const std::string& f, const std::string& v) {
         c.recording_delay = to_int(f, v, 0, 86400);
       }},
  };
  return m;
}

/// Parses the command line into `cfg`; false for `--help` (the usage is printed). Throws
/// std::invalid_argument with a one-line message naming the option.
bool parse_args(const std::vector<std::string>& args, Config& cfg) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return false;
    }
    if (a == "--verbose") {
      cfg.verbose = true;
      continue;
    }
    const auto opt = value_options().find(a);
    if (opt == value_options().end()) {
      throw std::invalid_argument(a.rfind('-', 0) == 0 ? "unknown option " + a : "unexpected argument '" + a + "'");
    }
    if (i + 1 >= args.size()) {
      throw std::invalid_argument(a + " needs a value");
    }
    opt->second(cfg, a, args[++i]);
  }
  try {
    (void)kmeet::emulator::parse_faults(cfg.faults);  // a bad spec is a usage error
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--faults: ") + e.what());
  }
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) {
    throw std::invalid_argument("--tls-cert and --tls-key go together");
  }
  return true;
}

/// Many connections need many descriptors: raise the soft limit to the hard one.
void raise_descriptor_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &r);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  try {
    if (!parse_args(std::vector<std::string>(argv + 1, argv + argc), cfg)) {
      return 0;
    }
  } catch (const std::exception& e) {
    // One line; the usage is one `--help` away.
    std::cerr << "kmeet-emulator: " << e.what() << " (see kmeet-emulator --help)\n";
    return 2;
  }
  raise_descriptor_limit();

  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    kmeet::emulator::Emulator emulator(cfg);
    const int port = emulator.start();
    std::cout << "listening " << port << std::endl;
    int sig = 0;
    sigwait(&stop_signals, &sig);
    emulator.stop();
  } catch (const std::exception& e) {
    std::cerr << "kmeet-emulator: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
