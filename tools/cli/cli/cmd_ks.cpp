// `kmeet ks mint|inspect`: KS tokens minted and read locally.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/privileges.hpp"

namespace kmeet::cli {
namespace {

struct KsMintOpts {
  std::string type = "user";
  std::string user;
  std::string ttl = "24h";
  bool v1 = false;
  std::optional<std::string> role, contextual_role, first_name, last_name, email, api;
  std::int64_t event = 0;
  std::int64_t room = 0;
  std::vector<std::string> privileges;
};

struct KsInspectOpts {
  std::string ks;
  std::optional<std::string> secret_env;
};

Privileges privileges_from(const KsMintOpts& o) {
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
  return p;
}

int ks_mint(Ctx& ctx, const KsMintOpts& o) {
  Config c = ctx.config();
  if (c.admin_secret.empty()) {
    throw ValidationError("admin_secret", "minting a KS needs the admin secret (KALTURA_ADMIN_SECRET)");
  }
  validate_user_id(o.user, "--user");
  const Privileges p = privileges_from(o);
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

// A key given twice stays twice in a v1 KS and the server reads it as a list (protocol.md F.6):
// show the list rather than let the last value hide the first.
Json privilege_list_json(const KsInfo& info) {
  Json privs = Json::object();
  for (const auto& [k, v] : info.privilege_list) {
    if (!privs.contains(k)) {
      privs[k] = v;
    } else {
      if (!privs[k].is_array()) privs[k] = Json::array({privs[k]});
      privs[k].push_back(v);
    }
  }
  return privs;
}

Json inspect_json(const KsInfo& info, bool have_secret, Timestamp now) {
  Json j;
  j["version"] = static_cast<int>(info.version);
  j["partnerId"] = info.partner_id.value();
  j["readable"] = info.readable;
  if (info.readable) {
    j["type"] = info.raw_type == 0 ? "user" : info.raw_type == 2 ? "admin" : std::to_string(info.raw_type);
    j["userId"] = info.user_id;
    j["expiresAt"] = info.expires_at.time_since_epoch().count();
    j["expires"] = info.expires_at > now ? "expires " + format_relative(info.expires_at, now)
                                         : "expired " + format_relative(info.expires_at, now);
    j["privileges"] = info.privileges;
    j["privilegeList"] = privilege_list_json(info);
    j["duplicatePrivileges"] = info.duplicate_privileges;
    if (info.master_partner_id) j["masterPartnerId"] = *info.master_partner_id;
    if (info.additional_data) j["additionalData"] = *info.additional_data;
  }
  j["signature"] = have_secret ? (info.signature_valid ? "valid" : "INVALID (not signed with this admin secret)")
                               : "not checked (no admin secret)";
  if (!info.readable) {
    j["note"] = "a KS v2 is encrypted: give the admin secret (KALTURA_ADMIN_SECRET or --secret-env) to read it";
  }
  return j;
}

// The admin secret to check the KS with: $VAR of --secret-env, else the configured one.
std::optional<std::string> inspect_secret(const Ctx& ctx, const KsInspectOpts& o) {
  if (o.secret_env) {
    auto v = ctx.io.getenv(o.secret_env->c_str());
    if (!v || v->empty()) throw ValidationError("--secret-env", fmt::format("${} is not set", *o.secret_env));
    return *v;
  }
  if (!ctx.settings.admin_secret.empty()) return ctx.settings.admin_secret;
  return std::nullopt;
}

int ks_inspect(Ctx& ctx, const KsInspectOpts& o) {
  std::string ks = read_ks_argument(ctx, o.ks);
  const std::optional<std::string> secret = inspect_secret(ctx, o);
  KsInfo info = secret ? Ks::inspect(ks, *secret) : Ks::inspect(ks);
  ctx.print(inspect_json(info, secret.has_value(), ctx.now));
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

void add_mint(Commands& commands, CLI::App* ks) {
  auto& o = commands.options<KsMintOpts>();
  auto* m = commands.leaf(ks, "mint", "mint a KS locally from the admin secret",
                          examples({"kmeet ks mint --type admin --ttl 1h",
                                    "kmeet ks mint --user max@example.com --event 77 --role moderator --first-name Max",
                                    "kmeet ks mint --user u1 --privilege course:algebra --v1"}),
                          [&o](Ctx& ctx) { return ks_mint(ctx, o); });
  m->add_option("--type", o.type, "user or admin")->check(CLI::IsMember({"user", "admin"}))->capture_default_str();
  m->add_option("--user", o.user, "user id");
  m->add_option("--ttl", o.ttl, "lifetime, e.g. 2h")->capture_default_str();
  m->add_flag("--v1", o.v1, "mint a KS v1 instead of v2");
  m->add_option("--role", o.role, "attendee or moderator (KAF role)")->check(CLI::IsMember({"attendee", "moderator"}));
  m->add_option("--contextual-role", o.contextual_role, "attendee or moderator (userContextualRole)")
      ->check(CLI::IsMember({"attendee", "moderator"}));
  m->add_option("--event", o.event, "eventId privilege")->check(id_value());
  m->add_option("--room", o.room, "resourceId privilege")->check(id_value());
  m->add_option("--first-name", o.first_name, "firstName privilege");
  m->add_option("--last-name", o.last_name, "lastName privilege");
  m->add_option("--email", o.email, "email privilege");
  m->add_option("--api", o.api, "KAF analytics api JSON (stored URL-encoded)");
  m->add_option("--privilege", o.privileges, "any other privilege KEY or KEY:VALUE (repeatable)");
}

void add_inspect(Commands& commands, CLI::App* ks) {
  auto& o = commands.options<KsInspectOpts>();
  auto* i = commands.leaf(ks, "inspect", "show what a KS says (never prints secrets)",
                          examples({"kmeet ks inspect \"$KS\"", "kmeet ks inspect - < ks.txt",
                                    "kmeet ks inspect \"$KS\" --secret-env OTHER_ADMIN_SECRET"}),
                          [&o](Ctx& ctx) { return ks_inspect(ctx, o); });
  i->add_option("KS", o.ks, "the KS, or - to read it from stdin")->required();
  i->add_option("--secret-env", o.secret_env,
                "environment variable holding the admin secret to decrypt and verify with "
                "(default: the configured admin secret)");
}

}  // namespace

void register_ks(Commands& commands) {
  CLI::App* ks = commands.group("ks", "mint and inspect KS tokens",
                                {"kmeet ks mint --event 77 --role attendee --user max@example.com",
                                 "kmeet ks inspect \"$KS\"", "echo \"$KS\" | kmeet ks inspect -"});
  add_mint(commands, ks);
  add_inspect(commands, ks);
}

}  // namespace kmeet::cli
