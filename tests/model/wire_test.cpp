#include "model/wire.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "model/validate.hpp"

namespace kmeet::detail {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

Timestamp at(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

// ---- rooms ---------------------------------------------------------------------------------

TEST(RoomWire, GuideAddBody) {
  Room room;
  room.name = "Room-1";
  room.description = "My first meeting room";
  EXPECT_EQ(to_wire(room).dump(),
            R"({"objectType":"KalturaLocationScheduleResource","name":"Room-1","description":"My first meeting room","tags":"vcprovider:newrow"})");
}

TEST(RoomWire, ReadOnlyFieldsAreNeverSent) {
  Room room;
  room.id = RoomId(5);
  room.partner_id = PartnerId(1234567);
  room.status = RoomStatus::deleted;
  room.created_at = at(1586100234);
  room.updated_at = at(1586100234);
  room.tags = "something:else";  // read-only mirror; settings are what is sent
  room.object_type = "KalturaLocationScheduleResource";
  room.name = "R";
  room.parent_id = RoomId(9);
  room.system_name = "r-sys";
  room.settings.rs_room_cap = 10;
  EXPECT_EQ(to_wire(room).dump(),
            R"({"objectType":"KalturaLocationScheduleResource","parentId":9,"name":"R","systemName":"r-sys","tags":"vcprovider:newrow,custom_rs_room_cap:10"})");
}

TEST(RoomWire, DecodesGuideResponseIntoEveryField) {
  // protocol.md B.1 / GUIDE "Creating a Resource".
  Json v = Json::parse(
      R"({"id":1100601,"partnerId":1234567,"name":"Room-1","description":"My first meeting room","status":2,"tags":"vcprovider:newrow","createdAt":1586100234,"updatedAt":1586100234,"objectType":"KalturaLocationScheduleResource"})");
  Room r = room_from_wire(v);
  EXPECT_EQ(r.id, RoomId(1100601));
  EXPECT_EQ(r.partner_id, PartnerId(1234567));
  EXPECT_FALSE(r.parent_id.has_value());
  EXPECT_EQ(r.name, "Room-1");
  EXPECT_FALSE(r.system_name.has_value());
  EXPECT_EQ(r.description, "My first meeting room");
  EXPECT_EQ(r.status, RoomStatus::active);
  EXPECT_EQ(r.tags, "vcprovider:newrow");
  EXPECT_TRUE(r.settings.newrow);
  EXPECT_EQ(r.created_at, at(1586100234));
  EXPECT_EQ(r.updated_at, at(1586100234));
  EXPECT_EQ(r.object_type, "KalturaLocationScheduleResource");
}

TEST(RoomWire, DecodesEveryFieldAndIgnoresUnknownOnes) {
  Json v = Json::parse(R"({"id":7,"parentId":3,"partnerId":11,"name":"Lab \u00e9","systemName":"lab",
    "description":"d\/e","status":1,"tags":"vcprovider:newrow,custom_rs_room_cap:40,custom_company_logo:https%3A%2F%2Fx.io%2Fl.png",
    "createdAt":1700000000,"updatedAt":1700000100,"relatedObjects":{"x":1},"somethingNew":[1,2],
    "objectType":"KalturaLocationScheduleResource"})");
  Room r = room_from_wire(v);
  EXPECT_EQ(r.parent_id, RoomId(3));
  EXPECT_EQ(r.name, "Lab \xC3\xA9");
  EXPECT_EQ(r.system_name, "lab");
  EXPECT_EQ(r.description, "d/e");
  EXPECT_EQ(r.status, RoomStatus::disabled);
  EXPECT_EQ(r.settings.rs_room_cap, 40);
  EXPECT_EQ(r.settings.company_logo, "https://x.io/l.png");
  EXPECT_EQ(r.settings.to_tags(), r.tags);
}

TEST(RoomWire, UpdateSendsOnlyChangesAndNulls) {
  RoomUpdate u;
  u.name = "New";
  u.description = kmeet::clear;
  u.settings = RoomSettings{.rs_room_cap = 12};
  EXPECT_EQ(to_wire(u).dump(),
            R"({"objectType":"KalturaLocationScheduleResource","name":"New","description__null":"","tags":"vcprovider:newrow,custom_rs_room_cap:12"})");
  EXPECT_EQ(to_wire(RoomUpdate{}).dump(), R"({"objectType":"KalturaLocationScheduleResource"})");
  RoomUpdate p{.system_name = kmeet::clear, .parent_id = RoomId(4)};
  EXPECT_EQ(to_wire(p).dump(),
            R"({"objectType":"KalturaLocationScheduleResource","parentId":4,"systemName__null":""})");
}

TEST(RoomWire, BadShapesAreProtocolErrors) {
  EXPECT_THROW((void)room_from_wire(Json::parse("[]")), ProtocolError);
  EXPECT_THROW((void)room_from_wire(Json::parse(R"({"name":"x"})")), ProtocolError);
  EXPECT_THROW((void)room_from_wire(Json::parse(R"({"id":{"a":1}})")), ProtocolError);
  EXPECT_THROW((void)room_from_wire(Json::parse(R"({"id":1,"name":["x"]})")), ProtocolError);
  // Stringified numbers (PHP-style clients) are read.
  EXPECT_EQ(room_from_wire(Json::parse(R"({"id":"12","createdAt":"1700000000"})")).id, RoomId(12));
}

// ---- events --------------------------------------------------------------------------------

TEST(EventWire, CaptureAddBody) {
  // protocol.md A.7 (NODE capture).
  Event e;
  e.summary = "Tomorrow's Event";
  e.start = at(1586185200);
  e.end = at(1586188800);
  e.settings.rec_auto_start = true;
  EXPECT_EQ(to_wire(e).dump(),
            R"({"objectType":"KalturaRecordScheduleEvent","summary":"Tomorrow's Event","startDate":1586185200,"endDate":1586188800,"recurrenceType":0,"tags":"custom_rec_auto_start:1"})");
}

TEST(EventWire, EveryWritableFieldInSpecOrder) {
  Event e;
  e.id = EventId(99);                     // read-only: not sent
  e.partner_id = PartnerId(1);            // read-only
  e.parent_id = EventId(98);              // read-only
  e.status = EventStatus::cancelled;      // read-only
  e.created_at = at(1700000000);          // read-only
  e.updated_at = at(1700000000);          // read-only
  e.blackout_conflicts = {EventId(5)};    // read-only
  e.tags = "ignored";                     // read-only mirror
  e.type = EventType::meeting;
  e.summary = "S";
  e.description = "D";
  e.start = at(1800000000);
  e.end = at(1800003600);
  e.reference_id = "ref-1";
  e.linked_by = "1,2";
  e.classification = Classification::private_event;
  e.geo_latitude = 32.5;
  e.geo_longitude = 34.75;
  e.location = "TLV";
  e.organizer = "Org";
  e.owner_id = "owner@x";
  e.priority = 3;
  e.sequence = 2;
  e.recurrence_type = RecurrenceType::none;
  e.duration = 3600s;
  e.contact = "c";
  e.comment = "k";
  e.settings.rs_class_mode = ClassMode::webinar;
  e.template_entry_id = "1_tmpl";
  e.entry_ids = "1_a";
  e.category_ids = "7";
  e.pre_start_time = 600s;
  EXPECT_EQ(
      to_wire(e).dump(),
      R"({"objectType":"KalturaMeetingScheduleEvent","summary":"S","description":"D","startDate":1800000000,)"
      R"("endDate":1800003600,"referenceId":"ref-1","linkedBy":"1,2","classificationType":2,"geoLatitude":32.5,)"
      R"("geoLongitude":34.75,"location":"TLV","organizer":"Org","ownerId":"owner@x","priority":3,"sequence":2,)"
      R"("recurrenceType":0,"duration":3600,"contact":"c","comment":"k","tags":"custom_rs_class_mode:webinar",)"
      R"("templateEntryId":"1_tmpl","entryIds":"1_a","categoryIds":"7","preStartTime":600})");
}

TEST(EventWire, LinkedAndRecurringEvents) {
  Event linked;
  linked.summary = "L";
  linked.linked_to = LinkedEvent{.offset = 300s, .event_id = EventId(10)};
  linked.duration = 1800s;
  EXPECT_EQ(to_wire(linked).dump(),
            R"({"objectType":"KalturaRecordScheduleEvent","summary":"L","linkedTo":{"objectType":"KalturaLinkedScheduleEvent","offset":300,"eventId":10},"recurrenceType":0,"duration":1800})");
  Event rec;
  rec.summary = "R";
  rec.start = at(1800000000);
  rec.end = at(1800003600);
  rec.recurrence_type = RecurrenceType::recurring;
  rec.recurrence = Recurrence{.name = "weekly", .frequency = RecurrenceFrequency::weekly,
                              .until = at(1810000000), .time_zone = "UTC", .count = 10, .interval = 1,
                              .by_day = "MO,WE", .week_start_day = WeekDay::monday};
  EXPECT_EQ(to_wire(rec).dump(),
            R"({"objectType":"KalturaRecordScheduleEvent","summary":"R","startDate":1800000000,"endDate":1800003600,)"
            R"("recurrenceType":1,"recurrence":{"objectType":"KalturaScheduleEventRecurrence","name":"weekly",)"
            R"("frequency":"weeks","until":1810000000,"timeZone":"UTC","count":10,"interval":1,"byDay":"MO,WE",)"
            R"("weekStartDay":"MO"}})");
}

TEST(EventWire, PreStartTimeOnlyForMeetingEvents) {
  Event e;
  e.summary = "S";
  e.pre_start_time = 60s;
  EXPECT_EQ(to_wire(e).dump(), R"({"objectType":"KalturaRecordScheduleEvent","summary":"S","recurrenceType":0})");
}

TEST(EventWire, DecodesGuideResponse) {
  // GUIDE "Creating an Event" response object.
  Json v = Json::parse(R"({
    "blackoutConflicts": [],
    "id": 3371011,
    "partnerId": 1234567,
    "summary": "Tomorrow's Event ",
    "status": 2,
    "startDate": 1586186820,
    "endDate": 1586190420,
    "classificationType": 1,
    "ownerId": "vpaas@kaltura.com",
    "sequence": 11,
    "recurrenceType": 0,
    "duration": 3600,
    "createdAt": 1586113200,
    "updatedAt": 1586113200,
    "objectType": "KalturaRecordScheduleEvent"
  })");
  Event e = event_from_wire(v);
  EXPECT_EQ(e.id, EventId(3371011));
  EXPECT_EQ(e.partner_id, PartnerId(1234567));
  EXPECT_EQ(e.summary, "Tomorrow's Event ");
  EXPECT_EQ(e.status, EventStatus::active);
  EXPECT_EQ(e.start, at(1586186820));
  EXPECT_EQ(e.end, at(1586190420));
  EXPECT_EQ(e.classification, Classification::public_event);
  EXPECT_EQ(e.owner_id, "vpaas@kaltura.com");
  EXPECT_EQ(e.sequence, 11);
  EXPECT_EQ(e.recurrence_type, RecurrenceType::none);
  EXPECT_EQ(e.duration, 3600s);
  EXPECT_EQ(e.created_at, at(1586113200));
  EXPECT_EQ(e.updated_at, at(1586113200));
  EXPECT_TRUE(e.blackout_conflicts.empty());
  EXPECT_EQ(e.type, EventType::record);
  EXPECT_EQ(e.object_type, "KalturaRecordScheduleEvent");
  EXPECT_FALSE(e.description.has_value());
  EXPECT_FALSE(e.pre_start_time.has_value());
  EXPECT_EQ(e.tags, "");
}

TEST(EventWire, DecodesEveryFieldOfAMeetingEvent) {
  Json v = Json::parse(R"({"id":501,"partnerId":1234567,"parentId":500,"summary":"Weekly \/ sync","description":"d",
    "status":1,"startDate":1800000000,"endDate":1800003600,"referenceId":"crm-1",
    "linkedTo":{"offset":-60,"eventId":499,"objectType":"KalturaLinkedScheduleEvent"},"linkedBy":"502,503",
    "classificationType":3,"geoLatitude":1.5,"geoLongitude":2,"location":"Room A","organizer":"Ann","ownerId":"ann@x",
    "priority":9,"sequence":4,"recurrenceType":2,"duration":3600,"contact":"c@x","comment":"note",
    "tags":"custom_rec_auto_start:1,custom_rs_user_lang:ja-JP,mine:1","createdAt":1700000000,"updatedAt":1700000500,
    "recurrence":{"name":"r","frequency":"days","until":1810000000,"timeZone":"Asia\/Jerusalem","count":5,"interval":2,
      "bySecond":"0","byMinute":"30","byHour":"9","byDay":"MO","byMonthDay":"1","byYearDay":"100","byWeekNumber":"3",
      "byMonth":"4","byOffset":"1","weekStartDay":"SU","objectType":"KalturaScheduleEventRecurrence"},
    "templateEntryId":"1_t","entryIds":"1_a,1_b","categoryIds":"10,11",
    "blackoutConflicts":[{"id":77,"summary":"Holiday","objectType":"KalturaBlackoutScheduleEvent"}],
    "preStartTime":900,"futureField":{"x":1},"objectType":"KalturaMeetingScheduleEvent"})");
  Event e = event_from_wire(v);
  EXPECT_EQ(e.parent_id, EventId(500));
  EXPECT_EQ(e.summary, "Weekly / sync");
  EXPECT_EQ(e.description, "d");
  EXPECT_EQ(e.status, EventStatus::cancelled);
  EXPECT_EQ(e.reference_id, "crm-1");
  ASSERT_TRUE(e.linked_to.has_value());
  EXPECT_EQ(e.linked_to->offset, -60s);
  EXPECT_EQ(e.linked_to->event_id, EventId(499));
  EXPECT_EQ(e.linked_by, "502,503");
  EXPECT_EQ(e.classification, Classification::confidential_event);
  EXPECT_EQ(e.geo_latitude, 1.5);
  EXPECT_EQ(e.geo_longitude, 2.0);
  EXPECT_EQ(e.location, "Room A");
  EXPECT_EQ(e.organizer, "Ann");
  EXPECT_EQ(e.owner_id, "ann@x");
  EXPECT_EQ(e.priority, 9);
  EXPECT_EQ(e.sequence, 4);
  EXPECT_EQ(e.recurrence_type, RecurrenceType::recurrence);
  EXPECT_EQ(e.contact, "c@x");
  EXPECT_EQ(e.comment, "note");
  EXPECT_EQ(e.settings.rec_auto_start, true);
  EXPECT_EQ(e.settings.rs_user_lang, Language::ja_JP);
  EXPECT_THAT(e.settings.extra, ElementsAre(std::pair<std::string, std::string>("mine", "1")));
  ASSERT_TRUE(e.recurrence.has_value());
  const Recurrence& r = *e.recurrence;
  EXPECT_EQ(r.name, "r");
  EXPECT_EQ(r.frequency, RecurrenceFrequency::daily);
  EXPECT_EQ(r.until, at(1810000000));
  EXPECT_EQ(r.time_zone, "Asia/Jerusalem");
  EXPECT_EQ(r.count, 5);
  EXPECT_EQ(r.interval, 2);
  EXPECT_EQ(r.by_second, "0");
  EXPECT_EQ(r.by_minute, "30");
  EXPECT_EQ(r.by_hour, "9");
  EXPECT_EQ(r.by_day, "MO");
  EXPECT_EQ(r.by_month_day, "1");
  EXPECT_EQ(r.by_year_day, "100");
  EXPECT_EQ(r.by_week_number, "3");
  EXPECT_EQ(r.by_month, "4");
  EXPECT_EQ(r.by_offset, "1");
  EXPECT_EQ(r.week_start_day, WeekDay::sunday);
  EXPECT_EQ(e.template_entry_id, "1_t");
  EXPECT_EQ(e.entry_ids, "1_a,1_b");
  EXPECT_EQ(e.category_ids, "10,11");
  EXPECT_THAT(e.blackout_conflicts, ElementsAre(EventId(77)));
  EXPECT_EQ(e.pre_start_time, 900s);
  EXPECT_EQ(e.type, EventType::meeting);
}

