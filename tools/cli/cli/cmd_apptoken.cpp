// `kmeet apptoken create|list|get|delete|rotate`: application tokens (protocol.md I,
// docs/security.md). Only create and rotate print a token value.
#include <chrono>
#include <thread>

#include "cli/commands.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/app_tokens.hpp"
#include "kmeet/privileges.hpp"

namespace kmeet::cli {
namespace {

struct AppTokenOpts {
  std::string type;
  std::string user_id;
  std::string duration;
  std::string expiry;
  std::vector<std::string> privileges;
  std::string hash = "sha256";
  std::string description;
  bool all = false;
  std::string id;
  std::string grace = "10m";
};

/// The token object with the API's field names; `token` only when `with_value`.
Json token_json(const AppToken& t, bool with_value) {
  Json j;
  j["id"] = t.id;
  if (with_value) j["token"] = t.token;
  j["hashType"] = std::string(to_string(t.hash));
  if (t.session_type) j["sessionType"] = static_cast<int>(*t.session_type);
  if (!t.session_user_id.empty()) j["sessionUserId"] = t.session_user_id;
  if (t.session_ttl) j["sessionDuration"] = t.session_ttl->count();
  if (!t.session_privileges.empty()) j["sessionPrivileges"] = t.session_privileges;
  if (t.expires_at) j["expiry"] = t.expires_at->time_since_epoch().count();
  j["status"] = static_cast<int>(t.status);
  if (!t.description.empty()) j["description"] = t.description;
  j["createdAt"] = t.created_at.time_since_epoch().count();
  return j;
}

const std::vector<Column>& token_columns() {
  static const std::vector<Column> columns = {{"id", "ID"},
                                              {"sessionType", "TYPE"},
                                              {"sessionUserId", "USER"},
                                              {"sessionDuration", "DURATION"},
                                              {"expiry", "EXPIRY"},
                                              {"hashType", "HASH"},
                                              {"description", "DESCRIPTION"}};
  return columns;
}

AppTokenSpec spec_from(const Ctx& ctx, const AppTokenOpts& o) {
  AppTokenSpec s;
  if (!o.type.empty()) s.session_type = o.type == "admin" ? SessionType::admin : SessionType::user;
  s.session_user_id = o.user_id;
  if (!o.duration.empty()) s.session_ttl = parse_duration(o.duration, "--duration");
  if (!o.expiry.empty()) {
    s.expires_at = parse_time(o.expiry, ctx.now, "--expiry");
    if (*s.expires_at <= ctx.now) {
      throw ValidationError("--expiry", "is not in the future: a token past its expiry cannot start sessions");
    }
  }
  Privileges p;
  for (const auto& kv : o.privileges) {
    const auto colon = kv.find(':');
    try {
      if (colon == std::string::npos) {
        p.set(kv);
      } else {
        p.set(std::string_view(kv).substr(0, colon), std::string_view(kv).substr(colon + 1));
      }
    } catch (const ValidationError& e) {
      throw ValidationError("--privilege", "'" + kv + "': " + e.reason());
    }
  }
  s.session_privileges = p.str();
  s.hash = parse_app_token_hash(o.hash, "--hash");
  s.description = o.description;
  return s;
}

int token_create(Ctx& ctx, const AppTokenOpts& o) {
  const AppTokenSpec spec = spec_from(ctx, o);  // every flag checked before anything is sent
  ctx.print(token_json(ctx.client().app_tokens().add(spec), true));
  return kOk;
}

int token_list(Ctx& ctx, const AppTokenOpts& o) {
  Json out = Json::array();
  if (o.all) {
    for (const AppToken& t : ctx.client().app_tokens().list_all()) out.push_back(token_json(t, false));
  } else {
    for (const AppToken& t : ctx.client().app_tokens().list().items) out.push_back(token_json(t, false));
  }
  ctx.print_list(out, token_columns());
  return kOk;
}

int token_get(Ctx& ctx, const AppTokenOpts& o) {
  ctx.print(token_json(ctx.client().app_tokens().get(o.id), false));
  return kOk;
}

int token_delete(Ctx& ctx, const AppTokenOpts& o) {
  ctx.client().app_tokens().remove(o.id);
  Json j;
  j["id"] = o.id;
  j["deleted"] = true;
  ctx.print(j);
  return kOk;
}

/// A new token with the old one's settings; the old one is deleted after the grace period (so
/// running servers can switch first). The new token is printed before the wait.
int token_rotate(Ctx& ctx, const AppTokenOpts& o) {
  const auto grace = parse_duration(o.grace, "--grace");
  const AppTokens tokens = ctx.client().app_tokens();
  const AppToken old = tokens.get(o.id);
  std::optional<Timestamp> expiry = old.expires_at;
  if (!o.expiry.empty()) expiry = parse_time(o.expiry, ctx.now, "--expiry");
  if (expiry && *expiry <= ctx.now) {
    throw ValidationError("--expiry", "the old token expired at " + format_iso(*old.expires_at) +
                                          ": give the new token's expiry (--expiry)");
  }
  const AppToken made = tokens.add(AppTokenSpec{.session_type = old.session_type,
                                                .session_user_id = old.session_user_id,
                                                .session_ttl = old.session_ttl,
                                                .session_privileges = old.session_privileges,
                                                .hash = old.hash,
                                                .expires_at = expiry,
                                                .description = old.description});
  Json j = token_json(made, true);
  j["replaces"] = old.id;
  j["oldDeletedAfterSeconds"] = grace.count();
  ctx.print(j);
  ctx.io.out.flush();
  std::this_thread::sleep_for(grace);
  tokens.remove(old.id);
  return kOk;
}

void add_spec_options(CLI::App* c, AppTokenOpts& o) {
  c->add_option("--type", o.type, "session type the token forces (default: the caller's, USER)")
      ->check(CLI::IsMember({"user", "admin"}));
  c->add_option("--user-id", o.user_id, "user the token forces (leave out for join tokens: one user per person)");
  c->add_option("--duration", o.duration, "longest KS lifetime, e.g. 1h (default: the partner's maximum)");
  c->add_option("--expiry", o.expiry, "when the token stops working (ISO time or +30d; default never)");
  c->add_option("--privilege", o.privileges, "KEY:VALUE put into every KS (repeatable)");
  c->add_option("--hash", o.hash, "hash type: sha256 (default), sha1, sha512, md5")->capture_default_str();
  c->add_option("--description", o.description, "what the token is for");
}

}  // namespace

void register_apptoken(Commands& commands) {
  auto& o = commands.options<AppTokenOpts>();
  CLI::App* group = commands.group("apptoken", "create, list, get, delete and rotate application tokens",
                                   {"kmeet apptoken create --type user --duration 4h --description 'CS101 joins'",
                                    "kmeet apptoken list --all", "kmeet apptoken rotate 0_o7l19k80 --grace 10m"});
  auto* c = commands.leaf(group, "create", "create a token (prints its value once: store it as a secret)",
                          examples({"kmeet apptoken create --type admin --duration 1h --description provisioning"}),
                          [&o](Ctx& ctx) { return token_create(ctx, o); });
  add_spec_options(c, o);
  auto* l = commands.leaf(group, "list", "list tokens (values are not printed)", examples({"kmeet apptoken list --all"}),
                          [&o](Ctx& ctx) { return token_list(ctx, o); });
  l->add_flag("--all", o.all, "every token, page after page");
  auto* g = commands.leaf(group, "get", "show one token (its value is not printed)", examples({"kmeet apptoken get 0_o7l19k80"}),
                          [&o](Ctx& ctx) { return token_get(ctx, o); });
  g->add_option("ID", o.id, "token id")->required();
  auto* d = commands.leaf(group, "delete", "delete a token: every KS it issued stops working",
                          examples({"kmeet apptoken delete 0_o7l19k80"}), [&o](Ctx& ctx) { return token_delete(ctx, o); });
  d->add_option("ID", o.id, "token id")->required();
  auto* r = commands.leaf(group, "rotate", "new token with the same settings; the old one deleted after the grace",
                          examples({"kmeet apptoken rotate 0_o7l19k80 --grace 10m"}),
                          [&o](Ctx& ctx) { return token_rotate(ctx, o); });
  r->add_option("ID", o.id, "token id")->required();
  r->add_option("--expiry", o.expiry, "the new token's expiry (default: the old one's)");
  r->add_option("--grace", o.grace, "how long the old token keeps working, e.g. 10m")->capture_default_str();
}

}  // namespace kmeet::cli
