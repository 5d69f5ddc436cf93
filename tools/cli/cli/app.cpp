#include "cli/app.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/safe_text.hpp"
#include "cli/settings.hpp"
#include "cli/timefmt.hpp"
#include "cli/usage.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/meetings.hpp"

#ifndef KMEET_VERSION_STRING
#define KMEET_VERSION_STRING "0"
#endif

namespace kmeet::cli {
namespace {

std::string examples(std::initializer_list<const char*> lines) {
  std::string out = "\nExamples:\n";
  for (const char* l : lines) out += fmt::format("  {}\n", l);
  return out;
}

std::string setting_help(SettingScope scope) {
  std::string out = scope == SettingScope::room ? "\nRoom settings (--set KEY=VALUE, CSV room.KEY):\n"
                                                : "\nEvent settings (--set KEY=VALUE, CSV event.KEY):\n";
  for (const auto& s : known_settings(scope)) out += fmt::format("  {:<34} {}\n", s.name, s.values);
  return out;
}

// Replaces every known secret in a message (a misplaced argument could echo one).
std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    if (s.size() < 4) continue;
    for (auto pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos)) {
      text.replace(pos, s.size(), "[secret]");
    }
  }
  return text;
}

// One printable line: trailing newlines dropped, every control character or escape sequence from
// the server, a file or an argument shown escaped (`\x1b`, `\n`), never interpreted.
std::string one_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return printable(s);
}

// A redirect is not followed (the KS would go to whatever the Location names): say so, with the
// host the answer points to when its start names one.
std::string http_error_text(const HttpError& e) {
  std::string msg = e.what();
  if (e.status() < 300 || e.status() > 399) return msg;
  msg += " (kmeet does not follow redirects: check the URL, e.g. https:// instead of http:// or a missing path";
  const std::string& body = e.body_snippet();
  for (const char* scheme : {"https://", "http://"}) {
    const auto at = body.find(scheme);
    if (at == std::string::npos) continue;
    const auto host_at = at + std::string_view(scheme).size();
    const auto end = body.find_first_of("/\"'<> ?#\r\n", host_at);
    msg += fmt::format("; the answer points to {}{}", scheme, body.substr(host_at, end - host_at));
    break;
  }
  return msg + ")";
}

// The config file holds a secret and others may read it: warn as ssh does for a private key.
void warn_about_config_mode(const Settings& settings, std::ostream& err) {
  if (settings.config_path.empty() || !settings.config_has_secret) return;
  struct stat st {};
  if (::stat(settings.config_path.c_str(), &st) != 0 || (st.st_mode & 077) == 0) return;
  err << fmt::format("kmeet: warning: {} holds a secret but is readable by others (mode {:04o}); run: chmod 600 {}\n",
                     printable(settings.config_path), st.st_mode & 07777, printable(settings.config_path));
}


// Every ID / --room / --event / --session value: digits only, no overflow, > 0 (nothing is sent
// otherwise; CLI11's PositiveNumber clamped 99999999999999999999 to INT64_MAX and sent it).
const CLI::Validator id_value(
    [](std::string& text) { return parse_positive_id(text) ? std::string() : bad_id_reason(text); }, "", "id");
const CLI::Validator page_number(
    [](std::string& text) {
      auto v = parse_positive_id(text);
      if (!v) return bad_id_reason(text);
      return *v <= std::numeric_limits<int>::max() ? std::string()
                                                    : fmt::format("{} is too large (at most {})", *v,
                                                                  std::numeric_limits<int>::max());
    },
    "", "page");

// The first word that names no command, checked before parsing (CLI11 only says "A subcommand is
// required" for `kmeet rooms list` or `kmeet room lst`): `unknown command 'room lst' (room
// commands: create, list, ...)`. Values of options are skipped; words after a leaf are its own.
std::optional<std::string> unknown_command(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* node = &app;
  std::string path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return std::nullopt;
    if (a.size() > 1 && a[0] == '-') {
      if (a.find('=') != std::string::npos || (a[1] != '-' && a.size() > 2)) continue;  // --x=v, -ojson
      for (const CLI::App* at = node; at != nullptr; at = at->get_parent()) {
        if (const CLI::Option* opt = at->get_option_no_throw(a)) {
          // Its value (a flag such as --insecure takes none: the next word is a command).
          if (opt->get_expected_max() > 0 && opt->get_type_size_max() > 0) ++i;
          break;
        }
      }
      continue;
    }
    auto subs = node->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) return std::nullopt;  // a leaf: the rest are its arguments
    auto it = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* sub) { return sub->check_name(a); });
    if (it != subs.end()) {
      node = *it;
      path += (path.empty() ? "" : " ") + a;
      continue;
    }
    std::string names;
    for (const CLI::App* sub : subs) names += (names.empty() ? "" : ", ") + sub->get_name();
    return fmt::format("unknown command '{}' ({}commands: {})", path.empty() ? a : path + " " + a,
                       path.empty() ? "" : path + " ", names);
  }
  return std::nullopt;
}

}  // namespace