TEST(EventWire, OtherEventClassesAreReadToo) {
  Event e = event_from_wire(Json::parse(R"({"id":1,"summary":"live","objectType":"KalturaLiveStreamScheduleEvent"})"));
  EXPECT_EQ(e.type, EventType::other);
  EXPECT_EQ(e.object_type, "KalturaLiveStreamScheduleEvent");
}

TEST(EventWire, UpdateWithNulls) {
  EventUpdate u;
  u.summary = "New";
  u.description = kmeet::clear;
  u.start = at(1800000000);
  u.end = at(1800001800);
  u.location = kmeet::clear;
  u.priority = 1;
  u.settings = EventSettings{.rs_show_chat = false};
  EXPECT_EQ(to_wire(u).dump(),
            R"({"objectType":"KalturaRecordScheduleEvent","summary":"New","description__null":"","startDate":1800000000,)"
            R"("endDate":1800001800,"location__null":"","priority":1,"tags":"custom_rs_show_chat:0"})");
  EventUpdate clear_tags{.settings = kmeet::clear};
  EXPECT_EQ(to_wire(clear_tags).dump(), R"({"objectType":"KalturaRecordScheduleEvent","tags__null":""})");
}

// ---- links ---------------------------------------------------------------------------------

TEST(LinkWire, AddBodyAndReferences) {
  EXPECT_EQ(link_to_wire(3371011, 1100601).dump(),
            R"({"objectType":"KalturaScheduleEventResource","eventId":3371011,"resourceId":1100601})");
  // protocol.md C.1 capture: a result reference in place of the id.
  EXPECT_EQ(link_to_wire("{1:result:id}", 1100601).dump(),
            R"({"objectType":"KalturaScheduleEventResource","eventId":"{1:result:id}","resourceId":1100601})");
}

