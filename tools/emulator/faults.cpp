#include "faults.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "common.hpp"

namespace kmeet::emulator {

std::string_view to_string(Fault f) {
  switch (f) {
    case Fault::none: return "none";
    case Fault::http_5xx: return "5xx";
    case Fault::http_429: return "429";
    case Fault::reset_before: return "reset_before";
    case Fault::reset_after: return "reset_after";
    case Fault::html: return "html";
    case Fault::malformed: return "malformed";
  }
  return "none";
}

FaultSpec parse_faults(std::string_view spec) {
  FaultSpec s;
  for (const auto& item : split(spec, ',')) {
    const std::string t = trim(item);
    if (t.empty()) {
      continue;
    }
    const auto eq = t.find('=');
    if (eq == std::string::npos) {
      throw std::invalid_argument("fault '" + t + "' needs =VALUE");
    }
    const std::string key = t.substr(0, eq);
    const std::string value = t.substr(eq + 1);
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (value.empty() || end == nullptr || *end != '\0' || !std::isfinite(v) || v < 0) {
      throw std::invalid_argument("fault '" + t + "': bad value");
    }
    if (key == "delay_ms") {
      if (v > 600000) {
        throw std::invalid_argument("fault '" + t + "': delay_ms is at most 600000");
      }
      s.delay_ms = static_cast<int>(v);
      continue;
    }
    if (v > 1) {
      throw std::invalid_argument("fault '" + t + "': a rate is between 0 and 1");
    }
    if (key == "5xx") s.http_5xx = v;
    else if (key == "429") s.http_429 = v;
    else if (key == "reset_before") s.reset_before = v;
    else if (key == "reset_after") s.reset_after = v;
    else if (key == "html") s.html = v;
    else if (key == "malformed") s.malformed = v;
    else if (key == "delay") s.delay = v;
    else throw std::invalid_argument("unknown fault '" + key + "'");
  }
  if (s.http_5xx + s.http_429 + s.reset_before + s.reset_after + s.html + s.malformed > 1.0 + 1e-9) {
    throw std::invalid_argument("fault rates add up to more than 1");
  }
  return s;
}

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double uniform(std::uint64_t seed, std::uint64_t n, std::uint64_t stream) {
  const std::uint64_t r = splitmix64(splitmix64(seed ^ (stream * 0x632be59bd9b4e019ULL)) + n);
  return static_cast<double>(r >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace

FaultDecision decide(const FaultSpec& spec, std::uint64_t seed, std::uint64_t n) {
  FaultDecision d;
  d.delay = spec.delay > 0 && uniform(seed, n, 1) < spec.delay;
  double u = uniform(seed, n, 2);
  const std::pair<Fault, double> table[] = {
      {Fault::http_5xx, spec.http_5xx},         {Fault::http_429, spec.http_429},
      {Fault::reset_before, spec.reset_before}, {Fault::reset_after, spec.reset_after},
      {Fault::html, spec.html},                 {Fault::malformed, spec.malformed}};
  for (const auto& [kind, rate] : table) {
    if (u < rate) {
      d.kind = kind;
      break;
    }
    u -= rate;
  }
  if (d.kind == Fault::http_5xx) {
    static constexpr int kStatuses[] = {500, 502, 503, 504};
    d.status = kStatuses[static_cast<std::size_t>(uniform(seed, n, 3) * 4) % 4];
  }
  return d;
}

bool reset_connection(int local_port, const std::string& remote_addr, int remote_port) {
  // cpp-httplib does not hand the socket to handlers: find it among our descriptors by its
  // endpoints (unique per connection), then abort it. connect(AF_UNSPEC) on a TCP socket
  // disconnects it with a RST while the descriptor stays valid for httplib to close later.
  // One scan at a time: a scan must not probe the directory descriptor another scan has open.
  static std::mutex scanning;
  const std::lock_guard<std::mutex> lock(scanning);
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) {
    return false;
  }
  bool done = false;
  while (dirent* e = readdir(dir)) {
    if (!is_integer_string(e->d_name)) {
      continue;
    }
    const int fd = static_cast<int>(php_intval(e->d_name));
    if (fd == dirfd(dir)) {
      continue;
    }
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t ll = sizeof local;
    socklen_t pl = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &ll) != 0 ||
        getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &pl) != 0) {
      continue;
    }
    int lport = -1;
    int pport = -1;
    char host[INET6_ADDRSTRLEN] = {};
    if (peer.ss_family == AF_INET) {
      const auto* p4 = reinterpret_cast<const sockaddr_in*>(&peer);
      pport = ntohs(p4->sin_port);
      inet_ntop(AF_INET, &p4->sin_addr, host, sizeof host);
      lport = ntohs(reinterpret_cast<const sockaddr_in*>(&local)->sin_port);
    } else if (peer.ss_family == AF_INET6) {
      const auto* p6 = reinterpret_cast<const sockaddr_in6*>(&peer);
      pport = ntohs(p6->sin6_port);
      inet_ntop(AF_INET6, &p6->sin6_addr, host, sizeof host);
      lport = ntohs(reinterpret_cast<const sockaddr_in6*>(&local)->sin6_port);
    } else {
      continue;
    }
    if (lport != local_port || pport != remote_port || remote_addr != host) {
      continue;
    }
    linger lg{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    sockaddr unspec{};
    unspec.sa_family = AF_UNSPEC;
    connect(fd, &unspec, sizeof unspec);
    done = true;
    break;
  }
  closedir(dir);
  return done;
}

}  // namespace kmeet::emulator
