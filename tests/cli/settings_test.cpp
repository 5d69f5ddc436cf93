#include "cli/settings.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

TEST(Settings, OnOffValuesBecomeOneOrZero) {
  for (const char* on : {"1", "on", "TRUE", "yes"}) EXPECT_EQ(normalize_setting(SettingScope::event, "rec_auto_start", on), "1");
  for (const char* off : {"0", "off", "false", "No"}) EXPECT_EQ(normalize_setting(SettingScope::event, "rs_show_chat", off), "0");
  EXPECT_THROW((void)normalize_setting(SettingScope::event, "rs_show_chat", "sometimes"), ValidationError);
}

TEST(Settings, EnumsIntegersAndUnknownKeys) {
  EXPECT_EQ(normalize_setting(SettingScope::event, "rs_class_mode", "webinar"), "webinar");
  EXPECT_THROW((void)normalize_setting(SettingScope::event, "rs_class_mode", "lecture"), ValidationError);
  EXPECT_EQ(normalize_setting(SettingScope::room, "rs_room_cap", "50"), "50");
  EXPECT_THROW((void)normalize_setting(SettingScope::room, "rs_room_cap", "fifty"), ValidationError);
  // Session settings on a room are the room's defaults; room settings on an event are not allowed.
  EXPECT_EQ(normalize_setting(SettingScope::room, "rs_show_invite", "off"), "0");
  EXPECT_THROW((void)normalize_setting(SettingScope::event, "rs_room_cap", "5"), ValidationError);
  try {
    (void)normalize_setting(SettingScope::room, "nope", "1");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "room.nope");
  }
}

TEST(Settings, ParseSetAcceptsCustomPrefix) {
  EXPECT_EQ(parse_set(SettingScope::event, "custom_rs_user_lang=de-DE"), (std::pair<std::string, std::string>{"rs_user_lang", "de-DE"}));
  EXPECT_THROW((void)parse_set(SettingScope::event, "rs_user_lang"), ValidationError);
  EXPECT_THROW((void)parse_set(SettingScope::event, "=x"), ValidationError);
}

}  // namespace
}  // namespace kmeet::cli