TEST(LinkWire, DecodesGuideResponse) {
  EventRoomLink l = link_from_wire(Json::parse(
      R"({"eventId":3371011,"resourceId":1100601,"partnerId":2365491,"createdAt":1586148953,"updatedAt":1586148953,"objectType":"KalturaScheduleEventResource"})"));
  EXPECT_EQ(l.event_id, EventId(3371011));
  EXPECT_EQ(l.room_id, RoomId(1100601));
  EXPECT_EQ(l.partner_id, PartnerId(2365491));
  EXPECT_EQ(l.created_at, at(1586148953));
  EXPECT_EQ(l.updated_at, at(1586148953));
  EXPECT_THROW((void)link_from_wire(Json::parse(R"({"eventId":1})")), ProtocolError);
}

// ---- filters, pager, lists -------------------------------------------------------------------

TEST(FilterWire, DefaultRoomFilterAndPagerAreTheCapture) {
  // protocol.md A.7: scheduleResource.list.
  EXPECT_EQ(to_wire(RoomFilter{}).dump(),
            R"({"objectType":"KalturaLocationScheduleResourceFilter","tagsLike":"vcprovider:newrow","orderBy":"-createdAt"})");
  EXPECT_EQ(to_wire(Pager{}).dump(), R"({"objectType":"KalturaFilterPager","pageSize":500,"pageIndex":1})");
}

