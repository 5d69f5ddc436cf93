#include "world.hpp"

#include <chrono>

namespace kmeet::emulator {

World::World(Config c) : cfg(std::move(c)) {
  signers.reserve(cfg.admin_secrets.size());
  for (const auto& s : cfg.admin_secrets) {
    signers.emplace_back(s);
  }
}

std::int64_t World::now() const {
  const auto wall = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return wall.count() + clock_offset.load();
}

namespace {

/// `kSessionBase::isWidgetSession`: type 0, an anonymous user and `widget:1` (protocol.md I.5).
bool is_widget_session(const KsInfo& info) {
  if (info.raw_type != 0 || !(info.user_id.empty() || info.user_id == "0")) return false;
  for (const auto& [key, value] : info.privilege_list) {
    if (key == "widget" && value == "1") return true;
  }
  return false;
}

/// The KS's `sessionid` privilege (its first `/`-separated value), "" when it has none.
std::string session_id_of(const KsInfo& info) {
  for (const auto& [key, value] : info.privilege_list) {
    if (key == "sessionid") return value.substr(0, value.find('/'));
  }
  return {};
}

}  // namespace

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
    // session.end and a deleted app token's session id revoke a KS, never a widget session.
    const bool revoked = state.logged_out.count(ks) != 0 ||
                         (!state.invalidated_session_ids.empty() &&
                          state.invalidated_session_ids.count(session_id_of(r.info)) != 0);
    if (revoked && !is_widget_session(r.info)) {
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
