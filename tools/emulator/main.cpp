// kmeet-emulator: a local Kaltura (api_v3 + KAF) for offline development, tests and the demo.
// See docs/emulator.md.

#include <signal.h>

#include <cstdlib>
#include <exception>
#include <iostream>
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

long long to_int(const std::string& flag, const std::string& v) {
  if (!kmeet::emulator::is_integer_string(v)) {
    throw std::invalid_argument(flag + " needs a number, got '" + v + "'");
  }
  return std::stoll(v);
}

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
      if (i + 1 >= args.size()) {
        throw std::invalid_argument(a + " needs a value");
      }
      const std::string v = args[++i];
      if (a == "--port") cfg.port = static_cast<int>(to_int(a, v));
      else if (a == "--host") cfg.host = v;
      else if (a == "--partner-id") cfg.partner_id = to_int(a, v);
      else if (a == "--admin-secret") {
        cfg.admin_secrets.clear();
        for (const auto& s : kmeet::emulator::split(v, ',')) {
          if (!s.empty()) cfg.admin_secrets.push_back(s);
        }
        if (cfg.admin_secrets.empty()) throw std::invalid_argument("--admin-secret is empty");
      } else if (a == "--user-secret") cfg.user_secret = v;
      else if (a == "--state") cfg.state_file = v;
      else if (a == "--faults") cfg.faults = v;
      else if (a == "--seed") cfg.seed = static_cast<std::uint64_t>(to_int(a, v));
      else if (a == "--kaf-base") cfg.kaf_base = v;
      else if (a == "--threads") cfg.threads = static_cast<int>(to_int(a, v));
      else if (a == "--attendance-seconds") cfg.attendance_seconds = to_int(a, v);
      else if (a == "--max-event-duration") cfg.max_single_event_duration = to_int(a, v);
      else if (a == "--tls-cert") cfg.tls_cert = v;
      else if (a == "--tls-key") cfg.tls_key = v;
      else if (a == "--ks-version") cfg.ks_version = static_cast<int>(to_int(a, v));
      else throw std::invalid_argument("unknown option " + a);
    }
    if (cfg.port < 0 || cfg.port > 65535) throw std::invalid_argument("--port out of range");
    (void)kmeet::emulator::parse_faults(cfg.faults);  // a bad spec is a usage error
    if (cfg.tls_cert.empty() != cfg.tls_key.empty()) {
      throw std::invalid_argument("--tls-cert and --tls-key go together");
    }
  } catch (const std::exception& e) {
    std::cerr << "kmeet-emulator: " << e.what() << '\n' << kUsage;
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