TEST(FilterWire, EveryRoomFilterField) {
  RoomFilter f;
  f.id = RoomId(1);
  f.id_in = {RoomId(1), RoomId(2)};
  f.id_not_in = {RoomId(3)};
  f.parent_id = RoomId(4);
  f.parent_id_in = {RoomId(4), RoomId(5)};
  f.name = "n";
  f.system_name = "s";
  f.system_name_in = {"s", "t"};
  f.status = RoomStatus::deleted;
  f.status_in = {RoomStatus::disabled, RoomStatus::active};
  f.tags_like = "custom_rs_room_cap";
  f.tags_multi_like_or = {"a", "b"};
  f.tags_multi_like_and = {"c", "d"};
  f.created_at_gte = at(1700000000);
  f.created_at_lte = at(1700000001);
  f.updated_at_gte = at(1700000002);
  f.updated_at_lte = at(1700000003);
  f.order_by = RoomOrder::updated_at_asc;
  EXPECT_EQ(to_wire(f).dump(),
            R"({"objectType":"KalturaLocationScheduleResourceFilter","idEqual":1,"idIn":"1,2","idNotIn":"3",)"
            R"("parentIdEqual":4,"parentIdIn":"4,5","nameEqual":"n","systemNameEqual":"s","systemNameIn":"s,t",)"
            R"("statusEqual":3,"statusIn":"1,2","tagsLike":"custom_rs_room_cap","tagsMultiLikeOr":"a,b",)"
            R"("tagsMultiLikeAnd":"c,d","createdAtGreaterThanOrEqual":1700000000,"createdAtLessThanOrEqual":1700000001,)"
            R"("updatedAtGreaterThanOrEqual":1700000002,"updatedAtLessThanOrEqual":1700000003,"orderBy":"+updatedAt"})");
  RoomFilter all;
  all.tags_like.reset();
  all.order_by.reset();
  EXPECT_EQ(to_wire(all).dump(), R"({"objectType":"KalturaLocationScheduleResourceFilter"})");
}

