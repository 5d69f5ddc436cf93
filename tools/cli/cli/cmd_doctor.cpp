// `kmeet doctor`: the integration guide's checklist, run against the configured setup.
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <ostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/safe_text.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/http.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/rooms.hpp"

namespace kmeet::cli {
namespace {

/// `kmeet doctor [--launch]`.
struct DoctorOpts {
  bool launch = false;  ///< enter the newest real room as moderator `kmeet-doctor` (records a join)
};

// A room id no partner has (Kaltura ids are 32-bit and far from exhausted): the launch probe's target.
constexpr RoomId kNoSuchRoom{2147483647};

struct Check {
  std::string name;
  bool ok = false;
  std::string detail;
  std::string fix;
};

std::string describe(const std::exception& e) {
  if (const auto* a = dynamic_cast<const ApiError*>(&e)) {
    std::string s = fmt::format("{}: {}", a->code(), a->api_message());
    if (!a->ks_reason().empty()) s += fmt::format(" ({})", a->ks_reason());
    return s;
  }
  if (const auto* v = dynamic_cast<const ValidationError*>(&e)) return fmt::format("{}: {}", v->field(), v->reason());
  return e.what();
}

std::string app_token_fix(const AppTokenError& e) {
  switch (e.reason()) {
    case AppTokenError::Reason::not_found:
    case AppTokenError::Reason::revoked:
      return "the token was deleted or KALTURA_APP_TOKEN_ID is wrong: create one (kmeet apptoken create) and set it";
    case AppTokenError::Reason::wrong_hash:
      return "KALTURA_APP_TOKEN is not this token's value, or KALTURA_APP_TOKEN_HASH is not its hashType";
    case AppTokenError::Reason::expired:
      return "the token expired: kmeet apptoken rotate ID --expiry +180d, then set the new token";
    case AppTokenError::Reason::not_active:
      return "the token is disabled: use another token";
  }
  return "check KALTURA_APP_TOKEN_ID, KALTURA_APP_TOKEN and KALTURA_APP_TOKEN_HASH";
}

std::string fix_for(const std::exception& e, const std::string& fallback) {
  if (const auto* t = dynamic_cast<const AppTokenError*>(&e)) return app_token_fix(*t);
  if (const auto* t = dynamic_cast<const TransportError*>(&e)) {
    switch (t->kind()) {
      case TransportError::Kind::tls:
        return "the TLS certificate was refused: check the URL, the system CA store or --ca-file";
      case TransportError::Kind::connect:
        return "check the URL, DNS, firewall and proxy (--proxy / https_proxy)";
      case TransportError::Kind::timeout:
        return "the server did not answer in time: check the network or raise --timeout";
      default:
        break;
    }
  }
  if (const auto* a = dynamic_cast<const ApiError*>(&e)) {
    if (a->code() == "INVALID_KS") return "check KALTURA_PARTNER_ID and KALTURA_ADMIN_SECRET (KMC > Integration Settings)";
    if (a->code() == "SERVICE_FORBIDDEN") return "ask Kaltura to enable the Schedule plugin / Meetings for the partner";
    if (a->code() == "START_SESSION_ERROR") return "the secret does not belong to this partner id";
  }
  if (dynamic_cast<const HttpError*>(&e) != nullptr) return "the URL answered but is not a Kaltura API (check it)";
  if (const auto* v = dynamic_cast<const ValidationError*>(&e)) {
    // Refused before anything was sent: the configuration, not the partner's account, is missing something.
    if (v->field() == "admin_secret" || v->field() == "user_secret" || v->field() == "ks") {
      return "set an app token (KALTURA_APP_TOKEN_ID, KALTURA_APP_TOKEN) or KALTURA_ADMIN_SECRET (KMC > Integration "
             "Settings), or give a ready KS in KALTURA_KS";
    }
    if (v->field().rfind("app_token", 0) == 0 || v->field().rfind("KALTURA_APP_TOKEN", 0) == 0) {
      return "set both KALTURA_APP_TOKEN_ID and KALTURA_APP_TOKEN (and KALTURA_APP_TOKEN_HASH if not SHA256)";
    }
    if (v->field() == "partner_id") return "set KALTURA_PARTNER_ID (KMC > Integration Settings) or --partner-id";
    return fmt::format("check the setting {} (flag, environment variable or config file)", v->field());
  }
  return fallback;
}

// `kmeet doctor` without --launch: is the KAF host there? What KAF answers for a room it does
// not know is not documented (docs/protocol.md says nothing of it: 403, 404 and a 200 error page
// are all seen), so any HTTP answer proves reachability and nothing more. No KS is sent: the
// credentials are proved by session.get; a launch only by --launch on a real room.
std::string kaf_reachable(Ctx& ctx) {
  const std::string base = ctx.client().kaf_base_url();
  CurlTransport http(ctx.config().http);
  HttpRequest rq;
  rq.method = HttpMethod::get;
  rq.url = base + "/";
  rq.idempotent = true;
  const auto rs = http.send(rq);  // a TransportError (no answer at all) fails the check
  return fmt::format("{} is reachable (HTTP {}); no launch tried, no join recorded (--launch enters a real room)",
                     base, rs.status);
}

// Opens the launch URL of `room` as moderator kmeet-doctor; HttpError unless KAF answers 200.
void launch_room(Ctx& ctx, RoomId room, std::string& test_ks) {
  JoinRequest jr;
  jr.room = room;
  jr.user_id = "kmeet-doctor";
  jr.role = Role::moderator;
  jr.first_name = "kmeet";
  jr.last_name = "doctor";
  jr.ttl = std::chrono::minutes(5);
  JoinLink link = ctx.client().join(jr);
  test_ks = link.ks;
  CurlTransport http(ctx.config().http);
  HttpRequest rq;
  rq.method = HttpMethod::get;
  rq.url = link.url;
  rq.idempotent = true;
  const auto rs = http.send(rq);
  if (rs.status != 200) throw HttpError(rs.status, "the launch page of a real room was refused");
}

// `kmeet doctor --launch`: enter the newest real room as moderator kmeet-doctor; with no room
// yet, a room the doctor creates for the test and deletes again.
std::string kaf_launch(Ctx& ctx, const std::optional<Room>& sample, std::string& test_ks) {
  const std::string base = ctx.client().kaf_base_url();
  if (sample) {
    launch_room(ctx, sample->id, test_ks);
    return fmt::format("{} accepts a moderator launch of room {} (recorded as a join of kmeet-doctor)", base,
                       sample->id.value());
  }
  Room probe;
  probe.name = "kmeet doctor probe";
  probe.system_name = fmt::format("kmeet-doctor-{}", now_seconds().time_since_epoch().count());
  probe.description = "created by kmeet doctor --launch to test a launch; deleted again";
  const Room made = ctx.client().rooms().add(probe);
  try {
    launch_room(ctx, made.id, test_ks);
  } catch (...) {
    try {
      (void)ctx.client().rooms().remove(made.id);
    } catch (const std::exception&) {
      // The launch error is the one to report; the probe room is named in the docs.
    }
    throw;
  }
  (void)ctx.client().rooms().remove(made.id);
  return fmt::format("{} accepts a moderator launch of room {} (a room doctor created for the test and deleted again)",
                     base, made.id.value());
}

// The join KS kmeet mints carries what the guide requires (role, and eventId or resourceId).
std::string ks_privileges(const Settings& s, Ctx& ctx, std::string test_ks) {
  if (test_ks.empty()) {
    JoinRequest jr;
    jr.room = kNoSuchRoom;
    jr.user_id = "kmeet-doctor";
    jr.role = Role::attendee;
    jr.ttl = std::chrono::minutes(5);
    test_ks = ctx.client().join(jr).ks;
  }
  KsInfo info = Ks::inspect(test_ks, s.admin_secret);
  if (!info.signature_valid) throw Error("the join KS does not verify with the admin secret");
  bool role = false, target = false;
  for (const auto& [k, v] : info.privilege_list) {
    role = role || k == "role";
    target = target || k == "resourceId" || k == "eventId";
  }
  if (!role || !target) throw Error(fmt::format("the join KS lacks role or eventId/resourceId: {}", info.privileges));
  return fmt::format("user KS v{} with {} (expires {})", static_cast<int>(info.version), info.privileges,
                     format_relative(info.expires_at, now_seconds()));
}

// How the service is reached, truthfully: --insecure turns certificate checks off.
std::string transport_note(const Settings& s) {
  if (s.service_url.rfind("https://", 0) != 0) return " (plain HTTP: nothing is encrypted)";
  if (s.insecure) return " over TLS WITHOUT certificate verification (--insecure: anyone on the path can read the KS)";
  return " over verified TLS";
}

void print_checks(Ctx& ctx, const std::vector<Check>& checks) {
  Json out = Json::array();
  for (const auto& c : checks) {
    Json j;
    j["check"] = c.name;
    j["ok"] = c.ok;
    j["detail"] = c.detail;
    if (!c.ok) j["fix"] = c.fix;
    out.push_back(j);
  }
  if (ctx.format == Format::table) {
    for (const auto& c : checks) {
      ctx.io.out << (c.ok ? "\u2714 " : "\u2718 ") << c.name << ": " << printable(c.detail) << '\n';
      if (!c.ok) ctx.io.out << "    \u2192 " << printable(c.fix) << '\n';
    }
  } else {
    ctx.print_list(out, {{"check", "CHECK"}, {"ok", "OK"}, {"detail", "DETAIL"}, {"fix", "FIX"}});
  }
}

// The checks run so far; run() records one and says whether it passed.
class Checks {
 public:
  bool run(const std::string& name, const std::string& fallback_fix, const std::function<std::string()>& fn) {
    Check c{name};
    try {
      c.detail = fn();
      c.ok = true;
    } catch (const std::exception& e) {
      c.detail = describe(e);
      c.fix = fix_for(e, fallback_fix);
    }
    list.push_back(std::move(c));
    return list.back().ok;
  }
  std::vector<Check> list;
};

// Service, clock, credentials and user secret; true when the service answered.
bool service_checks(Ctx& ctx, Checks& checks) {
  const Settings& s = ctx.settings;
  std::optional<Timestamp> server;
  bool reachable = checks.run("service reachable", "check KALTURA_SERVICE_URL", [&] {
    const std::string how = transport_note(s);
    try {
      server = ctx.client().ks_sessions().server_time();
    } catch (const ApiError& e) {
      // A Kaltura API error is an answer from the API: reachable. A server without the system
      // service (it is not part of the schedule API) leaves only the clock unchecked.
      return fmt::format("{} answers api_v3{} (system.getTime: {})", s.service_url, how, e.code());
    }
    return fmt::format("{} answers system.getTime{}", s.service_url, how);
  });
  if (!reachable) return false;
  if (server) {
    checks.run("clock skew", "synchronise this machine's clock (NTP): KS expiry is checked to the second", [&] {
      auto skew = (now_seconds() - *server).count();
      if (std::llabs(skew) > 60) {
        throw Error(fmt::format("this machine is {}s {} the server", std::llabs(skew), skew > 0 ? "ahead of" : "behind"));
      }
      return fmt::format("{}s difference to the server", skew);
    });
  }
  checks.run("credentials", "check KALTURA_PARTNER_ID and KALTURA_ADMIN_SECRET", [&] {
    SessionInfo info = ctx.client().ks_sessions().get();
    if (info.partner_id.value() != ctx.client().config().partner_id.value()) {
      throw Error(fmt::format("the KS belongs to partner {}", info.partner_id.value()));
    }
    return fmt::format("the server accepts kmeet's {} KS for partner {} (session.get)",
                       info.type == SessionType::admin ? "admin" : "user", info.partner_id.value());
  });
  if (!s.user_secret.empty()) {
    checks.run("user secret", "check KALTURA_USER_SECRET", [&] {
      SessionStart st;
      st.secret = s.user_secret;
      st.type = SessionType::user;
      st.user_id = "kmeet-doctor";
      st.expiry = std::chrono::seconds(60);
      std::string ks = ctx.client().ks_sessions().start(st);
      ctx.client().ks_sessions().end(ks);
      return std::string("session.start accepts the user secret");
    });
  }
  return true;
}

std::string describe_token_session(const AppTokenSession& k, Timestamp now) {
  return fmt::format("startWidgetSession and apptoken.startSession accept the token: {} KS{}, expires {} ({})",
                     k.type == SessionType::admin ? "ADMIN" : "USER",
                     k.user_id.empty() ? std::string() : " for user " + k.user_id, format_relative(k.expires_at, now),
                     k.privileges.empty() ? std::string("no privileges") : k.privileges);
}

// An app-token setup: the widget session and the hash (startSession), then the token's own
// settings when its KS may read them, with what they mean for join links.
void app_token_checks(Ctx& ctx, Checks& checks) {
  const Config c = ctx.config();
  const bool started = checks.run("app token session", "check KALTURA_APP_TOKEN_ID, KALTURA_APP_TOKEN, KALTURA_APP_TOKEN_HASH", [&] {
    return describe_token_session(
        ctx.client().app_tokens().start_session(c.app_token_id, c.app_token, c.app_token_hash), now_seconds());
  });
  if (!started) return;
  checks.run("app token settings", "a token for kmeet needs ADMIN type (or a setrole with the schedule permissions)", [&] {
    AppToken t;
    try {
      t = ctx.client().app_tokens().get(c.app_token_id);
    } catch (const ApiError& e) {
      if (e.code() != "SERVICE_FORBIDDEN") throw;
      return std::string("the token's own KS may not read app tokens (a USER token): settings not shown");
    }
    if (!t.session_user_id.empty()) {
      throw Error(fmt::format("the token fixes the user '{}': every join link would be that one person; join links "
                              "need a token without sessionUserId", t.session_user_id));
    }
    return fmt::format("type {}, hash {}, KS lifetime at most {}, {}",
                       !t.session_type ? "caller's" : t.session_type == SessionType::admin ? "ADMIN" : "USER",
                       to_string(t.hash), t.session_ttl ? format_duration(*t.session_ttl) : "the partner's maximum",
                       t.expires_at ? "token expires " + format_relative(*t.expires_at, now_seconds()) : "never expires");
  });
}

int doctor(Ctx& ctx, const DoctorOpts& opts) {
  Checks checks;
  const Settings& s = ctx.settings;
  bool configured =
      checks.run("configuration", "set KALTURA_PARTNER_ID and KALTURA_ADMIN_SECRET (or a config file)", [&] {
        Config c = ctx.config();
        return fmt::format("partner {} at {} (partner id from {}, admin secret {}, app token {})", c.partner_id.value(),
                           c.service_url, s.source.count("partner_id") ? s.source.at("partner_id") : "?",
                           c.admin_secret.empty() ? "not set" : "set",
                           c.app_token_id.empty() ? std::string("not set") : c.app_token_id);
      });
  if (configured) {
    const bool reachable = service_checks(ctx, checks);
    if (reachable && !s.app_token_id.empty()) app_token_checks(ctx, checks);
    std::optional<Room> sample;
    bool schedule = reachable && checks.run("schedule plugin", "ask Kaltura to enable the Schedule plugin and Meetings", [&] {
      auto page = ctx.client().rooms().list(RoomFilter{}, Pager{1, 1});
      if (!page.items.empty()) sample = page.items.front();
      return fmt::format("scheduleResource.list works ({} Meetings room{})", page.total_count,
                         page.total_count == 1 ? "" : "s");
    });
    if (schedule && !s.admin_secret.empty()) {
      std::string test_ks;
      // The check keeps its name (scripts read it); without --launch it proves reachability only.
      checks.run("KAF launch", "check KALTURA_KAF_URL and that Meetings is enabled on the KAF instance",
                 [&] { return opts.launch ? kaf_launch(ctx, sample, test_ks) : kaf_reachable(ctx); });
      checks.run("test KS privileges", "kmeet mints the join KS; report this as a bug",
                 [&] { return ks_privileges(s, ctx, test_ks); });
    }
  }
  print_checks(ctx, checks.list);
  const bool all_ok = std::all_of(checks.list.begin(), checks.list.end(), [](const Check& c) { return c.ok; });
  return all_ok ? kOk : kFailed;
}

}  // namespace

void register_doctor(Commands& commands) {
  auto& o = commands.options<DoctorOpts>();
  auto* d = commands.leaf(commands.top(), "doctor", "check a setup against the integration guide's checklist",
                          examples({"kmeet doctor", "KALTURA_SERVICE_URL=http://127.0.0.1:8080 kmeet doctor",
                                    "kmeet doctor --launch   # also enter the newest room (records a join)"}),
                          [&o](Ctx& ctx) { return doctor(ctx, o); });
  d->add_flag("--launch", o.launch,
              "also launch the newest real room as moderator kmeet-doctor (KAF records that as a join); "
              "without it the launch check uses a room that does not exist");
}

}  // namespace kmeet::cli
