#include "cli/commands.hpp"

#include <istream>
#include <map>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/convert.hpp"
#include "cli/observe.hpp"
#include "cli/safe_text.hpp"
#include "cli/settings.hpp"
#include "cli/timefmt.hpp"
#include "cli/usage.hpp"
#include "kmeet/analytics.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/events.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/links.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/report.hpp"
#include "kmeet/rooms.hpp"
#include "kmeet/urls.hpp"

namespace kmeet::cli {

// ------------------------------------------------------------------------------------------
// Ctx

Config Ctx::config() const {
  const Settings& s = settings;
  Config c;
  c.service_url = s.service_url;
  if (s.partner_id.empty()) {
    throw ValidationError("partner_id", "is required (--partner-id or KALTURA_PARTNER_ID)");
  }
  if (s.partner_id.find_first_not_of("0123456789") != std::string::npos || s.partner_id.size() > 12) {
    throw ValidationError(setting_label(s, "partner_id", "--partner-id"),
                          fmt::format("'{}' is not a partner id (digits only)", s.partner_id));
  }
  c.partner_id = PartnerId{std::stoll(s.partner_id)};
  c.admin_secret = s.admin_secret;
  c.user_secret = s.user_secret;
  c.ks = s.ks;
  c.kaf_url = s.kaf_url;
  if (!s.admin_user_id.empty()) c.admin_user_id = s.admin_user_id;
  if (!s.timeout.empty()) {
    c.http.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
        parse_duration(s.timeout, setting_label(s, "timeout", "--timeout")));
  }
  c.http.ca_file = s.ca_file;
  c.http.proxy = s.proxy;
  c.http.verify_tls = !s.insecure;
  if (!s.rate.empty()) c.rate_limit = parse_rate(s.rate, setting_label(s, "rate", "--rate"));
  if (s.verbose) c.log = verbose_log(io.err);
  c.client_tag = "kmeet-cli:" KMEET_VERSION_STRING;
  try {
    c.validate();  // the SDK's own checks, named by what the user typed
  } catch (const ValidationError& e) {
    static const std::map<std::string, std::string> kFlags = {
        {"service_url", "--service-url"}, {"kaf_url", "--kaf-url"}, {"partner_id", "--partner-id"}};
    auto it = kFlags.find(e.field());
    if (it == kFlags.end()) throw;
    throw ValidationError(setting_label(s, e.field(), it->second), e.reason());
  }
  return c;
}

Client& Ctx::client() {
  if (!client_) client_ = std::make_unique<Client>(config());
  return *client_;
}

void Ctx::warn(const std::string& text) const { io.err << "kmeet: warning: " << printable(text) << '\n'; }

void Ctx::print(const Json& object) const { print_object(io.out, format, object); }

