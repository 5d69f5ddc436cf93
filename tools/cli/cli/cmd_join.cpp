// `kmeet join`: a join link (KAF launch URL) for one person.
#include <ostream>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/safe_text.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/urls.hpp"

namespace kmeet::cli {
namespace {

struct JoinOpts {
  std::int64_t event = 0;
  std::int64_t room = 0;
  std::string user;
  std::string role = "attendee";
  std::string first_name, last_name, email;
  std::string ttl = "2h";
  bool iframe = false;
  bool via_api = false;
};

JoinRequest join_request(const JoinOpts& o) {
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
  return r;
}

int join(Ctx& ctx, const JoinOpts& o) {
  JoinLink link = ctx.client().join(join_request(o));
  if (o.iframe && ctx.format == Format::table) {
    ctx.io.out << iframe_html(link.url) << '\n';
    return kOk;
  }
  if (ctx.format == Format::table) {
    ctx.io.out << link.url << '\n';
    ctx.io.err << fmt::format("kmeet: {} link for {} expires {} ({})\n", o.role, printable(o.user),
                              format_iso(link.expires_at), format_relative(link.expires_at, ctx.now));
    return kOk;
  }
  Json j;
  j["url"] = link.url;
  j["ks"] = link.ks;
  j["expiresAt"] = link.expires_at.time_since_epoch().count();
  if (o.iframe) j["iframe"] = iframe_html(link.url);
  ctx.print(j);
  return kOk;
}

}  // namespace

void register_join(Commands& commands) {
  auto& o = commands.options<JoinOpts>();
  auto* j = commands.leaf(commands.top(), "join", "a join link (KAF launch URL) for one person",
                          examples({"kmeet join --event 77 --user max@example.com --first-name Max",
                                    "kmeet join --room 42 --user teacher-1 --role moderator --ttl 4h",
                                    "kmeet join --event 77 --user max@example.com --iframe",
                                    "kmeet join --event 77 --user max@example.com -o json | jq -r .url"}),
                          [&o](Ctx& ctx) { return join(ctx, o); });
  auto* ev = j->add_option("--event", o.event, "event id (the room is found from it)")->check(id_value());
  auto* rm = j->add_option("--room", o.room, "room id (moderators may enter to prepare)")->check(id_value());
  ev->excludes(rm);
  j->add_option("--user", o.user, "user id, unique per person")->required();
  j->add_option("--role", o.role, "attendee or moderator")
      ->check(CLI::IsMember({"attendee", "moderator"}))
      ->capture_default_str();
  j->add_option("--first-name", o.first_name, "display first name");
  j->add_option("--last-name", o.last_name, "display last name");
  j->add_option("--email", o.email, "e-mail address");
  j->add_option("--ttl", o.ttl, "lifetime of the link, e.g. 4h")->capture_default_str();
  j->add_flag("--iframe", o.iframe, "print an <iframe> snippet instead of the URL");
  j->add_flag("--via-api", o.via_api, "get the KS from session.start instead of minting it locally");
}

}  // namespace kmeet::cli
