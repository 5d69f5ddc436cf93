#pragma once
/// @file report.hpp
/// Attendance reports: who attended a session, as CSV (RFC 4180) or JSON.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kmeet/analytics.hpp"
#include "kmeet/export.hpp"
#include "kmeet/types.hpp"

namespace kmeet {

/// One line of an attendance report.
struct KMEET_EXPORT AttendanceRow {
  /// The session attended.
  SessionId session_id;
  /// The application's own user id (the join KS's user id, `lti_user_id`) when KAF sent it,
  /// else KAF's user id.
  std::string user_id;
  std::string kaf_user_id;  ///< KAF/Newrow user id
  /// Display name.
  std::string name;
  /// `lti_user_email` when sent, else `user_email`.
  std::string email;
  std::string role;  ///< KAF's `user_type`
  /// When the person joined.
  std::optional<Timestamp> joined;
  /// When the person left.
  std::optional<Timestamp> left;
  /// `left - joined`; when either is missing, KAF's own `duration` read as minutes (as in the
  /// guide's examples), rounded to seconds.
  std::optional<std::chrono::seconds> duration;
};

/// Attendance of one session, in the order KAF lists it.
struct KMEET_EXPORT AttendanceReport {
  /// The session reported on.
  SessionId session_id;
  /// One row per attendee.
  std::vector<AttendanceRow> rows;

  /// Builds a report from attendee records (one row each).
  static AttendanceReport from_attendees(SessionId session, const std::vector<Attendee>& attendees);
  /// Fetches every page of the session's attendance and builds the report.
  static AttendanceReport fetch(const Analytics& analytics, SessionId session, AnalyticsScope scope);

  /// CSV per RFC 4180: header `session_id,user_id,kaf_user_id,name,email,role,joined,left,duration_seconds`,
  /// CRLF line ends, fields with `,` `"` CR or LF quoted with `"` doubled. Times are ISO 8601 UTC
  /// (`2024-05-01T10:00:00Z`), empty when unknown.
  [[nodiscard]] std::string to_csv() const;
  /// One JSON document: `{"session_id":"…","attendees":[{"user_id":…,"joined":"…Z",
  /// "joined_unix":N,…,"duration_seconds":N}]}`; unknown values are `null`.
  [[nodiscard]] std::string to_json() const;
};

/// `2024-05-01T10:00:00Z`.
KMEET_EXPORT std::string format_iso8601(Timestamp t);

}  // namespace kmeet
