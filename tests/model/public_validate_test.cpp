// kmeet/validate.hpp: the SDK's own checks, callable before sending (issue 21 items 1 and 9).
#include "kmeet/validate.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "support/field_of.hpp"

namespace kmeet {
namespace {

constexpr std::int64_t kStart = 1800000000;

using test::field_of;

Event good_event() {
  Event e;
  e.summary = "Algebra";
  e.start = Timestamp(std::chrono::seconds(kStart));
  e.end = Timestamp(std::chrono::seconds(kStart + 3600));
  return e;
}

Room room_with(const char* key, const char* value) {
  Room r;
  r.name = "R";
  r.settings.rs_room_cap = 10;
  if (key != nullptr) {
    // Set directly (not through set(), which refuses too): validate() must catch what the encoder refuses.
    if (std::string_view(key) == "rs_room_cap") r.settings.rs_room_cap = std::stoi(value);
    if (std::string_view(key) == "rtmp_key") r.settings.rtmp_key = value;
    if (std::string_view(key) == "p_rtmp_url") r.settings.p_rtmp_url = value;
    if (std::string_view(key) == "redirect_url") r.settings.redirect_url = value;
  }
  return r;
}

TEST(PublicValidate, RoomSettingsTheSdkRefusesAreNamed) {
  EXPECT_NO_THROW(validate(room_with(nullptr, nullptr)));
  EXPECT_EQ(field_of([] { validate(room_with("rs_room_cap", "0")); }), "room.settings.rs_room_cap");
  EXPECT_EQ(field_of([] { validate(room_with("rs_room_cap", "5000000")); }), "room.settings.rs_room_cap");
  EXPECT_EQ(field_of([] { validate(room_with("rtmp_key", "a,b")); }), "room.settings.rtmp_key");
  EXPECT_EQ(field_of([] { validate(room_with("p_rtmp_url", "http://x")); }), "room.settings.p_rtmp_url");
  EXPECT_EQ(field_of([] { validate(room_with("redirect_url", "javascript://x")); }), "room.settings.redirect_url");
}

TEST(PublicValidate, BlankNamesAndSummariesAreRefused) {
  Room r;
  r.name = "   ";
  EXPECT_EQ(field_of([&] { validate(r); }), "room.name");
  Event e = good_event();
  e.summary = " \t ";
  EXPECT_EQ(field_of([&] { validate(e); }), "event.summary");
  e.summary = " Algebra ";
  EXPECT_NO_THROW(validate(e));
}

TEST(PublicValidate, AMeetingIsCheckedAsCreateMeetingChecksIt) {
  MeetingSpec spec;
  spec.room = RoomId{0};
  spec.event = good_event();
  EXPECT_EQ(field_of([&] { validate(spec); }), "room");
  spec.room = RoomId{42};
  EXPECT_NO_THROW(validate(spec));
  spec.room = room_with("rs_room_cap", "0");
  EXPECT_EQ(field_of([&] { validate(spec); }), "room.settings.rs_room_cap");
  spec.room = room_with(nullptr, nullptr);
  spec.event.end = Timestamp(std::chrono::seconds(kStart + 2 * 86400));
  EXPECT_EQ(field_of([&] { validate(spec); }), "event.end");
  spec.allow_long_event = true;
  EXPECT_NO_THROW(validate(spec));
}

}  // namespace
}  // namespace kmeet
