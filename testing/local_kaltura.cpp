// kmeet::testing::LocalKaltura: the emulator core (tools/emulator) started in the caller's process.

#include "kmeet/testing/local_kaltura.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "api.hpp"
#include "emulator.hpp"
#include "kaf.hpp"
#include "model.hpp"

namespace kmeet::testing {

namespace {

using emulator::Json;

Timestamp to_timestamp(std::int64_t unix_seconds) { return Timestamp(std::chrono::seconds(unix_seconds)); }

void require(bool ok, const char* field, const char* reason) {
  if (!ok) throw std::invalid_argument(std::string("LocalKalturaOptions::") + field + ": " + reason);
}

emulator::Config to_config(const LocalKalturaOptions& o) {
  require(o.partner_id.valid(), "partner_id", "must be a positive id");
  require(!o.admin_secret.empty(), "admin_secret", "must not be empty");
  require(!o.user_secret.empty(), "user_secret", "must not be empty");
  require(o.latency.count() >= 0 && o.latency.count() <= 600000, "latency", "must be 0..600000 ms");
  require(o.rate_limit >= 0, "rate_limit", "must not be negative");
  require(o.rate_window.count() >= 1 && o.rate_window.count() <= 86400, "rate_window", "must be 1..86400 s");
  require(o.attendance.count() >= 1, "attendance", "must be at least 1 s");
  emulator::Config c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.partner_id = o.partner_id.value();
  c.admin_secrets = {o.admin_secret};
  c.user_secret = o.user_secret;
  c.state_file = o.state_file;
  c.faults = o.faults;
  c.seed = o.seed;
  c.threads = 8;  // a test's traffic, not a load test's
  c.attendance_seconds = o.attendance.count();
  c.ks_version = o.ks_version == KsVersion::v1 ? 1 : 2;
  c.latency_ms = static_cast<int>(o.latency.count());
  c.rate_limit = o.rate_limit;
  c.rate_window = static_cast<int>(o.rate_window.count());
  return c;
}

std::optional<std::string> opt_string(const Json& props, const char* key) {
  const auto it = props.find(key);
  if (it == props.end() || it->is_null()) return std::nullopt;
  return emulator::json_strval(*it);
}

std::optional<Timestamp> opt_time(const Json& props, const char* key) {
  const auto it = props.find(key);
  if (it == props.end() || it->is_null()) return std::nullopt;
  return to_timestamp(emulator::json_intval(*it));
}

std::int64_t int_of(const Json& props, const char* key) {
  return emulator::json_intval(props.value(key, Json(0)));
}

/// The `ks` query parameter of a URL, decoded as the launch endpoint decodes it.
std::string ks_of(std::string_view url) {
  const auto q = url.find('?');
  if (q != std::string_view::npos) {
    for (const auto& pair : emulator::split(url.substr(q + 1), '&')) {
      if (pair.rfind("ks=", 0) == 0) return emulator::url_decode(std::string_view(pair).substr(3));
    }
  }
  throw std::invalid_argument("LocalKaltura::open: the URL has no ks parameter");
}

LocalAppToken app_token_of(const Json& p) {
  LocalAppToken t;
  t.id = p.value("id", std::string());
  t.status = static_cast<int>(int_of(p, "status"));
  if (const auto type = p.find("sessionType"); type != p.end()) {
    t.session_type = emulator::json_intval(*type) == 2 ? SessionType::admin : SessionType::user;
  }
  t.session_user_id = opt_string(p, "sessionUserId");
  if (p.contains("sessionDuration")) t.session_duration = std::chrono::seconds(int_of(p, "sessionDuration"));
  t.session_privileges = opt_string(p, "sessionPrivileges").value_or("");
  t.hash_type = opt_string(p, "hashType").value_or("SHA1");
  t.expiry = opt_time(p, "expiry");
  t.description = opt_string(p, "description").value_or("");
  return t;
}

}  // namespace

struct LocalKaltura::Impl {
  explicit Impl(LocalKalturaOptions o)
      : options(std::move(o)), server(to_config(options)), api(server.world()) {
    port = server.start();
  }
  ~Impl() { server.stop(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  LocalKalturaOptions options;
  emulator::Emulator server;
  emulator::Api api;
  int port = 0;

  emulator::World& world() { return server.world(); }

  /// An admin KS for the seeding calls, valid for an hour of the server's clock.
  std::string admin_ks() {
    KsParams p;
    p.partner_id = options.partner_id;
    p.type = SessionType::admin;
    p.user_id = "local-kaltura";
    p.expires_at = to_timestamp(world().now() + 3600);
    return KsSigner(options.admin_secret).mint(p);
  }

  /// One api_v3 call in process; throws std::runtime_error "<CODE>: <message>" for an API error.
  Json call(const std::string& service, const std::string& action, Json params) {
    params["service"] = service;
    params["action"] = action;
    params["ks"] = admin_ks();
    Json out = api.handle(params, world().now());
    if (out.is_object() && out.value("objectType", std::string()) == "KalturaAPIException") {
      throw std::runtime_error(out.value("code", std::string()) + ": " + out.value("message", std::string()));
    }
    return out;
  }
};

LocalKaltura::LocalKaltura() : LocalKaltura(LocalKalturaOptions{}) {}
LocalKaltura::LocalKaltura(LocalKalturaOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}
LocalKaltura::~LocalKaltura() = default;
LocalKaltura::LocalKaltura(LocalKaltura&&) noexcept = default;
LocalKaltura& LocalKaltura::operator=(LocalKaltura&&) noexcept = default;

int LocalKaltura::port() const { return impl_->port; }
std::string LocalKaltura::service_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }
PartnerId LocalKaltura::partner_id() const { return impl_->options.partner_id; }
const std::string& LocalKaltura::admin_secret() const { return impl_->options.admin_secret; }
const std::string& LocalKaltura::user_secret() const { return impl_->options.user_secret; }

Config LocalKaltura::config() const {
  Config c;
  c.service_url = service_url();
  c.kaf_url = service_url();
  c.partner_id = impl_->options.partner_id;
  c.admin_secret = impl_->options.admin_secret;
  c.user_secret = impl_->options.user_secret;
  // The production retry rules with short waits, so a test of an outage ends in seconds.
  c.retry.initial_backoff = std::chrono::milliseconds(5);
  c.retry.max_backoff = std::chrono::milliseconds(50);
  c.retry.deadline = std::chrono::seconds(2);
  std::weak_ptr<Impl> weak = impl_;
  c.clock = [weak]() -> Timestamp {
    if (const auto impl = weak.lock()) return to_timestamp(impl->world().now());
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  };
  return c;
}

RoomId LocalKaltura::add_room(std::string_view name, std::string_view tags) {
  const Json room{{"objectType", "KalturaLocationScheduleResource"}, {"name", name}, {"tags", tags}};
  return RoomId(impl_->call("schedule_scheduleresource", "add", {{"scheduleResource", room}})["id"]
                    .get<std::int64_t>());
}

EventId LocalKaltura::add_event(RoomId room, std::string_view summary, Timestamp start, Timestamp end) {
  const Json event{{"objectType", "KalturaRecordScheduleEvent"},
                   {"summary", summary},
                   {"startDate", start.time_since_epoch().count()},
                   {"endDate", end.time_since_epoch().count()},
                   {"recurrenceType", 0}};
  const auto id =
      impl_->call("schedule_scheduleevent", "add", {{"scheduleEvent", event}})["id"].get<std::int64_t>();
  const Json link{
      {"objectType", "KalturaScheduleEventResource"}, {"eventId", id}, {"resourceId", room.value()}};
  (void)impl_->call("schedule_scheduleeventresource", "add", {{"scheduleEventResource", link}});
  return EventId(id);
}

void LocalKaltura::add_chat_message(RoomId room, std::string_view user_id, std::string_view user_name,
                                    std::string_view text, std::string_view type) {
  const std::string err =
      emulator::add_message(impl_->world(), room.value(), std::string(type), std::string(user_id),
                            std::string(user_name), std::string(text), impl_->world().now());
  if (!err.empty()) throw std::invalid_argument("LocalKaltura::add_chat_message: " + err);
}

void LocalKaltura::set_app_token_active(std::string_view id, bool active) {
  emulator::World& w = impl_->world();
  std::lock_guard<std::mutex> lock(w.mu);
  const auto it = w.state.app_tokens.find(std::string(id));
  if (it == w.state.app_tokens.end() || int_of(it->second.props, "status") == 3) {
    throw std::invalid_argument("LocalKaltura::set_app_token_active: no app token " + std::string(id) +
                                " (unknown or deleted)");
  }
  it->second.props["status"] = active ? 2 : 1;
  w.dirty = true;
}

std::vector<LocalRoom> LocalKaltura::rooms() const {
  emulator::World& w = impl_->world();
  std::lock_guard<std::mutex> lock(w.mu);
  std::vector<LocalRoom> out;
  for (const auto& [id, o] : w.state.resources) {
    LocalRoom r;
    r.id = RoomId(id);
    r.name = o.props.value("name", std::string());
    r.system_name = opt_string(o.props, "systemName");
    r.description = opt_string(o.props, "description");
    r.tags = o.props.value("tags", std::string());
    r.status = static_cast<RoomStatus>(int_of(o.props, "status"));
    r.object_type = o.cls;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<LocalEvent> LocalKaltura::events() const {
  emulator::World& w = impl_->world();
  std::lock_guard<std::mutex> lock(w.mu);
  std::vector<LocalEvent> out;
  for (const auto& [id, o] : w.state.events) {
    LocalEvent e;
    e.id = EventId(id);
    e.summary = o.props.value("summary", std::string());
    e.start = opt_time(o.props, "startDate");
    e.end = opt_time(o.props, "endDate");
    e.status = static_cast<EventStatus>(int_of(o.props, "status"));
    e.tags = o.props.value("tags", std::string());
    e.owner_id = o.props.value("ownerId", std::string());
    for (const std::int64_t room : w.state.linked_resources(id)) e.rooms.emplace_back(room);
    e.object_type = o.cls;
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<LocalJoin> LocalKaltura::joins() const {
  emulator::World& w = impl_->world();
  std::lock_guard<std::mutex> lock(w.mu);
  std::vector<LocalJoin> out;
  for (const auto& session : w.state.sessions) {
    for (const auto& a : session.attendees) {
      LocalJoin j;
      j.user_id = a.user_id;
      j.name = a.user_name;
      j.email = a.email;
      j.role = a.role == "adminRole" ? Role::moderator : Role::attendee;
      j.room = RoomId(session.resource_id);
      if (a.event_id != 0) j.event = EventId(a.event_id);
      j.joined = to_timestamp(a.joined);
      out.push_back(std::move(j));
    }
  }
  return out;
}

std::vector<LocalAppToken> LocalKaltura::app_tokens() const {
  emulator::World& w = impl_->world();
  std::lock_guard<std::mutex> lock(w.mu);
  std::vector<std::pair<std::int64_t, LocalAppToken>> ordered;
  for (const auto& [id, t] : w.state.app_tokens) ordered.emplace_back(t.seq, app_token_of(t.props));
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<LocalAppToken> out;
  for (auto& [seq, t] : ordered) out.push_back(std::move(t));
  return out;
}

std::size_t LocalKaltura::request_count() const {
  return static_cast<std::size_t>(impl_->world().requests.load());
}

LaunchResult LocalKaltura::open(std::string_view url) {
  const std::string ks = ks_of(url);
  emulator::World& w = impl_->world();
  const auto joins_so_far = [&w] {
    std::lock_guard<std::mutex> lock(w.mu);
    return w.state.joins;
  };
  const std::int64_t before = joins_so_far();
  const emulator::KafResponse page = emulator::kaf_launch(w, ks, w.now());
  return LaunchResult{page.status, joins_so_far() > before, page.body};
}

Timestamp LocalKaltura::now() const { return to_timestamp(impl_->world().now()); }

void LocalKaltura::advance_clock(std::chrono::seconds by) { impl_->world().clock_offset += by.count(); }

void LocalKaltura::set_clock(Timestamp to) {
  impl_->world().clock_offset += to.time_since_epoch().count() - impl_->world().now();
}

void LocalKaltura::set_faults(std::string_view spec, std::uint64_t seed) {
  impl_->server.set_faults(std::string(spec), seed);
}

void LocalKaltura::clear_faults() { impl_->server.set_faults("", 0); }

void LocalKaltura::reset() { impl_->server.reset(); }

}  // namespace kmeet::testing
