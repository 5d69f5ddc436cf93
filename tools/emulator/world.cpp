#include "world.hpp"

#include <chrono>

namespace kmeet::emulator {

World::World(Config c) : cfg(std::move(c)) {
  signers.reserve(cfg.admin_secrets.size());
  for (const auto& s : cfg.admin_secrets) {
    signers.emplace_back(s);
  }
}

KsCheck World::check_ks(const std::string& ks, std::int64_t now) const {
  KsCheck r;
  KsStatus st = KsStatus::invalid_str;
  try {
    st = Ks::verify(ks, PartnerId(cfg.partner_id), cfg.admin_secrets,
                    Timestamp(std::chrono::seconds(now)), &r.info);
  } catch (const std::exception&) {
    st = KsStatus::invalid_str;
  }
  if (st == KsStatus::valid) {
    if (state.logged_out.count(ks) != 0) {
      r.reason = "LOGOUT";
      r.ksid = "LOGOUT";
      return r;
    }
    r.ok = true;
    return r;
  }
  if (st == KsStatus::expired || st == KsStatus::invalid_type) {
    r.reason = std::string(to_string(st));
    r.ksid = r.reason;
    return r;
  }
  // Bad string, bad signature or unknown partner: the server echoes the KS itself.
  r.reason = "INVALID_STR";
  r.ksid = ks;
  return r;
}

bool World::rate_limited(std::int64_t partner) {
  if (cfg.rate_limit <= 0) {
    return false;
  }
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(rate_mu_);
  Window& w = windows_[partner];
  if (w.calls == 0 || now - w.start >= std::chrono::seconds(cfg.rate_window)) {
    w.start = now;
    w.calls = 0;
  }
  ++w.calls;
  return w.calls > cfg.rate_limit;
}

void World::reset_rate_limits() {
  std::lock_guard<std::mutex> lock(rate_mu_);
  windows_.clear();
}

}  // namespace kmeet::emulator
