// `kmeet analytics sessions|attendees`: sessions held in a room and who attended (KAF analytics).
#include <optional>
#include <string>
#include <utility>

#include "cli/commands.hpp"
#include "cli/timefmt.hpp"
#include "cli/usage.hpp"
#include "kmeet/analytics.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/report.hpp"

namespace kmeet::cli {
namespace {

struct AnalyticsOpts {
  std::int64_t room = 0;
  std::int64_t event = 0;
  std::int64_t session = 0;
  std::optional<std::string> from;
  std::optional<std::string> to;
  /// Most pages one listing fetches (Analytics::max_pages).
  std::int64_t max_pages = 1000;
};

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

Json session_json(const RoomSession& s) {
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
  return j;
}

int analytics_sessions(Ctx& ctx, const AnalyticsOpts& o) {
  const auto from = optional_time(o.from, ctx.now, "--from");
  const auto to = optional_time(o.to, ctx.now, "--to");
  Json out = Json::array();
  // Every page is fetched (a fresh KS each); a failing page fails the command, never a partial list.
  for (const RoomSession& s : ctx.client().analytics().max_pages(o.max_pages).sessions(RoomId{o.room}, from, to)) {
    out.push_back(session_json(s));
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

// An attendee as `analytics attendees` prints it: the row of the library's attendance report
// (AttendanceReport::to_json, the one JSON form of attendance) under the CLI's names, which show
// Unix times and seconds only. {CLI key, report key, table header}.
struct AttendeeField {
  const char* key;
  const char* report_key;
  const char* header;
};
constexpr AttendeeField kAttendeeFields[] = {
    {"user_id", "user_id", "USER"},       {"name", "name", "NAME"},           {"email", "email", "EMAIL"},
    {"role", "role", "ROLE"},             {"joined", "joined_unix", "JOINED"}, {"left", "left_unix", "LEFT"},
    {"duration", "duration_seconds", "SECONDS"}};

Json attendees_json(const AttendanceReport& report) {
  const Json doc = Json::parse(report.to_json());
  Json out = Json::array();
  for (const Json& row : doc.at("attendees")) {
    Json j;
    for (const AttendeeField& f : kAttendeeFields) j[f.key] = row.at(f.report_key);
    out.push_back(std::move(j));
  }
  return out;
}

int analytics_attendees(Ctx& ctx, const AnalyticsOpts& o) {
  if ((o.room > 0) == (o.event > 0)) {
    throw ValidationError("--room/--event", "give exactly one of --room or --event");
  }
  const AnalyticsScope scope = o.room > 0 ? AnalyticsScope(RoomId{o.room}) : AnalyticsScope(EventId{o.event});
  const AttendanceReport report =
      AttendanceReport::fetch(ctx.client().analytics().max_pages(o.max_pages), SessionId{o.session}, scope);
  std::vector<Column> columns;
  for (const AttendeeField& f : kAttendeeFields) columns.push_back({f.key, f.header});
  ctx.print_list(attendees_json(report), columns);
  return kOk;
}

}  // namespace

void register_analytics(Commands& commands) {
  auto& o = commands.options<AnalyticsOpts>();
  CLI::App* analytics =
      commands.group("analytics", "sessions held and who attended (KAF analytics)",
                     {"kmeet analytics sessions --room 42", "kmeet analytics attendees --session 16772 --room 42"});
  auto* s = commands.leaf(analytics, "sessions", "sessions held in a room (every page)",
                          examples({"kmeet analytics sessions --room 42 --from 2026-11-01T00:00:00Z --to +1d"}),
                          [&o](Ctx& ctx) { return analytics_sessions(ctx, o); });
  s->add_option("--room", o.room, "room id")->required()->check(id_value());
  s->add_option("--from", o.from, "from time (Unix seconds, ISO 8601 or +90m/+2h/+1d)");
  s->add_option("--to", o.to, "to time");
  s->add_option("--max-pages", o.max_pages, "stop with an error after this many pages (default 1000)")
      ->check(CLI::Range(std::int64_t{1}, Analytics::kDefaultMaxPages));
  auto* a = commands.leaf(analytics, "attendees", "who attended a session: user, name, role, joined, left, duration",
                          examples({"kmeet analytics attendees --session 16772 --room 42",
                                    "kmeet analytics attendees --session 16772 --event 3371011 --output csv"}),
                          [&o](Ctx& ctx) { return analytics_attendees(ctx, o); });
  a->add_option("--session", o.session, "session id (from analytics sessions)")->required()->check(id_value());
  auto* ar = a->add_option("--room", o.room, "room id")->check(id_value());
  auto* ae = a->add_option("--event", o.event, "event id")->check(id_value());
  ar->excludes(ae);
  a->add_option("--max-pages", o.max_pages, "stop with an error after this many pages (default 1000)")
      ->check(CLI::Range(std::int64_t{1}, Analytics::kDefaultMaxPages));
}

}  // namespace kmeet::cli