TEST(FilterWire, EveryEventFilterField) {
  EventFilter f;
  f.id = EventId(1);
  f.id_in = {EventId(1), EventId(2)};
  f.id_not_in = {EventId(3)};
  f.parent_id = EventId(4);
  f.parent_id_in = {EventId(5)};
  f.parent_id_not_in = {EventId(6)};
  f.status = EventStatus::active;
  f.status_in = {EventStatus::cancelled, EventStatus::active};
  f.start_date_gte = at(1800000000);
  f.start_date_lte = at(1800000001);
  f.end_date_gte = at(1800000002);
  f.end_date_lte = at(1800000003);
  f.reference_id = "r";
  f.reference_id_in = {"r", "q"};
  f.owner_id = "o";
  f.owner_id_in = {"o", "p"};
  f.priority = 1;
  f.priority_in = {1, 2};
  f.priority_gte = 0;
  f.priority_lte = 9;
  f.recurrence_type = RecurrenceType::none;
  f.recurrence_type_in = {RecurrenceType::none, RecurrenceType::recurring};
  f.tags_like = "custom_rec_auto_start:1";
  f.tags_multi_like_or = {"a"};
  f.tags_multi_like_and = {"b"};
  f.created_at_gte = at(1700000000);
  f.created_at_lte = at(1700000001);
  f.updated_at_gte = at(1700000002);
  f.updated_at_lte = at(1700000003);
  f.room_id = RoomId(1100601);
  f.resource_ids_like = "11";
  f.resource_ids_multi_like_or = {"1", "2"};
  f.resource_ids_multi_like_and = {"3"};
  f.parent_resource_ids_like = "4";
  f.parent_resource_ids_multi_like_or = {"5"};
  f.parent_resource_ids_multi_like_and = {"6"};
  f.template_entry_categories_ids_like = "7";
  f.template_entry_categories_ids_multi_like_or = {"8"};
  f.template_entry_categories_ids_multi_like_and = {"9"};
  f.resource_system_names_like = "sys";
  f.resource_system_names_multi_like_or = {"a"};
  f.resource_system_names_multi_like_and = {"b"};
  f.template_entry_id = "1_t";
  f.entry_ids_like = "1_e";
  f.entry_ids_multi_like_or = {"1_f"};
  f.entry_ids_multi_like_and = {"1_g"};
  f.category_ids_like = "c";
  f.category_ids_multi_like_or = {"d"};
  f.category_ids_multi_like_and = {"e"};
  f.parent_category_ids_like = "p";
  f.parent_category_ids_multi_like_or = {"q"};
  f.parent_category_ids_multi_like_and = {"r"};
  f.order_by = EventOrder::start_date_asc;
  EXPECT_EQ(
      to_wire(f).dump(),
      R"({"objectType":"KalturaRecordScheduleEventFilter","idEqual":1,"idIn":"1,2","idNotIn":"3","parentIdEqual":4,)"
      R"("parentIdIn":"5","parentIdNotIn":"6","statusEqual":2,"statusIn":"1,2","startDateGreaterThanOrEqual":1800000000,)"
      R"("startDateLessThanOrEqual":1800000001,"endDateGreaterThanOrEqual":1800000002,"endDateLessThanOrEqual":1800000003,)"
      R"("referenceIdEqual":"r","referenceIdIn":"r,q","ownerIdEqual":"o","ownerIdIn":"o,p","priorityEqual":1,)"
      R"("priorityIn":"1,2","priorityGreaterThanOrEqual":0,"priorityLessThanOrEqual":9,"recurrenceTypeEqual":0,)"
      R"("recurrenceTypeIn":"0,1","tagsLike":"custom_rec_auto_start:1","tagsMultiLikeOr":"a","tagsMultiLikeAnd":"b",)"
      R"("createdAtGreaterThanOrEqual":1700000000,"createdAtLessThanOrEqual":1700000001,)"
      R"("updatedAtGreaterThanOrEqual":1700000002,"updatedAtLessThanOrEqual":1700000003,"resourceIdsLike":"11",)"
      R"("resourceIdsMultiLikeOr":"1,2","resourceIdsMultiLikeAnd":"3","parentResourceIdsLike":"4",)"
      R"("parentResourceIdsMultiLikeOr":"5","parentResourceIdsMultiLikeAnd":"6","templateEntryCategoriesIdsLike":"7",)"
      R"("templateEntryCategoriesIdsMultiLikeOr":"8","templateEntryCategoriesIdsMultiLikeAnd":"9",)"
      R"("resourceSystemNamesLike":"sys","resourceSystemNamesMultiLikeOr":"a","resourceSystemNamesMultiLikeAnd":"b",)"
      R"("resourceIdEqual":"1100601","templateEntryIdEqual":"1_t","entryIdsLike":"1_e","entryIdsMultiLikeOr":"1_f",)"
      R"("entryIdsMultiLikeAnd":"1_g","categoryIdsLike":"c","categoryIdsMultiLikeOr":"d","categoryIdsMultiLikeAnd":"e",)"
      R"("parentCategoryIdsLike":"p","parentCategoryIdsMultiLikeOr":"q","parentCategoryIdsMultiLikeAnd":"r",)"
      R"("orderBy":"+startDate"})");
  EXPECT_EQ(to_wire(EventFilter{}).dump(), R"({"objectType":"KalturaRecordScheduleEventFilter"})");
}

