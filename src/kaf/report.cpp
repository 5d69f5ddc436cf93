#include "kmeet/report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace kmeet {
namespace {

/// RFC 4180: a field with `,` `"` CR or LF is enclosed in quotes, with quotes doubled.
void csv_field(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
    return;
  }
  out.push_back('"');
  for (const char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string time_or_empty(const std::optional<Timestamp>& t) { return t ? format_iso8601(*t) : std::string(); }

nlohmann::ordered_json time_json(const std::optional<Timestamp>& t) {
  return t ? nlohmann::ordered_json(format_iso8601(*t)) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json unix_json(const std::optional<Timestamp>& t) {
  return t ? nlohmann::ordered_json(t->time_since_epoch().count()) : nlohmann::ordered_json(nullptr);
}

}  // namespace

std::string format_iso8601(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

AttendanceReport AttendanceReport::from_attendees(SessionId session, const std::vector<Attendee>& attendees) {
  AttendanceReport report;
  report.session_id = session;
  report.rows.reserve(attendees.size());
  for (const Attendee& a : attendees) {
    AttendanceRow row;
    row.session_id = a.session_id.valid() ? a.session_id : session;
    row.user_id = a.lti_user_id.empty() ? a.user_id : a.lti_user_id;
    row.kaf_user_id = a.user_id;
    row.name = a.user_name;
    row.email = a.lti_user_email.empty() ? a.user_email : a.lti_user_email;
    row.role = a.user_type;
    row.joined = a.joined;
    row.left = a.left;
    if (auto d = a.time_in_room()) {
      row.duration = *d;
    } else if (a.duration && *a.duration >= 0) {
      // KAF's own duration is in minutes in the guide's examples (0.5333 for a 32-second stay).
      row.duration = std::chrono::seconds(static_cast<std::int64_t>(std::llround(*a.duration * 60.0)));
    }
    report.rows.push_back(std::move(row));
  }
  return report;
}

AttendanceReport AttendanceReport::fetch(const Analytics& analytics, SessionId session, AnalyticsScope scope) {
  return from_attendees(session, analytics.session_attendees(session, scope).to_vector());
}

std::string AttendanceReport::to_csv() const {
  std::string out = "session_id,user_id,kaf_user_id,name,email,role,joined,left,duration_seconds\r\n";
  for (const AttendanceRow& r : rows) {
    csv_field(out, r.session_id.str());
    out.push_back(',');
    csv_field(out, r.user_id);
    out.push_back(',');
    csv_field(out, r.kaf_user_id);
    out.push_back(',');
    csv_field(out, r.name);
    out.push_back(',');
    csv_field(out, r.email);
    out.push_back(',');
    csv_field(out, r.role);
    out.push_back(',');
    csv_field(out, time_or_empty(r.joined));
    out.push_back(',');
    csv_field(out, time_or_empty(r.left));
    out.push_back(',');
    if (r.duration) out += std::to_string(r.duration->count());
    out += "\r\n";
  }
  return out;
}

std::string AttendanceReport::to_json() const {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  doc["session_id"] = session_id.str();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const AttendanceRow& r : rows) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["session_id"] = r.session_id.str();
    j["user_id"] = r.user_id;
    j["kaf_user_id"] = r.kaf_user_id;
    j["name"] = r.name;
    j["email"] = r.email;
    j["role"] = r.role;
    j["joined"] = time_json(r.joined);
    j["joined_unix"] = unix_json(r.joined);
    j["left"] = time_json(r.left);
    j["left_unix"] = unix_json(r.left);
    j["duration_seconds"] = r.duration ? nlohmann::ordered_json(r.duration->count()) : nlohmann::ordered_json(nullptr);
    list.push_back(std::move(j));
  }
  doc["attendees"] = std::move(list);
  // Invalid UTF-8 from the server is replaced rather than failing the whole report.
  return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace kmeet
