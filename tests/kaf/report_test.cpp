// Attendance report export: CSV (RFC 4180) and JSON.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "kmeet/report.hpp"

namespace kmeet {
namespace {

using namespace std::chrono_literals;

Timestamp at(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

std::vector<Attendee> sample() {
  Attendee max;
  max.session_id = SessionId(16772);
  max.user_id = "203";
  max.lti_user_id = "max@organization.com";
  max.user_type = "instructor";
  max.user_name = "Max \"The Host\" Muster, Jr.";
  max.user_email = "203@kaf.example";
  max.lti_user_email = "max@organization.com";
  max.joined = at(1512657239);
  max.left = at(1512657271);
  max.duration = 0.5333;

  Attendee guest;  // no lti data, no times: KAF's own duration (minutes) is used
  guest.user_id = "204";
  guest.user_type = "student";
  guest.user_name = "Line\nBreak";
  guest.user_email = "g@x.org";
  guest.duration = 1.5;

  Attendee unknown;  // nothing known about the time at all
  unknown.user_id = "205";
  return {max, guest, unknown};
}

TEST(AttendanceReport, RowsPreferTheApplicationsOwnIds) {
  const auto report = AttendanceReport::from_attendees(SessionId(16772), sample());
  ASSERT_EQ(report.rows.size(), 3U);
  EXPECT_EQ(report.rows[0].user_id, "max@organization.com");
  EXPECT_EQ(report.rows[0].kaf_user_id, "203");
  EXPECT_EQ(report.rows[0].email, "max@organization.com");
  EXPECT_EQ(report.rows[0].role, "instructor");
  EXPECT_EQ(report.rows[0].duration, 32s);
  EXPECT_EQ(report.rows[1].user_id, "204");
  EXPECT_EQ(report.rows[1].session_id, SessionId(16772));
  EXPECT_EQ(report.rows[1].email, "g@x.org");
  EXPECT_EQ(report.rows[1].duration, 90s);
  EXPECT_FALSE(report.rows[2].duration.has_value());
}

TEST(AttendanceReport, CsvFollowsRfc4180) {
  const auto csv = AttendanceReport::from_attendees(SessionId(16772), sample()).to_csv();
  EXPECT_EQ(csv,
            "session_id,user_id,kaf_user_id,name,email,role,joined,left,duration_seconds\r\n"
            "16772,max@organization.com,203,\"Max \"\"The Host\"\" Muster, Jr.\",max@organization.com,instructor,"
            "2017-12-07T14:33:59Z,2017-12-07T14:34:31Z,32\r\n"
            "16772,204,204,\"Line\nBreak\",g@x.org,student,,,90\r\n"
            "16772,205,205,,,,,,\r\n");
}

TEST(AttendanceReport, EmptyReportIsJustTheHeader) {
  const auto report = AttendanceReport::from_attendees(SessionId(1), {});
  EXPECT_EQ(report.to_csv(), "session_id,user_id,kaf_user_id,name,email,role,joined,left,duration_seconds\r\n");
  EXPECT_EQ(report.to_json(), R"({"session_id":"1","attendees":[]})");
}

TEST(AttendanceReport, JsonHasEveryFieldAndNullsForUnknowns) {
  const auto doc = nlohmann::json::parse(AttendanceReport::from_attendees(SessionId(16772), sample()).to_json());
  EXPECT_EQ(doc["session_id"], "16772");
  ASSERT_EQ(doc["attendees"].size(), 3U);
  const auto& a = doc["attendees"][0];
  EXPECT_EQ(a["user_id"], "max@organization.com");
  EXPECT_EQ(a["kaf_user_id"], "203");
  EXPECT_EQ(a["name"], "Max \"The Host\" Muster, Jr.");
  EXPECT_EQ(a["email"], "max@organization.com");
  EXPECT_EQ(a["role"], "instructor");
  EXPECT_EQ(a["joined"], "2017-12-07T14:33:59Z");
  EXPECT_EQ(a["joined_unix"], 1512657239);
  EXPECT_EQ(a["left"], "2017-12-07T14:34:31Z");
  EXPECT_EQ(a["left_unix"], 1512657271);
  EXPECT_EQ(a["duration_seconds"], 32);
  const auto& u = doc["attendees"][2];
  EXPECT_TRUE(u["joined"].is_null());
  EXPECT_TRUE(u["left_unix"].is_null());
  EXPECT_TRUE(u["duration_seconds"].is_null());
}

TEST(AttendanceReport, InvalidUtf8FromTheServerDoesNotBreakTheJson) {
  Attendee a;
  a.user_id = "1";
  a.user_name = "bad \xff byte";
  const std::string json = AttendanceReport::from_attendees(SessionId(2), {a}).to_json();
  EXPECT_TRUE(nlohmann::json::accept(json));
}

TEST(AttendanceReport, Iso8601) {
  EXPECT_EQ(format_iso8601(at(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(at(1700000000)), "2023-11-14T22:13:20Z");
  EXPECT_EQ(format_iso8601(at(951782400)), "2000-02-29T00:00:00Z");
}

}  // namespace
}  // namespace kmeet
