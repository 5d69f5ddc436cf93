// One rule for every public enumeration (kmeet/types.hpp): to_string gives the wire name, and for a
// value that is not an enumerator an empty string, never an exception.
#include <gtest/gtest.h>

#include <string_view>

#include "kmeet/analytics.hpp"
#include "kmeet/app_tokens.hpp"
#include "kmeet/hooks.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/model.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/recordings.hpp"
#include "kmeet/settings.hpp"
#include "kmeet/sync.hpp"

namespace kmeet {
namespace {

template <class E>
void expect_rule(E first, std::string_view first_name, int past_last) {
  static_assert(noexcept(to_string(first)), "to_string never throws");
  EXPECT_EQ(to_string(first), first_name);
  EXPECT_EQ(to_string(static_cast<E>(past_last)), "");
  EXPECT_EQ(to_string(static_cast<E>(-1)), "");
}

TEST(EnumNames, EveryToStringIsEmptyForAValueThatIsNotAnEnumerator) {
  expect_rule(RecurrenceFrequency::secondly, "seconds", 7);
  expect_rule(WeekDay::monday, "MO", 7);
  expect_rule(ClassMode::virtual_classroom, "virtual_classroom", 2);
  expect_rule(Language::fr_FR, "fr-FR", 11);
  expect_rule(XlRoomGeo::us_east_1, "us-east-1", 5);
  expect_rule(MessageType::questions, "questions", 3);
  expect_rule(MeetingStep::room, "room", 4);
  EXPECT_EQ(to_string(MeetingStep::recording_template), "recording_template");
  expect_rule(KsStatus::valid, "VALID", 5);
  expect_rule(ServerPrivilege::edit, "edit", 1000);
  expect_rule(AppTokenHash::md5, "MD5", 4);
  expect_rule(EntryStatus::error_importing, "ERROR_IMPORTING", 13);
  EXPECT_EQ(to_string(EntryStatus::unknown), "UNKNOWN");  // an enumerator: the server's unknown value
  expect_rule(PlayFormat::url, "url", 4);
  expect_rule(LogLevel::info, "info", 3);
  expect_rule(SyncField::start, "startDate", 6);
}

TEST(EnumNames, ValuesThatAreNotEnumeratorsAreRefusedBeforeSending) {
  EXPECT_THROW((void)Privileges{}.server(static_cast<ServerPrivilege>(1000)), ValidationError);
  EXPECT_THROW((void)RoomSettings{.xl_room_geo = static_cast<XlRoomGeo>(9)}.to_tags(), ValidationError);
  EXPECT_THROW((void)EventSettings{.rs_user_lang = static_cast<Language>(-1)}.to_tags(), ValidationError);
  EXPECT_THROW((void)play_manifest_url("https://cdn.example", PartnerId(1), "0_abc", static_cast<PlayFormat>(9)),
               ValidationError);
}

}  // namespace
}  // namespace kmeet
