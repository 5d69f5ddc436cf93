#include "kmeet/settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "model/settings_codec.hpp"

namespace kmeet {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

template <class F>
std::string field_of(F&& f) {
  try {
    f();
  } catch (const ValidationError& e) {
    return e.field();
  }
  return "<no ValidationError>";
}

TEST(EventSettings, GuideExampleEncodesInG3Order) {
  EventSettings s;
  s.rs_user_lang = Language::es_LA;  // set out of order on purpose
  s.rs_show_invite = true;
  s.rec_auto_start = true;
  EXPECT_EQ(s.to_tags(), "custom_rec_auto_start:1,custom_rs_show_invite:1,custom_rs_user_lang:es-LA");
}

TEST(EventSettings, CaptureTags) {
  EventSettings s{.rec_auto_start = true};
  EXPECT_EQ(s.to_tags(), "custom_rec_auto_start:1");
}

TEST(EventSettings, EmptyIsEmptyString) {
  EXPECT_EQ(EventSettings{}.to_tags(), "");
  EXPECT_TRUE(EventSettings{}.empty());
  EXPECT_TRUE(EventSettings::from_tags("").empty());
}

TEST(EventSettings, EveryKeyEncodesAndDecodes) {
  EventSettings s;
  s.rec_auto_start = true;
  s.rec_set_reminder = false;
  s.rs_auto_clear_chat_end_of_session = true;
  s.rs_class_mode = ClassMode::webinar;
  s.rs_enable_guests_to_join = false;
  s.rs_enable_media_library = true;
  s.rs_hide_end_session = true;
  s.rs_hide_leave_session = false;
  s.rs_show_chat = true;
  s.rs_show_chat_moderators = false;
  s.rs_show_chat_questions = true;
  s.rs_show_invite = false;
  s.rs_show_language_selection = true;
  s.rs_show_ondemand_page_link = false;
  s.rs_show_participant = true;
  s.rs_user_lang = Language::he_IL;
  const std::string tags = s.to_tags();
  EXPECT_EQ(tags,
            "custom_rec_auto_start:1,custom_rec_set_reminder:0,custom_rs_auto_clear_chat_end_of_session:1,"
            "custom_rs_class_mode:webinar,custom_rs_enable_guests_to_join:0,custom_rs_enable_media_library:1,"
            "custom_rs_hide_end_session:1,custom_rs_hide_leave_session:0,custom_rs_show_chat:1,"
            "custom_rs_show_chat_moderators:0,custom_rs_show_chat_questions:1,custom_rs_show_invite:0,"
            "custom_rs_show_language_selection:1,custom_rs_show_ondemand_page_link:0,"
            "custom_rs_show_participant:1,custom_rs_user_lang:he-IL");
  EventSettings back = EventSettings::from_tags(tags);
  EXPECT_TRUE(back.same_values(s));
  EXPECT_TRUE(back.extra.empty());
  EXPECT_EQ(back.to_tags(), tags);
  EXPECT_EQ(back.rs_class_mode, ClassMode::webinar);
  EXPECT_EQ(back.rs_user_lang, Language::he_IL);
  EXPECT_EQ(back.rec_set_reminder, false);
}

TEST(EventSettings, EveryLanguageOfG3) {
  for (const char* lang : {"fr-FR", "de-DE", "ko-KR", "pt-BR", "ja-JP", "en-US", "zh-CN", "it-IT", "es-LA",
                           "he-IL", "en-VE"}) {
    auto parsed = parse_language(lang);
    ASSERT_TRUE(parsed.has_value()) << lang;
    EXPECT_EQ(to_string(*parsed), lang);
  }
  EXPECT_FALSE(parse_language("en-GB"));
  EXPECT_FALSE(parse_language("es-la"));
}

TEST(RoomSettings, DefaultIsProviderOnly) { EXPECT_EQ(RoomSettings{}.to_tags(), "vcprovider:newrow"); }

TEST(RoomSettings, EveryRoomKey) {
  RoomSettings s;
  s.cat_id = 42;
  s.company_logo = "https://cdn.example.com/logo.png?a=1,2";
  s.live_entry = "1_live01";
  s.playlist_id = "0_pl";
  s.reset_playlist_instance = false;
  s.redirect_url = "https://example.com/bye";
  s.rs_room_cap = 25;
  s.rs_show_logo = true;
  s.p_rtmp_url = "rtmp://a.rtmp.youtube.com/live2";
  s.s_rtmp_url = "rtmps://b.example.com/live";
  s.rtmp_key = "abcd-1234";
  s.tp_playlist_id = "77";
  s.xl_room_max = 300;
  s.xl_room_pres = 4;
  s.xl_room_geo = XlRoomGeo::eu_central_1;
  s.rs_room_version = "NR2";
  s.session.rs_show_invite = false;
  const std::string tags = s.to_tags();
  EXPECT_EQ(tags,
            "vcprovider:newrow,custom_cat_id:42,"
            "custom_company_logo:https%3A%2F%2Fcdn.example.com%2Flogo.png%3Fa%3D1%2C2,"
            "custom_live_entry:1_live01,custom_playlist_id:0_pl,custom_reset_playlist_instance:0,"
            "custom_redirect_url:https%3A%2F%2Fexample.com%2Fbye,custom_rs_room_cap:25,custom_rs_show_logo:1,"
            "custom_p_rtmp_url:rtmp://a.rtmp.youtube.com/live2,custom_s_rtmp_url:rtmps://b.example.com/live,"
            "custom_rtmp_key:abcd-1234,custom_tp_playlist_id:77,custom_xl_room_max:300,custom_xl_room_pres:4,"
            "custom_xl_room_geo:eu-central-1,custom_rs_room_version:NR2,custom_rs_show_invite:0");
  RoomSettings back = RoomSettings::from_tags(tags);
  EXPECT_TRUE(back.newrow);
  EXPECT_TRUE(back.extra.empty());
  EXPECT_TRUE(back.same_values(s));
  EXPECT_EQ(back.company_logo, "https://cdn.example.com/logo.png?a=1,2");
  EXPECT_EQ(back.p_rtmp_url, "rtmp://a.rtmp.youtube.com/live2");
  EXPECT_EQ(back.to_tags(), tags);
}

TEST(RoomSettings, RoundTripIsExactForForeignTags) {
  for (const char* tags : {
           "vcprovider:newrow",
           "custom_rs_room_cap:10,vcprovider:newrow",                     // order kept
           "vcprovider:newrow,mytag,custom_rs_show_chat:on",              // bare tag, non-canonical value
           "vcprovider:newrow,custom_rs_room_cap:010,custom_rs_room_cap:5",  // leading zero, duplicate
           "vcprovider:newrow,,x:",                                        // empty item, empty value
           "a:b:c,vcprovider:newrow,custom_company_logo:http%3a%2f%2fx",   // lower-case hex kept
           "custom_xl_room_max:350,vcprovider:newrow,custom_rs_user_lang:xx-XX",
           "custom_rs_room_cap:0,vcprovider:newrow,vcprovider:newrow",
           " vcprovider:newrow,custom_rs_class_mode:Webinar",
       }) {
    EXPECT_EQ(RoomSettings::from_tags(tags).to_tags(), tags) << tags;
  }
}

TEST(EventSettings, RoundTripIsExactForForeignTags) {
  for (const char* tags : {
           "custom_rs_user_lang:es-LA,custom_rec_auto_start:1",
           "foo:bar,custom_rs_show_invite:1,baz",
           "custom_rs_show_invite:true,custom_rs_show_invite:1",
           "custom_rec_auto_start:1,custom_rec_auto_start:0",
           "custom_rs_class_mode:",
       }) {
    EXPECT_EQ(EventSettings::from_tags(tags).to_tags(), tags) << tags;
  }
}

TEST(RoomSettings, DecodeKeepsUnreadableValuesInExtra) {
  RoomSettings s = RoomSettings::from_tags("vcprovider:newrow,custom_rs_room_cap:-3,other:1,custom_rs_show_logo:1");
  EXPECT_FALSE(s.rs_room_cap.has_value());
  EXPECT_EQ(s.rs_show_logo, true);
  EXPECT_THAT(s.extra, ElementsAre(Pair("custom_rs_room_cap", "-3"), Pair("other", "1")));
}

TEST(RoomSettings, NotANewrowRoom) {
  RoomSettings s = RoomSettings::from_tags("vcprovider:zoom");
  EXPECT_FALSE(s.newrow);
  EXPECT_EQ(s.to_tags(), "vcprovider:zoom,vcprovider:newrow");  // kmeet rooms always carry it
}

TEST(RoomSettings, ChangingAValueKeepsOrder) {
  RoomSettings s = RoomSettings::from_tags("custom_rs_room_cap:10,x:y,vcprovider:newrow");
  s.rs_room_cap = 20;
  s.rs_show_logo = false;
  EXPECT_EQ(s.to_tags(), "custom_rs_room_cap:20,x:y,vcprovider:newrow,custom_rs_show_logo:0");
  s.rs_room_cap.reset();
  EXPECT_EQ(s.to_tags(), "x:y,vcprovider:newrow,custom_rs_show_logo:0");
}

TEST(RoomSettings, ValidationNamesTheSetting) {
  EXPECT_EQ(field_of([] { (void)RoomSettings{.rs_room_cap = 0}.to_tags(); }), "settings.rs_room_cap");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.rs_room_cap = -1}.to_tags(); }), "settings.rs_room_cap");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.live_entry = "a,b"}.to_tags(); }), "settings.live_entry");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.rtmp_key = ""}.to_tags(); }), "settings.rtmp_key");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.rtmp_key = "a\nb"}.to_tags(); }), "settings.rtmp_key");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.company_logo = "ftp://x"}.to_tags(); }), "settings.company_logo");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.redirect_url = "example.com"}.to_tags(); }), "settings.redirect_url");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.p_rtmp_url = "http://x"}.to_tags(); }), "settings.p_rtmp_url");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.xl_room_max = 250}.to_tags(); }), "settings.xl_room_max");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.xl_room_max = 450}.to_tags(); }), "settings.xl_room_max");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.xl_room_pres = 0}.to_tags(); }), "settings.xl_room_pres");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.cat_id = 0}.to_tags(); }), "settings.cat_id");
  EXPECT_EQ(field_of([] { (void)RoomSettings{.xl_room_geo = static_cast<XlRoomGeo>(9)}.to_tags(); }),
            "settings.xl_room_geo");
  EXPECT_EQ(field_of([] {
              RoomSettings s;
              s.session.rs_user_lang = static_cast<Language>(42);
              (void)s.to_tags();
            }),
            "settings.rs_user_lang");
  EXPECT_EQ(field_of([] {
              RoomSettings s;
              s.extra = {{"ok", "1"}, {"bad", "x,y"}};
              (void)s.to_tags();
            }),
            "settings.extra[1]");
  EXPECT_EQ(field_of([] {
              EventSettings s;
              s.extra = {{"a:b", "c"}};
              (void)s.to_tags();
            }),
            "settings.extra[0]");
  EXPECT_EQ(field_of([] { (void)detail::encode_room_tags(RoomSettings{.rs_room_cap = 0}, "room.settings"); }),
            "room.settings.rs_room_cap");
}