void Ctx::print_list(const Json& array, const std::vector<Column>& columns) const {
  cli::print_list(io.out, format, array, columns);
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A KS as users paste it: the token itself, the token percent-encoded (`%3D%3D` padding), or a
// whole launch/analytics URL carrying it as `ks=` (the value is taken up to the next `&` or `#`).
std::string ks_from_pasted(std::string text) {
  for (std::size_t at = 0; (at = text.find("ks=", at)) != std::string::npos; ++at) {
    if (at == 0 || text[at - 1] == '?' || text[at - 1] == '&' || text[at - 1] == '#') {
      std::size_t end = text.find_first_of("&#", at + 3);
      text = text.substr(at + 3, end == std::string::npos ? std::string::npos : end - at - 3);
      break;
    }
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    int hi = 0;
    int lo = 0;
    if (text[i] == '%' && i + 2 < text.size() && (hi = hex_digit(text[i + 1])) >= 0 &&
        (lo = hex_digit(text[i + 2])) >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string read_ks_argument(Ctx& ctx, const std::string& arg) {
  if (arg != "-") return ks_from_pasted(arg);
  // One line, at most kMaxKsBytes: a KS is a few hundred bytes, /dev/urandom is endless.
  std::string line;
  if (ctx.io.in == nullptr) throw ValidationError("KS", "nothing on stdin");
  for (int c = ctx.io.in->get(); c != std::char_traits<char>::eof() && c != '\n'; c = ctx.io.in->get()) {
    if (line.size() >= kMaxKsBytes) {
      throw ValidationError("KS", fmt::format("the line on stdin is longer than {} (the limit for a KS)",
                                              size_text(kMaxKsBytes)));
    }
    line.push_back(static_cast<char>(c));
  }
  if (line.empty() && !*ctx.io.in) throw ValidationError("KS", "nothing on stdin");
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return ks_from_pasted(std::move(line));
}

namespace {

RoomSettings room_settings_from(const std::vector<std::string>& sets, RoomSettings base = {}) {
  for (const auto& kv : sets) {
    auto [k, v] = parse_set(SettingScope::room, kv);
    base.set(k, v);
  }
  return base;
}

EventSettings event_settings_from(const std::vector<std::string>& sets, EventSettings base = {}) {
  for (const auto& kv : sets) {
    auto [k, v] = parse_set(SettingScope::event, kv);
    base.set(k, v);
  }
  return base;
}

void require_change(bool changed, const char* what) {
  if (!changed) throw ValidationError(what, "nothing to change (give at least one option; see --help)");
}

}  // namespace

// ------------------------------------------------------------------------------------------
// room

int room_create(Ctx& ctx, const RoomOpts& o) {
  Room r;
  r.name = *o.name;
  r.description = o.description;
  r.system_name = o.system_name;
  r.settings = room_settings_from(o.set);
  ctx.print(to_json(ctx.client().rooms().add(r)));
  return kOk;
}

int room_list(Ctx& ctx, const RoomOpts& o) {
  RoomFilter f;
  f.name = o.filter_name;
  f.system_name = o.filter_system_name;
  if (o.deleted) f.status = RoomStatus::deleted;
  Json out = Json::array();
  if (o.all) {
    for (const Room& r : ctx.client().rooms().list_all(f, o.page_size)) out.push_back(to_json(r));
  } else {
    for (const Room& r : ctx.client().rooms().list(f, Pager{o.page_size, o.page}).items) out.push_back(to_json(r));
  }
  ctx.print_list(out, room_columns());
  return kOk;
}

int room_get(Ctx& ctx, const RoomOpts& o) {
  ctx.print(to_json(ctx.client().rooms().get(RoomId{o.id})));
  return kOk;
}

int room_update(Ctx& ctx, const RoomOpts& o) {
  RoomUpdate u;
  if (o.name) u.name = *o.name;
  if (o.description) u.description = *o.description;
  if (o.clear_description) u.description = kmeet::clear;
  if (o.system_name) u.system_name = *o.system_name;
  require_change(o.name || o.description || o.clear_description || o.system_name || !o.set.empty(), "room update");
  auto rooms = ctx.client().rooms();
  if (!o.set.empty()) {
    // --set changes the given settings and keeps the room's others.
    Room current = rooms.get(RoomId{o.id});
    u.settings = room_settings_from(o.set, current.settings);
  }
  ctx.print(to_json(rooms.update(RoomId{o.id}, u)));
  return kOk;
}

int room_delete(Ctx& ctx, const RoomOpts& o) {
  ctx.print(to_json(ctx.client().rooms().remove(RoomId{o.id})));
  return kOk;
}

// ------------------------------------------------------------------------------------------
// event

int event_create(Ctx& ctx, const EventOpts& o) {
  Event e;
  e.summary = *o.summary;
  e.description = o.description;
  e.start = parse_time(*o.start, ctx.now, "--start");
  e.end = parse_time(*o.end, ctx.now, "--end");
  if (*e.end <= *e.start) throw ValidationError("--end", "must be after --start");
  e.reference_id = o.reference_id;
  e.settings = event_settings_from(o.set);
  MeetingSpec spec;
  spec.room = RoomId{o.room};
  spec.event = e;
  spec.allow_long_event = o.allow_long;
  Meeting m = ctx.client().create_meeting(spec);
  ctx.print(to_json(m.event));
  return kOk;
}

int event_list(Ctx& ctx, const EventOpts& o) {
  EventFilter f;
  if (o.room > 0) f.room = RoomId{o.room};
  if (o.from) f.start_date_gte = parse_time(*o.from, ctx.now, "--from");
  if (o.to) f.start_date_lte = parse_time(*o.to, ctx.now, "--to");
  if (o.status) f.status = *o.status == "cancelled" ? EventStatus::cancelled : EventStatus::active;
  f.reference_id = o.filter_reference_id;
  if (!o.all) f.order_by = EventOrder::start_date_asc;
  Json out = Json::array();
  if (o.all) {
    for (const Event& e : ctx.client().events().list_all(f, o.page_size)) out.push_back(to_json(e));
  } else {
    for (const Event& e : ctx.client().events().list(f, Pager{o.page_size, o.page}).items) out.push_back(to_json(e));
  }
  ctx.print_list(out, event_columns());
  return kOk;
}

int event_get(Ctx& ctx, const EventOpts& o) {
  ctx.print(to_json(ctx.client().events().get(EventId{o.id})));
  return kOk;
}

int event_update(Ctx& ctx, const EventOpts& o) {
  EventUpdate u;
  if (o.summary) u.summary = *o.summary;
  if (o.description) u.description = *o.description;
  if (o.clear_description) u.description = kmeet::clear;
  if (o.start) u.start = parse_time(*o.start, ctx.now, "--start");
  if (o.end) u.end = parse_time(*o.end, ctx.now, "--end");
  if (o.reference_id) u.reference_id = *o.reference_id;
  u.allow_long_event = o.allow_long;
  require_change(o.summary || o.description || o.clear_description || o.start || o.end || o.reference_id ||
                     !o.set.empty(),
                 "event update");
  auto events = ctx.client().events();
  if (!o.set.empty()) {
    Event current = events.get(EventId{o.id});
    u.settings = event_settings_from(o.set, current.settings);
    u.type = current.type;
  }
  ctx.print(to_json(events.update(EventId{o.id}, u)));
  return kOk;
}

int event_cancel(Ctx& ctx, const EventOpts& o) {
  ctx.print(to_json(ctx.client().events().cancel(EventId{o.id})));
  return kOk;
}

int event_delete(Ctx& ctx, const EventOpts& o) {
  ctx.print(to_json(ctx.client().events().remove(EventId{o.id})));
  return kOk;
}

// ------------------------------------------------------------------------------------------
// link

int link_list(Ctx& ctx, const LinkOpts& o) {
  LinkFilter f;
  if (o.event > 0) f.event_id = EventId{o.event};
  if (o.room > 0) f.room_id = RoomId{o.room};
  Json out = Json::array();
  if (o.all) {
    for (const EventRoomLink& l : ctx.client().links().list_all(f, o.page_size)) out.push_back(to_json(l));
  } else {
    for (const EventRoomLink& l : ctx.client().links().list(f, Pager{o.page_size, 1}).items) out.push_back(to_json(l));
  }
  ctx.print_list(out, link_columns());
  return kOk;
}

int link_add(Ctx& ctx, const LinkOpts& o) {
  ctx.print(to_json(ctx.client().links().add(EventId{o.event}, RoomId{o.room})));
  return kOk;
}

int link_delete(Ctx& ctx, const LinkOpts& o) {
  ctx.client().links().remove(EventId{o.event}, RoomId{o.room});
  Json j;
  j["eventId"] = o.event;
  j["resourceId"] = o.room;
  j["deleted"] = true;
  ctx.print(j);
  return kOk;
}

// ------------------------------------------------------------------------------------------
// join, ks, session

int join(Ctx& ctx, const JoinOpts& o) {
  if ((o.event > 0) == (o.room > 0)) throw ValidationError("--event/--room", "give exactly one of --event or --room");
  validate_user_id(o.user, "join.user_id");  // no control characters: the id is echoed on stderr
  JoinRequest r;
  if (o.event > 0) r.event = EventId{o.event};
  if (o.room > 0) r.room = RoomId{o.room};
  r.user_id = o.user;
  r.role = o.role == "moderator" ? Role::moderator : Role::attendee;
  r.first_name = o.first_name;
  r.last_name = o.last_name;
  r.email = o.email;
  r.ttl = parse_duration(o.ttl, "--ttl");
  r.via_api = o.via_api;
  JoinLink link = ctx.client().join(r);
  if (o.iframe && ctx.format == Format::table) {
    ctx.io.out << iframe_html(link.url) << '\n';
    return kOk;
  }
  Json j;
  j["url"] = link.url;
  j["ks"] = link.ks;
  j["expiresAt"] = link.expires_at.time_since_epoch().count();
  if (o.iframe) j["iframe"] = iframe_html(link.url);
  if (ctx.format == Format::table) {
    ctx.io.out << link.url << '\n';
    ctx.io.err << fmt::format("kmeet: {} link for {} expires {} ({})\n", o.role, printable(o.user), format_iso(link.expires_at),
                              format_relative(link.expires_at, ctx.now));
    return kOk;
  }
  ctx.print(j);
  return kOk;
}

int ks_mint(Ctx& ctx, const KsMintOpts& o) {
  Config c = ctx.config();
  if (c.admin_secret.empty()) {
    throw ValidationError("admin_secret", "minting a KS needs the admin secret (KALTURA_ADMIN_SECRET)");
  }
  validate_user_id(o.user, "--user");
  Privileges p;
  if (o.event > 0) p.event_id(EventId{o.event});
  if (o.room > 0) p.resource_id(RoomId{o.room});
  if (o.role) p.role(*o.role == "moderator" ? Role::moderator : Role::attendee);
  if (o.contextual_role) {
    p.contextual_role(*o.contextual_role == "moderator" ? ContextualRole::moderator : ContextualRole::attendee);
  }
  if (o.first_name) p.first_name(*o.first_name);
  if (o.last_name) p.last_name(*o.last_name);
  if (o.email) p.email(*o.email);
  if (o.api) p.api(*o.api);
  for (const auto& kv : o.privileges) {
    auto colon = kv.find(':');
    if (colon == std::string::npos) {
      p.set(kv);
    } else {
      p.set(std::string_view(kv).substr(0, colon), std::string_view(kv).substr(colon + 1));
    }
  }
  KsParams params;
  params.partner_id = c.partner_id;
  params.type = o.type == "admin" ? SessionType::admin : SessionType::user;
  params.user_id = o.user;
  params.privileges = p.str();
  params.expires_at = ctx.now + parse_duration(o.ttl, "--ttl");
  if (o.user.find_first_of(";|") != std::string::npos) throw ValidationError("--user", "must not contain ';' or '|'");
  KsSigner signer(c.admin_secret);
  std::string ks = signer.mint(params, o.v1 ? KsVersion::v1 : KsVersion::v2);
  if (ctx.format == Format::table) {
    ctx.io.out << ks << '\n';
    return kOk;
  }
  Json j;
  j["ks"] = ks;
  j["partnerId"] = c.partner_id.value();
  j["type"] = o.type;
  j["userId"] = o.user;
  j["privileges"] = params.privileges;
  j["expiresAt"] = params.expires_at.time_since_epoch().count();
  j["version"] = o.v1 ? 1 : 2;
  ctx.print(j);
  return kOk;
}

int ks_inspect(Ctx& ctx, const KsInspectOpts& o) {
  std::string ks = read_ks_argument(ctx, o.ks);
  std::optional<std::string> secret;
  if (o.secret_env) {
    auto v = ctx.io.getenv(o.secret_env->c_str());
    if (!v || v->empty()) throw ValidationError("--secret-env", fmt::format("${} is not set", *o.secret_env));
    secret = *v;
  } else if (!ctx.settings.admin_secret.empty()) {
    secret = ctx.settings.admin_secret;
  }
  KsInfo info = secret ? Ks::inspect(ks, *secret) : Ks::inspect(ks);
  Json j;
  j["version"] = static_cast<int>(info.version);
  j["partnerId"] = info.partner_id.value();
  j["readable"] = info.readable;
  if (info.readable) {
    j["type"] = info.raw_type == 0 ? "user" : info.raw_type == 2 ? "admin" : std::to_string(info.raw_type);
    j["userId"] = info.user_id;
    j["expiresAt"] = info.expires_at.time_since_epoch().count();
    j["expires"] = info.expires_at > ctx.now ? "expires " + format_relative(info.expires_at, ctx.now)
                                             : "expired " + format_relative(info.expires_at, ctx.now);
    j["privileges"] = info.privileges;
    // A key given twice stays twice in a v1 KS and the server reads it as a list (protocol.md F.6): show
    // the list rather than let the last value hide the first.
    Json privs = Json::object();
    for (const auto& [k, v] : info.privilege_list) {
      if (!privs.contains(k)) {
        privs[k] = v;
      } else {
        if (!privs[k].is_array()) privs[k] = Json::array({privs[k]});
        privs[k].push_back(v);
      }
    }
    j["privilegeList"] = privs;
    j["duplicatePrivileges"] = info.duplicate_privileges;
    if (info.master_partner_id) j["masterPartnerId"] = *info.master_partner_id;
    if (info.additional_data) j["additionalData"] = *info.additional_data;
  }
  j["signature"] = secret ? (info.signature_valid ? "valid" : "INVALID (not signed with this admin secret)")
                          : "not checked (no admin secret)";
  if (!info.readable) {
    j["note"] = "a KS v2 is encrypted: give the admin secret (KALTURA_ADMIN_SECRET or --secret-env) to read it";
  }
  ctx.print(j);
  if (!info.duplicate_privileges.empty()) {
    ctx.warn(fmt::format("the KS names {} more than once: the privileges were most likely injected through a "
                         "user-supplied value",
                         fmt::join(info.duplicate_privileges, ", ")));
  }
  if (secret && !info.signature_valid) {
    // Scripts check a KS by the exit status: a secret was given and the KS is not signed with it.
    ctx.io.err << "kmeet: error: the KS signature does not match the admin secret"
               << (o.secret_env ? fmt::format(" in ${}", *o.secret_env) : std::string()) << '\n';
    return kFailed;
  }
  return kOk;
}

int session_start(Ctx& ctx, const SessionOpts& o) {
  Config c = ctx.config();
  SessionStart s;
  s.type = o.type == "admin" ? SessionType::admin : SessionType::user;
  s.secret = (s.type == SessionType::user && !c.user_secret.empty()) ? c.user_secret : c.admin_secret;
  if (s.secret.empty()) {
    throw ValidationError("admin_secret", "session start needs the admin secret (or the user secret for --type user)");
  }
  validate_user_id(o.user, "--user");
  s.user_id = o.user;
  s.expiry = parse_duration(o.ttl, "--ttl");
  s.privileges = o.privileges;
  std::string ks = ctx.client().ks_sessions().start(s);
  if (ctx.format == Format::table) {
    ctx.io.out << ks << '\n';
    return kOk;
  }
  Json j;
  j["ks"] = ks;
  ctx.print(j);
  return kOk;
}

int session_end(Ctx& ctx, const SessionOpts& o) {
  std::string ks = read_ks_argument(ctx, o.ks);
  ctx.client().ks_sessions().end(ks);
  Json j;
  j["ended"] = true;
  ctx.print(j);
  return kOk;
}

int session_get(Ctx& ctx, const SessionOpts& o) {
  std::string ks = o.ks.empty() ? std::string{} : read_ks_argument(ctx, o.ks);
  SessionInfo info = ctx.client().ks_sessions().get(ks);
  Json j;  // the KS itself is never printed back
  j["sessionType"] = static_cast<int>(info.type);
  j["partnerId"] = info.partner_id.value();
  j["userId"] = info.user_id;
  j["expiry"] = info.expires_at.time_since_epoch().count();
  j["expires"] = info.expires_at > ctx.now ? "expires " + format_relative(info.expires_at, ctx.now)
                                           : "expired " + format_relative(info.expires_at, ctx.now);
  j["privileges"] = info.privileges;
  ctx.print(j);
  return kOk;
}

int session_time(Ctx& ctx) {
  Timestamp server = ctx.client().ks_sessions().server_time();
  Timestamp local = now_seconds();
  Json j;
  j["serverTime"] = server.time_since_epoch().count();
  j["localTime"] = local.time_since_epoch().count();
  j["skewSeconds"] = (local - server).count();
  ctx.print(j);
  return kOk;
}

namespace {

std::optional<Timestamp> optional_time(const std::optional<std::string>& text, Timestamp now, std::string_view flag) {
  if (!text) return std::nullopt;
  return parse_time(*text, now, flag);
}

// KAF sends ids as strings (`"room_id":"90001"`); every other command prints ids as JSON numbers,
// so a whole number is printed as one and anything else as the string KAF sent.
Json id_json(const std::string& text) {
  if (auto n = parse_positive_id(text)) return Json(*n);
  return text.empty() ? Json(nullptr) : Json(text);
}

Json time_or_null(const std::optional<Timestamp>& t) {
  return t ? Json(t->time_since_epoch().count()) : Json(nullptr);
}

}  // namespace

int analytics_sessions(Ctx& ctx, const AnalyticsOpts& o) {
  const auto from = optional_time(o.from, ctx.now, "--from");
  const auto to = optional_time(o.to, ctx.now, "--to");
  Json out = Json::array();
  // Every page is fetched (a fresh KS each); a failing page fails the command, never a partial list.
  for (const RoomSession& s : ctx.client().analytics().max_pages(o.max_pages).sessions(RoomId{o.room}, from, to)) {
    Json j;
    j["id"] = s.id.value();
    j["room_id"] = id_json(s.room_id);
    j["third_party_room_id"] = id_json(s.third_party_room_id);
    j["room_name"] = s.room_name;
    j["date_start"] = time_or_null(s.start);
    j["date_end"] = time_or_null(s.end);
    j["duration"] = s.length() ? Json(s.length()->count()) : Json(nullptr);
    j["type"] = s.type;
    j["participants_count"] = s.participants_count ? Json(*s.participants_count) : Json(nullptr);
    out.push_back(std::move(j));
  }
  ctx.print_list(out, {{"id", "SESSION"},
                       {"third_party_room_id", "ROOM"},
                       {"room_name", "NAME"},
                       {"date_start", "START"},
                       {"date_end", "END"},
                       {"duration", "SECONDS"},
                       {"participants_count", "PEOPLE"}});
  return kOk;
}

int analytics_attendees(Ctx& ctx, const AnalyticsOpts& o) {
  if ((o.room > 0) == (o.event > 0)) {
    throw ValidationError("--room/--event", "give exactly one of --room or --event");
  }
  const AnalyticsScope scope = o.room > 0 ? AnalyticsScope(RoomId{o.room}) : AnalyticsScope(EventId{o.event});
  const AttendanceReport report = AttendanceReport::fetch(ctx.client().analytics().max_pages(o.max_pages), SessionId{o.session}, scope);
  Json out = Json::array();
  for (const AttendanceRow& r : report.rows) {
    Json j;
    j["user_id"] = r.user_id;
    j["name"] = r.name;
    j["email"] = r.email;
    j["role"] = r.role;
    j["joined"] = time_or_null(r.joined);
    j["left"] = time_or_null(r.left);
    j["duration"] = r.duration ? Json(r.duration->count()) : Json(nullptr);
    out.push_back(std::move(j));
  }
  ctx.print_list(out, {{"user_id", "USER"},
                       {"name", "NAME"},
                       {"email", "EMAIL"},
                       {"role", "ROLE"},
                       {"joined", "JOINED"},
                       {"left", "LEFT"},
                       {"duration", "SECONDS"}});
  return kOk;
}

}  // namespace kmeet::cli
