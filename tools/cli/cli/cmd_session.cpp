// `kmeet session start|end|get|time`: session.start/end/get and the server's clock.
#include <ostream>
#include <string>

#include "cli/commands.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/sessions.hpp"

namespace kmeet::cli {
namespace {

struct SessionOpts {
  std::string type = "user";
  std::string user;
  std::string ttl = "24h";
  std::string privileges;
  std::string ks;
};

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

}  // namespace

void register_session(Commands& commands) {
  auto& o = commands.options<SessionOpts>();
  CLI::App* session = commands.group("session", "session.start/end/get and the server time",
                                     {"kmeet session start --type admin", "kmeet session get \"$KS\"",
                                      "kmeet session time"});
  auto* s = commands.leaf(
      session, "start", "get a KS from the server (session.start)",
      examples({"kmeet session start --type user --user max@example.com --privileges eventId:77,role:viewerRole"}),
      [&o](Ctx& ctx) { return session_start(ctx, o); });
  s->add_option("--type", o.type, "user or admin")->check(CLI::IsMember({"user", "admin"}))->capture_default_str();
  s->add_option("--user", o.user, "user id");
  s->add_option("--ttl", o.ttl, "lifetime (the server clamps it to its maximum, 24h by default)")
      ->capture_default_str();
  s->add_option("--privileges", o.privileges, "privileges string k:v,k:v");
  auto* e = commands.leaf(session, "end", "end a KS (session.end); later use fails with INVALID_KS",
                          examples({"kmeet session end \"$KS\"", "kmeet session end - < ks.txt"}),
                          [&o](Ctx& ctx) { return session_end(ctx, o); });
  e->add_option("KS", o.ks, "the KS, or - for stdin")->required();
  auto* g = commands.leaf(session, "get", "what the server knows of a KS (session.get)",
                          examples({"kmeet session get \"$KS\"", "kmeet session get   # the KS kmeet uses"}),
                          [&o](Ctx& ctx) { return session_get(ctx, o); });
  g->add_option("KS", o.ks, "the KS, or - for stdin (default: the KS kmeet uses)");
  commands.leaf(session, "time", "the server's clock and the skew of this machine", examples({"kmeet session time"}),
                [](Ctx& ctx) { return session_time(ctx); });
}

}  // namespace kmeet::cli