TEST(RoomSettings, SetByKey) {
  RoomSettings s;
  s.set("rs_room_cap", "30");
  s.set("company_logo", "https://x.example/l.png");
  s.set("custom_rs_show_logo", "off");
  s.set("rs_show_invite", "on");
  s.set("xl_room_geo", "global");
  s.set("rs_class_mode", "virtual_classroom");
  EXPECT_EQ(s.rs_room_cap, 30);
  EXPECT_EQ(s.rs_show_logo, false);
  EXPECT_EQ(s.session.rs_show_invite, true);
  EXPECT_EQ(s.xl_room_geo, XlRoomGeo::global);
  EXPECT_EQ(s.session.rs_class_mode, ClassMode::virtual_classroom);
  EXPECT_EQ(field_of([&] { s.set("rs_room_cap", "0"); }), "settings.rs_room_cap");
  EXPECT_EQ(field_of([&] { s.set("rs_room_cap", "ten"); }), "settings.rs_room_cap");
  EXPECT_EQ(field_of([&] { s.set("rs_show_logo", "maybe"); }), "settings.rs_show_logo");
  EXPECT_EQ(field_of([&] { s.set("rs_user_lang", "en-GB"); }), "settings.rs_user_lang");
  EXPECT_EQ(field_of([&] { s.set("no_such_key", "1"); }), "settings.no_such_key");
  EXPECT_EQ(field_of([&] { s.set("live_entry", "1_a,1_b"); }), "settings.live_entry");
}

