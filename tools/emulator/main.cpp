// kmeet-emulator: a local Kaltura (api_v3 + KAF) for offline development, tests and the demo.
// See docs/emulator.md.

#include <signal.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <set>
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
    "                      [--tls-cert FILE --tls-key FILE]\n"
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

/// Options that take a value; `--help` and `--verbose` take none.
const std::set<std::string, std::less<>> kValueOptions = {
    "--port",     "--host",     "--partner-id",         "--admin-secret",       "--user-secret",
    "--state",    "--faults",   "--seed",               "--kaf-base",           "--threads",
    "--tls-cert", "--tls-key",  "--attendance-seconds", "--max-event-duration", "--ks-version"};

}  // namespace

int main(int argc, char** argv) {
  using kmeet::emulator::Config;
  Config cfg;
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a == "--help" || a == "-h") {
        std::cout << kUsage;
        return 0;
      }
      if (a == "--verbose") {
        cfg.verbose = true;
        continue;
      }
      if (kValueOptions.count(a) == 0) {
        throw std::invalid_argument(a.rfind('-', 0) == 0 ? "unknown option " + a
                                                         : "unexpected argument '" + a + "'");
      }
      if (i + 1 >= args.size()) {
        throw std::invalid_argument(a + " needs a value");
      }
      const std::string v = args[++i];
      if (a == "--port") cfg.port = static_cast<int>(to_int(a, v, 0, 65535));
      else if (a == "--host") cfg.host = non_empty(a, v);
      else if (a == "--partner-id") cfg.partner_id = to_int(a, v, 1, std::numeric_limits<std::int32_t>::max());
      else if (a == "--admin-secret") {
        cfg.admin_secrets.clear();
        for (const auto& s : kmeet::emulator::split(v, ',')) {
          if (!s.empty()) cfg.admin_secrets.push_back(s);
        }
        if (cfg.admin_secrets.empty()) throw std::invalid_argument("--admin-secret must not be empty");
      } else if (a == "--user-secret") cfg.user_secret = non_empty(a, v);
      else if (a == "--state") cfg.state_file = non_empty(a, v);
      else if (a == "--faults") cfg.faults = v;
      else if (a == "--seed") cfg.seed = static_cast<std::uint64_t>(to_int(a, v, 0, kMaxLongLong));
      else if (a == "--kaf-base") cfg.kaf_base = v;
      else if (a == "--threads") cfg.threads = static_cast<int>(to_int(a, v, 1, 4096));
      else if (a == "--attendance-seconds") cfg.attendance_seconds = to_int(a, v, 1, kTenYears);
      else if (a == "--max-event-duration") cfg.max_single_event_duration = to_int(a, v, 1, kTenYears);
      else if (a == "--tls-cert") cfg.tls_cert = non_empty(a, v);
      else if (a == "--tls-key") cfg.tls_key = non_empty(a, v);
      else if (a == "--ks-version") {
        if (v != "1" && v != "2") throw std::invalid_argument("--ks-version must be 1 or 2, got '" + v + "'");
        cfg.ks_version = v == "1" ? 1 : 2;
      }
    }
    try {
      (void)kmeet::emulator::parse_faults(cfg.faults);  // a bad spec is a usage error
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("--faults: ") + e.what());
    }
    if (cfg.tls_cert.empty() != cfg.tls_key.empty()) {
      throw std::invalid_argument("--tls-cert and --tls-key go together");
    }
  } catch (const std::exception& e) {
    // One line; the usage is one `--help` away.
    std::cerr << "kmeet-emulator: " << e.what() << " (see kmeet-emulator --help)\n";
    return 2;
  }

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
