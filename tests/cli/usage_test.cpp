// One id check for every ID/--room/--event/--session value, and SDK fields named as CLI flags.
#include "cli/usage.hpp"

#include <gtest/gtest.h>

namespace kmeet::cli {
namespace {

TEST(Usage, PositiveIdsAreDigitsOnlyWithoutOverflow) {
  EXPECT_EQ(parse_positive_id("1"), 1);
  EXPECT_EQ(parse_positive_id("1100601"), 1100601);
  EXPECT_EQ(parse_positive_id("007"), 7);
  EXPECT_EQ(parse_positive_id("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "0", "000", "-5", "+5", "1.5", "1e3", " 5", "5 ", "abc", "12abc", "0x10",
                          "9223372036854775808", "99999999999999999999"}) {
    EXPECT_FALSE(parse_positive_id(bad).has_value()) << bad;
  }
  EXPECT_EQ(bad_id_reason("abc"), "'abc' is not a positive whole number");
  EXPECT_LT(bad_id_reason(std::string(500, 'x')).size(), 100U) << "a pasted paragraph is not echoed whole";
}

TEST(Usage, SdkFieldsBecomeTheFlagsTheUserTyped) {
  EXPECT_EQ(flag_for_field("room.name"), "--name");
  EXPECT_EQ(flag_for_field("room.system_name"), "--system-name");
  EXPECT_EQ(flag_for_field("event.summary"), "--summary");
  EXPECT_EQ(flag_for_field("event.end"), "--end");
  EXPECT_EQ(flag_for_field("event.reference_id"), "--reference-id");
  EXPECT_EQ(flag_for_field("room"), "--room");
  EXPECT_EQ(flag_for_field("join.user_id"), "--user");
  EXPECT_EQ(flag_for_field("join.event/join.room"), "--event/--room");
  EXPECT_EQ(flag_for_field("privileges.firstName"), "--first-name");
  EXPECT_EQ(flag_for_field("privileges.lastName"), "--last-name");
  EXPECT_EQ(flag_for_field("privileges.course"), "--privilege course");
  EXPECT_EQ(flag_for_field("room.rs_room_cap"), "--set rs_room_cap");
  EXPECT_EQ(flag_for_field("event.rs_show_chat"), "--set rs_show_chat");
  EXPECT_EQ(flag_for_field("event.type"), "event.type") << "not a flag: left as the SDK names it";
  // Names the CLI itself gives stay as they are.
  for (const char* same : {"--start", "--results", "partner_id", "csv", "FILE", "--event/--room"}) {
    EXPECT_EQ(flag_for_field(same), same);
  }
  EXPECT_EQ(reason_for_cli("longer than 24 h; allow it explicitly (allow_long_event) if ..."),
            "longer than 24 h; allow it explicitly (--allow-long) if ...");
}

TEST(Usage, TransportAndSettingFieldsBecomeFlags) {
  EXPECT_EQ(flag_for_field("settings.rs_room_cap"), "--set rs_room_cap");
  EXPECT_EQ(flag_for_field("room.settings.p_rtmp_url"), "--set p_rtmp_url");
  EXPECT_EQ(flag_for_field("HttpOptions::ca_file"), "--ca-file");
  EXPECT_EQ(flag_for_field("http.timeout"), "--timeout");
  EXPECT_EQ(reason_for_cli("https://x: TLS failure: unknown CA (check HttpOptions::ca_file / ca_path)"),
            "https://x: TLS failure: unknown CA (check --ca-file)");
  EXPECT_EQ(reason_for_cli("larger than HttpOptions::max_response_bytes"), "larger than the response size limit");
}

}  // namespace
}  // namespace kmeet::cli
