#include "cli/timefmt.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

using std::chrono::seconds;
const Timestamp kNow{seconds{1'800'000'000}};

Timestamp at(std::int64_t s) { return Timestamp{seconds{s}}; }

TEST(ParseTime, UnixSeconds) {
  EXPECT_EQ(parse_time("1767261600", kNow, "start"), at(1767261600));
}

TEST(ParseTime, RefusesSmallNumbersThatTheServerWouldReadAsRelative) {
  try {
    (void)parse_time("3600", kNow, "start");
    FAIL() << "accepted 3600";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "start");
    EXPECT_NE(e.reason().find("relative"), std::string::npos);
  }
  EXPECT_THROW((void)parse_time("1767261600000", kNow, "start"), ValidationError);  // milliseconds
}

TEST(ParseTime, Iso8601WithZAndOffsets) {
  EXPECT_EQ(parse_time("2026-01-01T10:00:00Z", kNow, "t"), at(1767261600));
  EXPECT_EQ(parse_time("2026-01-01T10:00Z", kNow, "t"), at(1767261600));
  EXPECT_EQ(parse_time("2026-01-01 10:00:00z", kNow, "t"), at(1767261600));
  EXPECT_EQ(parse_time("2026-01-01T12:00:00+02:00", kNow, "t"), at(1767261600));
  EXPECT_EQ(parse_time("2026-01-01T12:00:00+0200", kNow, "t"), at(1767261600));
  EXPECT_EQ(parse_time("2026-01-01T12:00:00+02", kNow, "t"), at(1767261600));
  EXPECT_EQ(parse_time("2026-01-01T05:30:00-04:30", kNow, "t"), at(1767261600));
  EXPECT_EQ(parse_time("2026-01-01T10:00:00.750Z", kNow, "t"), at(1767261600));
}

TEST(ParseTime, Iso8601WithoutOffsetIsLocalTime) {
  ::setenv("TZ", "Europe/Berlin", 1);
  ::tzset();
  EXPECT_EQ(parse_time("2026-01-01T11:00:00", kNow, "t"), at(1767261600));  // CET = UTC+1
  EXPECT_EQ(parse_time("2026-07-01T12:00:00", kNow, "t"), at(1782900000));  // CEST = UTC+2
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  EXPECT_EQ(parse_time("2026-01-01", kNow, "t"), at(1767225600));
}

TEST(ParseTime, Relative) {
  EXPECT_EQ(parse_time("+90m", kNow, "t"), kNow + seconds{5400});
  EXPECT_EQ(parse_time("+2h", kNow, "t"), kNow + seconds{7200});
  EXPECT_EQ(parse_time("+1d", kNow, "t"), kNow + seconds{86400});
  EXPECT_EQ(parse_time("+1h30m", kNow, "t"), kNow + seconds{5400});
  EXPECT_EQ(parse_time("-1w", kNow, "t"), kNow - seconds{7 * 86400});
  EXPECT_EQ(parse_time("now", kNow, "t"), kNow);
}

TEST(ParseTime, RefusesGarbageNamingTheField) {
  for (const char* bad : {"", "tomorrow", "+", "+5", "+5x", "2026-13-01T00:00:00Z", "2026-02-30", "2026-01-01T25:00Z",
                          "2026-01-01T10:00:00+25:00", "2026-01-01T10:00:00Zjunk", "12:00", "+1h-"}) {
    try {
      (void)parse_time(bad, kNow, "--start");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "--start") << bad;
    }
  }
}

TEST(ParseDuration, UnitsAndBareSeconds) {
  EXPECT_EQ(parse_duration("90", "--ttl"), seconds{90});
  EXPECT_EQ(parse_duration("2h", "--ttl"), seconds{7200});
  EXPECT_EQ(parse_duration("1d", "--ttl"), seconds{86400});
  EXPECT_EQ(parse_duration("1h30m", "--ttl"), seconds{5400});
  EXPECT_THROW((void)parse_duration("0", "--ttl"), ValidationError);
  EXPECT_THROW((void)parse_duration("2 hours", "--ttl"), ValidationError);
  EXPECT_THROW((void)parse_duration("-1h", "--ttl"), ValidationError);
}

TEST(FormatTime, IsoAndRelative) {
  EXPECT_EQ(format_iso(at(1767261600)), "2026-01-01T10:00:00Z");
  EXPECT_EQ(format_duration(seconds{7140}), "1h 59m");
  EXPECT_EQ(format_duration(seconds{45}), "45s");
  EXPECT_EQ(format_duration(seconds{3 * 86400 + 7200 + 5}), "3d 2h");
  EXPECT_EQ(format_relative(kNow + seconds{7140}, kNow), "in 1h 59m");
  EXPECT_EQ(format_relative(kNow - seconds{180}, kNow), "3m ago");
}

}  // namespace
}  // namespace kmeet::cli