TEST(FilterWire, TheDeprecatedRoomSpellingStillWorks) {
  // `EventFilter::room` is the old name of `room_id`: same bytes, and a clash is refused.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  EventFilter old_name;
  old_name.room = RoomId(1100601);
  EXPECT_EQ(to_wire(old_name).dump(), to_wire(EventFilter{.room_id = RoomId(1100601)}).dump());
  EXPECT_EQ(to_wire(old_name).dump(),
            R"({"objectType":"KalturaRecordScheduleEventFilter","resourceIdEqual":"1100601"})");
  EventFilter both = old_name;  // copies carry it
  both.room_id = RoomId(1100601);
  EXPECT_NO_THROW(detail::validate(both));
  EventFilter clash = both;
  clash.room_id = RoomId(7);  // differs from the old name's value
  EventFilter bad_old;
  bad_old.room = RoomId(0);
#pragma GCC diagnostic pop
  for (const EventFilter& refused : {clash, bad_old}) {
    try {
      detail::validate(refused);
      ADD_FAILURE() << "expected ValidationError";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "filter.room");
    }
  }
}

TEST(FilterWire, EventListTypeSelectsTheFilterClass) {
  // record (the default) stays byte-identical; meeting and any keep every other field.
  EventFilter f;
  f.template_entry_id = "1_t";
  f.status = EventStatus::active;
  EXPECT_EQ(to_wire(f).dump(),
            R"({"objectType":"KalturaRecordScheduleEventFilter","statusEqual":2,"templateEntryIdEqual":"1_t"})");
  f.type = EventListType::meeting;
  EXPECT_EQ(to_wire(f).dump(),
            R"({"objectType":"KalturaMeetingScheduleEventFilter","statusEqual":2,"templateEntryIdEqual":"1_t"})");
  // Every entry event class, with the entry fields (not the base KalturaScheduleEventFilter).
  f.type = EventListType::any;
  EXPECT_EQ(to_wire(f).dump(),
            R"({"objectType":"KalturaEntryScheduleEventFilter","statusEqual":2,"templateEntryIdEqual":"1_t"})");
}

