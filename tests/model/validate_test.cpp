#include "model/validate.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "model/recording_wire.hpp"
#include "support/field_of.hpp"

namespace kmeet::detail {
namespace {

using namespace std::chrono_literals;

Timestamp at(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }
constexpr std::int64_t kStart = 1800000000;

using test::field_of;

Room good_room() {
  Room r;
  r.name = "Room-1";
  return r;
}

Event good_event() {
  Event e;
  e.summary = "Class";
  e.start = at(kStart);
  e.end = at(kStart + 3600);
  return e;
}

TEST(ValidateRoom, GoodRoomPasses) {
  EXPECT_NO_THROW(validate(good_room()));
  Room r = good_room();
  r.name = std::string(256, 'x');
  r.system_name = std::string(256, 's');
  EXPECT_NO_THROW(validate(r));
}

TEST(ValidateRoom, NamesTheField) {
  auto with = [](auto change) {
    Room r = good_room();
    change(r);
    return field_of([&] { validate(r); });
  };
  EXPECT_EQ(with([](Room& r) { r.name = ""; }), "room.name");
  EXPECT_EQ(with([](Room& r) { r.name = std::string(257, 'x'); }), "room.name");
  EXPECT_EQ(with([](Room& r) { r.name = "a\x01"; }), "room.name");
  EXPECT_EQ(with([](Room& r) { r.name = "caf\xC3"; }), "room.name");          // cut UTF-8
  EXPECT_EQ(with([](Room& r) { r.description = "\xC0\xAF"; }), "room.description");  // overlong
  EXPECT_EQ(with([](Room& r) { r.system_name = "\xED\xA0\x80"; }), "room.system_name");  // surrogate
  EXPECT_EQ(with([](Room& r) { r.system_name = ""; }), "room.system_name");
  EXPECT_EQ(with([](Room& r) { r.system_name = std::string(300, 's'); }), "room.system_name");
  EXPECT_EQ(with([](Room& r) { r.parent_id = RoomId(0); }), "room.parent_id");
  EXPECT_EQ(with([](Room& r) { r.settings.rs_room_cap = 0; }), "room.settings.rs_room_cap");
  EXPECT_EQ(with([](Room& r) { r.settings.rs_room_cap = -5; }), "room.settings.rs_room_cap");
  EXPECT_EQ(with([](Room& r) { r.settings.rtmp_key = "k,ey"; }), "room.settings.rtmp_key");
  EXPECT_EQ(with([](Room& r) { r.settings.session.rs_class_mode = static_cast<ClassMode>(7); }),
            "room.settings.rs_class_mode");
  EXPECT_EQ(with([](Room& r) { r.settings.extra = {{"x", "1,2"}}; }), "room.settings.extra[0]");
}

TEST(ValidateRoom, Update) {
  EXPECT_NO_THROW(validate(RoomUpdate{.name = "n", .description = kmeet::clear}));
  EXPECT_EQ(field_of([] { validate(RoomUpdate{.name = kmeet::clear}); }), "room.name");
  EXPECT_EQ(field_of([] { validate(RoomUpdate{.name = ""}); }), "room.name");
  EXPECT_EQ(field_of([] { validate(RoomUpdate{.system_name = std::string(257, 'a')}); }), "room.system_name");
  EXPECT_EQ(field_of([] { validate(RoomUpdate{.parent_id = RoomId(-1)}); }), "room.parent_id");
  EXPECT_EQ(field_of([] { validate(RoomUpdate{.settings = kmeet::clear}); }), "room.settings");
  EXPECT_EQ(field_of([] { validate(RoomUpdate{.settings = RoomSettings{.xl_room_max = 1}}); }),
            "room.settings.xl_room_max");
}

TEST(ValidateEvent, GoodEventsPass) {
  EXPECT_NO_THROW(validate(good_event(), false));
  Event day = good_event();
  day.end = at(kStart + 86400);  // exactly 24 h is allowed
  EXPECT_NO_THROW(validate(day, false));
  Event meeting = good_event();
  meeting.type = EventType::meeting;
  meeting.end = at(kStart + 3 * 86400);
  meeting.pre_start_time = 300s;
  EXPECT_NO_THROW(validate(meeting, false));
}

TEST(ValidateEvent, NamesTheField) {
  auto with = [](auto change, bool allow_long = false) {
    Event e = good_event();
    change(e);
    return field_of([&] { validate(e, allow_long); });
  };
  EXPECT_EQ(with([](Event& e) { e.summary = ""; }), "event.summary");
  EXPECT_EQ(with([](Event& e) { e.summary = std::string(257, 'x'); }), "event.summary");
  EXPECT_EQ(with([](Event& e) { e.start.reset(); }), "event.start");
  EXPECT_EQ(with([](Event& e) { e.end.reset(); }), "event.end");
  EXPECT_EQ(with([](Event& e) { e.end = e.start; }), "event.end");
  EXPECT_EQ(with([](Event& e) { e.end = at(kStart - 1); }), "event.end");
  EXPECT_EQ(with([](Event& e) { e.end = at(kStart + 86401); }), "event.end");
  EXPECT_EQ(with([](Event& e) { e.start = at(3600); }), "event.start");  // relative (protocol.md A.6)
  EXPECT_EQ(with([](Event& e) { e.start = at(0); }), "event.start");
  EXPECT_EQ(with([](Event& e) { e.start = at(-3600); }), "event.start");
  EXPECT_EQ(with([](Event& e) { e.start = at(315360000); }), "event.start");
  EXPECT_EQ(with([](Event& e) {
              e.start = at(315360001 - 7200);
              e.end = at(315360000);
            }),
            "event.start");
  EXPECT_EQ(with([](Event& e) { e.type = EventType::other; }), "event.type");
  EXPECT_EQ(with([](Event& e) { e.recurrence_type = RecurrenceType::recurrence; }), "event.recurrence_type");
  EXPECT_EQ(with([](Event& e) { e.recurrence_type = static_cast<RecurrenceType>(5); }), "event.recurrence_type");
  EXPECT_EQ(with([](Event& e) { e.recurrence_type = RecurrenceType::recurring; }), "event.recurrence");
  EXPECT_EQ(with([](Event& e) { e.classification = static_cast<Classification>(0); }), "event.classification");
  EXPECT_EQ(with([](Event& e) { e.priority = 10; }), "event.priority");
  EXPECT_EQ(with([](Event& e) { e.priority = -1; }), "event.priority");
  EXPECT_EQ(with([](Event& e) { e.sequence = -1; }), "event.sequence");
  EXPECT_EQ(with([](Event& e) { e.duration = -1s; }), "event.duration");
  EXPECT_EQ(with([](Event& e) { e.geo_latitude = -1.0; }), "event.geo_latitude");
  EXPECT_EQ(with([](Event& e) { e.geo_longitude = std::numeric_limits<double>::infinity(); }),
            "event.geo_longitude");
  EXPECT_EQ(with([](Event& e) { e.pre_start_time = 60s; }), "event.pre_start_time");  // record event
  EXPECT_EQ(with([](Event& e) { e.location = std::string("a\0b", 3); }), "event.location");
  EXPECT_EQ(with([](Event& e) { e.settings.rs_user_lang = static_cast<Language>(99); }),
            "event.settings.rs_user_lang");
  EXPECT_EQ(with([](Event& e) { e.settings.extra = {{"a,b", ""}}; }), "event.settings.extra[0]");
  EXPECT_EQ(with([](Event& e) {
              e.recurrence_type = RecurrenceType::recurring;
              e.recurrence = Recurrence{.until = at(kStart)};
            }),
            "event.recurrence.until");
  EXPECT_EQ(with([](Event& e) {
              e.recurrence_type = RecurrenceType::recurring;
              e.recurrence = Recurrence{.frequency = static_cast<RecurrenceFrequency>(9)};
            }),
            "event.recurrence.frequency");
}

TEST(ValidateEvent, LongEventsNeedExplicitPermission) {
  Event e = good_event();
  e.end = at(kStart + 2 * 86400);
  EXPECT_EQ(field_of([&] { validate(e, false); }), "event.end");
  EXPECT_NO_THROW(validate(e, true));
  e.type = EventType::meeting;  // meetings may last 3 days
  EXPECT_NO_THROW(validate(e, false));
  e.end = at(kStart + 3 * 86400 + 1);
  EXPECT_EQ(field_of([&] { validate(e, false); }), "event.end");
}

TEST(ValidateEvent, LinkedEvents) {
  Event e;
  e.summary = "after";
  e.linked_to = LinkedEvent{.offset = 60s, .event_id = EventId(4)};
  e.duration = 600s;
  EXPECT_NO_THROW(validate(e, false));
  Event with_start = e;
  with_start.start = at(kStart);
  EXPECT_EQ(field_of([&] { validate(with_start, false); }), "event.start");
  Event no_duration = e;
  no_duration.duration.reset();
  EXPECT_EQ(field_of([&] { validate(no_duration, false); }), "event.duration");
  Event bad_id = e;
  bad_id.linked_to->event_id = EventId(0);
  EXPECT_EQ(field_of([&] { validate(bad_id, false); }), "event.linked_to.event_id");
}

TEST(ValidateEvent, Update) {
  EXPECT_NO_THROW(validate(EventUpdate{.summary = "x", .description = kmeet::clear}));
  EXPECT_EQ(field_of([] { validate(EventUpdate{.summary = kmeet::clear}); }), "event.summary");
  EXPECT_EQ(field_of([] { validate(EventUpdate{.summary = std::string(257, 'y')}); }), "event.summary");
  EXPECT_EQ(field_of([] { validate(EventUpdate{.end = kmeet::clear}); }), "event.end");
  EXPECT_EQ(field_of([] { validate(EventUpdate{.start = kmeet::clear}); }), "event.start");
  EXPECT_EQ(field_of([] { validate(EventUpdate{.start = at(100)}); }), "event.start");
  EXPECT_EQ(field_of([] { validate(EventUpdate{.start = at(kStart), .end = at(kStart)}); }), "event.end");
  EXPECT_EQ(field_of([] { validate(EventUpdate{.start = at(kStart), .end = at(kStart + 90000)}); }), "event.end");
  EXPECT_NO_THROW(validate(EventUpdate{.start = at(kStart), .end = at(kStart + 90000), .allow_long_event = true}));
  EXPECT_EQ(field_of([] { validate(EventUpdate{.priority = 11}); }), "event.priority");
  EXPECT_EQ(field_of([] { validate(EventUpdate{.pre_start_time = 5s}); }), "event.pre_start_time");
  EXPECT_NO_THROW(validate(EventUpdate{.pre_start_time = 5s, .type = EventType::meeting}));
  EXPECT_EQ(field_of([] { validate(EventUpdate{.settings = EventSettings{.rs_class_mode = static_cast<ClassMode>(3)}}); }),
            "event.settings.rs_class_mode");
}

TEST(ValidateFilters, NamesTheField) {
  EXPECT_NO_THROW(validate(RoomFilter{}));
  EXPECT_NO_THROW(validate(EventFilter{}));
  EXPECT_NO_THROW(validate(LinkFilter{}));
  EXPECT_EQ(field_of([] { validate(RoomFilter{.id = RoomId(0)}); }), "filter.id");
  // An empty text value is not applied by the server: it would list everything.
  EXPECT_EQ(field_of([] { validate(RoomFilter{.system_name = ""}); }), "filter.system_name");
  EXPECT_EQ(field_of([] { validate(RoomFilter{.tags_like = ""}); }), "filter.tags_like");
  EXPECT_EQ(field_of([] { validate(EventFilter{.reference_id = ""}); }), "filter.reference_id");
  EXPECT_EQ(field_of([] { validate(EventFilter{.template_entry_id = ""}); }), "filter.template_entry_id");
  EXPECT_NO_THROW(validate(EventFilter{.reference_id = "crm-1"}));
  EXPECT_EQ(field_of([] { validate(RoomFilter{.id_in = {RoomId(1), RoomId(-2)}}); }), "filter.id_in");
  EXPECT_EQ(field_of([] { validate(RoomFilter{.system_name_in = {"a,b"}}); }), "filter.system_name_in");
  EXPECT_EQ(field_of([] { validate(RoomFilter{.status = static_cast<RoomStatus>(4)}); }), "filter.status");
  EXPECT_EQ(field_of([] { validate(RoomFilter{.tags_multi_like_or = {"x", ""}}); }), "filter.tags_multi_like_or");
  EXPECT_EQ(field_of([] { validate(RoomFilter{.created_at_gte = at(10)}); }), "filter.created_at_gte");
  EXPECT_EQ(field_of([] { validate(RoomFilter{.order_by = static_cast<RoomOrder>(4)}); }), "filter.order_by");
  EXPECT_EQ(field_of([] { validate(EventFilter{.start_date_gte = at(86400)}); }), "filter.start_date_gte");
  EXPECT_EQ(field_of([] { validate(EventFilter{.end_date_lte = at(-5)}); }), "filter.end_date_lte");
  EXPECT_EQ(field_of([] { validate(EventFilter{.owner_id_in = {"a,b"}}); }), "filter.owner_id_in");
  EXPECT_EQ(field_of([] { validate(EventFilter{.priority_gte = 12}); }), "filter.priority_gte");
  EXPECT_EQ(field_of([] { validate(EventFilter{.room_id = RoomId(0)}); }), "filter.room_id");
  EXPECT_EQ(field_of([] { validate(EventFilter{.entry_ids_multi_like_and = {"1_a,1_b"}}); }),
            "filter.entry_ids_multi_like_and");
  EXPECT_EQ(field_of([] { validate(EventFilter{.order_by = static_cast<EventOrder>(12)}); }), "filter.order_by");
  EXPECT_EQ(field_of([] { validate(LinkFilter{.room_id = RoomId(0)}); }), "filter.room_id");
  EXPECT_EQ(field_of([] { validate(LinkFilter{.updated_at_lte = at(1)}); }), "filter.updated_at_lte");
  std::vector<RoomId> many(501, RoomId(1));
  EXPECT_EQ(field_of([&] { validate(RoomFilter{.id_not_in = many}); }), "filter.id_not_in");
}

// App-token and recording filters are checked by the same field table as the others.
TEST(ValidateFilter, AppTokenAndRecordingFiltersFollowTheSameRules) {
  EXPECT_NO_THROW(validate(AppTokenFilter{.id = "0_tok", .id_in = {"0_a", "0_b"}, .status = AppTokenStatus::active}));
  EXPECT_EQ(field_of([] { validate(AppTokenFilter{.id = ""}); }), "filter.id");
  EXPECT_EQ(field_of([] { validate(AppTokenFilter{.id_in = {"0_a,0_b"}}); }), "filter.id_in");
  EXPECT_EQ(field_of([] { validate(AppTokenFilter{.status = static_cast<AppTokenStatus>(7)}); }), "filter.status");
  EXPECT_EQ(field_of([] { validate(AppTokenFilter{.created_at_lte = at(5)}); }), "filter.created_at_lte");
  EXPECT_EQ(field_of([] { validate(AppTokenFilter{.session_user_id = "a\x01"}); }), "filter.session_user_id");
  RecordingFilter r;
  r.root_entry_id_in = {"1_a", "1 b"};
  EXPECT_EQ(field_of([&] { validate(r); }), "filter.root_entry_id_in");
  r = RecordingFilter{};
  r.status_in = {EntryStatus::ready, EntryStatus::unknown};
  try {
    validate(r);
    ADD_FAILURE() << "EntryStatus::unknown was accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "filter.status_in");
    EXPECT_NE(e.reason().find("UNKNOWN"), std::string::npos) << e.reason();
  }
  r = RecordingFilter{};
  r.order_by = static_cast<RecordingOrder>(6);
  EXPECT_EQ(field_of([&] { validate(r); }), "filter.order_by");
}

TEST(ValidatePager, Bounds) {
  EXPECT_NO_THROW(validate(Pager{}));
  EXPECT_NO_THROW(validate(Pager{.page_size = 1, .page_index = 1}));
  EXPECT_NO_THROW(validate(Pager{.page_size = 500, .page_index = 20}));
  EXPECT_EQ(field_of([] { validate(Pager{.page_size = 0}); }), "pager.page_size");
  EXPECT_EQ(field_of([] { validate(Pager{.page_size = 501}); }), "pager.page_size");
  EXPECT_EQ(field_of([] { validate(Pager{.page_size = 30, .page_index = 0}); }), "pager.page_index");
  // docs/protocol.md D.6 limits no pageIndex (the server's 10,000-match error is its own): a caller's deep page is sent.
  EXPECT_NO_THROW(validate(Pager{.page_size = 500, .page_index = 21}));
}

}  // namespace
}  // namespace kmeet::detail