int run(const std::vector<std::string>& raw_args, Io& io) {
  CLI::App app{"kmeet: Kaltura Meetings rooms, sessions and join links from the command line.", "kmeet"};
  app.set_version_flag("--version", std::string("kmeet ") + KMEET_VERSION_STRING);
  app.require_subcommand(1);
  app.fallthrough();
  app.footer(
      "\nConfiguration: flags > environment (KALTURA_SERVICE_URL, KALTURA_PARTNER_ID, KALTURA_ADMIN_SECRET,\n"
      "KALTURA_USER_SECRET, KALTURA_KS, KALTURA_KAF_URL) > config file ($KMEET_CONFIG or\n"
      "~/.config/kmeet/config.toml, lines like: partner_id = 1234567).\n"
      "Output: table on a terminal, json when piped. Exit status: 0 ok, 1 API or network error, 2 usage error.\n" +
      examples({"export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...",
                "kmeet room create --name \"Room 101\" --set rs_room_cap=30",
                "kmeet event create --room 42 --summary Algebra --start +1h --end +2h",
                "kmeet join --event 77 --user max@example.com --role moderator",
                "kmeet import term.csv --concurrency 8 --results results.csv", "kmeet doctor"}));

  FlagValues flags;
  std::string output;
  app.add_option("--service-url", flags.service_url, "Kaltura API base URL (env KALTURA_SERVICE_URL)");
  app.add_option("--partner-id", flags.partner_id, "partner id (env KALTURA_PARTNER_ID)");
  app.add_option("--admin-secret", flags.admin_secret,
                 "admin secret; prefer env KALTURA_ADMIN_SECRET (the command line is visible to others)");
  app.add_option("--user-secret", flags.user_secret, "user secret (env KALTURA_USER_SECRET)");
  app.add_option("--ks", flags.ks, "a ready KS for API calls instead of minting one (env KALTURA_KS)");
  app.add_option("--kaf-url", flags.kaf_url, "KAF base URL (env KALTURA_KAF_URL; default https://{partnerId}.kaf.kaltura.com)");
  app.add_option("--admin-user", flags.admin_user_id, "user id inside the admin KS (owner of created events)");
  app.add_option("-o,--output", flags.output, "table, json or csv (default: table on a terminal, json otherwise)");
  app.add_option("--config", flags.config_file, "config file (default $KMEET_CONFIG or ~/.config/kmeet/config.toml)");
  app.add_option("--timeout", flags.timeout, "timeout of one HTTP request, e.g. 30s");
  app.add_option("--ca-file", flags.ca_file, "PEM bundle of trusted CAs");
  app.add_option("--proxy", flags.proxy, "HTTP proxy, e.g. http://proxy:3128");
  app.add_flag("--insecure", flags.insecure, "do not verify TLS certificates (testing only)");
  app.add_option("--rate", flags.rate, "at most this many API calls, e.g. 50/s or 600/m (env KMEET_RATE)");
  app.add_flag("-v,--verbose", flags.verbose, "one line per HTTP request on stderr (never a KS or secret)");

  // Leaves and their handlers; the parsed one runs.
  std::vector<std::pair<CLI::App*, std::function<int(Ctx&)>>> leaves;
  auto leaf = [&](CLI::App* parent, const char* name, const char* desc, std::string footer,
                  std::function<int(Ctx&)> fn) {
    CLI::App* sub = parent->add_subcommand(name, desc);
    sub->footer(std::move(footer));
    leaves.emplace_back(sub, std::move(fn));
    return sub;
  };

  // ---- room
  RoomOpts ro;
  CLI::App* room = app.add_subcommand("room", "create, list, get, update and delete rooms");
  room->require_subcommand(1);
  room->footer(examples({"kmeet room create --name \"Room 101\"", "kmeet room list --all -o csv",
                         "kmeet room get 42", "kmeet room delete 42"}));
  {
    auto* c = leaf(room, "create", "create a room (scheduleResource.add, tagged vcprovider:newrow)",
                   examples({"kmeet room create --name \"Room 101\" --description \"Main hall\" --system-name room-101 "
                             "--set rs_room_cap=30 --set rs_show_logo=off"}) +
                       setting_help(SettingScope::room),
                   [&](Ctx& ctx) { return room_create(ctx, ro); });
    c->add_option("--name", ro.name, "room name (1..256 characters)")->required();
    c->add_option("--description", ro.description, "room description");
    c->add_option("--system-name", ro.system_name, "unique system name (your idempotency key)");
    c->add_option("--set", ro.set, "setting KEY=VALUE (repeatable; see below)");

    auto* l = leaf(room, "list", "list rooms (newest first; --all for every room)",
                   examples({"kmeet room list", "kmeet room list --all -o json | jq '.[].id'",
                             "kmeet room list --system-name room-101"}),
                   [&](Ctx& ctx) { return room_list(ctx, ro); });
    l->add_flag("--all", ro.all, "every room, page after page");
    l->add_option("--page-size", ro.page_size, "rooms per page (1..500)")->check(CLI::Range(1, 500))->capture_default_str();
    l->add_option("--page", ro.page, "page number, from 1")->check(page_number)->capture_default_str();
    l->add_option("--name", ro.filter_name, "only rooms with exactly this name");
    l->add_option("--system-name", ro.filter_system_name, "only the room with this system name");
    l->add_flag("--deleted", ro.deleted, "list deleted rooms instead");

    auto* g = leaf(room, "get", "show one room", examples({"kmeet room get 42", "kmeet room get 42 -o json"}),
                   [&](Ctx& ctx) { return room_get(ctx, ro); });
    g->add_option("ID", ro.id, "room id")->required()->check(id_value);

    auto* u = leaf(room, "update", "change a room (only what is given is sent)",
                   examples({"kmeet room update 42 --name \"Room 101b\"", "kmeet room update 42 --set rs_room_cap=50"}) +
                       setting_help(SettingScope::room),
                   [&](Ctx& ctx) { return room_update(ctx, ro); });
    u->add_option("ID", ro.id, "room id")->required()->check(id_value);
    u->add_option("--name", ro.name, "new name");
    u->add_option("--description", ro.description, "new description");
    u->add_flag("--clear-description", ro.clear_description, "remove the description");
    u->add_option("--system-name", ro.system_name, "new system name");
    u->add_option("--set", ro.set, "change a setting KEY=VALUE, keeping the others (repeatable)");

    auto* d = leaf(room, "delete", "delete a room (soft delete)", examples({"kmeet room delete 42"}),
                   [&](Ctx& ctx) { return room_delete(ctx, ro); });
    d->add_option("ID", ro.id, "room id")->required()->check(id_value);
  }

  // ---- event
  EventOpts eo;
  CLI::App* event = app.add_subcommand("event", "schedule, list, change, cancel and delete sessions");
  event->require_subcommand(1);
  event->footer(examples({"kmeet event create --room 42 --summary Algebra --start 2026-03-01T09:00:00Z --end +1h",
                          "kmeet event list --room 42 --from now --to +7d", "kmeet event cancel 77"}));
  {
    auto* c = leaf(event, "create", "schedule a session in a room (event + link in one request)",
                   examples({"kmeet event create --room 42 --summary Algebra --start 2026-03-01T09:00:00+01:00 "
                             "--end 2026-03-01T10:00:00+01:00 --set rs_class_mode=webinar --set rec_auto_start=on",
                             "kmeet event create --room 42 --summary \"Office hour\" --start +15m --end +75m"}) +
                       setting_help(SettingScope::event) +
                       "\nTimes: Unix seconds, ISO 8601 (2026-03-01T09:00:00Z, +01:00 offsets), or relative +90m/+2h/+1d.\n",
                   [&](Ctx& ctx) { return event_create(ctx, eo); });
    c->add_option("--room", eo.room, "room id")->required()->check(id_value);
    c->add_option("--summary", eo.summary, "title (1..256 characters)")->required();
    c->add_option("--start", eo.start, "start time")->required();
    c->add_option("--end", eo.end, "end time")->required();
    c->add_option("--description", eo.description, "description");
    c->add_option("--reference-id", eo.reference_id, "your own id for the session");
    c->add_option("--set", eo.set, "setting KEY=VALUE (repeatable; see below)");
    c->add_flag("--allow-long", eo.allow_long, "permit sessions longer than 24 hours");

    auto* l = leaf(event, "list", "list sessions",
                   examples({"kmeet event list --room 42", "kmeet event list --from 2026-03-01 --to 2026-04-01 --all -o csv",
                             "kmeet event list --reference-id kmeet:abc..."}),
                   [&](Ctx& ctx) { return event_list(ctx, eo); });
    l->add_option("--room", eo.room, "only sessions in this room")->check(id_value);
    l->add_option("--from", eo.from, "only sessions starting at or after this time");
    l->add_option("--to", eo.to, "only sessions starting at or before this time");
    l->add_option("--status", eo.status, "active, cancelled")->check(CLI::IsMember({"active", "cancelled"}));
    l->add_option("--reference-id", eo.filter_reference_id, "only the session with this reference id");
    l->add_flag("--all", eo.all, "every session, page after page");
    l->add_option("--page-size", eo.page_size, "sessions per page (1..500)")->check(CLI::Range(1, 500))->capture_default_str();
    l->add_option("--page", eo.page, "page number, from 1")->check(page_number)->capture_default_str();

    auto* g = leaf(event, "get", "show one session", examples({"kmeet event get 77"}),
                   [&](Ctx& ctx) { return event_get(ctx, eo); });
    g->add_option("ID", eo.id, "event id")->required()->check(id_value);

    auto* u = leaf(event, "update", "change a session (only what is given is sent)",
                   examples({"kmeet event update 77 --summary \"Algebra II\"", "kmeet event update 77 --start +1d --end +1d1h",
                             "kmeet event update 77 --set rs_show_chat=off"}) +
                       setting_help(SettingScope::event),
                   [&](Ctx& ctx) { return event_update(ctx, eo); });
    u->add_option("ID", eo.id, "event id")->required()->check(id_value);
    u->add_option("--summary", eo.summary, "new title");
    u->add_option("--description", eo.description, "new description");
    u->add_flag("--clear-description", eo.clear_description, "remove the description");
    u->add_option("--start", eo.start, "new start time");
    u->add_option("--end", eo.end, "new end time");
    u->add_option("--reference-id", eo.reference_id, "new reference id");
    u->add_option("--set", eo.set, "change a setting KEY=VALUE, keeping the others (repeatable)");
    u->add_flag("--allow-long", eo.allow_long, "permit sessions longer than 24 hours");

    auto* x = leaf(event, "cancel", "cancel a session (it stays listed as cancelled)", examples({"kmeet event cancel 77"}),
                   [&](Ctx& ctx) { return event_cancel(ctx, eo); });
    x->add_option("ID", eo.id, "event id")->required()->check(id_value);
    auto* d = leaf(event, "delete", "delete a session (soft delete)", examples({"kmeet event delete 77"}),
                   [&](Ctx& ctx) { return event_delete(ctx, eo); });
    d->add_option("ID", eo.id, "event id")->required()->check(id_value);
  }

  // ---- link
  LinkOpts lo;
  CLI::App* link = app.add_subcommand("link", "list, add and delete event-room links");
  link->require_subcommand(1);
  link->footer(examples({"kmeet link list --room 42", "kmeet link add --event 77 --room 43",
                         "kmeet link delete --event 77 --room 42"}));
  {
    auto* l = leaf(link, "list", "list links", examples({"kmeet link list --event 77", "kmeet link list --room 42 --all"}),
                   [&](Ctx& ctx) { return link_list(ctx, lo); });
    l->add_option("--event", lo.event, "only links of this event")->check(id_value);
    l->add_option("--room", lo.room, "only links of this room")->check(id_value);
    l->add_flag("--all", lo.all, "every link, page after page");
    l->add_option("--page-size", lo.page_size, "links per page (1..500)")->check(CLI::Range(1, 500))->capture_default_str();
    auto* a = leaf(link, "add", "link an event to a room", examples({"kmeet link add --event 77 --room 42"}),
                   [&](Ctx& ctx) { return link_add(ctx, lo); });
    a->add_option("--event", lo.event, "event id")->required()->check(id_value);
    a->add_option("--room", lo.room, "room id")->required()->check(id_value);
    auto* d = leaf(link, "delete", "remove the link between an event and a room",
                   examples({"kmeet link delete --event 77 --room 42"}), [&](Ctx& ctx) { return link_delete(ctx, lo); });
    d->add_option("--event", lo.event, "event id")->required()->check(id_value);
    d->add_option("--room", lo.room, "room id")->required()->check(id_value);
  }

  // ---- join
  JoinOpts jo;
  {
    auto* j = leaf(&app, "join", "a join link (KAF launch URL) for one person",
                   examples({"kmeet join --event 77 --user max@example.com --first-name Max",
                             "kmeet join --room 42 --user teacher-1 --role moderator --ttl 4h",
                             "kmeet join --event 77 --user max@example.com --iframe",
                             "kmeet join --event 77 --user max@example.com -o json | jq -r .url"}),
                   [&](Ctx& ctx) { return join(ctx, jo); });
    auto* ev = j->add_option("--event", jo.event, "event id (the room is found from it)")->check(id_value);
    auto* rm = j->add_option("--room", jo.room, "room id (moderators may enter to prepare)")->check(id_value);
    ev->excludes(rm);
    j->add_option("--user", jo.user, "user id, unique per person")->required();
    j->add_option("--role", jo.role, "attendee or moderator")
        ->check(CLI::IsMember({"attendee", "moderator"}))
        ->capture_default_str();
    j->add_option("--first-name", jo.first_name, "display first name");
    j->add_option("--last-name", jo.last_name, "display last name");
    j->add_option("--email", jo.email, "e-mail address");
    j->add_option("--ttl", jo.ttl, "lifetime of the link, e.g. 4h")->capture_default_str();
    j->add_flag("--iframe", jo.iframe, "print an <iframe> snippet instead of the URL");
    j->add_flag("--via-api", jo.via_api, "get the KS from session.start instead of minting it locally");
  }

  // ---- ks
  KsMintOpts km;
  KsInspectOpts ki;
  CLI::App* ks = app.add_subcommand("ks", "mint and inspect KS tokens");
  ks->require_subcommand(1);
  ks->footer(examples({"kmeet ks mint --event 77 --role attendee --user max@example.com",
                       "kmeet ks inspect \"$KS\"", "echo \"$KS\" | kmeet ks inspect -"}));
  {
    auto* m = leaf(ks, "mint", "mint a KS locally from the admin secret",
                   examples({"kmeet ks mint --type admin --ttl 1h",
                             "kmeet ks mint --user max@example.com --event 77 --role moderator --first-name Max",
                             "kmeet ks mint --user u1 --privilege course:algebra --v1"}),
                   [&](Ctx& ctx) { return ks_mint(ctx, km); });
    m->add_option("--type", km.type, "user or admin")->check(CLI::IsMember({"user", "admin"}))->capture_default_str();
    m->add_option("--user", km.user, "user id");
    m->add_option("--ttl", km.ttl, "lifetime, e.g. 2h")->capture_default_str();
    m->add_flag("--v1", km.v1, "mint a KS v1 instead of v2");
    m->add_option("--role", km.role, "attendee or moderator (KAF role)")->check(CLI::IsMember({"attendee", "moderator"}));
    m->add_option("--contextual-role", km.contextual_role, "attendee or moderator (userContextualRole)")
        ->check(CLI::IsMember({"attendee", "moderator"}));
    m->add_option("--event", km.event, "eventId privilege")->check(id_value);
    m->add_option("--room", km.room, "resourceId privilege")->check(id_value);
    m->add_option("--first-name", km.first_name, "firstName privilege");
    m->add_option("--last-name", km.last_name, "lastName privilege");
    m->add_option("--email", km.email, "email privilege");
    m->add_option("--api", km.api, "KAF analytics api JSON (stored URL-encoded)");
    m->add_option("--privilege", km.privileges, "any other privilege KEY or KEY:VALUE (repeatable)");

    auto* i = leaf(ks, "inspect", "show what a KS says (never prints secrets)",
                   examples({"kmeet ks inspect \"$KS\"", "kmeet ks inspect - < ks.txt",
                             "kmeet ks inspect \"$KS\" --secret-env OTHER_ADMIN_SECRET"}),
                   [&](Ctx& ctx) { return ks_inspect(ctx, ki); });
    i->add_option("KS", ki.ks, "the KS, or - to read it from stdin")->required();
    i->add_option("--secret-env", ki.secret_env,
                  "environment variable holding the admin secret to decrypt and verify with "
                  "(default: the configured admin secret)");
  }

  // ---- session
  SessionOpts so;
  CLI::App* session = app.add_subcommand("session", "session.start/end/get and the server time");
  session->require_subcommand(1);
  session->footer(examples({"kmeet session start --type admin", "kmeet session get \"$KS\"", "kmeet session time"}));
  {
    auto* s = leaf(session, "start", "get a KS from the server (session.start)",
                   examples({"kmeet session start --type user --user max@example.com --privileges eventId:77,role:viewerRole"}),
                   [&](Ctx& ctx) { return session_start(ctx, so); });
    s->add_option("--type", so.type, "user or admin")->check(CLI::IsMember({"user", "admin"}))->capture_default_str();
    s->add_option("--user", so.user, "user id");
    s->add_option("--ttl", so.ttl, "lifetime (the server clamps it to its maximum, 24h by default)")
        ->capture_default_str();
    s->add_option("--privileges", so.privileges, "privileges string k:v,k:v");
    auto* e = leaf(session, "end", "end a KS (session.end); later use fails with INVALID_KS",
                   examples({"kmeet session end \"$KS\"", "kmeet session end - < ks.txt"}),
                   [&](Ctx& ctx) { return session_end(ctx, so); });
    e->add_option("KS", so.ks, "the KS, or - for stdin")->required();
    auto* g = leaf(session, "get", "what the server knows of a KS (session.get)",
                   examples({"kmeet session get \"$KS\"", "kmeet session get   # the KS kmeet uses"}),
                   [&](Ctx& ctx) { return session_get(ctx, so); });
    g->add_option("KS", so.ks, "the KS, or - for stdin (default: the KS kmeet uses)");
    leaf(session, "time", "the server's clock and the skew of this machine", examples({"kmeet session time"}),
         [&](Ctx& ctx) { return session_time(ctx); });
  }

  // ---- analytics
  AnalyticsOpts ao;
  CLI::App* analytics = app.add_subcommand("analytics", "sessions held and who attended (KAF analytics)");
  analytics->require_subcommand(1);
  analytics->footer(examples({"kmeet analytics sessions --room 42", "kmeet analytics attendees --session 16772 --room 42"}));
  {
    auto* s = leaf(analytics, "sessions", "sessions held in a room (every page)",
                   examples({"kmeet analytics sessions --room 42 --from 2026-11-01T00:00:00Z --to +1d"}),
                   [&](Ctx& ctx) { return analytics_sessions(ctx, ao); });
    s->add_option("--room", ao.room, "room id")->required()->check(id_value);
    s->add_option("--from", ao.from, "from time (Unix seconds, ISO 8601 or +90m/+2h/+1d)");
    s->add_option("--to", ao.to, "to time");
    s->add_option("--max-pages", ao.max_pages, "stop with an error after this many pages (default 1000)")
        ->check(CLI::Range(std::int64_t{1}, Analytics::kDefaultMaxPages));
    auto* a = leaf(analytics, "attendees", "who attended a session: user, name, role, joined, left, duration",
                   examples({"kmeet analytics attendees --session 16772 --room 42",
                             "kmeet analytics attendees --session 16772 --event 3371011 --output csv"}),
                   [&](Ctx& ctx) { return analytics_attendees(ctx, ao); });
    a->add_option("--session", ao.session, "session id (from analytics sessions)")->required()->check(id_value);
    auto* ar = a->add_option("--room", ao.room, "room id")->check(id_value);
    auto* ae = a->add_option("--event", ao.event, "event id")->check(id_value);
    ar->excludes(ae);
    a->add_option("--max-pages", ao.max_pages, "stop with an error after this many pages (default 1000)")
        ->check(CLI::Range(std::int64_t{1}, Analytics::kDefaultMaxPages));
  }

  // ---- import
  ImportOpts io_;
  {
    std::string cols =
        "\nCSV columns (header row, by name, any order):\n"
        "  room_name         required; the room\n"
        "  room_system_name  optional; the room's idempotency key (derived from room_name when empty)\n"
        "  room_description  optional; the room's description\n"
        "  summary           required; the session's title\n"
        "  start, end        required; Unix seconds, ISO 8601 or +2h/+1d\n"
        "  description       optional; the session's description\n"
        "  room.KEY          room setting (e.g. room.rs_room_cap)\n"
        "  event.KEY         session setting (e.g. event.rs_class_mode)\n"
        "Every row is checked before anything is sent; bad rows are reported as 'line N: reason' and\n"
        "skipped. Running the same file again creates nothing twice (rooms by system name, sessions by\n"
        "a reference id derived from the row). Summary: {\"created\":N,\"skipped\":N,\"failed\":N};\n"
        "exit status 1 when a row failed.\n";
    auto* i = leaf(&app, "import", "create rooms and sessions from a CSV file (idempotent, resumable)",
                   examples({"kmeet import term.csv", "kmeet import term.csv --concurrency 8 --batch 25 --results out.csv",
                             "kmeet import term.csv --dry-run"}) +
                       cols + setting_help(SettingScope::room) + setting_help(SettingScope::event),
                   [&](Ctx& ctx) { return import_csv(ctx, io_); });
    i->add_option("FILE", io_.file, "CSV file (- for stdin)")->required();
    i->add_option("--concurrency", io_.concurrency, "parallel requests (1..32)")->check(CLI::Range(1, 32))->capture_default_str();
    i->add_option("--batch", io_.batch, "meetings per request (1..100)")->check(CLI::Range(1, 100))->capture_default_str();
    i->add_option("--results", io_.results, "write a results CSV (line, room id, event id, status, moderator join URL)");
    i->add_option("--moderator-user", io_.moderator_user, "user id in the moderator join URLs of --results")
        ->capture_default_str();
    i->add_flag("--dry-run", io_.dry_run, "check the file and show what would be created, send nothing");
    i->add_flag("--strict", io_.strict, "refuse the whole file when any row is invalid (exit 2, nothing sent)");
  }

  DoctorOpts dopt;
  {
    auto* d = leaf(&app, "doctor", "check a setup against the integration guide's checklist",
                   examples({"kmeet doctor", "KALTURA_SERVICE_URL=http://127.0.0.1:8080 kmeet doctor",
                             "kmeet doctor --launch   # also enter the newest room (records a join)"}),
                   [&](Ctx& ctx) { return doctor(ctx, dopt); });
    d->add_flag("--launch", dopt.launch,
                "also launch the newest real room as moderator kmeet-doctor (KAF records that as a join); "
                "without it the launch check uses a room that does not exist");
  }

  // Every secret we know of, to scrub from messages.
  std::vector<std::string> secrets;
  for (const char* var : {"KALTURA_ADMIN_SECRET", "KALTURA_USER_SECRET"}) {
    if (auto v = io.getenv(var)) secrets.push_back(*v);
  }
  for (std::size_t i = 0; i + 1 < raw_args.size(); ++i) {
    if (raw_args[i] == "--admin-secret" || raw_args[i] == "--user-secret") secrets.push_back(raw_args[i + 1]);
  }
  for (const auto& a : raw_args) {
    for (const char* p : {"--admin-secret=", "--user-secret="}) {
      if (a.rfind(p, 0) == 0) secrets.push_back(a.substr(std::string(p).size()));
    }
  }

  for (std::size_t i = 0; i + 1 < raw_args.size(); ++i) {
    if (raw_args[i] == "--ks") secrets.push_back(raw_args[i + 1]);
  }
  for (const auto& a : raw_args) {
    if (a.rfind("--ks=", 0) == 0) secrets.push_back(a.substr(5));
  }
  if (auto v = io.getenv("KALTURA_KS")) secrets.push_back(*v);

  if (auto unknown = unknown_command(app, raw_args)) {
    io.err << "kmeet: error: " << one_line(scrub(*unknown, secrets)) << '\n';
    return kUsage;
  }

  try {
    std::vector<std::string> args(raw_args.rbegin(), raw_args.rend());  // CLI11 wants them reversed
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    io.out << app.help();
    return kOk;
  } catch (const CLI::CallForAllHelp& e) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return kOk;
  } catch (const CLI::CallForVersion& e) {
    io.out << e.what() << '\n';
    return kOk;
  } catch (const CLI::ValidationError& e) {
    // A bad value (`--room: 'abc' is not a positive whole number`): the option is named already.
    io.err << "kmeet: error: " << one_line(scrub(e.what(), secrets)) << '\n';
    return kUsage;
  } catch (const CLI::ParseError& e) {
    // --help on a subcommand is reported through the subcommand's own exception type above;
    // everything else is a usage error.
    io.err << "kmeet: error: " << one_line(scrub(e.what(), secrets)) << " (see kmeet --help)\n";
    return kUsage;
  }

  std::function<int(Ctx&)> handler;
  for (auto& [sub, fn] : leaves) {
    if (sub->parsed()) handler = fn;
  }
  if (!handler) {
    io.err << "kmeet: error: no command given (see kmeet --help)\n";
    return kUsage;
  }

  try {
    auto read_file = io.read_file;
    Settings settings = resolve_settings(flags, io.getenv, read_file);
    warn_about_config_mode(settings, io.err);
    if (flags.admin_secret) {
      io.err << "kmeet: warning: --admin-secret on the command line is visible to other users (ps, shell "
                "history); set KALTURA_ADMIN_SECRET instead\n";
    }
    if (flags.user_secret) {
      io.err << "kmeet: warning: --user-secret on the command line is visible to other users; set "
                "KALTURA_USER_SECRET instead\n";
    }
    if (flags.ks) {
      io.err << "kmeet: warning: --ks on the command line is visible to other users (ps, shell history); set "
                "KALTURA_KS instead\n";
    }
    if (!settings.ks.empty() && !settings.admin_secret.empty()) {
      // design.md section 4: with an admin secret, API calls use a KS minted locally (and renewed).
      auto from = [&](const char* key, const char* flag) {
        auto it = settings.source.find(key);
        if (it == settings.source.end()) return std::string("?");
        return it->second == "flag" ? std::string(flag) : it->second;
      };
      io.err << fmt::format("kmeet: warning: both a KS ({}) and an admin secret ({}) are set; using the admin secret "
                            "(KSs minted locally), not the given KS\n",
                            printable(from("ks", "--ks")), printable(from("admin_secret", "--admin-secret")));
      secrets.push_back(settings.ks);
      settings.ks.clear();
    }
    if (!settings.ks.empty()) secrets.push_back(settings.ks);
    if (!settings.admin_secret.empty()) secrets.push_back(settings.admin_secret);
    if (!settings.user_secret.empty()) secrets.push_back(settings.user_secret);
    Format format = settings.output.empty() ? (io.out_tty ? Format::table : Format::json) : parse_format(settings.output);
    Ctx ctx(io, std::move(settings), format, now_seconds());
    return handler(ctx);
  } catch (const ValidationError& e) {
    io.err << "kmeet: error: "
           << one_line(scrub(fmt::format("{}: {}", flag_for_field(e.field()), reason_for_cli(e.reason())), secrets))
           << '\n';
    return kUsage;
  } catch (const ApiError& e) {
    std::string msg = fmt::format("API error {}: {}", e.code(), e.api_message());
    if (!e.ks_reason().empty()) msg += fmt::format(" (KS {})", e.ks_reason());
    io.err << "kmeet: error: " << one_line(scrub(msg, secrets)) << '\n';
    return kFailed;
  } catch (const HttpError& e) {
    io.err << "kmeet: error: " << one_line(scrub(http_error_text(e), secrets)) << '\n';  // "HTTP 503: ..."
    return kFailed;
  } catch (const std::exception& e) {
    io.err << "kmeet: error: " << one_line(scrub(reason_for_cli(e.what()), secrets)) << '\n';
    return kFailed;
  }
}

int main(int argc, char** argv) {
  // kmeet holds the admin secret in memory: no core dump may write it to disk, and no other
  // process of this user may read this one's memory (PR_SET_DUMPABLE 0 also blocks ptrace attach).
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  std::ios::sync_with_stdio(true);
  Io io{std::cout, std::cerr};
  io.out_tty = ::isatty(STDOUT_FILENO) == 1;
  io.err_tty = ::isatty(STDERR_FILENO) == 1;
  io.getenv = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  io.read_file = [](const std::string& path) -> std::optional<std::string> {
    // The config file: a few KiB; /dev/urandom or a FIFO stops at the cap (exit 2).
    std::string text;
    if (!read_capped_file_if_exists(path, kMaxConfigBytes, "config", text)) return std::nullopt;
    return text;
  };
  io.in = &std::cin;
  std::vector<std::string> args(argv + 1, argv + argc);
  int rc = run(args, io);
  std::cout.flush();
  return rc;
}

}  // namespace kmeet::cli