TEST(FilterWire, EventOrderSpellings) {
  const char* expected[] = {"+createdAt", "-createdAt", "+endDate",   "-endDate",   "+priority",  "-priority",
                            "+startDate", "-startDate", "+summary",   "-summary",   "+updatedAt", "-updatedAt"};
  for (int i = 0; i < 12; ++i) {
    EventFilter f{.order_by = static_cast<EventOrder>(i)};
    EXPECT_EQ(to_wire(f)["orderBy"], expected[i]);
  }
}

TEST(FilterWire, EveryLinkFilterField) {
  LinkFilter f;
  f.event_id = EventId(1);
  f.event_id_in = {EventId(1), EventId(2)};
  f.room_id = RoomId(3);
  f.room_id_in = {RoomId(3), RoomId(4)};
  f.created_at_gte = at(1700000000);
  f.created_at_lte = at(1700000001);
  f.updated_at_gte = at(1700000002);
  f.updated_at_lte = at(1700000003);
  f.event_id_or_its_parent_id = EventId(9);
  f.order_by = LinkOrder::created_at_desc;
  EXPECT_EQ(to_wire(f).dump(),
            R"({"objectType":"KalturaScheduleEventResourceFilter","eventIdEqual":1,"eventIdIn":"1,2","resourceIdEqual":3,)"
            R"("resourceIdIn":"3,4","createdAtGreaterThanOrEqual":1700000000,"createdAtLessThanOrEqual":1700000001,)"
            R"("updatedAtGreaterThanOrEqual":1700000002,"updatedAtLessThanOrEqual":1700000003,)"
            R"("eventIdOrItsParentIdEqual":9,"orderBy":"-createdAt"})");
}

