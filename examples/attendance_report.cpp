// Attendance report for a room: every session held in it and who attended, as CSV or JSON.
//
//   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...   # the admin secret mints the KSs
//   kmeet_example_attendance_report ROOM_ID [--json] [--since UNIX_SECONDS]
//
// KALTURA_KAF_URL points it at another KAF (e.g. the kmeet-emulator: http://127.0.0.1:PORT).

#include <kmeet/analytics.hpp>
#include <kmeet/client.hpp>
#include <kmeet/errors.hpp>
#include <kmeet/report.hpp>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

int usage() {
  std::cerr << "usage: attendance_report ROOM_ID [--json] [--since UNIX_SECONDS]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<kmeet::RoomId> room;
  std::optional<kmeet::Timestamp> since;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--since" && i + 1 < argc) {
      const auto v = parse_int(argv[++i]);
      if (!v) return usage();
      since = kmeet::Timestamp(std::chrono::seconds(*v));
    } else if (auto id = parse_int(arg); id && !room) {
      room = kmeet::RoomId(*id);
    } else {
      return usage();
    }
  }
  if (!room) return usage();

  try {
    const kmeet::Client client = kmeet::Client::from_env();
    const kmeet::Analytics analytics = client.analytics();
    // Pages are fetched while iterating; an error on any page ends the loop with an exception,
    // so a report is never silently short. Output is written only once everything was read.
    std::string out = json ? "[" : "";
    bool first = true;
    for (const kmeet::RoomSession& session : analytics.sessions(*room, since)) {
      const auto report = kmeet::AttendanceReport::fetch(analytics, session.id, *room);
      if (json) {
        out += (first ? "" : ",") + report.to_json();
      } else {
        out += "# session " + session.id.str() + " in \"" + session.room_name + "\"" +
               (session.start ? " started " + kmeet::format_iso8601(*session.start) : std::string()) + ", " +
               std::to_string(report.rows.size()) + " attendees\n" + report.to_csv();
      }
      first = false;
    }
    if (json) out += "]\n";
    std::cout << out;
    return 0;
  } catch (const kmeet::ValidationError& e) {
    std::cerr << "attendance_report: " << e.what() << "\n";
    return 2;
  } catch (const kmeet::Error& e) {
    std::cerr << "attendance_report: " << e.what() << "\n";
    return 1;
  }
}