TEST(EventSettings, SetByKey) {
  EventSettings s;
  s.set("rec_auto_start", "1");
  s.set("rs_user_lang", "es-LA");
  s.set("rs_show_chat", "FALSE");
  EXPECT_EQ(s.to_tags(), "custom_rec_auto_start:1,custom_rs_show_chat:0,custom_rs_user_lang:es-LA");
  EXPECT_EQ(field_of([&] { s.set("rs_room_cap", "5"); }), "settings.rs_room_cap");  // a room setting
}

TEST(Settings, KeyLists) {
  EXPECT_EQ(event_setting_keys().size(), 16U);
  EXPECT_EQ(room_setting_keys().size(), 16U + 16U);
  EXPECT_EQ(room_setting_keys().front(), "cat_id");
}

}  // namespace
}  // namespace kmeet

namespace kmeet {
namespace {
TEST(RoomSettingsText, CategoryListIsRefusedWithTheReason) {
  RoomSettings s;
  try {
    s.set("cat_id", "12,34");
    FAIL() << "a list of categories was accepted";
  } catch (const ValidationError& e) {
    EXPECT_NE(std::string(e.reason()).find("one category id only"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.reason()).find("docs/protocol.md G.3"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(s.cat_id.has_value());
  s.set("cat_id", "12");
  EXPECT_EQ(s.cat_id, 12);
}
}  // namespace
}  // namespace kmeet