TEST(FilterWire, EveryAppTokenFilterField) {
  AppTokenFilter f;
  f.id = "0_a";
  f.id_in = {"0_a", "0_b"};
  f.created_at_gte = at(1700000000);
  f.created_at_lte = at(1700000001);
  f.status = AppTokenStatus::active;
  f.session_user_id = "teacher@example.com";
  EXPECT_EQ(to_wire(f).dump(),
            R"({"objectType":"KalturaAppTokenFilter","idEqual":"0_a","idIn":"0_a,0_b",)"
            R"("createdAtGreaterThanOrEqual":1700000000,"createdAtLessThanOrEqual":1700000001,"statusEqual":2,)"
            R"("sessionUserIdEqual":"teacher@example.com"})");
  EXPECT_EQ(to_wire(AppTokenFilter{}).dump(), R"({"objectType":"KalturaAppTokenFilter"})");
}

TEST(ListWire, DecodesListResponses) {
  Page<Event> events = event_page_from_wire(Json::parse(
      R"({"objects":[{"id":1,"summary":"a","objectType":"KalturaRecordScheduleEvent"},{"id":2,"summary":"b","objectType":"KalturaRecordScheduleEvent"}],"totalCount":14,"objectType":"KalturaScheduleEventListResponse"})"));
  ASSERT_EQ(events.items.size(), 2U);
  EXPECT_EQ(events.items[1].id, EventId(2));
  EXPECT_EQ(events.total_count, 14);
  Page<Room> rooms = room_page_from_wire(
      Json::parse(R"({"objects":[],"totalCount":0,"objectType":"KalturaScheduleResourceListResponse"})"));
  EXPECT_TRUE(rooms.items.empty());
  EXPECT_EQ(rooms.total_count, 0);
  Page<EventRoomLink> links = link_page_from_wire(Json::parse(
      R"({"objects":[{"eventId":1,"resourceId":2,"objectType":"KalturaScheduleEventResource"}],"totalCount":1,"objectType":"KalturaScheduleEventResourceListResponse"})"));
  EXPECT_EQ(links.items.at(0).room_id, RoomId(2));
  EXPECT_THROW((void)room_page_from_wire(Json::parse(R"({"objects":{"a":1}})")), ProtocolError);
  EXPECT_THROW((void)room_page_from_wire(Json::parse(R"("x")")), ProtocolError);
}

}  // namespace
}  // namespace kmeet::detail
